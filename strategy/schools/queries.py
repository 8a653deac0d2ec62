"""What the strategy pages read: periods, the schools' list, comments, timelines, history and
the forms' choices. A strategy, goal, initiative or evaluation with what its page shows is loaded
by strategy/loaders.py, which other features share.

Every page loads with a fixed number of queries, however many goals and initiatives a school
has: relationships the templates walk are eager-loaded here (selectinload), never lazily.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from strategy.extensions import db
from strategy.models import (
    AuditEvent, Comment, Conclusion, DataType, Evaluation, Expectation, Goal, Initiative, Period,
    Policy, ProfileLevel, School, Status, StatusUpdate, Strategy, User,
)
from strategy import labels
# Shared with other features, kept importable here for schools/routes.py:
from strategy.models.strategy import RollUp, roll_up
from strategy.permissions import SchoolScope, scope_clause

# --- labels (strategy/labels.py is their one home) -----------------------------------------------

STATUS_LABELS = labels.STATUS
DATA_TYPE_LABELS = labels.DATA_TYPE
CONCLUSION_LABELS = labels.CONCLUSION


def status_label(value) -> str:
    return labels.label_of(Status, value)


def data_type_label(value) -> str:
    return labels.label_of(DataType, value)


def conclusion_label(value) -> str:
    return labels.label_of(Conclusion, value)


# --- periods --------------------------------------------------------------------------------------


def period_by_key(key: str) -> Period | None:
    return db.session.scalar(sa.select(Period).where(Period.key == key))


def periods() -> list[Period]:
    return list(db.session.scalars(sa.select(Period).order_by(Period.start_year.desc(), Period.id.desc())))


def periods_to_start(strategies: list[Strategy], today: date | None = None) -> list[Period]:
    """The periods a school may start a strategy in, the soonest first: only periods that begin
    after the school's latest strategy (a new strategy carries the plan forward, never back);
    for a school without any, the periods that have not ended yet."""
    if strategies:
        after = max(s.period.start_year for s in strategies)
        where = Period.start_year > after
    else:
        where = Period.end_year >= (today or date.today()).year
    return list(db.session.scalars(sa.select(Period).where(where).order_by(Period.start_year, Period.id)))


# --- schools --------------------------------------------------------------------------------------


@dataclass
class SchoolRow:
    school: School
    goals: int = 0
    statuses: dict[Status, int] = field(default_factory=dict)
    last_activity_at: datetime | None = None
    has_strategy: bool = False

    @property
    def rollup(self) -> RollUp:
        return roll_up(s for s, n in self.statuses.items() for _ in range(n))


def school_rows(school_ids: SchoolScope, period: Period | None) -> list[tuple[str | None, list[SchoolRow]]]:
    """The schools of a scope grouped by cluster, with this period's state.

    Three queries however many schools: the schools, the goal counts, the initiative statuses.
    """
    query = sa.select(School).options(joinedload(School.cluster)).where(scope_clause(School.id, school_ids))
    rows = {s.id: SchoolRow(s) for s in db.session.scalars(query.order_by(School.name))}
    if period is not None and rows:
        strategies = db.session.execute(
            sa.select(Strategy.school_id, Strategy.last_activity_at, sa.func.count(Goal.id))
            .outerjoin(Goal, sa.and_(Goal.strategy_id == Strategy.id, Goal.archived_at.is_(None)))
            .where(Strategy.period_id == period.id, Strategy.school_id.in_(rows))
            .group_by(Strategy.school_id, Strategy.last_activity_at)
        )
        for school_id, last_activity_at, goals in strategies:
            row = rows[school_id]
            row.has_strategy, row.last_activity_at, row.goals = True, last_activity_at, goals
        statuses = db.session.execute(
            sa.select(Strategy.school_id, Initiative.status, sa.func.count(Initiative.id))
            .join(Goal, Goal.strategy_id == Strategy.id)
            .join(Initiative, Initiative.goal_id == Goal.id)
            .where(
                Strategy.period_id == period.id,
                Strategy.school_id.in_(rows),
                Goal.archived_at.is_(None),
                Initiative.archived_at.is_(None),
            )
            .group_by(Strategy.school_id, Initiative.status)
        )
        for school_id, status, count in statuses:
            rows[school_id].statuses[Status(status)] = count
    groups: dict[str | None, list[SchoolRow]] = {}
    for row in rows.values():
        groups.setdefault(row.school.cluster.name if row.school.cluster else None, []).append(row)
    # Named clusters alphabetically, schools without a cluster last.
    return sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or ""))


# --- a school's strategy --------------------------------------------------------------------------

def school_strategies(school_id: int) -> list[Strategy]:
    """All of a school's strategies, newest period first (for the period switcher)."""
    return list(
        db.session.scalars(
            sa.select(Strategy)
            .join(Period, Period.id == Strategy.period_id)
            .where(Strategy.school_id == school_id)
            .options(joinedload(Strategy.period))
            .order_by(Period.start_year.desc())
        )
    )


# --- comments and timelines -----------------------------------------------------------------------


def comments_on(*, goal_id: int | None = None, initiative_ids: Iterable[int] = ()) -> list[Comment]:
    """Comments on a goal and/or some initiatives, newest first, with their authors."""
    ids = list(initiative_ids)
    clauses = []
    if goal_id is not None:
        clauses.append(Comment.goal_id == goal_id)
    if ids:
        clauses.append(Comment.initiative_id.in_(ids))
    if not clauses:
        return []
    return list(
        db.session.scalars(
            sa.select(Comment)
            .where(sa.or_(*clauses))
            .options(joinedload(Comment.author))
            .order_by(Comment.created_at.desc(), Comment.id.desc())
        )
    )


