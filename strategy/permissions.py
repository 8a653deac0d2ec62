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
    MeetingType,
    OUTSIDE_ROLES,
    Role,
    SchoolDevelopmentConversation,
    School,
    SearchDocument,
    SparringNote,
    Strategy,
    User,
    Visibility,
    api_client_school,
    consultant_school,
)

ADMINISTRATION = (Role.ADMIN, Role.DIRECTORATE, Role.CONSULTANT)


def school_id_of(obj) -> int | None:
    """The school an object belongs to, for scoping."""
    match obj:
        case School():
            return obj.id
        case Strategy() | SparringNote() | Meeting() | Agreement() | SchoolDevelopmentConversation():
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
    """The working strategy pages (with comments, history, edit controls)."""
    if user.role == Role.READER:
        return _own_school(user, obj)
    if user.role in OUTSIDE_ROLES:
        return False  # the board and the committee have views of their own, without working detail
    return True  # leaders read other schools' strategies for knowledge sharing


def _indicator_read(user, goal: Goal):
    """A goal's indicator and measurements, by the goal's classification (DESIGN.md)."""
    return indicator_visible(user, school_id_of(goal), goal.classification)


def indicator_visible(user: User, school_id: int | None, classification) -> bool:
    """The rule of "indicator.read" for an indicator known only by its school and classification
    (a snapshot's frozen goal, an API row): the one place the levels are decided."""
    classification = Classification(classification)
    if user.role in OUTSIDE_ROLES:
        # "public (may reach the board, the committee, print and API)": only PUBLIC, never
        # internal or confidential; a board member only for the own school.
        if classification != Classification.PUBLIC:
            return False
        return user.role == Role.COMMITTEE or (user.school_id is not None and user.school_id == school_id)
    if user.role == Role.READER and not (user.school_id is not None and user.school_id == school_id):
        return False
    if classification == Classification.CONFIDENTIAL:
        # Test results: only those who need them for their task (folkeskoleloven § 55 b).
        if user.role in (Role.ADMIN, Role.DIRECTORATE):
            return True
        if user.role == Role.CONSULTANT:
            return is_assigned(user, school_id)
        return user.role == Role.LEADER and user.school_id is not None and user.school_id == school_id
    return True  # public and internal: every municipal role that reads the strategy


def _import_create(user, obj):
    """The measurement import wizard. obj is None (the wizard itself) or the school imported into."""
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return True
    if user.role != Role.LEADER or user.school_id is None:
        return False
    return obj is None or school_id_of(obj) == user.school_id


def _api_keys_manage(user, obj):
    return user.role == Role.ADMIN


def _strategy_edit(user, obj):
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.LEADER and _own_school(user, obj)


def _strategy_comment(user, obj):
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return True
    return user.role == Role.CONSULTANT and is_assigned(user, school_id_of(obj))


def _school_staff(user, obj) -> bool:
    """The administration, the directorate, the school's own consultant and its own leader."""
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return True
    if user.role == Role.CONSULTANT:
        return is_assigned(user, school_id_of(obj))
    return user.role == Role.LEADER and _own_school(user, obj)


def _followup_read(user, obj):
    """Open the follow-up page of a school (its notes and meetings, each filtered by note_read)."""
    return _school_staff(user, obj)


def _followup_my_schools(user, obj):
    """"Mine skoler": a consultant's list of assigned schools."""
    return user.role == Role.CONSULTANT


def _followup_cadence(user, obj):
    """The Opfølgning page (1:1/LUS/GRUS cadence); its rows are scoped by followup_school_ids."""
    return user.role in (Role.ADMIN, Role.DIRECTORATE, Role.CONSULTANT)


def _note_create(user, obj):
    """obj is the school the note is about."""
    return user.role == Role.CONSULTANT and is_assigned(user, school_id_of(obj))


def _followup_item_read(user, item: SparringNote | Meeting, owner_id: int | None):
    """A sparring note or a meeting record: a draft is its author's alone, a shared one also the
    school leaders', an internal one the administration's (admin, directorate, the school's
    consultants). The SQL twin is ``_visible_clause``."""
    if owner_id == user.id:
        return True
    if item.visibility == Visibility.DRAFT:
        return False
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return True
    if user.role == Role.CONSULTANT:
        return is_assigned(user, item.school_id)
    if user.role == Role.LEADER:
        return item.visibility == Visibility.SHARED and user.school_id == item.school_id
    return False


def _note_read(user, note: SparringNote):
    return _followup_item_read(user, note, note.author_id)


