"""Who may see or change what: the permissions table of DESIGN.md, decided here and only here.

Routes and templates ask ``can(user, action, obj)``. List queries ask the scoping helpers at the
bottom (``readable_school_ids``, ``note_read_clause`` ...), which state the same rules as SQL so
that a list, a search, a count or an export can never show more than ``can`` would allow.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from strategy.models import (
    Agreement,
    Classification,
    Comment,
    Evaluation,
    Goal,
    Initiative,
    Meeting,
    DocumentKind,
    Role,
    School,
    SearchDocument,
    SparringNote,
    Strategy,
    User,
    Visibility,
    consultant_school,
)

ADMINISTRATION = (Role.ADMIN, Role.DIRECTORATE, Role.CONSULTANT)


def school_id_of(obj) -> int | None:
    """The school an object belongs to, for scoping."""
    match obj:
        case School():
            return obj.id
        case Strategy() | SparringNote() | Meeting() | Agreement():
            return obj.school_id
        case Goal():
            return obj.strategy.school_id
        case Initiative():
            return obj.goal.strategy.school_id
        case Evaluation():
            return school_id_of(obj.initiative or obj.goal)
        case Comment():
            # Comment has only the ids, no relationships.
            if obj.goal_id:
                return school_id_of(_get(Goal, obj.goal_id))
            return school_id_of(_get(Initiative, obj.initiative_id))
    return None


def _get(model, object_id):
    from strategy.extensions import db

    return db.session.get(model, object_id) if object_id is not None else None


def is_assigned(user: User, school_id: int | None) -> bool:
    return school_id is not None and any(s.id == school_id for s in user.assigned_schools)


def _own_school(user: User, obj) -> bool:
    return user.school_id is not None and user.school_id == school_id_of(obj)


# --- the rules, one function per action -------------------------------------------------------


def _reference_read(user, obj):
    return True


def _reference_edit(user, obj):
    return user.role in (Role.ADMIN, Role.DIRECTORATE)


def _strategy_read(user, obj):
    if user.role == Role.READER:
        return _own_school(user, obj)
    return True  # leaders read other schools' strategies for knowledge sharing


def _indicator_read(user, goal: Goal):
    """A goal's indicator and measurements, by the goal's classification (DESIGN.md)."""
    if not _strategy_read(user, goal):
        return False
    if goal.classification == Classification.CONFIDENTIAL:
        # Test results: only those who need them for their task (folkeskoleloven § 55 b).
        if user.role in (Role.ADMIN, Role.DIRECTORATE):
            return True
        if user.role == Role.CONSULTANT:
            return is_assigned(user, school_id_of(goal))
        return user.role == Role.LEADER and _own_school(user, goal)
    return True  # public and internal: every municipal role that reads the strategy


def _strategy_edit(user, obj):
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.LEADER and _own_school(user, obj)


def _strategy_comment(user, obj):
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return True
    return user.role == Role.CONSULTANT and is_assigned(user, school_id_of(obj))


def _followup_read(user, obj):
    """Open the follow-up page of a school (its notes and meetings, each filtered by note_read)."""
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return True
    if user.role == Role.CONSULTANT:
        return is_assigned(user, school_id_of(obj))
    return user.role == Role.LEADER and _own_school(user, obj)


def _followup_my_schools(user, obj):
    """"Mine skoler": a consultant's list of assigned schools."""
    return user.role == Role.CONSULTANT


def _followup_cadence(user, obj):
    """The Opfølgning page (1:1/LUS/GRUS cadence); its rows are scoped by followup_school_ids."""
    return user.role in (Role.ADMIN, Role.DIRECTORATE, Role.CONSULTANT)


def _note_create(user, obj):
    """obj is the school the note is about."""
    return user.role == Role.CONSULTANT and is_assigned(user, school_id_of(obj))


def _note_read(user, note: SparringNote):
    if note.author_id == user.id:
        return True
    if note.visibility == Visibility.DRAFT:
        return False
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return True
    if user.role == Role.CONSULTANT:
        return is_assigned(user, note.school_id)
    if user.role == Role.LEADER:
        return note.visibility == Visibility.SHARED and user.school_id == note.school_id
    return False


def _note_edit(user, note: SparringNote):
    return user.role == Role.CONSULTANT and note.author_id == user.id


def _meeting_create(user, obj):
    return user.role == Role.CONSULTANT and is_assigned(user, school_id_of(obj))


def _meeting_read(user, meeting: Meeting):
    if meeting.organiser_id == user.id:
        return True
    if meeting.visibility == Visibility.DRAFT:
        return False
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return True
    if user.role == Role.CONSULTANT:
        return is_assigned(user, meeting.school_id)
    if user.role == Role.LEADER:
        return meeting.visibility == Visibility.SHARED and user.school_id == meeting.school_id
    return False


