"""Notifications: who is told what, created in the transaction of the change that causes it.

The service functions of the features (strategy.followup.service, strategy.schools.service) call
the ``*_saved`` / ``*_added`` functions here; the scheduled ones come from
``strategy.notifications.reminders``. Every candidate recipient is asked through
``permissions.can`` whether they may read the object, nobody is told about their own action, and
a notification carries title-level words only (a school, a date, a goal's title), never what a
note or a meeting says.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_date, format_datetime, gettext as _, lazy_gettext as _l

from strategy.extensions import db
from strategy.models import (
    Agreement,
    Comment,
    Conclusion,
    Evaluation,
    Goal,
    Initiative,
    Meeting,
    MeetingState,
    Notification,
    NotificationKind as K,
    NotificationSetting,
    Role,
    School,
    SchoolDevelopmentConversation,
    SparringNote,
    User,
    Visibility,
    WatchlistEntry,
    consultant_school,
    utcnow,
)

# The three kinds a person can switch off in the e-mail digest (the bell shows everything).
GROUPS: dict[str, tuple[K, ...]] = {
    "notes": (K.NOTE_SHARED, K.MEETING_SHARED, K.MEETING_PLANNED, K.COMMENT, K.SUS_TO_PREPARE, K.SUS_INVITED),
    "agreements": (K.AGREEMENT_ASSIGNED, K.AGREEMENT_DUE_SOON, K.AGREEMENT_OVERDUE, K.AGREEMENT_DONE,
                   K.AGREEMENT_MOVED),
    "status": (K.STATUS_DUE, K.EVALUATION_CONCLUSION, K.ONE_TO_ONE_BEHIND, K.LUS_MISSING, K.GRUS_MISSING,
               K.IMPORT_CHANGED),
}
GROUP_OF = {kind: group for group, kinds in GROUPS.items() for kind in kinds}
GROUP_LABELS = {
    "notes": _l("Notater, samtaler og kommentarer"),
    "agreements": _l("Aftaler"),
    "status": _l("Status og opfølgning"),
}
# What permission the object's page asks; a notification is shown in a digest only if it holds.
READ_ACTION = {"note": "note.read", "meeting": "meeting.read", "goal": "strategy.read",
               "initiative": "strategy.read", "school": "followup.read", "sus": "sus.board_read"}
_MODELS = {"note": SparringNote, "meeting": Meeting, "goal": Goal, "initiative": Initiative, "school": School,
           "sus": SchoolDevelopmentConversation}


# --- creating ---------------------------------------------------------------------------------


def _object_ref(obj) -> tuple[str, int]:
    if obj.id is None:
        db.session.flush()
    for name, model in _MODELS.items():
        if isinstance(obj, model):
            return name, obj.id
    raise TypeError(f"no notification target for {obj!r}")


def notify(
    recipient: User,
    kind: K,
    obj,
    *,
    actor: User | None = None,
    school_id: int | None = None,
    dedupe_key: str | None = None,
    existing: set[str] | None = None,
    at: datetime | None = None,
    savepoint: bool = True,
    **params: Any,
) -> Notification | None:
    """One notification to ``recipient`` about ``obj``, if they may read it and did not cause it.

    With a ``dedupe_key`` that exists already nothing is added (two scheduled runs at once: the
    unique index decides, the loser's savepoint is rolled back). ``existing`` is a set of keys
    known to exist, so a batch need not ask for each one."""
    from strategy.permissions import can

    if actor is not None and getattr(actor, "id", None) == recipient.id:
        return None
    object_type, object_id = _object_ref(obj)
    if not recipient.active or not can(recipient, READ_ACTION[object_type], obj):
        return None
    notification = Notification(
        recipient_id=recipient.id, kind=kind, actor_id=getattr(actor, "id", None), school_id=school_id,
        object_type=object_type, object_id=object_id, params=_plain(params), dedupe_key=dedupe_key,
        created_at=at or utcnow(),
    )
    if dedupe_key is None:
        db.session.add(notification)
        return notification
    if existing is None:
        # In a request: the change's own transaction, not flushed early (the route's commit is
        # where a version conflict must surface); the key only avoids telling twice.
        with db.session.no_autoflush:
            known = db.session.scalar(sa.select(Notification.id).where(Notification.dedupe_key == dedupe_key))
            pending = any(getattr(o, "dedupe_key", None) == dedupe_key for o in db.session.new
                          if isinstance(o, Notification))
        if known or pending:
            return None
        db.session.add(notification)
        return notification
    if dedupe_key in existing:
        return None
    if not savepoint:  # a dry run: everything is rolled back at the end (SQLite would commit a savepoint)
        db.session.add(notification)
        existing.add(dedupe_key)
        return notification
    try:
        with db.session.begin_nested():
            db.session.add(notification)
    except sa.exc.IntegrityError:
        return None
    if existing is not None:
        existing.add(dedupe_key)
    return notification


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date | datetime) else v) for k, v in params.items() if v is not None}


def leaders_of(school_id: int, with_readers: bool = False) -> list[User]:
    roles = (Role.LEADER, Role.READER) if with_readers else (Role.LEADER,)
    return list(db.session.scalars(
        sa.select(User).where(User.role.in_(roles), User.school_id == school_id, User.active.is_(True))
        .order_by(User.id)
    ))


def followers_of(school_id: int) -> list[User]:
    """Who follows a school from the administration: its assigned consultants, and those who
    keep the watchlist (directorate, administrators) while the school is on it."""
    consultants = sa.select(consultant_school.c.user_id).where(consultant_school.c.school_id == school_id)
    watched = sa.exists().where(WatchlistEntry.school_id == school_id, WatchlistEntry.removed_at.is_(None))
    return list(db.session.scalars(
        sa.select(User).where(
            User.active.is_(True),
            sa.or_(
                sa.and_(User.role == Role.CONSULTANT, User.id.in_(consultants)),
                sa.and_(User.role.in_((Role.DIRECTORATE, Role.ADMIN)), watched),
            ),
        ).order_by(User.id)
    ))


def note_saved(note: SparringNote, actor: User | None) -> None:
    """A note shared with the school tells its leaders (once per note and person; a draft or
    internal note tells nobody), and the agreements in it their owners."""
    with db.session.no_autoflush:
        _note_saved(note, actor)


def _note_saved(note: SparringNote, actor: User | None) -> None:
    if note.visibility == Visibility.SHARED:
        for leader in leaders_of(note.school_id):
            notify(leader, K.NOTE_SHARED, note, actor=actor, school_id=note.school_id,
                   dedupe_key=f"note_shared:{_id(note)}:{leader.id}", school=_school_name(note.school_id),
                   date=note.held_on)
    for agreement in note.agreements:
        agreement_assigned(agreement, note, actor)


def meeting_saved(meeting: Meeting, actor: User | None) -> None:
    """A conversation planned with the person tells them; one shared with the school tells its
    leaders; the agreements in it tell their owners."""
    with db.session.no_autoflush:
        _meeting_saved(meeting, actor)


def _meeting_saved(meeting: Meeting, actor: User | None) -> None:
    school = db.session.get(School, meeting.school_id)
    words = dict(school=school.name, type=meeting.meeting_type.value, date=meeting.starts_at)
    if meeting.state == MeetingState.PLANNED and meeting.subject_id:
        subject = db.session.get(User, meeting.subject_id)
        if subject is not None:
            notify(subject, K.MEETING_PLANNED, meeting, actor=actor, school_id=school.id,
                   dedupe_key=f"meeting_planned:{_id(meeting)}:{subject.id}:{meeting.starts_at.date().isoformat()}",
                   **words)
    if meeting.visibility == Visibility.SHARED:
        for leader in leaders_of(meeting.school_id):
            if leader.id == meeting.subject_id and meeting.state == MeetingState.PLANNED:
                continue  # told above that it is planned with them
            notify(leader, K.MEETING_SHARED, meeting, actor=actor, school_id=school.id,
                   dedupe_key=f"meeting_shared:{_id(meeting)}:{leader.id}", **words)
    for agreement in meeting.agreements:
        agreement_assigned(agreement, meeting, actor)


def _id(obj) -> int:
    if obj.id is None:
        db.session.flush()
    return obj.id


def agreement_assigned(agreement: Agreement, parent: SparringNote | Meeting, actor: User | None) -> None:
    """The owner of an agreement hears of it once they may read it (a draft note's agreements
    are told when the note is shared)."""
    if not agreement.owner_id or agreement.done_at is not None:
        return
    owner = db.session.get(User, agreement.owner_id)
    if owner is None:
        return
    notify(owner, K.AGREEMENT_ASSIGNED, parent, actor=actor, school_id=agreement.school_id,
           dedupe_key=f"agreement_assigned:{_id(agreement)}:{owner.id}",
           school=_school_name(agreement.school_id), due=agreement.due_on)


def agreement_changed(agreement: Agreement, actor: User | None, was_done: bool, old_due: date | None) -> None:
    """The person who gave an agreement hears when it is ticked off or moved."""
    if not agreement.created_by_id:
        return
    giver = db.session.get(User, agreement.created_by_id)
    parent = agreement.note or agreement.meeting
    if giver is None or parent is None:
        return
    school = _school_name(agreement.school_id)
    if agreement.done_at is not None and not was_done:
        notify(giver, K.AGREEMENT_DONE, parent, actor=actor, school_id=agreement.school_id, school=school,
               due=agreement.due_on)
    elif agreement.done_at is None and agreement.due_on != old_due and agreement.due_on is not None:
        notify(giver, K.AGREEMENT_MOVED, parent, actor=actor, school_id=agreement.school_id, school=school,
               due=agreement.due_on, old_due=old_due)


def _school_name(school_id: int) -> str:
    school = db.session.get(School, school_id)
    return school.name if school else ""


def comment_added(comment: Comment, subject: Goal | Initiative, actor: User | None) -> None:
    """A comment on a goal or an initiative tells the school's leaders and staff with read
    access (not what it says)."""
    from strategy.permissions import school_id_of

    school_id = school_id_of(subject)
    for leader in leaders_of(school_id, with_readers=True):
        notify(leader, K.COMMENT, subject, actor=actor, school_id=school_id,
               school=_school_name(school_id), title=subject.title)


def evaluation_added(evaluation: Evaluation, subject: Goal | Initiative, actor: User | None) -> None:
    """An evaluation concluding "stop" or "justér" tells those who follow the school."""
    from strategy.permissions import school_id_of

    if evaluation.conclusion not in (Conclusion.STOP, Conclusion.ADJUST):
        return
    school_id = school_id_of(subject)
    for person in followers_of(school_id):
        notify(person, K.EVALUATION_CONCLUSION, subject, actor=actor, school_id=school_id,
               school=_school_name(school_id), title=subject.title, conclusion=evaluation.conclusion.value)


# --- reading ------------------------------------------------------------------------------------


def sus_started(sus: SchoolDevelopmentConversation, actor: User | None) -> None:
    """The directorate started this year's SUS: the school's leaders propose its focus areas."""
    for leader in leaders_of(sus.school_id):
        notify(leader, K.SUS_TO_PREPARE, sus, actor=actor, school_id=sus.school_id,
               school=_school_name(sus.school_id), year=sus.school_year)


def sus_parent_invited(sus: SchoolDevelopmentConversation, member: User, actor: User | None) -> None:
    notify(member, K.SUS_INVITED, sus, actor=actor, school_id=sus.school_id,
           school=_school_name(sus.school_id), year=sus.school_year)


def measurements_imported(goal: Goal, years: list[int], actor: User | None) -> None:
    """An import changed a goal's measurements: its school's leaders hear of it, if they may read
    the indicator (a confidential one only those who may see test results)."""
    from strategy.permissions import can

    school_id = goal.strategy.school_id
    for leader in leaders_of(school_id):
        if can(leader, "indicator.read", goal):
            notify(leader, K.IMPORT_CHANGED, goal, actor=actor, school_id=school_id,
                   school=_school_name(school_id), title=goal.title, years=", ".join(str(y) for y in sorted(years)))


def unread_count(user: User) -> int:
    """The bell: one query on (recipient_id, read_at)."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
    ) or 0