def _note_edit(user, note: SparringNote):
    return user.role == Role.CONSULTANT and note.author_id == user.id


def _meeting_create(user, obj):
    return user.role == Role.CONSULTANT and is_assigned(user, school_id_of(obj))


def _meeting_read(user, meeting: Meeting):
    return _followup_item_read(user, meeting, meeting.organiser_id)


def _meeting_edit(user, meeting: Meeting):
    # The SUS is held by the directorate: they record it on the meeting template.
    if meeting.meeting_type == MeetingType.SUS and _sus_manage(user, meeting) and _meeting_read(user, meeting):
        return True
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


def _board_home(user, obj):
    """A view of one's own as a school board member (landing page and menu)."""
    return user.role == Role.BOARD and user.school_id is not None


def _board_read(user, obj):
    """The school board's view of a school (obj): its board, and the staff who may preview it."""
    if user.role == Role.BOARD:
        return _own_school(user, obj)
    if user.role == Role.COMMITTEE:
        return False
    return _sus_read(user, obj)


def _committee_home(user, obj):
    return user.role == Role.COMMITTEE


def _committee_read(user, obj):
    """The Skoleudvalg's view across schools: the committee, and the directorate who prints it."""
    return user.role in (Role.COMMITTEE, Role.ADMIN, Role.DIRECTORATE)


def _sus_read(user, obj):
    """The whole SUS material of a school (obj: a school or a SUS), Fortrolig indicators included
    where ``indicator.read`` allows them: the directorate, the school's leader, its consultant."""
    return _school_staff(user, obj)


def _sus_board_read(user, obj):
    """The SUS without Fortrolig content, and everyone who reads the whole material.

    For a board member: obj a school is the board's version of the report (for the school board);
    obj a SUS is its preparation, which only the invited parent representative reads (DESIGN.md).
    """
    if user.role == Role.BOARD:
        if isinstance(obj, SchoolDevelopmentConversation):
            return obj.parent_representative_id == user.id and _own_school(user, obj)
        return _own_school(user, obj)
    return _sus_read(user, obj)


def _sus_manage(user, obj):
    """Plan a school's SUS, add the municipality's topics, invite the parent representative,
    record the conversation: the directorate holds it (folkeskoleloven § 40 a)."""
    return user.role in (Role.ADMIN, Role.DIRECTORATE)


def _sus_focus_edit(user, obj):
    """The leader proposes the school's focus areas (the right the ministry's guidance gives)."""
    return user.role == Role.LEADER and _own_school(user, obj)


def _watchlist_edit(user, obj):
    return user.role in (Role.ADMIN, Role.DIRECTORATE)


def _users_read(user, obj):
    return user.role in (Role.ADMIN, Role.DIRECTORATE)


def _users_edit(user, obj):
    return user.role == Role.ADMIN


def _schools_read(user, obj):
    """The administration's list of schools and clusters (not a school's strategy)."""
    return user.role in (Role.ADMIN, Role.DIRECTORATE)


def _schools_edit(user, obj):
    return user.role == Role.ADMIN


def _admin_open(user, obj):
    """The Administration section: anyone who may read or edit one of its areas."""
    return _users_read(user, obj) or _schools_read(user, obj) or _reference_edit(user, obj)


def _my_school(user, obj):
    """"Min skole": a school leader's or reader's own school."""
    return user.role in (Role.LEADER, Role.READER) and user.school_id is not None


def _school_followup_nav(user, obj):
    """The menu's "Notater og samtaler": a school leader's own school's shared notes and meetings."""
    return user.role == Role.LEADER and user.school_id is not None


def _my_agreements(user, obj):
    return user.role in (Role.LEADER, Role.CONSULTANT)


def audit_guard(obj) -> tuple[str | None, int | None]:
    """The object whose read rule guards the history of ``obj`` (stored on each AuditEvent)."""
    match obj:
        case SparringNote() | Meeting():
            return type(obj).__name__, obj.id
        case Agreement():
            if obj.note_id is not None or obj.note is not None:
                return "SparringNote", obj.note_id if obj.note_id is not None else obj.note.id
            return "Meeting", obj.meeting_id if obj.meeting_id is not None else obj.meeting.id
        case User():
            return "User", obj.id
    return None, None


