"""Queries of the directorate's overview: the schools × political goals matrix, the signals that
need action, the per-political-goal view, Learning Pipeline coverage and the flat tables of the
exports and reports. The filters are in overview/filters.py, the rules of progress (which
initiative serves what, outcomes) in strategy/progress.py, the charts in strategy/charts.py.

Every function takes the user's school scope (``overview_school_ids``), which the route works
out once per request, and narrows it to the chosen cluster; the pages run a
fixed number of statements however many schools there are: aggregates are computed in SQL and
collections are loaded with flat joined queries (never per-row, never chunked IN lists).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from strategy.extensions import db
from strategy.models import (
    Agreement, Cluster, Conclusion, Evaluation, Expectation, ExpectationCategory, Goal, Initiative, Measurement,
    Period, PoliticalGoal, ProfileLevel, School, Status, Strategy, User, WatchlistEntry,
)
from strategy.cadence import Cadence, cadence_for_schools
from strategy.models.strategy import (
    MIN_PUPILS,
    goal_political_goal,
    initiative_expectation,
    initiative_political_goal,
    progress_of,
    roll_up,
)
from strategy.progress import (
    Cell,
    GoalOutcome,
    Scope,
    all_political_goals,
    cell_counts,
    goal_outcomes,
    initiative_clauses,
    initiatives_from,
    latest_evaluation_ids,
    school_clause,
    serves,
    serving_subquery,
)
from strategy.overview.filters import Filters, selected_columns
from strategy.permissions import SchoolScope, agreement_read_clause, indicator_read_clause


def roll_up_status(statuses: Iterable[Status]) -> Status | None:
    """The product's one roll-up rule (strategy.models.strategy.roll_up), as a bare status."""
    return roll_up(statuses).status


def rows(statement):
    """Run a column SELECT on the session's connection: plain rows, without the ORM's per-row work
    (thousands of rows for the exports)."""
    return db.session.connection().execute(statement)


def plain(labels: Mapping) -> dict:
    """Lazy labels translated once: a page that shows hundreds of them must not translate each."""
    return {key: str(value) for key, value in labels.items()}


# --- the schools in scope -------------------------------------------------------------------


def visible_schools(scope: SchoolScope, filters: Filters) -> list[School]:
    """The schools in the user's scope and the chosen cluster, by cluster then name."""
    query = (
        sa.select(School)
        .outerjoin(Cluster, School.cluster_id == Cluster.id)
        .options(joinedload(School.cluster))
        .where(school_clause(School.id, scope))
        .order_by(Cluster.name.is_(None), Cluster.name, School.name)
    )
    if filters.cluster_id is not None:
        query = query.where(School.cluster_id == filters.cluster_id)
    return list(db.session.scalars(query))


def scope_ids(scope: SchoolScope, filters: Filters) -> Scope:
    """The schools of the user's scope in the chosen cluster, for SQL."""
    if filters.cluster_id is None:
        return scope
    return sa.select(School.id).where(School.cluster_id == filters.cluster_id, school_clause(School.id, scope))


# --- which initiatives the filters select (strategy/progress.py decides which serve what) --------


def scope_clauses(filters: Filters, school_ids: Scope, *, level: bool = True, status: bool = True) -> list:
    """Active initiatives of active goals in the chosen period and schools (and level, status)."""
    return initiative_clauses(
        filters.period_id,
        school_ids,
        level_id=filters.level_id if level else None,
        status=filters.status if status else None,
    )


# --- the matrix ---------------------------------------------------------------------------------


@dataclass
class Row:
    school: School
    cells: list[Cell]
    has_strategy: bool
    last_activity_at: datetime | None
    stale: bool
    watched: bool

    @property
    def total(self) -> int:
        return sum(c.total for c in self.cells)


@dataclass
class ClusterGroup:
    cluster: Cluster | None
    rows: list[Row]