def for_user(user: User, limit: int = 100) -> list[Notification]:
    return list(db.session.scalars(
        sa.select(Notification).where(Notification.recipient_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    ))


def mark_read(notification: Notification, at: datetime | None = None) -> None:
    if notification.read_at is None:
        notification.read_at = at or utcnow()


def mark_all_read(user: User, at: datetime | None = None) -> int:
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=at or utcnow())
    )
    return result.rowcount or 0


def setting_for(user: User) -> NotificationSetting:
    return db.session.get(NotificationSetting, user.id) or NotificationSetting(user_id=user.id)


def target(notification: Notification):
    """The object the notification is about (None if it is gone)."""
    return db.session.get(_MODELS[notification.object_type], notification.object_id)


def still_readable(user: User, notification: Notification, targets: dict | None = None) -> bool:
    """May ``user`` still read what the notification is about (a note made internal again is not
    in their digest)? ``targets`` are objects loaded in advance by ``load_targets``."""
    from strategy.permissions import can

    if targets is not None:
        obj = targets.get((notification.object_type, notification.object_id))
    else:
        obj = target(notification)
    return obj is not None and can(user, READ_ACTION[notification.object_type], obj)


def load_targets(items: list[Notification]) -> dict[tuple[str, int], object]:
    """The objects of many notifications, a few queries per kind of object (kept referenced, so
    the permission checks that follow need no more)."""
    from sqlalchemy.orm import selectinload


    wanted: dict[str, set[int]] = {}
    for n in items:
        wanted.setdefault(n.object_type, set()).add(n.object_id)
    options = {
        "goal": [selectinload(Goal.strategy)],
        "initiative": [selectinload(Initiative.goal).selectinload(Goal.strategy)],
        "note": [], "meeting": [], "school": [],
    }
    found: dict[tuple[str, int], object] = {}
    for kind, ids in wanted.items():
        model = _MODELS[kind]
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            for obj in db.session.scalars(sa.select(model).where(model.id.in_(ordered[start:start + 500]))
                                          .options(*options[kind])):
                found[(kind, obj.id)] = obj
    return found