def _meeting_edit(user, meeting: Meeting):
    # Editing implies reading: an assigned consultant may not edit another's draft meeting.
    return (
        user.role == Role.CONSULTANT
        and _meeting_read(user, meeting)
        and (meeting.organiser_id == user.id or is_assigned(user, meeting.school_id))
    )


def _agreement_read(user, agreement: Agreement):
    if agreement.note is not None:
        return _note_read(user, agreement.note)
    if agreement.meeting is not None:
        return _meeting_read(user, agreement.meeting)
    return False  # every agreement belongs to a note or a meeting


def _agreement_complete(user, agreement: Agreement):
    """Ticking an agreement off: its owner, its parent's editor, or a leader of the school."""
    if not _agreement_read(user, agreement):
        return False
    if agreement.owner_id == user.id:
        return True
    if agreement.note is not None and _note_edit(user, agreement.note):
        return True
    if agreement.meeting is not None and _meeting_edit(user, agreement.meeting):
        return True
    return user.role == Role.LEADER and user.school_id == agreement.school_id


def _reads_other_schools(user) -> bool:
    """Roles that read every school's strategy (DESIGN.md: leaders for knowledge sharing)."""
    return user.role in (Role.ADMIN, Role.DIRECTORATE, Role.CONSULTANT, Role.LEADER)


def _search_use(user, obj):
    """Every signed-in user searches; what they find is decided by search_read_clause."""
    return True


def _practices_read(user, school):
    """Practices from other schools for a school's goals: a leader for the own school, the
    administration for any school."""
    if not _reads_other_schools(user):
        return False
    if user.role == Role.LEADER:
        return _own_school(user, school)
    return True


def _practice_adopt(user, source: Initiative):
    """"Brug som inspiration": a leader takes another school's initiative into the own strategy."""
    return (
        user.role == Role.LEADER
        and user.school_id is not None
        and school_id_of(source) != user.school_id
        and _strategy_read(user, source)
    )


def _sharing_spread(user, obj):
    """How practices spread across clusters, per political goal (the directorate's view)."""
    return user.role in ADMINISTRATION


def _overview_read(user, obj):
    """obj is None for the page itself, or a school for one row or cell."""
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return True
    if obj is None:
        return user.role in (Role.CONSULTANT, Role.LEADER)
    if user.role == Role.CONSULTANT:
        return is_assigned(user, school_id_of(obj))
    return user.role == Role.LEADER and _own_school(user, obj)


def _watchlist_edit(user, obj):
    return user.role in (Role.ADMIN, Role.DIRECTORATE)


def _users_read(user, obj):
    return user.role in (Role.ADMIN, Role.DIRECTORATE)


def _users_edit(user, obj):
    return user.role == Role.ADMIN


def _audit_read(user, obj):
    """History of one object: whoever may read the object; None means the whole log (admin)."""
    if obj is None:
        return user.role == Role.ADMIN
    if isinstance(obj, SparringNote):
        return _note_read(user, obj)
    # The history of a meeting or agreement holds its text: the same rule as reading it.
    if isinstance(obj, Meeting):
        return _meeting_read(user, obj)
    if isinstance(obj, Agreement):
        return _agreement_read(user, obj)
    if isinstance(obj, User):
        return user.role == Role.ADMIN or obj.id == user.id
    return _strategy_read(user, obj)


RULES: dict[str, Callable[[User, object], bool]] = {
    "reference.read": _reference_read,
    "reference.edit": _reference_edit,
    "strategy.read": _strategy_read,
    "strategy.edit": _strategy_edit,
    "indicator.read": _indicator_read,
    "strategy.comment": _strategy_comment,
    "followup.read": _followup_read,
    "followup.my_schools": _followup_my_schools,
    "followup.cadence": _followup_cadence,
    "note.create": _note_create,
    "note.read": _note_read,
    "note.edit": _note_edit,
    "meeting.create": _meeting_create,
    "meeting.read": _meeting_read,
    "meeting.edit": _meeting_edit,
    "agreement.read": _agreement_read,
    "agreement.complete": _agreement_complete,
    "overview.read": _overview_read,
    "search.use": _search_use,
    "practices.read": _practices_read,
    "practice.adopt": _practice_adopt,
    "sharing.spread": _sharing_spread,
    "watchlist.edit": _watchlist_edit,
    "users.read": _users_read,
    "users.edit": _users_edit,
    "audit.read": _audit_read,
}