@dataclass
class Matrix:
    columns: list[PoliticalGoal]
    groups: list[ClusterGroup]
    stale_after_days: int

    @property
    def row_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    def column_totals(self) -> list[Cell]:
        totals = [Cell() for _ in self.columns]
        for group in self.groups:
            for row in group.rows:
                for total, cell in zip(totals, row.cells, strict=True):
                    for status, n in cell.counts.items():
                        total.counts[status] = total.counts.get(status, 0) + n
        return totals


def stale_cutoff(today: date | None = None) -> datetime:
    """Strategies not changed since this moment are flagged; judged by whole days (start of today)."""
    start = datetime.combine(today or date.today(), datetime.min.time(), UTC)
    return start - timedelta(days=current_app.config["STALE_AFTER_DAYS"])


def strategy_activity(period_id: int | None, school_ids: Scope) -> dict[int, datetime]:
    """{school_id: last_activity_at} of the strategies in the period."""
    found = rows(
        sa.select(Strategy.school_id, Strategy.last_activity_at).where(
            Strategy.period_id == (period_id if period_id is not None else -1), school_clause(Strategy.school_id, school_ids)
        )
    )
    return {key: value for key, value in found}


def watched_school_ids(school_ids: Scope) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(WatchlistEntry.school_id).where(
                WatchlistEntry.removed_at.is_(None), school_clause(WatchlistEntry.school_id, school_ids)
            )
        )
    )


def build_matrix(scope: SchoolScope, filters: Filters, goals: list[PoliticalGoal] | None = None) -> Matrix:
    columns = selected_columns(goals if goals is not None else all_political_goals(), filters)
    schools = visible_schools(scope, filters)
    ids = scope_ids(scope, filters)
    cells = cell_counts(scope_clauses(filters, ids), [c.id for c in columns])
    activity = strategy_activity(filters.period_id, ids)
    watched = watched_school_ids(ids)
    cutoff = stale_cutoff()

    groups: list[ClusterGroup] = []
    for school in schools:
        row_cells = [cells.get((school.id, c.id)) or Cell() for c in columns]
        if filters.narrows_initiatives and not any(c.total for c in row_cells):
            continue  # a level or status filter shows only the schools it matches
        last = activity.get(school.id)
        row = Row(
            school=school,
            cells=row_cells,
            has_strategy=school.id in activity,
            last_activity_at=last,
            stale=last is None or last < cutoff,
            watched=school.id in watched,
        )
        if not groups or groups[-1].cluster is not school.cluster:
            groups.append(ClusterGroup(school.cluster, []))
        groups[-1].rows.append(row)
    return Matrix(columns=columns, groups=groups, stale_after_days=current_app.config["STALE_AFTER_DAYS"])


def cell_initiatives(school: School, political_goal: PoliticalGoal, filters: Filters) -> list[Initiative]:
    """The initiatives behind one cell, with their goal and level."""
    query = (
        initiatives_from(sa.select(Initiative))
        .where(*scope_clauses(filters, {school.id}), serves(political_goal.id))
        .options(joinedload(Initiative.goal), joinedload(Initiative.owner_level))
        .order_by(Goal.position, Initiative.position, Initiative.id)
    )
    return list(db.session.scalars(query))


# --- signals ------------------------------------------------------------------------------------


@dataclass
class StaleSchool:
    school: School
    last_activity_at: datetime | None

    @property
    def days(self) -> int | None:
        if self.last_activity_at is None:
            return None
        return (datetime.now(UTC) - self.last_activity_at).days


@dataclass
class ActionEvaluation:
    school: School
    initiative: Initiative
    evaluation: Evaluation


@dataclass
class Signals:
    stale: list[StaleSchool]
    behind: list[tuple[School, Cadence]]
    overdue_agreements: list[tuple[School, int]]
    evaluations: list[ActionEvaluation]
    watchlist: list[WatchlistEntry]
    stale_after_days: int

    @property
    def count(self) -> int:
        return len(self.stale) + len(self.behind) + len(self.overdue_agreements) + len(self.evaluations)


