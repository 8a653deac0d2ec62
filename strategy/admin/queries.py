"""Reads the administration pages share. Every list loads its relations up front (no N+1)."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from strategy.extensions import db
from strategy.history import HistoryRow, history_rows
from strategy.models import (
    AuditEvent,
    Cluster,
    Expectation,
    ExpectationCategory,
    MunicipalActivity,
    Period,
    ProfileLevel,
    Role,
    School,
    Theme,
    User,
    consultant_school,
)


def schools() -> list[School]:
    return list(db.session.scalars(sa.select(School).order_by(School.name)))


def clusters() -> list[Cluster]:
    return list(db.session.scalars(sa.select(Cluster).order_by(Cluster.name)))


def themes() -> list[Theme]:
    return list(db.session.scalars(sa.select(Theme).order_by(Theme.position)))


def levels() -> list[ProfileLevel]:
    """Municipal levels first, then local ones, each with its school (for choice labels)."""
    return list(
        db.session.scalars(
            sa.select(ProfileLevel)
            .options(joinedload(ProfileLevel.school))
            .order_by(ProfileLevel.school_id.is_not(None), ProfileLevel.position)
        )
    )


def level_label(level: ProfileLevel) -> str:
    return f"{level.name} ({level.school.name})" if level.school else level.name


# --- users --------------------------------------------------------------------------------------


@dataclass
class UserFilter:
    query: str = ""
    role: str = ""
    school_id: int | None = None
    status: str = ""  # "", "active", "inactive"

    @property
    def active(self) -> bool:
        return bool(self.query or self.role or self.school_id or self.status)


def users(filters: UserFilter) -> list[User]:
    """Users matching the filters, by name.

    The text search runs in Python: an administration has a few hundred accounts, and SQLite's
    lower() does not fold Æ, Ø, Å, so a SQL search would behave differently per database.
    """
    query = (
        sa.select(User)
        .options(
            joinedload(User.school),
            selectinload(User.assigned_schools),
        )
        .where(User.anonymised_at.is_(None))
        .order_by(User.name, User.id)
    )
    if filters.role in {r.value for r in Role}:
        query = query.where(User.role == Role(filters.role))
    if filters.school_id:
        assigned = sa.select(consultant_school.c.user_id).where(consultant_school.c.school_id == filters.school_id)
        query = query.where(sa.or_(User.school_id == filters.school_id, User.id.in_(assigned)))
    if filters.status == "active":
        query = query.where(User.active.is_(True))
    elif filters.status == "inactive":
        query = query.where(User.active.is_(False))
    found = list(db.session.scalars(query))
    words = filters.query.casefold().split()
    if words:
        found = [u for u in found if all(w in f"{u.name} {u.email} {u.title}".casefold() for w in words)]
    return found


def users_of_school(school: School) -> list[User]:
    assigned = sa.select(consultant_school.c.user_id).where(consultant_school.c.school_id == school.id)
    return list(
        db.session.scalars(
            sa.select(User)
            .where(sa.or_(User.school_id == school.id, User.id.in_(assigned)), User.anonymised_at.is_(None))
            .order_by(User.role, User.name)
        )
    )


def user(user_id: int) -> User | None:
    return db.session.scalar(
        sa.select(User)
        .where(User.id == user_id)
        .options(joinedload(User.school), joinedload(User.profile_level), selectinload(User.assigned_schools))
    )


# --- schools ------------------------------------------------------------------------------------


def clusters_with_schools() -> tuple[list[Cluster], list[School]]:
    """Every cluster with its schools, and the schools in no cluster."""
    all_clusters = list(
        db.session.scalars(sa.select(Cluster).options(selectinload(Cluster.schools)).order_by(Cluster.name))
    )
    loose = list(db.session.scalars(sa.select(School).where(School.cluster_id.is_(None)).order_by(School.name)))
    return all_clusters, loose


# --- reference data -----------------------------------------------------------------------------


def periods() -> list[tuple[Period, int]]:
    """Periods, newest first, with their number of activities."""
    counts = (
        sa.select(MunicipalActivity.period_id, sa.func.count(MunicipalActivity.id).label("n"))
        .group_by(MunicipalActivity.period_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Period, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.period_id == Period.id)
        .order_by(Period.start_year.desc(), Period.end_year.desc())
    )
    return [(period, n) for period, n in rows]


def period(period_id: int) -> Period | None:
    return db.session.scalar(
        sa.select(Period)
        .where(Period.id == period_id)
        .options(selectinload(Period.activities).joinedload(MunicipalActivity.policy))
    )


def level(level_id: int) -> ProfileLevel | None:
    return db.session.scalar(
        sa.select(ProfileLevel)
        .where(ProfileLevel.id == level_id)
        .options(joinedload(ProfileLevel.school), selectinload(ProfileLevel.expectations))
    )


def in_category(level: ProfileLevel, category: ExpectationCategory) -> list[Expectation]:
    return sorted(level.expectations_in(category), key=lambda e: (e.position, e.id))


# --- audit history ------------------------------------------------------------------------------

HISTORY_PAGE_SIZE = 50


@dataclass
class HistoryFilter:
    actor_id: int | None = None
    object_type: str = ""
    object_id: int | None = None
    page: int = 1

    @property
    def active(self) -> bool:
        return bool(self.actor_id or self.object_type or self.object_id)


def history(user: User, filters: HistoryFilter) -> tuple[list[HistoryRow], bool]:
    """One page of audit events, newest first, and whether an older page exists. Events about
    what ``user`` may not read say only that something changed (strategy/history.py)."""
    clauses = []
    if filters.actor_id:
        clauses.append(AuditEvent.actor_id == filters.actor_id)
    if filters.object_type:
        clauses.append(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        clauses.append(AuditEvent.object_id == filters.object_id)
    offset = (max(filters.page, 1) - 1) * HISTORY_PAGE_SIZE
    rows = history_rows(user, sa.and_(sa.true(), *clauses), limit=HISTORY_PAGE_SIZE + 1, offset=offset)
    return rows[:HISTORY_PAGE_SIZE], len(rows) > HISTORY_PAGE_SIZE


def object_types() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)))


def actors() -> list[User]:
    """Everyone who appears as the actor of an event, for the history filter."""
    has_events = sa.select(AuditEvent.actor_id).where(AuditEvent.actor_id.is_not(None)).distinct()
    return list(db.session.scalars(sa.select(User).where(User.id.in_(has_events)).order_by(User.name)))


def recent_actions_of(viewer: User, user: User, limit: int = 10) -> list[HistoryRow]:
    return history_rows(viewer, AuditEvent.actor_id == user.id, limit=limit)
