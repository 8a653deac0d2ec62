"""Queries the follow-up pages share. Every list of notes, meetings or agreements is filtered
with the read clauses of strategy.permissions, so no page, count or fragment shows more than
``can(user, 'note.read', ...)`` would allow.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from strategy.extensions import db
from strategy.periods import current_period
from strategy.cadence import Cadence, cadence_for_schools, local_date
from strategy.followup.service import SchoolFacts, StatusChange, sort_by_attention
from strategy.models import (
    Agreement,
    Goal,
    Initiative,
    Meeting,
    MeetingState,
    Period,
    Role,
    School,
    SparringNote,
    Status,
    StatusUpdate,
    Strategy,
    Tool,
    User,
)
from strategy.permissions import (
    agreement_read_clause,
    followup_school_ids,
    scope_clause,
    meeting_read_clause,
    note_read_clause,
)

LATEST_STATUS_CHANGES = 3


def tool_help(key: str) -> dict[str, str]:
    """The descriptions of a Fælles om Ledelse tool's items by key: help texts of the forms."""
    found = tool(key)
    return {item.key: item.description for item in found.items} if found else {}


def tool(key: str) -> Tool | None:
    return db.session.scalar(sa.select(Tool).where(Tool.key == key).options(selectinload(Tool.items)))




def school_strategy(school_id: int) -> Strategy | None:
    """The school's strategy for the current period, else its latest one; goals and initiatives loaded."""
    options = (
        selectinload(Strategy.goals).selectinload(Goal.initiatives),
        selectinload(Strategy.period),
    )
    period = current_period()
    if period is not None:
        strategy = db.session.scalar(
            sa.select(Strategy).where(Strategy.school_id == school_id, Strategy.period_id == period.id)
            .options(*options)
        )
        if strategy is not None:
            return strategy
    return db.session.scalar(
        sa.select(Strategy).join(Strategy.period).where(Strategy.school_id == school_id)
        .order_by(Period.start_year.desc()).limit(1).options(*options)
    )


def school_leaders(school_id: int) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).where(User.role == Role.LEADER, User.school_id == school_id, User.active)
        .options(selectinload(User.profile_level))
        .order_by(User.name)
    ))


def possible_owners(school_id: int) -> list[User]:
    """Who can own an agreement: the school's leaders and the administration's people."""
    return list(db.session.scalars(
        sa.select(User).where(
            User.active,
            sa.or_(
                sa.and_(User.role == Role.LEADER, User.school_id == school_id),
                User.role.in_((Role.CONSULTANT, Role.DIRECTORATE, Role.ADMIN)),
            ),
        ).order_by(User.role != Role.LEADER, User.name)
    ))


# --- one school's follow-up ------------------------------------------------------------------


def school_notes(user: User, school_id: int) -> list[SparringNote]:
    return list(db.session.scalars(
        sa.select(SparringNote)
        .where(SparringNote.school_id == school_id, note_read_clause(user))
        .options(selectinload(SparringNote.author), selectinload(SparringNote.subject))
        .order_by(SparringNote.held_on.desc(), SparringNote.id.desc())
    ))


def school_meetings(user: User, school_id: int) -> list[Meeting]:
    return list(db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.school_id == school_id, meeting_read_clause(user))
        .options(selectinload(Meeting.organiser), selectinload(Meeting.subject))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    ))


def _agreement_options():
    return (
        selectinload(Agreement.owner),
        selectinload(Agreement.school),
        selectinload(Agreement.note),
        selectinload(Agreement.meeting),
    )


def _agreement_order():
    # open before done, then by due date with undated last (portable NULLS LAST)
    return (Agreement.done_at.is_not(None), Agreement.due_on.is_(None), Agreement.due_on, Agreement.id)


def school_agreements(user: User, school_id: int) -> list[Agreement]:
    return list(db.session.scalars(
        sa.select(Agreement)
        .where(Agreement.school_id == school_id, agreement_read_clause(user))
        .options(*_agreement_options())
        .order_by(*_agreement_order())
    ))


def my_open_agreements(user: User) -> list[Agreement]:
    """The signed-in user's own open agreements (as owner) that they may read."""
    return list(db.session.scalars(
        sa.select(Agreement)
        .where(Agreement.owner_id == user.id, Agreement.done_at.is_(None), agreement_read_clause(user))
        .options(*_agreement_options())
        .order_by(*_agreement_order())
    ))


def overdue_agreements(user: User, today: date, exclude_owner: bool = True) -> list[Agreement]:
    """Overdue agreements at the schools the user follows up (leader: own school), readable ones."""
    ids = followup_school_ids(user)
    query = sa.select(Agreement).where(
        Agreement.done_at.is_(None),
        Agreement.due_on < today,
        agreement_read_clause(user),
    )
    query = query.where(scope_clause(Agreement.school_id, ids))
    if exclude_owner:
        query = query.where(sa.or_(Agreement.owner_id.is_(None), Agreement.owner_id != user.id))
    return list(db.session.scalars(
        query.options(*_agreement_options()).order_by(Agreement.due_on, Agreement.id).limit(500)
    ))