def overdue_agreement_counts(user: User, school_ids: Scope, today: date) -> dict[int, int]:
    """Overdue agreements per school, counting only agreements the user may read."""
    found = rows(
        sa.select(Agreement.school_id, sa.func.count())
        .where(
            agreement_read_clause(user),
            school_clause(Agreement.school_id, school_ids),
            Agreement.done_at.is_(None),
            Agreement.due_on < today,
        )
        .group_by(Agreement.school_id)
    )
    return {key: value for key, value in found}


def evaluations_needing_action(filters: Filters, school_ids: Scope) -> list[tuple[int, Initiative, Evaluation]]:
    """Initiatives whose latest evaluation concludes "stop" or "justér" and has not been acted on."""
    clauses = scope_clauses(filters, school_ids, level=False, status=False)
    latest = latest_evaluation_ids(initiatives_from(sa.select(Initiative.id)).where(*clauses))
    query = (
        initiatives_from(sa.select(Strategy.school_id, Initiative, Evaluation))
        .join(Evaluation, Evaluation.initiative_id == Initiative.id)
        .where(
            *clauses,
            Evaluation.id.in_(latest),
            Evaluation.conclusion.in_([Conclusion.ADJUST, Conclusion.STOP]),
            Evaluation.acted_on_at.is_(None),
        )
        .options(joinedload(Initiative.goal))
        .order_by(Evaluation.evaluated_on, Evaluation.id)
    )
    return [(sid, i, e) for sid, i, e in db.session.execute(query)]


def active_watchlist(school_ids: Scope) -> list[WatchlistEntry]:
    return list(
        db.session.scalars(
            sa.select(WatchlistEntry)
            .join(School, WatchlistEntry.school_id == School.id)
            .where(WatchlistEntry.removed_at.is_(None), school_clause(WatchlistEntry.school_id, school_ids))
            .options(joinedload(WatchlistEntry.school), joinedload(WatchlistEntry.created_by))
            .order_by(School.name, WatchlistEntry.created_at)
        )
    )


def build_signals(user: User, scope: SchoolScope, filters: Filters, today: date | None = None) -> Signals:
    today = today or date.today()
    schools = visible_schools(scope, filters)
    by_id = {s.id: s for s in schools}
    ids = scope_ids(scope, filters)
    activity = strategy_activity(filters.period_id, ids)
    cutoff = stale_cutoff()
    stale = [StaleSchool(s, activity.get(s.id)) for s in schools if activity.get(s.id) is None or activity[s.id] < cutoff]
    stale.sort(key=lambda x: (x.last_activity_at is not None, x.last_activity_at or datetime.min.replace(tzinfo=UTC)))
    cadences = cadence_for_schools(by_id, today, user=user)
    behind = [(s, cadences[s.id]) for s in schools if s.id in cadences and cadences[s.id].behind]
    overdue = overdue_agreement_counts(user, ids, today)
    evaluations = [
        ActionEvaluation(by_id[sid], initiative, evaluation)
        for sid, initiative, evaluation in evaluations_needing_action(filters, ids)
    ]
    return Signals(
        stale=stale,
        behind=behind,
        overdue_agreements=[(s, overdue[s.id]) for s in schools if overdue.get(s.id)],
        evaluations=evaluations,
        watchlist=active_watchlist(ids),
        stale_after_days=current_app.config["STALE_AFTER_DAYS"],
    )


# --- one political goal across schools ---------------------------------------------------------


def _goal_columns(user: User):
    """The goal's columns; its indicator's only where ``indicator_read_clause`` lets the user see it."""
    visible = indicator_read_clause(user)

    def shown(column, hidden=None):
        return sa.case((visible, column), else_=hidden if hidden is not None else sa.null()).label(column.key)

    return (
        Goal.id, Goal.title, shown(Goal.indicator, sa.literal("")), shown(Goal.data_type), shown(Goal.unit, sa.literal("")),
        shown(Goal.baseline_value), shown(Goal.baseline_year), shown(Goal.target_value), shown(Goal.target_year),
        Strategy.school_id, School.name.label("school"), Cluster.name.label("cluster"),
    )


