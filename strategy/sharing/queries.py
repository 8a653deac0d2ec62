"""What the knowledge-sharing pages read: practices at other schools, provenance, spread."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from strategy.extensions import db
from strategy.models import (
    Adoption,
    Cluster,
    Conclusion,
    Evaluation,
    Expectation,
    Goal,
    Initiative,
    PoliticalGoal,
    School,
    Strategy,
)
from strategy.models.strategy import goal_political_goal, initiative_expectation, initiative_political_goal
from strategy.permissions import strategy_read_clause
from strategy.progress import latest_evaluation_ids

PER_GOAL = 8


def tried_and_evaluated(evaluation: Evaluation | None) -> bool:
    """"Afprøvet og evalueret": the latest evaluation says fortsæt and names the data it used."""
    return (
        evaluation is not None
        and evaluation.conclusion == Conclusion.CONTINUE
        and bool(evaluation.data_types or (evaluation.data_used or "").strip())
    )


def latest_evaluations(initiative_ids: list[int]) -> dict[int, Evaluation]:
    if not initiative_ids:
        return {}
    latest = db.session.scalars(sa.select(Evaluation).where(Evaluation.id.in_(latest_evaluation_ids(initiative_ids))))
    return {e.initiative_id: e for e in latest}


@dataclass
class Practice:
    """Another school's initiative that fits one of our goals, and why."""

    initiative: Initiative
    evaluation: Evaluation | None
    political_goals: list[PoliticalGoal] = field(default_factory=list)
    expectations: list[Expectation] = field(default_factory=list)

    @property
    def tried_and_evaluated(self) -> bool:
        return tried_and_evaluated(self.evaluation)

    @property
    def school(self) -> School:
        return self.initiative.goal.strategy.school

    def sort_key(self):
        e = self.evaluation
        return (
            not self.tried_and_evaluated,
            e is None,
            -(e.evaluated_on.toordinal() if e else 0),
            -(len(self.political_goals) + len(self.expectations)),
            self.initiative.title.lower(),
        )


@dataclass
class GoalPractices:
    goal: Goal
    practices: list[Practice]
    total: int


def _other_initiatives(school_id: int, period_id: int | None):
    """Active initiatives of active goals at other schools (in the period, if one is given)."""
    query = (
        sa.select(Initiative.id)
        .join(Goal, Initiative.goal_id == Goal.id)
        .join(Strategy, Goal.strategy_id == Strategy.id)
        .where(Strategy.school_id != school_id, Initiative.archived_at.is_(None), Goal.archived_at.is_(None))
    )
    if period_id is not None:
        query = query.where(Strategy.period_id == period_id)
    return query


def practices_for(user, strategy: Strategy | None, per_goal: int = PER_GOAL) -> list[GoalPractices]:
    """For each active goal of ``strategy``: other schools' initiatives in the same period that
    serve one of its political goals (themselves or through their goal) or exercise one of the
    Learning Pipeline expectations of its initiatives, "afprøvet og evalueret" first."""
    if strategy is None:
        return []
    goals = [g for g in strategy.goals if g.archived_at is None]
    if not goals:
        return []
    others = _other_initiatives(strategy.school_id, strategy.period_id).where(
        strategy_read_clause(user, Strategy.school_id))
    wanted_pgs = {g.id: {p.id for p in g.political_goals} for g in goals}
    wanted_exps = {g.id: {e.id for i in g.active_initiatives for e in i.expectations} for g in goals}
    all_pgs = set().union(*wanted_pgs.values())
    all_exps = set().union(*wanted_exps.values())

    # initiative id -> political goal ids it serves; -> expectation ids it exercises
    serves: dict[int, set[int]] = defaultdict(set)
    if all_pgs:
        direct = sa.select(initiative_political_goal.c.initiative_id, initiative_political_goal.c.political_goal_id).where(
            initiative_political_goal.c.political_goal_id.in_(all_pgs),
            initiative_political_goal.c.initiative_id.in_(others))
        via_goal = (
            sa.select(Initiative.id, goal_political_goal.c.political_goal_id)
            .join(goal_political_goal, goal_political_goal.c.goal_id == Initiative.goal_id)
            .where(goal_political_goal.c.political_goal_id.in_(all_pgs), Initiative.id.in_(others))
        )
        for iid, pg in db.session.execute(sa.union(direct, via_goal)):
            serves[iid].add(pg)
    exercises: dict[int, set[int]] = defaultdict(set)
    if all_exps:
        for iid, eid in db.session.execute(
            sa.select(initiative_expectation.c.initiative_id, initiative_expectation.c.expectation_id).where(
                initiative_expectation.c.expectation_id.in_(all_exps),
                initiative_expectation.c.initiative_id.in_(others))):
            exercises[iid].add(eid)

    ids = set(serves) | set(exercises)
    if not ids:
        return [GoalPractices(goal=g, practices=[], total=0) for g in goals]
    initiatives = {
        i.id: i for i in db.session.scalars(
            sa.select(Initiative).where(Initiative.id.in_(ids)).options(
                joinedload(Initiative.goal).joinedload(Goal.strategy).joinedload(Strategy.school)
                .joinedload(School.cluster))
        )
    }
    evaluations = latest_evaluations(list(ids))
    pg_by_id = {p.id: p for g in goals for p in g.political_goals}
    exp_by_id = {e.id: e for g in goals for i in g.active_initiatives for e in i.expectations}
    out = []
    for goal in goals:
        found = []
        for iid, initiative in initiatives.items():
            pgs = serves.get(iid, set()) & wanted_pgs[goal.id]
            exps = exercises.get(iid, set()) & wanted_exps[goal.id]
            if pgs or exps:
                found.append(Practice(
                    initiative=initiative, evaluation=evaluations.get(iid),
                    political_goals=sorted((pg_by_id[p] for p in pgs), key=lambda p: p.position),
                    expectations=[exp_by_id[e] for e in sorted(exps)],
                ))
        found.sort(key=Practice.sort_key)
        out.append(GoalPractices(goal=goal, practices=found[:per_goal], total=len(found)))
    return out


