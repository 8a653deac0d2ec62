"""A school's strategy and its parts, loaded with everything their pages show in a fixed number
of queries: the relationships the templates walk are eager-loaded here, never lazily. Every
feature that shows a strategy, goal, initiative or evaluation (the strategy pages, knowledge
sharing) loads it from here, and an initiative's provenance (adopted from, adopted by).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from strategy.extensions import db
from strategy.models import (
    Adoption, Evaluation, Expectation, Goal, Initiative, Policy, PoliticalGoal, ProfileLevel, School, StatusUpdate,
    Strategy,
)

_INITIATIVE_LIST = (
    selectinload(Initiative.status_updates).joinedload(StatusUpdate.author),
    selectinload(Initiative.evaluations),
)


def _by_id(model, object_id: int, *options):
    """One object by its id with ``options`` loaded, or None."""
    return db.session.scalar(sa.select(model).where(model.id == object_id).options(*options))


def strategy_for(school_id: int, period_id: int) -> Strategy | None:
    """The strategy with everything the strategy page shows, in a fixed number of queries: of
    each initiative's status history only the newest few and the count (the page shows no more;
    a history grows every week, the page must not)."""
    strategy = db.session.scalar(
        sa.select(Strategy)
        .where(Strategy.school_id == school_id, Strategy.period_id == period_id)
        .options(
            joinedload(Strategy.school),
            joinedload(Strategy.period),
            selectinload(Strategy.snapshots),
            selectinload(Strategy.goals).options(
                selectinload(Goal.political_goals),
                selectinload(Goal.measurements),
                selectinload(Goal.evaluations),
                selectinload(Goal.initiatives).options(selectinload(Initiative.evaluations)),
            ),
        )
    )
    if strategy is not None:
        with_recent_updates([i for goal in strategy.goals for i in goal.initiatives])
    return strategy


def with_recent_updates(initiatives: list[Initiative]) -> None:
    """Give each initiative its newest status updates (with their authors) and their count, in
    one query: ``Initiative.recent_updates`` and ``status_update_count`` read them."""
    if not initiatives:
        return
    ranked = (
        sa.select(
            StatusUpdate.id,
            sa.func.row_number()
            .over(partition_by=StatusUpdate.initiative_id,
                  order_by=(StatusUpdate.created_at.desc(), StatusUpdate.id.desc()))
            .label("rank"),
            sa.func.count().over(partition_by=StatusUpdate.initiative_id).label("total"),
        )
        .where(StatusUpdate.initiative_id.in_([i.id for i in initiatives]))
        .subquery()
    )
    rows = db.session.execute(
        sa.select(StatusUpdate, ranked.c.total)
        .join(ranked, ranked.c.id == StatusUpdate.id)
        .where(ranked.c.rank <= Initiative.RECENT_UPDATES)
        # the few authors once each (joined, each of them would come back with every update)
        .options(selectinload(StatusUpdate.author))
        .order_by(StatusUpdate.initiative_id, ranked.c.rank)
    ).all()
    recent: dict[int, list[StatusUpdate]] = {}
    totals: dict[int, int] = {}
    for update, total in rows:
        recent.setdefault(update.initiative_id, []).append(update)
        totals[update.initiative_id] = total
    for initiative in initiatives:
        initiative.__dict__["_recent_updates"] = recent.get(initiative.id, [])
        initiative.__dict__["_status_update_count"] = totals.get(initiative.id, 0)


def strategy_with_goals(strategy_id: int) -> Strategy | None:
    """A strategy with its goals and initiatives (for the carry-over list and snapshots)."""
    return _by_id(
        Strategy,
        strategy_id,
        joinedload(Strategy.school),
        joinedload(Strategy.period),
        selectinload(Strategy.goals).options(
            selectinload(Goal.political_goals),
            selectinload(Goal.measurements),
            selectinload(Goal.initiatives).options(
                selectinload(Initiative.political_goals),
                selectinload(Initiative.expectations),
                joinedload(Initiative.owner_level),
            ),
        ),
    )


def load_goal(goal_id: int) -> Goal | None:
    """A goal with everything its page shows."""
    return _by_id(
        Goal,
        goal_id,
        joinedload(Goal.strategy).joinedload(Strategy.school),
        joinedload(Goal.strategy).joinedload(Strategy.period),
        selectinload(Goal.political_goals),
        selectinload(Goal.measurements),
        selectinload(Goal.evaluations).joinedload(Evaluation.author),
        selectinload(Goal.initiatives).options(*_INITIATIVE_LIST),
    )


def load_initiative(initiative_id: int) -> Initiative | None:
    """An initiative with everything its page shows."""
    return _by_id(
        Initiative,
        initiative_id,
        joinedload(Initiative.goal).joinedload(Goal.strategy).joinedload(Strategy.school),
        joinedload(Initiative.goal).joinedload(Goal.strategy).joinedload(Strategy.period),
        joinedload(Initiative.owner_level),
        selectinload(Initiative.political_goals),
        selectinload(Initiative.expectations).joinedload(Expectation.level),
        selectinload(Initiative.status_updates).joinedload(StatusUpdate.author),
        selectinload(Initiative.evaluations).joinedload(Evaluation.author),
    )


def load_evaluation(evaluation_id: int) -> Evaluation | None:
    return _by_id(
        Evaluation,
        evaluation_id,
        joinedload(Evaluation.author),
        joinedload(Evaluation.goal).joinedload(Goal.strategy),
        joinedload(Evaluation.initiative).joinedload(Initiative.goal).joinedload(Goal.strategy),
    )


def political_goals() -> list[PoliticalGoal]:
    """The political goals in their order, with their policy (the choices of a goal's form)."""
    return list(
        db.session.scalars(
            sa.select(PoliticalGoal).options(joinedload(PoliticalGoal.policy)).order_by(PoliticalGoal.position)
        )
    )


@dataclass
class Provenance:
    """Where an initiative came from (if adopted) and where it spread (if others adopted it)."""

    adopted_from: Adoption | None
    adopted_by: list[Adoption]

    def __bool__(self) -> bool:
        return self.adopted_from is not None or bool(self.adopted_by)


def provenance_of(initiative: Initiative) -> Provenance:
    options = (
        joinedload(Adoption.source_school),
        joinedload(Adoption.initiative).joinedload(Initiative.goal).joinedload(Goal.strategy)
        .joinedload(Strategy.school).joinedload(School.cluster),
    )
    adoptions = list(db.session.scalars(
        sa.select(Adoption)
        .where(sa.or_(Adoption.initiative_id == initiative.id, Adoption.source_initiative_id == initiative.id))
        .options(*options)
        .order_by(Adoption.created_at)
    ))
    return Provenance(
        adopted_from=next((a for a in adoptions if a.initiative_id == initiative.id), None),
        adopted_by=[a for a in adoptions if a.source_initiative_id == initiative.id],
    )


def all_levels() -> list[ProfileLevel]:
    """The Learning Pipeline's levels: municipal first, then each school's local ones, each with its
    expectations (the reference pages and the administration's level list)."""
    return list(
        db.session.scalars(
            sa.select(ProfileLevel)
            .options(selectinload(ProfileLevel.expectations), joinedload(ProfileLevel.school))
            .order_by(ProfileLevel.school_id.is_not(None), ProfileLevel.position)
        )
    )


def policies() -> list[Policy]:
    """The municipality's policies with their political goals and the goals' themes."""
    return list(
        db.session.scalars(
            sa.select(Policy)
            .options(selectinload(Policy.goals).selectinload(PoliticalGoal.themes))
            .order_by(Policy.position)
        )
    )