def _goals_from(select):
    return (
        select.select_from(Goal)
        .join(Strategy, Goal.strategy_id == Strategy.id)
        .join(School, Strategy.school_id == School.id)
        .outerjoin(Cluster, School.cluster_id == Cluster.id)
    )


def _goal_scope(filters: Filters, school_ids: Scope) -> list:
    return [
        Goal.archived_at.is_(None),
        Strategy.period_id == (filters.period_id if filters.period_id is not None else -1),
        school_clause(Strategy.school_id, school_ids),
    ]


def _measurements(user: User, goal_ids) -> dict[int, list[tuple[int, float]]]:
    """{goal_id: [(year, value), ...]} by year, for the goals selected whose indicator the user may
    see; a measurement of fewer than MIN_PUPILS pupils is never summed or drawn."""
    found: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for goal_id, year, value in rows(
        sa.select(Measurement.goal_id, Measurement.year, Measurement.value)
        .where(
            Measurement.goal_id.in_(goal_ids),
            Measurement.goal_id.in_(sa.select(Goal.id).where(indicator_read_clause(user))),
            sa.or_(Measurement.pupils.is_(None), Measurement.pupils >= MIN_PUPILS),
        )
        .order_by(Measurement.goal_id, Measurement.year)
    ):
        if value is not None:  # an old non-finite value (FiniteFloat) is left out
            found[goal_id].append((year, value))
    return found


@dataclass
class GoalEntry:
    """A school's goal that serves the political goal, with the initiatives that serve it."""

    goal: sa.Row  # the columns of _goal_columns()
    initiatives: list[sa.Row]  # id, goal_id, title, status
    measurements: list[tuple[int, float]]

    @cached_property
    def status(self) -> Status | None:
        return roll_up_status(i.status for i in self.initiatives)

    @property
    def latest(self) -> tuple[int, float] | None:
        return self.measurements[-1] if self.measurements else None

    @cached_property
    def progress(self) -> float | None:
        return progress_of(self.goal.baseline_value, self.goal.target_value, self.latest[1] if self.latest else None)


def political_goal_entries(
    user: User, scope: SchoolScope, political_goal: PoliticalGoal, filters: Filters
) -> list[GoalEntry]:
    """Every visible school's goals serving the political goal: directly, or through an initiative."""
    ids = scope_ids(scope, filters)
    pg = political_goal.id
    by_goal: dict[int, list[sa.Row]] = defaultdict(list)
    for row in rows(
        initiatives_from(sa.select(Initiative.id, Initiative.goal_id, Initiative.title, Initiative.status))
        .where(*scope_clauses(filters, ids), serves(pg))
        .order_by(Initiative.goal_id, Initiative.position, Initiative.id)
    ):
        by_goal[row.goal_id].append(row)

    direct = sa.select(goal_political_goal.c.goal_id).where(goal_political_goal.c.political_goal_id == pg)
    through = (
        sa.select(Initiative.goal_id)
        .join(initiative_political_goal, initiative_political_goal.c.initiative_id == Initiative.id)
        .where(initiative_political_goal.c.political_goal_id == pg, Initiative.archived_at.is_(None))
    )
    goal_where = [*_goal_scope(filters, ids), sa.or_(Goal.id.in_(direct), Goal.id.in_(through))]
    goals = rows(
        _goals_from(sa.select(*_goal_columns(user)))
        .where(*goal_where)
        .order_by(Cluster.name.is_(None), Cluster.name, School.name, Goal.position, Goal.id)
    ).all()
    measurements = _measurements(user, _goals_from(sa.select(Goal.id)).where(*goal_where))

    entries = []
    for goal in goals:
        serving = by_goal.get(goal.id, [])
        if filters.narrows_initiatives and not serving:
            continue
        entries.append(GoalEntry(goal, serving, measurements.get(goal.id, [])))
    return entries