@dataclass
class TimelineEntry:
    """One line of a goal's or initiative's timeline: a status, an evaluation or a comment."""

    kind: str  # "status" | "evaluation" | "comment"
    at: datetime
    author: User | None
    item: Any
    initiative: Initiative | None = None


def timeline(
    *,
    status_updates: Iterable[tuple[StatusUpdate, Initiative | None]] = (),
    evaluations: Iterable[tuple[Evaluation, Initiative | None]] = (),
    comments: Iterable[Comment] = (),
    initiatives_by_id: dict[int, Initiative] | None = None,
) -> list[TimelineEntry]:
    """Status updates, evaluations and comments merged, newest first."""
    initiatives_by_id = initiatives_by_id or {}
    entries = [TimelineEntry("status", u.created_at, u.author, u, i) for u, i in status_updates]
    entries += [TimelineEntry("evaluation", e.created_at, e.author, e, i) for e, i in evaluations]
    entries += [
        TimelineEntry("comment", c.created_at, c.author, c, initiatives_by_id.get(c.initiative_id))
        for c in comments
    ]
    entries.sort(key=lambda e: e.at, reverse=True)  # stable: ties keep their loaded order
    return entries


def initiative_timeline(initiative: Initiative, comments: list[Comment]) -> list[TimelineEntry]:
    return timeline(
        status_updates=[(u, None) for u in initiative.status_updates],
        evaluations=[(e, None) for e in initiative.evaluations],
        comments=comments,
    )


def goal_timeline(goal: Goal, comments: list[Comment]) -> list[TimelineEntry]:
    """The goal's own evaluations and comments, and its initiatives' statuses and comments."""
    initiatives = {i.id: i for i in goal.initiatives}
    return timeline(
        status_updates=[(u, i) for i in goal.initiatives for u in i.status_updates],
        evaluations=[(e, None) for e in goal.evaluations]
        + [(e, i) for i in goal.initiatives for e in i.evaluations],
        comments=comments,
        initiatives_by_id=initiatives,
    )


# --- audit history --------------------------------------------------------------------------------


def _history(obj: Goal | Initiative, evaluation_of, comment_of):
    """WHERE clause for the audit events of ``obj`` and of the evaluations and comments whose
    ``evaluation_of`` / ``comment_of`` column points at it."""
    return sa.or_(
        sa.and_(AuditEvent.object_type == type(obj).__name__, AuditEvent.object_id == obj.id),
        sa.and_(
            AuditEvent.object_type == "Evaluation",
            AuditEvent.object_id.in_(sa.select(Evaluation.id).where(evaluation_of == obj.id)),
        ),
        sa.and_(
            AuditEvent.object_type == "Comment",
            AuditEvent.object_id.in_(sa.select(Comment.id).where(comment_of == obj.id)),
        ),
    )


def goal_history(goal: Goal):
    """WHERE clause for the audit events of a goal and what hangs on it (evaluations, comments)."""
    return _history(goal, Evaluation.goal_id, Comment.goal_id)


def initiative_history(initiative: Initiative):
    """WHERE clause for the audit events of an initiative, its evaluations and comments."""
    return _history(initiative, Evaluation.initiative_id, Comment.initiative_id)


def latest_change(obj) -> AuditEvent | None:
    """The newest audit event of an object: who saved it last (shown on a conflict)."""
    return db.session.scalar(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == type(obj).__name__, AuditEvent.object_id == obj.id)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    )


# --- choices for forms ----------------------------------------------------------------------------


def policies_with_goals() -> list[Policy]:
    return list(
        db.session.scalars(
            sa.select(Policy).options(selectinload(Policy.goals)).order_by(Policy.position)
        )
    )


def levels_for_school(school_id: int) -> list[ProfileLevel]:
    """Learning Pipeline levels a school's initiative may use: the municipal ones and its own."""
    return list(
        db.session.scalars(
            sa.select(ProfileLevel)
            .where(sa.or_(ProfileLevel.school_id.is_(None), ProfileLevel.school_id == school_id))
            .options(selectinload(ProfileLevel.expectations))
            .order_by(ProfileLevel.school_id.is_not(None), ProfileLevel.position)
        )
    )


def search_expectations(levels: list[ProfileLevel], query: str, limit: int = 40) -> list[tuple[ProfileLevel, list[Expectation]]]:
    """Expectations containing every word of the query, or of a level whose name does.

    Matched in Python: a few hundred short texts, and SQLite's lower() does not fold æ, ø, å.
    """
    words = query.casefold().split()
    if not words:
        return []
    found, total = [], 0
    for level in levels:
        if all(w in level.name.casefold() for w in words):
            hits = list(level.expectations)
        else:
            hits = [e for e in level.expectations if all(w in e.text.casefold() for w in words)]
        hits = hits[: max(0, limit - total)]
        if hits:
            found.append((level, hits))
            total += len(hits)
    return found


def municipal_indicator_choices() -> list[tuple[int, str]]:
    """The fælles indikatorer a goal can link to (imports into them fill the goal's measurements)."""
    from strategy.models import MunicipalIndicator

    return [(i.id, i.name) for i in db.session.scalars(sa.select(MunicipalIndicator).order_by(MunicipalIndicator.name))]