def _audit_detail(user, event):
    """May ``user`` read what an audit event says (its summary and values), not only that it
    happened? Exactly when they may read the object that guards it, now."""
    if event.guard_type == "SparringNote":
        note = _get(SparringNote, event.guard_id)
        return note is not None and _note_read(user, note)
    if event.guard_type == "Meeting":
        meeting = _get(Meeting, event.guard_id)
        return meeting is not None and _meeting_read(user, meeting)
    if event.guard_type == "User":
        return user.role == Role.ADMIN or event.guard_id == user.id
    if event.object_type == "Goal":
        # A goal's history holds its indicator and measurements: the indicator's rule.
        goal = _get(Goal, event.object_id)
        if goal is not None and not _indicator_read(user, goal):
            return False
    schools = readable_school_ids(user)
    return schools is ALL_SCHOOLS or event.school_id is None or event.school_id in schools


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


def _notifications_read(user, obj):
    """Everyone has their own notifications; obj is None (the list) or one notification."""
    return obj is None or obj.recipient_id == user.id


def _mail_log_read(user, obj):
    """The log of sent e-mails (to whom, what, when, result; never another person's body)."""
    return user.role == Role.ADMIN


RULES: dict[str, Callable[[User, object], bool]] = {
    "reference.read": _reference_read,
    "reference.edit": _reference_edit,
    "strategy.read": _strategy_read,
    "strategy.edit": _strategy_edit,
    "indicator.read": _indicator_read,
    "import.create": _import_create,
    "api_keys.manage": _api_keys_manage,
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
    "board.home": _board_home,
    "board.read": _board_read,
    "committee.home": _committee_home,
    "committee.read": _committee_read,
    "sus.read": _sus_read,
    "sus.board_read": _sus_board_read,
    "sus.manage": _sus_manage,
    "sus.focus_edit": _sus_focus_edit,
    "search.use": _search_use,
    "practices.read": _practices_read,
    "practice.adopt": _practice_adopt,
    "sharing.spread": _sharing_spread,
    "watchlist.edit": _watchlist_edit,
    "users.read": _users_read,
    "users.edit": _users_edit,
    "schools.read": _schools_read,
    "schools.edit": _schools_edit,
    "admin.open": _admin_open,
    "nav.my_school": _my_school,
    "nav.school_followup": _school_followup_nav,
    "followup.my_agreements": _my_agreements,
    # A signed-in session (Min konto): only its own person sees or ends it, whatever their role.
    "session.end": lambda user, record: record is not None and record.user_id == user.id,
    "audit.read": _audit_read,
    "audit.detail": _audit_detail,
    "notifications.read": _notifications_read,
    "mail_log.read": _mail_log_read,
}