def outcomes_for(user: User, scope: SchoolScope, filters: Filters) -> list[GoalOutcome]:
    """The outcomes behind the overview (strategy/progress.py): its period, the user's schools in
    the chosen cluster, the indicators the user may read."""
    return goal_outcomes(user, filters.period_id, scope_ids(scope, filters))


# --- Learning Pipeline coverage -----------------------------------------------------------------


@dataclass
class ExpectationCoverage:
    expectation: Expectation
    initiatives: int
    schools: int


@dataclass
class LevelCoverage:
    level: ProfileLevel
    categories: list[tuple[ExpectationCategory, list[ExpectationCoverage]]]

    @property
    def expectations(self) -> list[ExpectationCoverage]:
        return [c for _cat, items in self.categories for c in items]

    @property
    def uncovered(self) -> int:
        return sum(1 for c in self.expectations if c.initiatives == 0)


def pipeline_coverage(scope: SchoolScope, filters: Filters) -> list[LevelCoverage]:
    """Per level and expectation: how many initiatives (and schools) in scope exercise it."""
    ids = scope_ids(scope, filters)
    found = rows(
        initiatives_from(
            sa.select(
                initiative_expectation.c.expectation_id,
                sa.func.count(sa.distinct(Initiative.id)),
                sa.func.count(sa.distinct(Strategy.school_id)),
            )
        )
        .join(initiative_expectation, initiative_expectation.c.initiative_id == Initiative.id)
        .where(*scope_clauses(filters, ids, level=False))
        .group_by(initiative_expectation.c.expectation_id)
    )
    counts = {eid: (n, s) for eid, n, s in found}
    levels = db.session.scalars(
        sa.select(ProfileLevel)
        .where(
            sa.or_(ProfileLevel.school_id.is_(None), school_clause(ProfileLevel.school_id, ids)),
            sa.true() if filters.level_id is None else ProfileLevel.id == filters.level_id,
        )
        .options(selectinload(ProfileLevel.expectations), joinedload(ProfileLevel.school))
        .order_by(ProfileLevel.school_id.is_not(None), ProfileLevel.position)
    ).unique()
    coverage = []
    for level in levels:
        categories = []
        for category in ExpectationCategory:
            items = [
                ExpectationCoverage(e, *counts.get(e.id, (0, 0))) for e in level.expectations if e.category == category
            ]
            if items:
                categories.append((category, items))
        coverage.append(LevelCoverage(level, categories))
    return coverage


# --- flat tables for exports and reports ----------------------------------------------------------
#
# Plain column rows, not ORM objects: the whole municipality's goals and initiatives are
# thousands of rows, and building entities for them would cost more than the queries.


@dataclass
class InitiativeLine:
    row: sa.Row  # id, goal_id, title, responsible, start_date, end_date, status, status_changed_at, level, goal, school_id, school, cluster
    political_goals: list[PoliticalGoal]
    evaluation: sa.Row | None  # initiative_id, conclusion, evaluated_on, acted_on_at


@dataclass
class GoalLine:
    row: sa.Row  # the columns of _goal_columns()
    political_goals: list[PoliticalGoal]
    measurements: list[tuple[int, float]]
    statuses: list[Status]

    @cached_property
    def status(self) -> Status | None:
        return roll_up_status(self.statuses)

    @property
    def latest(self) -> tuple[int, float] | None:
        return self.measurements[-1] if self.measurements else None

    @property
    def target_reached(self) -> bool:
        g, latest = self.row, self.latest
        if latest is None or g.target_value is None or g.baseline_value is None:
            return False
        rising = g.target_value >= g.baseline_value
        return latest[1] >= g.target_value if rising else latest[1] <= g.target_value