def can(user: User | None, action: str, obj=None) -> bool:
    if action not in RULES:
        raise KeyError(f"unknown permission {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return RULES[action](user, obj)


def require(action: str, obj=None) -> None:
    """Abort with 403 unless the signed-in user may do this."""
    if not can(current_user, action, obj):
        abort(403)


# --- the same rules as SQL, for lists, searches, counts and exports -------------------------


def assigned_school_ids(user: User) -> set[int]:
    return {s.id for s in user.assigned_schools}


def readable_school_ids(user: User) -> set[int] | None:
    """Schools whose strategy the user may read; None means every school."""
    if user.role == Role.READER:
        return {user.school_id} if user.school_id else set()
    return None


def overview_school_ids(user: User) -> set[int] | None:
    """Schools the user's overview and exports cover; None means every school."""
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return None
    if user.role == Role.CONSULTANT:
        return assigned_school_ids(user)
    if user.role == Role.LEADER and user.school_id:
        return {user.school_id}
    return set()


def followup_school_ids(user: User) -> set[int] | None:
    """Schools whose follow-up (notes, meetings, agreements) the user may list; None = all."""
    return overview_school_ids(user) if user.role != Role.READER else set()


def _visible_clause(model, author_column, user: User):
    own = author_column == user.id
    not_draft = model.visibility != Visibility.DRAFT
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return sa.or_(own, not_draft)
    if user.role == Role.CONSULTANT:
        assigned = model.school_id.in_(
            sa.select(consultant_school.c.school_id).where(consultant_school.c.user_id == user.id)
        )
        return sa.or_(own, sa.and_(not_draft, assigned))
    if user.role == Role.LEADER and user.school_id:
        return sa.or_(own, sa.and_(model.visibility == Visibility.SHARED, model.school_id == user.school_id))
    return own  # as in can(): an author always reads their own


def note_read_clause(user: User):
    """WHERE clause matching exactly the sparring notes ``can(user, 'note.read', note)`` allows."""
    return _visible_clause(SparringNote, SparringNote.author_id, user)


def meeting_read_clause(user: User):
    """WHERE clause matching exactly the meetings ``can(user, 'meeting.read', m)`` allows."""
    return _visible_clause(Meeting, Meeting.organiser_id, user)


def agreement_read_clause(user: User):
    """WHERE clause for agreements: visible exactly when their note or meeting is."""
    note_ok = Agreement.note_id.in_(sa.select(SparringNote.id).where(note_read_clause(user)))
    meeting_ok = Agreement.meeting_id.in_(sa.select(Meeting.id).where(meeting_read_clause(user)))
    return sa.or_(note_ok, meeting_ok)


def indicator_read_clause(user: User):
    """WHERE clause on Goal for the indicators ``can(user, 'indicator.read', goal)`` allows:
    confidential ones only where the user needs them for their task."""
    not_confidential = Goal.classification != Classification.CONFIDENTIAL
    school = sa.select(Strategy.school_id).where(Strategy.id == Goal.strategy_id).scalar_subquery()
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return sa.true()
    if user.role == Role.CONSULTANT:
        assigned = sa.select(consultant_school.c.school_id).where(consultant_school.c.user_id == user.id)
        return sa.or_(not_confidential, school.in_(assigned))
    if user.role == Role.LEADER and user.school_id:
        return sa.or_(not_confidential, school == user.school_id)
    if user.role == Role.READER and user.school_id:
        return sa.and_(not_confidential, school == user.school_id)
    return sa.false()


def strategy_read_clause(user: User, school_column):
    """WHERE clause on a school id column: the schools whose strategy ``user`` may read."""
    schools = readable_school_ids(user)
    if schools is None:
        return sa.true()
    return school_column.in_(sorted(schools)) if schools else sa.false()


STRATEGY_DOCUMENTS = (DocumentKind.GOAL, DocumentKind.INITIATIVE, DocumentKind.EVALUATION)
REFERENCE_DOCUMENTS = (DocumentKind.POLITICAL_GOAL, DocumentKind.ACTIVITY, DocumentKind.EXPECTATION, DocumentKind.TOOL)


def search_read_clause(user: User):
    """WHERE clause on SearchDocument: exactly the documents whose object ``user`` may read.

    Each kind is guarded by the read rule of its object, as SQL: the strategy's schools, the
    indicator's classification, the note's and meeting's visibility. A document outside it is
    not found, not counted and not suggested."""
    doc = SearchDocument
    return sa.or_(
        doc.kind.in_([k.value for k in REFERENCE_DOCUMENTS]),
        sa.and_(doc.kind.in_([k.value for k in STRATEGY_DOCUMENTS]), strategy_read_clause(user, doc.school_id)),
        sa.and_(
            doc.kind == DocumentKind.INDICATOR.value,
            strategy_read_clause(user, doc.school_id),
            doc.object_id.in_(sa.select(Goal.id).where(indicator_read_clause(user))),
        ),
        sa.and_(doc.kind == DocumentKind.NOTE.value,
                doc.object_id.in_(sa.select(SparringNote.id).where(note_read_clause(user)))),
        sa.and_(doc.kind == DocumentKind.MEETING.value,
                doc.object_id.in_(sa.select(Meeting.id).where(meeting_read_clause(user)))),
    )