# --- provenance and spread -------------------------------------------------------------------


def adopting_school(adoption: Adoption) -> School:
    return adoption.initiative.goal.strategy.school


@dataclass
class SpreadRow:
    political_goal: PoliticalGoal
    cells: list[int]  # adoptions per cluster (columns), the adopting school's cluster
    practices: list[tuple[Initiative, list[Adoption]]]  # source practice -> its adoptions

    @property
    def total(self) -> int:
        return sum(self.cells)


@dataclass
class Spread:
    clusters: list[Cluster | None]
    rows: list[SpreadRow]


def spread() -> Spread:
    """Adoptions per political goal (the source practice's, itself or through its goal) and the
    cluster of the school that adopted it."""
    adoptions = list(db.session.scalars(
        sa.select(Adoption).options(
            joinedload(Adoption.source_school).joinedload(School.cluster),
            joinedload(Adoption.source_initiative).joinedload(Initiative.goal).joinedload(Goal.strategy)
            .joinedload(Strategy.school).joinedload(School.cluster),
            joinedload(Adoption.source_initiative).selectinload(Initiative.political_goals),
            joinedload(Adoption.source_initiative).joinedload(Initiative.goal).selectinload(Goal.political_goals),
            joinedload(Adoption.initiative).joinedload(Initiative.goal).joinedload(Goal.strategy)
            .joinedload(Strategy.school).joinedload(School.cluster),
        ).order_by(Adoption.created_at)
    ).unique())
    clusters: list[Cluster | None] = list(db.session.scalars(sa.select(Cluster).order_by(Cluster.name)))
    if any(adopting_school(a).cluster is None for a in adoptions):
        clusters.append(None)
    column = {(c.id if c else None): n for n, c in enumerate(clusters)}
    by_goal: dict[int, tuple[PoliticalGoal, list[Adoption]]] = {}
    for adoption in adoptions:
        source = adoption.source_initiative
        served = {p.id: p for p in [*source.political_goals, *source.goal.political_goals]}
        for pg in served.values():
            by_goal.setdefault(pg.id, (pg, []))[1].append(adoption)
    rows = []
    for pg, items in sorted(by_goal.values(), key=lambda t: t[0].position):
        cells = [0] * len(clusters)
        practices: dict[int, tuple[Initiative, list[Adoption]]] = {}
        for adoption in items:
            cluster = adopting_school(adoption).cluster
            cells[column[cluster.id if cluster else None]] += 1
            practices.setdefault(adoption.source_initiative_id, (adoption.source_initiative, []))[1].append(adoption)
        rows.append(SpreadRow(political_goal=pg, cells=cells, practices=list(practices.values())))
    return Spread(clusters=clusters, rows=rows)


def own_goals(school_id: int, period_id: int | None) -> list[Goal]:
    """The active goals of a school's strategy in the period: where an adopted practice may go."""
    if period_id is None:
        return []
    return list(db.session.scalars(
        sa.select(Goal).join(Strategy, Goal.strategy_id == Strategy.id)
        .where(Strategy.school_id == school_id, Strategy.period_id == period_id, Goal.archived_at.is_(None))
        .options(selectinload(Goal.political_goals))
        .order_by(Goal.position)
    ))