@dataclass
class StrategyTables:
    period: Period | None
    goals: list[GoalLine]
    initiatives: list[InitiativeLine]

    def initiatives_of(self, goal_id: int) -> list[InitiativeLine]:
        return [line for line in self.initiatives if line.row.goal_id == goal_id]


def strategy_tables(
    user: User, filters: Filters, school_ids: Scope, political_goals: list[PoliticalGoal] | None = None
) -> StrategyTables:
    """Every goal and initiative in scope with its political goals, measurements and latest status.

    The theme/political-goal filters keep goals and initiatives serving the chosen political goals;
    the level/status filters keep initiatives (and the goals that still have one).
    """
    every_goal = {g.id: g for g in (political_goals if political_goals is not None else all_political_goals())}
    narrowed = filters.theme_id is not None or filters.political_goal_id is not None
    chosen = [g.id for g in selected_columns(list(every_goal.values()), filters)] if narrowed else None

    clauses = scope_clauses(filters, school_ids)
    serving = serving_subquery(clauses, chosen)
    if narrowed:
        clauses = [*clauses, Initiative.id.in_(sa.select(serving.c.initiative_id))]
    initiatives = rows(
        initiatives_from(
            sa.select(
                Initiative.id, Initiative.goal_id, Initiative.title, Initiative.responsible, Initiative.start_date,
                Initiative.end_date, Initiative.status, Initiative.status_changed_at, ProfileLevel.name.label("level"),
                Goal.title.label("goal"), Strategy.school_id, School.name.label("school"), Cluster.name.label("cluster"),
            )
        )
        .join(School, Strategy.school_id == School.id)
        .outerjoin(Cluster, School.cluster_id == Cluster.id)
        .outerjoin(ProfileLevel, Initiative.owner_level_id == ProfileLevel.id)
        .where(*clauses)
        .order_by(Cluster.name.is_(None), Cluster.name, School.name, Goal.position, Goal.id, Initiative.position, Initiative.id)
    ).all()
    initiative_ids = initiatives_from(sa.select(Initiative.id)).where(*clauses)
    pairs: dict[int, set[int]] = defaultdict(set)
    every_pair = serving_subquery(clauses)
    for initiative_id, pg_id in rows(sa.select(every_pair.c.initiative_id, every_pair.c.political_goal_id)):
        pairs[initiative_id].add(pg_id)
    evaluations = {
        row.initiative_id: row
        for row in rows(
            sa.select(Evaluation.initiative_id, Evaluation.conclusion, Evaluation.evaluated_on, Evaluation.acted_on_at).where(
                Evaluation.id.in_(latest_evaluation_ids(initiative_ids))
            )
        )
    }

    goal_where = _goal_scope(filters, school_ids)
    if filters.narrows_initiatives or narrowed:
        has_initiative = Goal.id.in_(initiatives_from(sa.select(Initiative.goal_id)).where(*clauses))
        if narrowed and not filters.narrows_initiatives:
            direct = sa.select(goal_political_goal.c.goal_id).where(goal_political_goal.c.political_goal_id.in_(chosen or [-1]))
            has_initiative = sa.or_(has_initiative, Goal.id.in_(direct))
        goal_where.append(has_initiative)
    goals = rows(
        _goals_from(sa.select(*_goal_columns(user)))
        .where(*goal_where)
        .order_by(Cluster.name.is_(None), Cluster.name, School.name, Goal.position, Goal.id)
    ).all()
    goal_ids = _goals_from(sa.select(Goal.id)).where(*goal_where)
    goal_links: dict[int, set[int]] = defaultdict(set)
    for goal_id, pg_id in rows(
        sa.select(goal_political_goal.c.goal_id, goal_political_goal.c.political_goal_id).where(
            goal_political_goal.c.goal_id.in_(goal_ids)
        )
    ):
        goal_links[goal_id].add(pg_id)
    measurements = _measurements(user, goal_ids)
    statuses: dict[int, list[Status]] = defaultdict(list)
    for row in initiatives:
        statuses[row.goal_id].append(row.status)

    known: dict[frozenset[int], list[PoliticalGoal]] = {}

    def ordered(pg_ids: set[int]) -> list[PoliticalGoal]:
        # Few distinct combinations across thousands of rows: sort each combination once.
        key = frozenset(pg_ids)
        if key not in known:
            known[key] = sorted((every_goal[i] for i in key), key=lambda g: g.position)
        return known[key]

    return StrategyTables(
        period=db.session.get(Period, filters.period_id) if filters.period_id is not None else None,
        goals=[GoalLine(g, ordered(goal_links[g.id]), measurements.get(g.id, []), statuses.get(g.id, [])) for g in goals],
        initiatives=[InitiativeLine(i, ordered(pairs[i.id]), evaluations.get(i.id)) for i in initiatives],
    )


