"""Progress towards the political goals, across schools: the one home of these rules for every
feature (the directorate's overview, the Skoleudvalg's view).

*Activity* is the state of the initiatives. An initiative serves its own political goals and
those of its goal; a school × political goal ``Cell`` counts the active initiatives that serve
it per status, and rolls them up by the product's one rule (``strategy.models.strategy.roll_up``).
An initiative's latest evaluation is the one evaluated last (ties: the one written last).

*Outcome* is how far the goals' indicators have come towards their targets. For a goal with a
baseline and a target, *progress* is ``(latest − baseline) / (target − baseline)``: 0 at the
baseline, 1 (100 %) at the target, negative when the latest measurement moved away from it,
above 1 beyond it. The *direction* compares the latest measurement with the one before (or with
the baseline when there is only one): better when it moved towards the target.

A school × political goal outcome cell holds the goals of that school that serve the political
goal (linked directly, or through one of their active initiatives); its progress is the mean of
its measured goals' progress. The municipal view per political goal pools every school's goals
and lists the schools by their progress.

Which indicators count is decided in SQL by ``indicator_read_clause(user)``: Fortrolig indicators
only for the roles that may read them; ``public_only`` narrows further to the Offentlig ones
(the views for the school board and the Skoleudvalg, whoever looks at them).

Every function takes the schools it covers as a ``Scope``, worked out by the caller.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from strategy.extensions import db
from strategy.models import (
    Classification, Cluster, Evaluation, Goal, Initiative, Measurement, PoliticalGoal, School, Status, Strategy, User,
)
from strategy.models.strategy import goal_political_goal, initiative_political_goal, progress_of, roll_up
from strategy.permissions import SchoolScope, indicator_read_clause, scope_clause

# The schools a query covers: a permission scope (ALL_SCHOOLS or a set of ids) or a SELECT of ids.
Scope = SchoolScope | sa.Select


def school_clause(column, school_ids: Scope):
    """WHERE clause for a school id column: a permission scope, or a subquery of school ids."""
    if isinstance(school_ids, sa.Select):
        return column.in_(school_ids)
    return scope_clause(column, school_ids)


def all_political_goals() -> list[PoliticalGoal]:
    """The political goals in their order, with their themes."""
    return list(
        db.session.scalars(
            sa.select(PoliticalGoal).options(selectinload(PoliticalGoal.themes)).order_by(PoliticalGoal.position)
        )
    )


# --- activity: which initiatives serve which political goal ----------------------------------------
#
# The scoped filters go into both branches of the union, so the database only ever joins the
# period's initiatives.


@dataclass
class Cell:
    """The initiatives of one school that serve one political goal, counted per status."""

    counts: dict[Status, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @cached_property
    def status(self) -> Status | None:
        return roll_up(s for s, n in self.counts.items() for _ in range(n)).status

    def breakdown(self) -> list[tuple[Status, int]]:
        """Counts in the order of the status list, without zeros."""
        return [(s, self.counts[s]) for s in Status if self.counts.get(s)]

    def breakdown_text(self, labels: Mapping[Status, str]) -> str:
        """ "2 På rette spor, 1 Udfordret" """
        return ", ".join(f"{n} {labels[s]}" for s, n in self.breakdown())


def initiatives_from(select):
    """``select`` from the initiatives joined to their goal and strategy."""
    return select.select_from(Initiative).join(Goal, Initiative.goal_id == Goal.id).join(
        Strategy, Goal.strategy_id == Strategy.id
    )


def initiative_clauses(
    period_id: int | None, school_ids: Scope, *, level_id: int | None = None, status: Status | None = None
) -> list:
    """Active initiatives of active goals in the period and schools (and owner level, status)."""
    clauses = [
        Strategy.period_id == (period_id if period_id is not None else -1),
        Initiative.archived_at.is_(None),
        Goal.archived_at.is_(None),
        school_clause(Strategy.school_id, school_ids),
    ]
    if level_id is not None:
        clauses.append(Initiative.owner_level_id == level_id)
    if status is not None:
        clauses.append(Initiative.status == status)
    return clauses


def serving_subquery(clauses: list, political_goal_ids: list[int] | None = None):
    """(initiative_id, school_id, status, political_goal_id) for every political goal served."""
    branches = []
    for link, on in (
        (initiative_political_goal, initiative_political_goal.c.initiative_id == Initiative.id),
        (goal_political_goal, goal_political_goal.c.goal_id == Goal.id),
    ):
        branch = initiatives_from(
            sa.select(
                Initiative.id.label("initiative_id"),
                Strategy.school_id.label("school_id"),
                Initiative.status.label("status"),
                link.c.political_goal_id.label("political_goal_id"),
            )
        ).join(link, on).where(*clauses)
        if political_goal_ids is not None:
            branch = branch.where(link.c.political_goal_id.in_(political_goal_ids or [-1]))
        branches.append(branch)
    return sa.union(*branches).subquery("serves")


def serves(political_goal_id: int):
    """WHERE clause: the initiative serves this one political goal (itself or through its goal)."""
    return sa.or_(
        Initiative.id.in_(
            sa.select(initiative_political_goal.c.initiative_id).where(
                initiative_political_goal.c.political_goal_id == political_goal_id
            )
        ),
        Initiative.goal_id.in_(
            sa.select(goal_political_goal.c.goal_id).where(goal_political_goal.c.political_goal_id == political_goal_id)
        ),
    )


def cell_counts(clauses: list, column_ids: list[int]) -> dict[tuple[int, int], Cell]:
    """{(school_id, political_goal_id): Cell} of the initiatives ``clauses`` select
    (``initiative_clauses``), in one grouped statement."""
    serving = serving_subquery(clauses, column_ids)
    query = sa.select(serving.c.school_id, serving.c.political_goal_id, serving.c.status, sa.func.count()).group_by(
        serving.c.school_id, serving.c.political_goal_id, serving.c.status
    )
    cells: dict[tuple[int, int], Cell] = defaultdict(Cell)
    for school_id, goal_id, status, n in db.session.connection().execute(query):
        cells[(school_id, goal_id)].counts[Status(status)] = n
    return cells


def latest_evaluation_ids(initiative_ids):
    """SELECT of the id of each initiative's latest evaluation, for the initiatives given (a list
    or a SELECT of ids)."""
    ranked = (
        sa.select(
            Evaluation.id.label("evaluation_id"),
            sa.func.row_number()
            .over(partition_by=Evaluation.initiative_id, order_by=(Evaluation.evaluated_on.desc(), Evaluation.id.desc()))
            .label("rank"),
        )
        .where(Evaluation.initiative_id.in_(initiative_ids))
        .subquery()
    )
    return sa.select(ranked.c.evaluation_id).where(ranked.c.rank == 1)


# --- outcome: the indicators' progress towards their targets ----------------------------------------


@dataclass
class GoalOutcome:
    goal_id: int
    title: str
    indicator: str
    unit: str
    classification: Classification
    school_id: int
    school: str
    cluster: str | None
    baseline: float
    baseline_year: int | None
    target: float
    target_year: int | None
    measurements: list[tuple[int, float]]
    political_goal_ids: set[int] = field(default_factory=set)

    @property
    def latest(self) -> tuple[int, float] | None:
        return self.measurements[-1] if self.measurements else None

    @property
    def progress(self) -> float | None:
        return progress_of(self.baseline, self.target, self.latest[1] if self.latest else None)

    @property
    def direction(self) -> str | None:
        """"better", "worse" or "same" since the measurement before (or the baseline); None unmeasured."""
        if not self.measurements:
            return None
        before = self.measurements[-2][1] if len(self.measurements) > 1 else self.baseline
        change = (self.measurements[-1][1] - before) * (1 if self.target >= self.baseline else -1)
        if change > 0:
            return "better"
        if change < 0:
            return "worse"
        return "same"

    @property
    def reached(self) -> bool:
        return self.progress is not None and self.progress >= 1


@dataclass
class OutcomeCell:
    """The outcomes of a set of goals (one school × political goal, or a whole political goal)."""

    outcomes: list[GoalOutcome] = field(default_factory=list)

    @property
    def measured(self) -> list[GoalOutcome]:
        return [o for o in self.outcomes if o.progress is not None]

    @property
    def progress(self) -> float | None:
        measured = self.measured
        return sum(o.progress for o in measured) / len(measured) if measured else None

    @property
    def percent(self) -> int | None:
        return None if self.progress is None else round(self.progress * 100)

    def count(self, direction: str) -> int:
        return sum(1 for o in self.outcomes if o.direction == direction)

    @property
    def reached(self) -> int:
        return sum(1 for o in self.outcomes if o.reached)


def goal_outcomes(user: User, period_id: int | None, school_ids: Scope, *, public_only: bool = False) -> list[GoalOutcome]:
    """Every active goal with a baseline and a target in the period and schools, whose indicator
    the user may read; with its measurements and the political goals it serves. Three queries."""
    readable = indicator_read_clause(user)
    if public_only:
        readable = sa.and_(readable, Goal.classification == Classification.PUBLIC)
    where = [
        Goal.archived_at.is_(None),
        Goal.baseline_value.is_not(None),
        Goal.target_value.is_not(None),
        Strategy.period_id == (period_id if period_id is not None else -1),
        school_clause(Strategy.school_id, school_ids),
        readable,
    ]
    base = (
        sa.select(
            Goal.id, Goal.title, Goal.indicator, Goal.unit, Goal.classification, Goal.baseline_value,
            Goal.baseline_year, Goal.target_value, Goal.target_year, Strategy.school_id,
            School.name.label("school"), Cluster.name.label("cluster"),
        )
        .select_from(Goal)
        .join(Strategy, Goal.strategy_id == Strategy.id)
        .join(School, Strategy.school_id == School.id)
        .outerjoin(Cluster, School.cluster_id == Cluster.id)
        .where(*where)
        .order_by(Cluster.name.is_(None), Cluster.name, School.name, Goal.position, Goal.id)
    )
    goals = db.session.execute(base).all()
    if not goals:
        return []
    goal_ids = sa.select(Goal.id).join(Strategy, Goal.strategy_id == Strategy.id).where(*where)
    measurements: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for goal_id, year, value in db.session.execute(
        sa.select(Measurement.goal_id, Measurement.year, Measurement.value)
        .where(Measurement.goal_id.in_(goal_ids))
        .order_by(Measurement.goal_id, Measurement.year)
    ):
        measurements[goal_id].append((year, value))
    links: dict[int, set[int]] = defaultdict(set)
    direct = sa.select(goal_political_goal.c.goal_id, goal_political_goal.c.political_goal_id).where(
        goal_political_goal.c.goal_id.in_(goal_ids)
    )
    through = (
        sa.select(Initiative.goal_id, initiative_political_goal.c.political_goal_id)
        .join(initiative_political_goal, initiative_political_goal.c.initiative_id == Initiative.id)
        .where(Initiative.goal_id.in_(goal_ids), Initiative.archived_at.is_(None))
    )
    for goal_id, pg_id in db.session.execute(sa.union(direct, through)):
        links[goal_id].add(pg_id)
    return [
        GoalOutcome(
            goal_id=g.id, title=g.title, indicator=g.indicator, unit=g.unit, classification=g.classification,
            school_id=g.school_id, school=g.school, cluster=g.cluster, baseline=g.baseline_value,
            baseline_year=g.baseline_year, target=g.target_value, target_year=g.target_year,
            measurements=measurements.get(g.id, []), political_goal_ids=links.get(g.id, set()),
        )
        for g in goals
    ]


def outcome_cells(outcomes: list[GoalOutcome]) -> dict[tuple[int, int], OutcomeCell]:
    """{(school_id, political_goal_id): OutcomeCell}."""
    cells: dict[tuple[int, int], OutcomeCell] = defaultdict(OutcomeCell)
    for outcome in outcomes:
        for pg_id in outcome.political_goal_ids:
            cells[(outcome.school_id, pg_id)].outcomes.append(outcome)
    return dict(cells)


@dataclass
class SchoolOutcome:
    school_id: int
    school: str
    cluster: str | None
    cell: OutcomeCell


@dataclass
class ClusterOutcome:
    cluster: str | None
    cell: OutcomeCell
    schools: list[SchoolOutcome]


@dataclass
class PoliticalGoalOutcome:
    political_goal: PoliticalGoal
    total: OutcomeCell  # the whole municipality (the schools in scope)
    schools: list[SchoolOutcome]  # by progress, best first; unmeasured last

    def clusters(self) -> list[ClusterOutcome]:
        """Per cluster (by name, schools without a cluster last), each with its schools by progress."""
        grouped: dict[str | None, list[SchoolOutcome]] = defaultdict(list)
        for school in self.schools:
            grouped[school.cluster].append(school)
        order = sorted(grouped, key=lambda name: (name is None, name or ""))
        return [
            ClusterOutcome(name, OutcomeCell([o for s in grouped[name] for o in s.cell.outcomes]), grouped[name])
            for name in order
        ]


def _by_progress(school: SchoolOutcome):
    progress = school.cell.progress
    return (progress is None, -(progress or 0), school.school)


def municipal_outcomes(outcomes: list[GoalOutcome], political_goals: list[PoliticalGoal]) -> list[PoliticalGoalOutcome]:
    """Per political goal: the municipality's outcome and the schools listed by progress."""
    cells = outcome_cells(outcomes)
    names = {o.school_id: (o.school, o.cluster) for o in outcomes}
    result = []
    for pg in political_goals:
        schools = [
            SchoolOutcome(school_id, *names[school_id], cell)
            for (school_id, pg_id), cell in cells.items()
            if pg_id == pg.id
        ]
        schools.sort(key=_by_progress)
        total = OutcomeCell([o for o in outcomes if pg.id in o.political_goal_ids])
        result.append(PoliticalGoalOutcome(pg, total, schools))
    return result