# --- "Mine skoler" ---------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), UTC)


def school_facts(user: User, schools: list[School], today: date) -> list[SchoolFacts]:
    """Everything "Mine skoler" shows, in a fixed number of queries, sorted by attention."""
    ids = [s.id for s in schools]
    if not ids:
        return []
    cadences: dict[int, Cadence] = cadence_for_schools(ids, today, user=user)
    facts = {s.id: SchoolFacts(school=s, cadence=cadences[s.id]) for s in schools}

    last_note = db.session.execute(
        sa.select(SparringNote.school_id, sa.func.max(SparringNote.held_on))
        .where(SparringNote.school_id.in_(ids), note_read_clause(user))
        .group_by(SparringNote.school_id)
    )
    for school_id, held_on in last_note:
        facts[school_id].last_contact = held_on

    last_meeting = db.session.execute(
        sa.select(Meeting.school_id, sa.func.max(Meeting.starts_at))
        .where(Meeting.school_id.in_(ids), Meeting.state == MeetingState.HELD, meeting_read_clause(user))
        .group_by(Meeting.school_id)
    )
    for school_id, starts_at in last_meeting:
        if starts_at is not None:
            if starts_at.tzinfo is None:
                starts_at = starts_at.replace(tzinfo=UTC)
            held = local_date(starts_at)
            row = facts[school_id]
            if row.last_contact is None or held > row.last_contact:
                row.last_contact = held

    # The next planned conversation per school: earliest planned meeting from now on.
    nxt = (
        sa.select(
            Meeting.school_id, Meeting.starts_at, Meeting.meeting_type,
            sa.func.row_number().over(
                partition_by=Meeting.school_id, order_by=(Meeting.starts_at, Meeting.id)
            ).label("rn"),
        )
        .where(
            Meeting.school_id.in_(ids),
            Meeting.state == MeetingState.PLANNED,
            Meeting.starts_at >= _day_start(today),
            meeting_read_clause(user),
        )
        .subquery()
    )
    for school_id, starts_at, meeting_type, _ in db.session.execute(sa.select(nxt).where(nxt.c.rn == 1)):
        facts[school_id].next_meeting_at = starts_at
        facts[school_id].next_meeting_type = meeting_type

    counts = db.session.execute(
        sa.select(
            Agreement.school_id,
            sa.func.count(),
            sa.func.count().filter(Agreement.due_on < today),
        )
        .where(Agreement.school_id.in_(ids), Agreement.done_at.is_(None), agreement_read_clause(user))
        .group_by(Agreement.school_id)
    )
    for school_id, open_count, overdue_count in counts:
        facts[school_id].open_agreements = open_count
        facts[school_id].overdue_agreements = overdue_count

    period = current_period(today)
    challenged = (
        sa.select(Strategy.school_id, sa.func.count(Initiative.id))
        .join(Goal, Goal.strategy_id == Strategy.id)
        .join(Initiative, Initiative.goal_id == Goal.id)
        .where(
            Strategy.school_id.in_(ids),
            Initiative.status == Status.CHALLENGED,
            Initiative.archived_at.is_(None),
            Goal.archived_at.is_(None),
        )
        .group_by(Strategy.school_id)
    )
    if period is not None:
        challenged = challenged.where(Strategy.period_id == period.id)
    for school_id, count in db.session.execute(challenged):
        facts[school_id].challenged_initiatives = count

    changes = (
        sa.select(
            Strategy.school_id.label("school_id"),
            Initiative.id.label("initiative_id"),
            Initiative.title.label("title"),
            StatusUpdate.status.label("status"),
            StatusUpdate.created_at.label("changed_at"),
            sa.func.row_number().over(
                partition_by=Strategy.school_id,
                order_by=(StatusUpdate.created_at.desc(), StatusUpdate.id.desc()),
            ).label("rn"),
        )
        .join(Initiative, StatusUpdate.initiative_id == Initiative.id)
        .join(Goal, Initiative.goal_id == Goal.id)
        .join(Strategy, Goal.strategy_id == Strategy.id)
        .where(Strategy.school_id.in_(ids))
        .subquery()
    )
    rows = db.session.execute(
        sa.select(changes).where(changes.c.rn <= LATEST_STATUS_CHANGES).order_by(changes.c.school_id, changes.c.rn)
    )
    for row in rows:
        facts[row.school_id].status_changes.append(
            StatusChange(row.initiative_id, row.title, Status(row.status), row.changed_at)
        )
    return sort_by_attention(list(facts.values()), today)


# --- the Opfølgning page (cadence of all schools) ----------------------------------------------


def cadence_schools(user: User) -> list[School]:
    ids = followup_school_ids(user)
    query = sa.select(School).options(selectinload(School.cluster)).order_by(School.name)
    query = query.where(scope_clause(School.id, ids))
    return list(db.session.scalars(query))


def group_by_school(items) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for item in items:
        grouped[item.school_id].append(item)
    return grouped