def can(user: User | None, action: str, obj=None) -> bool:
    if action not in RULES:
        raise KeyError(f"unknown permission {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return RULES[action](user, obj)


# Where each role's week starts (DESIGN.md journeys): the first page in this list the user may
# open. The menu shows every entry the user may open, in the order of NAVIGATION in web.py.
LANDING = (
    ("nav.my_school", "schools.my_school"),
    ("followup.my_schools", "followup.my_schools"),
    ("overview.read", "overview.index"),
    ("board.home", "board.index"),
    ("committee.home", "committee.index"),
)


def landing_endpoint(user: User) -> str:
    for action, endpoint in LANDING:
        if can(user, action):
            return endpoint
    return "reference.pipeline"


def require(action: str, obj=None) -> None:
    """Abort with 403 unless the signed-in user may do this."""
    if not can(current_user, action, obj):
        abort(403)


def found_or_404(obj, action: str | None):
    """What a feature's loader found (``loaders.load_goal(id)``): 404 when nothing, then 403
    unless the signed-in user may do ``action`` on it (no action: a reload after a save)."""
    if obj is None:
        abort(404)
    if action is not None:
        require(action, obj)
    return obj


def get_or_404(model, object_id: int, action: str):
    """Load once, check once (flaskr's ``get_post(id, check_author)``): the object, else 404;
    then 403 unless the signed-in user may do ``action`` on it."""
    from strategy.extensions import db

    obj = db.get_or_404(model, object_id)
    require(action, obj)
    return obj


# --- the same rules as SQL, for lists, searches, counts and exports -------------------------


def assigned_schools_select(user):
    """SELECT of the schools a consultant is assigned to: a person's, or an API key's schools."""
    api_client_id = getattr(user, "api_client_id", None)
    if api_client_id is not None:
        return sa.select(api_client_school.c.school_id).where(api_client_school.c.api_client_id == api_client_id)
    return sa.select(consultant_school.c.school_id).where(consultant_school.c.user_id == user.id)


class AllSchools:
    """The scope "every school", said explicitly. A scope is this or a set of school ids, never
    None: a function that forgets to return grants nothing instead of everything."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __contains__(self, school_id) -> bool:
        return True

    def __repr__(self) -> str:
        return "ALL_SCHOOLS"


ALL_SCHOOLS = AllSchools()
SchoolScope = AllSchools | frozenset[int]


def scope_clause(column, scope: SchoolScope):
    """WHERE clause limiting a school id column to a scope."""
    if scope is ALL_SCHOOLS:
        return sa.true()
    if not isinstance(scope, frozenset | set):
        raise TypeError(f"a school scope is ALL_SCHOOLS or a set of ids, not {scope!r}")
    return column.in_(sorted(scope)) if scope else sa.false()


def assigned_school_ids(user: User) -> frozenset[int]:
    return frozenset(s.id for s in user.assigned_schools)


def readable_school_ids(user: User) -> SchoolScope:
    """Schools whose strategy the user may read (DESIGN.md: leaders read others' for knowledge
    sharing; a reader only the own school)."""
    if user.role == Role.READER:
        return frozenset({user.school_id}) if user.school_id else frozenset()
    if user.role in (Role.ADMIN, Role.DIRECTORATE, Role.CONSULTANT, Role.LEADER):
        return ALL_SCHOOLS
    return frozenset()


def overview_school_ids(user: User) -> SchoolScope:
    """Schools the user's overview and exports cover."""
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return ALL_SCHOOLS
    if user.role == Role.CONSULTANT:
        return assigned_school_ids(user)
    if user.role == Role.LEADER and user.school_id:
        return frozenset({user.school_id})
    return frozenset()


def followup_school_ids(user: User) -> SchoolScope:
    """Schools whose follow-up (notes, meetings, agreements) the user may list."""
    return overview_school_ids(user) if user.role != Role.READER else frozenset()


def _visible_clause(model, author_column, user: User):
    own = author_column == user.id
    not_draft = model.visibility != Visibility.DRAFT
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return sa.or_(own, not_draft)
    if user.role == Role.CONSULTANT:
        assigned = model.school_id.in_(assigned_schools_select(user))
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
    # Correlated on Goal only, so that a query that joins Strategy itself still gets its own row.
    school = (
        sa.select(Strategy.school_id).where(Strategy.id == Goal.strategy_id).correlate_except(Strategy).scalar_subquery()
    )
    if user.role in (Role.ADMIN, Role.DIRECTORATE):
        return sa.true()
    if user.role == Role.CONSULTANT:
        return sa.or_(not_confidential, school.in_(assigned_schools_select(user)))
    if user.role == Role.LEADER and user.school_id:
        return sa.or_(not_confidential, school == user.school_id)
    if user.role == Role.READER and user.school_id:
        return sa.and_(not_confidential, school == user.school_id)
    public = Goal.classification == Classification.PUBLIC
    if user.role == Role.COMMITTEE:
        return public
    if user.role == Role.BOARD and user.school_id:
        return sa.and_(public, school == user.school_id)
    return sa.false()


def audit_detail_clause(user: User):
    """SQL twin of ``audit.detail``: events whose content ``user`` may read. A list of events
    (the administrator's whole log, one user's actions, one object's history) selects this as a
    column and shows the other events only as "changed", never what changed."""
    from strategy.models import AuditEvent

    notes = sa.select(SparringNote.id).where(note_read_clause(user))
    meetings = sa.select(Meeting.id).where(meeting_read_clause(user))
    schools = readable_school_ids(user)
    school_ok = (
        sa.true() if schools is ALL_SCHOOLS
        else sa.or_(AuditEvent.school_id.is_(None), AuditEvent.school_id.in_(sorted(schools)))
    )
    hidden_goals = sa.select(Goal.id).where(sa.not_(indicator_read_clause(user)))
    return sa.case(
        (AuditEvent.guard_type == "SparringNote", AuditEvent.guard_id.in_(notes)),
        (AuditEvent.guard_type == "Meeting", AuditEvent.guard_id.in_(meetings)),
        (AuditEvent.guard_type == "User", sa.true() if user.role == Role.ADMIN else AuditEvent.guard_id == user.id),
        (sa.and_(AuditEvent.object_type == "Goal", AuditEvent.object_id.in_(hidden_goals)), sa.false()),
        else_=school_ok,
    )


def strategy_read_clause(user: User, school_column):
    """WHERE clause on a school id column: the schools whose strategy ``user`` may read."""
    return scope_clause(school_column, readable_school_ids(user))


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