# --- reports ------------------------------------------------------------------------------------


def strategy_for(school: School, period_id: int | None) -> Strategy | None:
    return db.session.scalar(
        sa.select(Strategy).where(Strategy.school_id == school.id, Strategy.period_id == (period_id or -1))
    )


def evaluations_in_year(school: School, year: int) -> list[Evaluation]:
    """The school's evaluations dated in ``year`` (any of its strategies), with their subject."""
    initiative_school = (
        sa.select(Initiative.id)
        .join(Goal, Initiative.goal_id == Goal.id)
        .join(Strategy, Goal.strategy_id == Strategy.id)
        .where(Strategy.school_id == school.id)
    )
    goal_school = sa.select(Goal.id).join(Strategy, Goal.strategy_id == Strategy.id).where(Strategy.school_id == school.id)
    return list(
        db.session.scalars(
            sa.select(Evaluation)
            .where(
                sa.or_(Evaluation.initiative_id.in_(initiative_school), Evaluation.goal_id.in_(goal_school)),
                Evaluation.evaluated_on >= date(year, 1, 1),
                Evaluation.evaluated_on <= date(year, 12, 31),
            )
            .options(joinedload(Evaluation.initiative).joinedload(Initiative.goal), joinedload(Evaluation.goal))
            .order_by(Evaluation.evaluated_on, Evaluation.id)
        )
    )


@dataclass
class PoliticalGoalSummary:
    political_goal: PoliticalGoal
    total: Cell
    schools_working: int
    schools_without: int
    challenged_schools: list[School]
    goals: int
    goals_on_target: int


def political_goal_summaries(user: User, scope: SchoolScope, filters: Filters) -> list[PoliticalGoalSummary]:
    """Municipality-wide figures per political goal for the Skoleudvalg report."""
    goals = all_political_goals()
    columns = selected_columns(goals, filters)
    schools = visible_schools(scope, filters)
    ids = scope_ids(scope, filters)
    cells = cell_counts(scope_clauses(filters, ids), [c.id for c in columns])
    tables = strategy_tables(user, filters, ids, goals)
    goals_per_pg: Counter[int] = Counter()
    on_target: Counter[int] = Counter()
    for line in tables.goals:
        for pg in line.political_goals:
            goals_per_pg[pg.id] += 1
            on_target[pg.id] += line.target_reached
    summaries = []
    for pg in columns:
        total = Cell()
        working = 0
        challenged = []
        for school in schools:
            cell = cells.get((school.id, pg.id))
            if not cell or not cell.total:
                continue
            working += 1
            if cell.status == Status.CHALLENGED:
                challenged.append(school)
            for status, n in cell.counts.items():
                total.counts[status] = total.counts.get(status, 0) + n
        summaries.append(
            PoliticalGoalSummary(pg, total, working, len(schools) - working, challenged, goals_per_pg[pg.id], on_target[pg.id])
        )
    return summaries