def link_args(notification: Notification) -> tuple[str, dict[str, int]]:
    """Endpoint and values of the object's page (which checks permission again)."""
    oid = notification.object_id
    return {
        "note": ("followup.note_view", {"note_id": oid}),
        "meeting": ("followup.meeting_view", {"meeting_id": oid}),
        "goal": ("schools.goal", {"goal_id": oid}),
        "initiative": ("schools.initiative", {"initiative_id": oid}),
        "school": ("followup.school", {"school_id": oid}),
        "sus": ("sus.school", {"school_id": notification.school_id, "aar": (notification.params or {}).get("year")}),
    }[notification.object_type]


def link(notification: Notification) -> str:
    endpoint, values = link_args(notification)
    return url_for(endpoint, **values)


def _date(value: str | None) -> str:
    if not value:
        return ""
    return format_date(date.fromisoformat(value[:10]), "medium")


def text(notification: Notification) -> str:
    """The notification in the current language, from its kind and title-level words."""
    from strategy.labels import MEETING_TYPE as MEETING_TYPE_LABELS
    from strategy.models import MeetingType

    p = notification.params or {}
    school = p.get("school", "")
    kind = notification.kind
    if kind == K.NOTE_SHARED:
        return _("Et sparringsnotat fra %(date)s er delt med %(school)s", date=_date(p.get("date")), school=school)
    meeting_type = p.get("type")
    label = str(MEETING_TYPE_LABELS[MeetingType(meeting_type)]) if meeting_type in {t.value for t in MeetingType} else ""
    if kind == K.MEETING_SHARED:
        return _("En samtale (%(type)s, %(date)s) er delt med %(school)s", type=label, date=_date(p.get("date")),
                 school=school)
    if kind == K.MEETING_PLANNED:
        when = format_datetime(datetime.fromisoformat(p["date"]), "medium") if p.get("date") else ""
        return _("%(type)s planlagt med dig %(date)s (%(school)s)", type=label, date=when, school=school)
    if kind == K.COMMENT:
        return _("Ny kommentar til »%(title)s« (%(school)s)", title=p.get("title", ""), school=school)
    if kind == K.AGREEMENT_ASSIGNED:
        if p.get("due"):
            return _("Du har fået en aftale med frist %(due)s (%(school)s)", due=_date(p["due"]), school=school)
        return _("Du har fået en aftale (%(school)s)", school=school)
    if kind == K.AGREEMENT_DUE_SOON:
        return _("En aftale har frist %(due)s (%(school)s)", due=_date(p.get("due")), school=school)
    if kind == K.AGREEMENT_OVERDUE:
        return _("En aftale er overskredet: frist %(due)s (%(school)s)", due=_date(p.get("due")), school=school)
    if kind == K.AGREEMENT_DONE:
        return _("En aftale, du har givet, er markeret som udført (%(school)s)", school=school)
    if kind == K.AGREEMENT_MOVED:
        return _("En aftale, du har givet, har fået ny frist: %(due)s (%(school)s)", due=_date(p.get("due")),
                 school=school)
    if kind == K.EVALUATION_CONCLUSION:
        conclusion = _("Stop") if p.get("conclusion") == Conclusion.STOP.value else _("Justér")
        return _("Evaluering konkluderer »%(conclusion)s«: %(title)s (%(school)s)", conclusion=conclusion,
                 title=p.get("title", ""), school=school)
    if kind == K.STATUS_DUE:
        return _("Status mangler for »%(title)s« (%(school)s): ikke opdateret i %(days)s skoledage",
                 title=p.get("title", ""), school=school, days=p.get("days", ""))
    if kind == K.ONE_TO_ONE_BEHIND:
        return _("%(school)s er bagud med 1:1-samtaler: %(held)s af %(expected)s afholdt", school=school,
                 held=p.get("held", 0), expected=p.get("expected", 0))
    if kind == K.LUS_MISSING:
        return _("LUS er ikke afholdt med %(school)s i skoleåret %(year)s", school=school, year=p.get("year", ""))
    if kind == K.GRUS_MISSING:
        return _("GRUS er ikke afholdt med %(school)s i skoleåret %(year)s", school=school, year=p.get("year", ""))
    if kind == K.IMPORT_CHANGED:
        return _("Nye målinger er importeret for »%(title)s« (%(years)s, %(school)s)", title=p.get("title", ""),
                 years=p.get("years", ""), school=school)
    if kind in (K.SUS_TO_PREPARE, K.SUS_INVITED):
        year = p.get("year")
        label = f"{year}/{str(year + 1)[-2:]}" if isinstance(year, int) else ""
        if kind == K.SUS_TO_PREPARE:
            return _("Skoleudviklingssamtalen %(year)s er startet: foreslå skolens fokusområder (%(school)s)",
                     year=label, school=school)
        return _("Du er inviteret som forælderrepræsentant til skoleudviklingssamtalen %(year)s (%(school)s)",
                 year=label, school=school)
    return str(kind)
