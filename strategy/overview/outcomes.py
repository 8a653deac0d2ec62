"""Outcomes across schools: how far the goals' indicators have come towards their targets.

The matrix shows the state of the initiatives (activity); this module adds the outcome. For a
goal with a baseline and a target, *progress* is ``(latest − baseline) / (target − baseline)``:
0 at the baseline, 1 (100 %) at the target, negative when the latest measurement moved away from
it, above 1 beyond it. The *direction* compares the latest measurement with the one before (or
with the baseline when there is only one): better when it moved towards the target.

A school × political goal cell holds the goals of that school that serve the political goal
(linked directly, or through one of their active initiatives); its progress is the mean of its
measured goals' progress. The municipal view per political goal pools every school's goals and
lists the schools by their progress.

Which indicators count is decided in SQL by ``indicator_read_clause(user)``: Fortrolig indicators
only for the roles that may read them; ``public_only`` narrows further to the Offentlig ones
(the views for the school board and the Skoleudvalg, whoever looks at them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import Classification, Cluster, Goal, Initiative, Measurement, PoliticalGoal, School, Strategy, User
from strategy.models.strategy import goal_political_goal, initiative_political_goal
from strategy.models.strategy import progress_of
from strategy.permissions import SchoolScope, indicator_read_clause, scope_clause

# The schools: a permission scope (ALL_SCHOOLS or a set of ids) or a SELECT of school ids.
Scope = SchoolScope | sa.Select


def _scope(column, school_ids: Scope):
    if isinstance(school_ids, sa.Select):
        return column.in_(school_ids)
    return scope_clause(column, school_ids)


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
        _scope(Strategy.school_id, school_ids),
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


# --- for the overview's pages and the xlsx export ---------------------------------------------


def for_overview(user: User, filters) -> list[GoalOutcome]:
    """The outcomes behind the directorate's overview: its period, the user's schools in the
    chosen cluster, the indicators the user may read."""
    from strategy.overview import queries

    return goal_outcomes(user, filters.period_id, queries.scope_ids(user, filters))


def export_tables(user: User, filters, political_goals: list[PoliticalGoal]) -> list:
    """Two sheets: progress per school × political goal, and per political goal the municipality
    followed by the schools by progress. Percentages as numbers (0.4 = 40 %)."""
    from flask_babel import gettext as _

    from strategy.overview import queries
    from strategy.overview.exports import Table

    columns = queries.selected_columns(political_goals, filters)
    found = for_overview(user, filters)
    cells = outcome_cells(found)
    schools = queries.visible_schools(user, filters)

    def share(value: float | None):
        return round(value, 4) if value is not None else None

    headers = [_("Klynge"), _("Skole")]
    for pg in columns:
        label = queries.short_label(pg, 30)
        headers += [f"{label} – {_('nået af vejen')}", f"{label} – {_('mål')}", f"{label} – {_('bedre')}",
                    f"{label} – {_('dårligere')}"]
    rows = []
    for school in schools:
        values = [school.cluster.name if school.cluster else "", school.name]
        for pg in columns:
            cell = cells.get((school.id, pg.id)) or OutcomeCell()
            values += [share(cell.progress), len(cell.outcomes), cell.count("better"), cell.count("worse")]
        rows.append(values)
    matrix = Table("resultater", _("Resultater"), headers, rows, [18, 28] + [16, 8, 8, 8] * len(columns))

    per_goal_rows = []
    for item in municipal_outcomes(found, columns):
        per_goal_rows.append([item.political_goal.text, _("Hele kommunen"), "", share(item.total.progress),
                              len(item.total.outcomes), item.total.reached])
        for school in item.schools:
            per_goal_rows.append([item.political_goal.text, school.school, school.cluster or "",
                                  share(school.cell.progress), len(school.cell.outcomes), school.cell.reached])
    per_goal = Table(
        "resultater-pr-maal", _("Resultater pr. politisk mål"),
        [_("Politisk mål"), _("Skole"), _("Klynge"), _("Nået af vejen"), _("Mål"), _("Nået")],
        per_goal_rows, [40, 28, 18, 14, 8, 8],
    )
    return [matrix, per_goal]
