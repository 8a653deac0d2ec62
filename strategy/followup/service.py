"""Follow-up domain: saving sparring notes, meetings and agreements; agendas; the attention score.

Routes stay thin: they load, check permissions, validate the form and hand the validated data
to the functions here, which change the objects and write the audit history. Nothing here
commits; the route commits once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l, ngettext

from strategy import audit, labels, notifications
from strategy.extensions import db
from strategy.cadence import Cadence
from strategy.models import (
    AgendaItem,
    Agreement,
    Expectation,
    ExpectationCategory,
    Goal,
    Initiative,
    Meeting,
    MeetingState,
    MeetingType,
    ProfileLevel,
    School,
    SparringNote,
    Stance,
    Status,
    Strategy,
    User,
    Visibility,
)

# --- interface words (strategy/labels.py is their one home) -------------------------------------

STANCE_LABELS = labels.STANCE
MEETING_TYPE_LABELS = labels.MEETING_TYPE
MEETING_STATE_LABELS = labels.MEETING_STATE
VISIBILITY_LABELS = labels.VISIBILITY
VISIBILITY_SHORT = labels.VISIBILITY_SHORT
STATUS_LABELS = labels.STATUS
CATEGORY_LABELS = labels.CATEGORY


def utcnow() -> datetime:
    return datetime.now(UTC)


# --- agendas built from the Learning Pipeline and the strategy --------------------------------


@dataclass
class AgendaDraft:
    """A suggested agenda item, before it is saved (fills a row of the meeting form)."""

    title: str
    purpose: str = ""
    process: str = ""
    responsible: str = ""
    minutes: int | None = None
    expectation_id: int | None = None
    goal_id: int | None = None
    # For the checklist the person chooses from before anything goes on the agenda: a stable key,
    # the group it is listed under (a profile category, the school's goals) and, for a goal, its status.
    key: str = ""
    group: str = ""
    status_text: str = ""

    def as_form_data(self) -> dict[str, Any]:
        return {
            "title": self.title, "purpose": self.purpose, "item_process": self.process,
            "responsible": self.responsible, "minutes": self.minutes, "notes": "",
            "expectation_id": self.expectation_id or "", "goal_id": self.goal_id or "",
        }


def lus_agenda(level: ProfileLevel | None) -> list[AgendaDraft]:
    """A LUS agenda: the leader's Learning Pipeline level, expectation by expectation.

    Ordered as the profile reads (Prioriteter, Arbejdsværdier, Færdigheder); each item names
    its category and level in the purpose so the conversation can be prepared item by item.
    """
    if level is None:
        return []
    order = {c: i for i, c in enumerate(ExpectationCategory)}
    expectations: list[Expectation] = sorted(
        level.expectations, key=lambda e: (order[e.category], e.position, e.id)
    )
    # The purpose is left for the person to write: the category says where the item comes from
    # (the checklist's group), not what the conversation is for.
    return [
        AgendaDraft(title=e.text, expectation_id=e.id, key=f"e{e.id}", group=str(CATEGORY_LABELS[e.category]))
        for e in expectations
    ]


def status_rollup(goal: Goal) -> str:
    """One line for a goal: how many initiatives in each status, e.g. "2 På rette spor, 1 Udfordret"."""
    active = goal.active_initiatives
    if not active:
        return str(_l("Ingen tiltag endnu"))
    counts = Counter(i.status for i in active)
    parts = [f"{counts[s]} {STATUS_LABELS[s]}" for s in Status if counts[s]]
    return ngettext("%(num)d tiltag", "%(num)d tiltag", len(active)) + ": " + ", ".join(parts)


def latest_status(goal: Goal) -> Initiative | None:
    """The initiative whose status changed most recently."""
    changed = [i for i in goal.active_initiatives if i.status_changed_at is not None]
    return max(changed, key=lambda i: i.status_changed_at, default=None)


def one_to_one_agenda(strategy: Strategy | None) -> list[AgendaDraft]:
    """A 1:1 agenda: the school's goals with the latest status of their initiatives."""
    if strategy is None:
        return []
    items = []
    for goal in strategy.goals:
        if goal.archived_at is not None:
            continue
        purpose = status_rollup(goal)
        latest = latest_status(goal)
        if latest is not None:
            purpose += "\n" + str(_l("Senest ændret: %(title)s – %(status)s",
                                     title=latest.title, status=STATUS_LABELS[latest.status]))
        items.append(AgendaDraft(title=goal.title, purpose=purpose, goal_id=goal.id, key=f"g{goal.id}",
                                 group=str(_l("Skolens mål")), status_text=status_rollup(goal)))
    return items


def profile_agenda(level: ProfileLevel | None) -> list[AgendaDraft]:
    """The leader's profile in one item per category, its expectations listed in the purpose:
    short enough for a 1:1, where the goals come first."""
    if level is None:
        return []
    items = []
    for category in ExpectationCategory:
        texts = [e.text for e in sorted(level.expectations, key=lambda e: (e.position, e.id)) if e.category == category]
        if texts:
            items.append(AgendaDraft(
                title=f"{CATEGORY_LABELS[category]} – {level.name}",
                purpose="\n".join(f"• {text}" for text in texts),
                key=f"p{category.value}", group=str(_l("Lederens Learning Pipeline-profil")),
            ))
    return items


def agenda_groups(drafts: list[AgendaDraft]) -> list[tuple[str, list[AgendaDraft]]]:
    """The suggested items under their groups, in the order they come."""
    groups: dict[str, list[AgendaDraft]] = {}
    for draft in drafts:
        groups.setdefault(draft.group, []).append(draft)
    return list(groups.items())


def conversation_agenda(
    meeting_type: MeetingType | str | None, level: ProfileLevel | None, strategy: Strategy | None
) -> list[AgendaDraft]:
    """Before a LUS or a 1:1, the leader's Learning Pipeline profile and the school's strategy
    status become the agenda (DESIGN.md, journey 4).

    A LUS is about the leader: the profile expectation by expectation, then the goals. A 1:1
    is about the strategy: the goals with their latest status, then the profile per category.
    """
    if meeting_type in (MeetingType.LUS, MeetingType.LUS.value):
        return lus_agenda(level) + one_to_one_agenda(strategy)
    if meeting_type in (MeetingType.ONE_TO_ONE, MeetingType.ONE_TO_ONE.value):
        return one_to_one_agenda(strategy) + profile_agenda(level)
    return []


# --- saving notes, meetings and agreements ---------------------------------------------------

NOTE_FIELDS = [
    "held_on", "participants", "subject_id", "stances", "observation", "experience",
    "interpretation", "suggestion", "visibility", "goals", "initiatives",
]
MEETING_FIELDS = [
    "meeting_type", "state", "starts_at", "subject_id", "title", "purpose", "expected_outcome",
    "participants", "roles", "notes", "visibility",
]
AGENDA_FIELDS = ["title", "purpose", "process", "responsible", "minutes", "notes"]
AGREEMENT_FIELDS = ["text", "owner_id", "owner_name", "due_on", "done_at"]


@dataclass
class AgreementInput:
    id: int | None
    text: str
    owner_id: int | None
    due_on: date | None
    done: bool
    remove: bool


@dataclass
class AgendaInput:
    id: int | None
    title: str
    purpose: str = ""
    process: str = ""
    responsible: str = ""
    minutes: int | None = None
    notes: str = ""
    expectation_id: int | None = None
    goal_id: int | None = None
    remove: bool = False


@dataclass
class NoteInput:
    held_on: date
    participants: str
    subject_id: int | None
    stances: list[str]
    observation: str
    experience: str
    interpretation: str
    suggestion: str
    visibility: Visibility
    goals: list[Goal]
    initiatives: list[Initiative]
    agreements: list[AgreementInput] = field(default_factory=list)


@dataclass
class MeetingInput:
    meeting_type: MeetingType
    state: MeetingState
    starts_at: datetime
    subject_id: int | None
    title: str
    purpose: str
    expected_outcome: str
    participants: str
    roles: str
    notes: str
    visibility: Visibility
    agenda: list[AgendaInput] = field(default_factory=list)
    agreements: list[AgreementInput] = field(default_factory=list)


def _apply_note(note: SparringNote, data: NoteInput) -> None:
    note.held_on = data.held_on
    note.participants = data.participants
    note.subject_id = data.subject_id
    note.stances = [s for s in Stance if s.value in data.stances]
    note.observation = data.observation
    note.experience = data.experience
    note.interpretation = data.interpretation
    note.suggestion = data.suggestion
    note.visibility = data.visibility
    note.goals = list(data.goals)
    note.initiatives = list(data.initiatives)


def create_note(author: User, school: School, data: NoteInput) -> SparringNote:
    note = SparringNote(school_id=school.id, author_id=author.id)
    _apply_note(note, data)
    db.session.add(note)
    audit.record("create", note, changes=audit.snapshot(note, NOTE_FIELDS),
                 summary=f"Sparringsnotat {note.held_on.isoformat()}")
    sync_agreements(note, school.id, data.agreements, author)
    notifications.note_saved(note, author)
    return note


def update_note(note: SparringNote, data: NoteInput, user: User) -> None:
    before = audit.snapshot(note, NOTE_FIELDS)
    _apply_note(note, data)
    changes = audit.diff(before, audit.snapshot(note, NOTE_FIELDS))
    if changes:
        note.updated_at = utcnow()  # also bumps the version: the note itself changed
        audit.record("update", note, changes=changes, summary=f"Sparringsnotat {note.held_on.isoformat()}")
    sync_agreements(note, note.school_id, data.agreements, user)
    notifications.note_saved(note, user)


def _owner_name(owner_id: int | None) -> str:
    owner = db.session.get(User, owner_id) if owner_id else None
    return owner.name if owner else ""


def sync_agreements(parent: SparringNote | Meeting, school_id: int, rows: list[AgreementInput], user: User) -> None:
    """Create, change and remove the agreements of a note or meeting from the form's rows.

    A row without an id and without text is an unused blank row. Rows whose id does not
    belong to this parent are ignored (a tampered form cannot touch other agreements).
    """
    existing = {a.id: a for a in parent.agreements}
    for row in rows:
        agreement = existing.get(row.id) if row.id else None
        if agreement is not None:
            if row.remove:
                audit.record("delete", agreement, changes=audit.snapshot(agreement, AGREEMENT_FIELDS),
                             summary=agreement.text[:200])
                parent.agreements.remove(agreement)
                db.session.delete(agreement)
                continue
            before = audit.snapshot(agreement, AGREEMENT_FIELDS)
            was_done, old_due = agreement.done_at is not None, agreement.due_on
            agreement.text = row.text
            if agreement.owner_id != row.owner_id:
                agreement.owner_id = row.owner_id
                agreement.owner_name = _owner_name(row.owner_id)
            agreement.due_on = row.due_on
            if row.done and agreement.done_at is None:
                agreement.done_at = utcnow()
            elif not row.done:
                agreement.done_at = None
            changes = audit.diff(before, audit.snapshot(agreement, AGREEMENT_FIELDS))
            if changes:
                audit.record("update", agreement, changes=changes, summary=agreement.text[:200])
                notifications.agreement_changed(agreement, user, was_done, old_due)
        elif row.id is None and row.text and not row.remove:
            agreement = Agreement(
                school_id=school_id,
                text=row.text,
                owner_id=row.owner_id,
                owner_name=_owner_name(row.owner_id),
                due_on=row.due_on,
                done_at=utcnow() if row.done else None,
                created_by_id=user.id,
            )
            parent.agreements.append(agreement)
            db.session.add(agreement)
            audit.record("create", agreement, changes=audit.snapshot(agreement, AGREEMENT_FIELDS),
                         summary=agreement.text[:200])


def set_agreement_done(agreement: Agreement, done: bool, actor: User | None = None) -> None:
    before = audit.snapshot(agreement, ["done_at"])
    was_done = agreement.done_at is not None
    agreement.done_at = (agreement.done_at or utcnow()) if done else None
    changes = audit.diff(before, audit.snapshot(agreement, ["done_at"]))
    if changes:
        audit.record("update", agreement, changes=changes, summary=agreement.text[:200], actor=actor)
        notifications.agreement_changed(agreement, actor, was_done, agreement.due_on)


def _apply_meeting(meeting: Meeting, data: MeetingInput) -> None:
    meeting.meeting_type = data.meeting_type
    meeting.state = data.state
    meeting.starts_at = data.starts_at
    meeting.subject_id = data.subject_id
    meeting.title = data.title or str(MEETING_TYPE_LABELS[data.meeting_type])
    meeting.purpose = data.purpose
    meeting.expected_outcome = data.expected_outcome
    meeting.participants = data.participants
    meeting.roles = data.roles
    meeting.notes = data.notes
    meeting.visibility = data.visibility


def _sync_agenda(meeting: Meeting, rows: list[AgendaInput]) -> bool:
    """Agenda items in the order of the form; returns whether anything changed."""
    existing = {item.id: item for item in meeting.agenda_items}
    before = [audit.snapshot(i, AGENDA_FIELDS) | {"id": i.id} for i in meeting.agenda_items]
    kept: list[AgendaItem] = []
    for row in rows:
        item = existing.get(row.id) if row.id else None
        if row.remove or (item is None and (row.id or not row.title)):
            continue
        if item is None:
            item = AgendaItem(expectation_id=row.expectation_id, goal_id=row.goal_id)
        item.title = row.title or (item.title if item.id else "")
        item.purpose = row.purpose
        item.process = row.process
        item.responsible = row.responsible
        item.minutes = row.minutes
        item.notes = row.notes
        kept.append(item)
    for position, item in enumerate(kept):
        item.position = position
    meeting.agenda_items = kept  # delete-orphan removes the dropped ones
    after = [audit.snapshot(i, AGENDA_FIELDS) | {"id": i.id} for i in kept]
    return before != after


def create_meeting(organiser: User, school: School, data: MeetingInput) -> Meeting:
    meeting = Meeting(school_id=school.id, organiser_id=organiser.id)
    _apply_meeting(meeting, data)
    _sync_agenda(meeting, data.agenda)
    db.session.add(meeting)
    changes = audit.snapshot(meeting, MEETING_FIELDS)
    changes["agenda"] = [i.title for i in meeting.agenda_items]
    audit.record("create", meeting, changes=changes, summary=meeting.title)
    sync_agreements(meeting, school.id, data.agreements, organiser)
    notifications.meeting_saved(meeting, organiser)
    return meeting


def update_meeting(meeting: Meeting, data: MeetingInput, user: User) -> None:
    before = audit.snapshot(meeting, MEETING_FIELDS)
    before["agenda"] = [audit.snapshot(i, AGENDA_FIELDS) for i in meeting.agenda_items]
    _apply_meeting(meeting, data)
    agenda_changed = _sync_agenda(meeting, data.agenda)
    after = audit.snapshot(meeting, MEETING_FIELDS)
    after["agenda"] = [audit.snapshot(i, AGENDA_FIELDS) for i in meeting.agenda_items]
    changes = audit.diff(before, after)
    if changes or agenda_changed:
        meeting.updated_at = utcnow()
        audit.record("update", meeting, changes=changes, summary=meeting.title)
    sync_agreements(meeting, meeting.school_id, data.agreements, user)
    notifications.meeting_saved(meeting, user)


def record_read(obj: SparringNote | Meeting, user: User) -> None:
    """Reading someone else's note or conversation record goes into the history."""
    owner_id = obj.author_id if isinstance(obj, SparringNote) else obj.organiser_id
    if owner_id != user.id:
        audit.record("read", obj, actor=user)


# --- "Mine skoler": which school needs attention first -----------------------------------------


@dataclass
class StatusChange:
    initiative_id: int
    initiative_title: str
    status: Status
    changed_at: datetime


@dataclass
class SchoolFacts:
    """What "Mine skoler" shows for one school; every value already filtered for the viewer."""

    school: School
    cadence: Cadence
    last_contact: date | None = None
    next_meeting_at: datetime | None = None
    next_meeting_type: MeetingType | None = None
    open_agreements: int = 0
    overdue_agreements: int = 0
    challenged_initiatives: int = 0
    status_changes: list[StatusChange] = field(default_factory=list)
    attention: Attention | None = None


@dataclass
class Attention:
    score: int
    reasons: list[str]
    # The reasons that no column of "Mine skoler" shows already (contact, challenged initiatives,
    # nothing planned): overdue agreements, the 1:1 cadence and LUS/GRUS have columns of their own.
    signals: list[str] = field(default_factory=list)


def attention_score(facts: SchoolFacts, today: date) -> Attention:
    """How urgently a school needs the consultant's contact; higher comes first.

    Points (and the reason shown to the consultant):
      3 per overdue agreement;
      3 per 1:1 the school is short of the pro-rata cadence (see cadence.py);
      2 each for a missing LUS or GRUS (past 31 March of the school year);
      contact: 4 if none is recorded, 3 if the last is more than 60 days ago, 1 if more than 30;
      1 per initiative currently "Udfordret" (at most 3);
      1 if no conversation is planned.
    """
    score = 0
    reasons: list[str] = []
    if facts.overdue_agreements:
        score += 3 * facts.overdue_agreements
        reasons.append(ngettext("%(num)d overskreden aftale", "%(num)d overskredne aftaler",
                                facts.overdue_agreements))
    missing = facts.cadence.one_to_one_missing
    if missing:
        score += 3 * missing
        reasons.append(ngettext("%(num)d 1:1-samtale bagud", "%(num)d 1:1-samtaler bagud", missing))
    if facts.cadence.lus_missing:
        score += 2
        reasons.append(str(_l("LUS mangler")))
    if facts.cadence.grus_missing:
        score += 2
        reasons.append(str(_l("GRUS mangler")))
    in_columns = len(reasons)
    if facts.last_contact is None:
        score += 4
        reasons.append(str(_l("Ingen kontakt registreret")))
    else:
        days = (today - facts.last_contact).days
        if days > 60:
            score += 3
        elif days > 30:
            score += 1
        if days > 30:
            reasons.append(ngettext("%(num)d dag siden sidste kontakt", "%(num)d dage siden sidste kontakt", days))
    if facts.challenged_initiatives:
        score += min(facts.challenged_initiatives, 3)
        reasons.append(ngettext("%(num)d tiltag udfordret", "%(num)d tiltag udfordret",
                                facts.challenged_initiatives))
    if facts.next_meeting_at is None:
        score += 1
        reasons.append(str(_l("Ingen samtale planlagt")))
    return Attention(score, reasons, reasons[in_columns:])


def sort_by_attention(rows: list[SchoolFacts], today: date) -> list[SchoolFacts]:
    """Highest score first; ties: the longest without contact, then by name."""
    for row in rows:
        row.attention = attention_score(row, today)
    return sorted(
        rows,
        key=lambda r: (-r.attention.score, r.last_contact or date.min, r.school.name),
    )
