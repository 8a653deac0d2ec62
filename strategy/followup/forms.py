"""Forms of the follow-up pages: sparring notes, meetings (with agenda rows) and agreement rows.

Choices that depend on the school (its leaders, its goals) are set by ``prepare_*`` before
validation, so a posted value outside them is refused like any invalid choice.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from strategy.followup import service
from strategy.cadence import local_timezone
from strategy.inputs import BoundedDateField, BoundedDateTimeField, WholeNumberField, choice_int, optional_choice_int
from strategy.models import MeetingState, MeetingType, Strategy, User, Visibility

LONG_TEXT = 20000


def person_label(user: User) -> str:
    return f"{user.name} ({user.title})" if user.title else user.name


class AgreementRowForm(Form):
    """One agreement row (Aftale): text, owner, due date, done; ``remove`` deletes a saved one."""

    id = WholeNumberField(widget=HiddenInput(), validators=[Optional()])
    text = TextAreaField(_l("Aftale"), [Length(max=2000)], render_kw={"rows": 2})
    owner_id = SelectField(_l("Ansvarlig"), coerce=optional_choice_int, choices=[SelectChoice("", "")])
    due_on = BoundedDateField(_l("Frist"), [Optional()])
    done = BooleanField(_l("Udført"))
    remove = BooleanField(_l("Slet aftalen"))


class AgendaItemForm(Form):
    """One row of the meeting template: the item, its purpose, process, responsible and time."""

    id = WholeNumberField(widget=HiddenInput(), validators=[Optional()])
    title = StringField(_l("Punktet"), [Length(max=300)])
    purpose = TextAreaField(_l("Formål og udbytte"), [Length(max=LONG_TEXT)], render_kw={"rows": 2})
    # not "process": that name is Form.process()
    item_process = TextAreaField(_l("Proces"), [Length(max=LONG_TEXT)], render_kw={"rows": 2})
    responsible = StringField(_l("Ansvar og roller"), [Length(max=200)])
    minutes = WholeNumberField(_l("Tid (minutter)"), [Optional(), NumberRange(min=0, max=600)],
                           render_kw={"inputmode": "numeric"})
    notes = TextAreaField(_l("Noter fra samtalen"), [Length(max=LONG_TEXT)], render_kw={"rows": 3})
    expectation_id = WholeNumberField(widget=HiddenInput(), validators=[Optional()])
    goal_id = WholeNumberField(widget=HiddenInput(), validators=[Optional()])
    remove = BooleanField(_l("Fjern punktet"))


def _validate_agreement_rows(rows: FieldList) -> bool:
    ok = True
    for entry in rows:
        sub = entry.form
        if sub.remove.data or not clean_text(sub.text):
            continue
        if sub.owner_id.data is None:
            sub.owner_id.errors.append(str(_l("Vælg hvem der er ansvarlig for aftalen.")))
            ok = False
        if sub.due_on.data is None and not sub.due_on.errors:
            sub.due_on.errors.append(str(_l("Angiv en frist for aftalen.")))
            ok = False
    return ok


def options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value=value, label=str(label)) for value, label in pairs]


def _choices(enum_labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value=key.value, label=label) for key, label in enum_labels.items()]


def clean_text(field) -> str:
    """A text field's value; WTForms leaves it None when the field was not posted."""
    return (field.data or "").strip()


class NoteForm(FlaskForm):
    school_id = SelectField(_l("Skole"), coerce=choice_int, validate_choice=True)
    held_on = BoundedDateField(_l("Dato"), [InputRequired(message=_l("Angiv datoen for sparringen."))])
    participants = TextAreaField(_l("Deltagere"), [Length(max=2000)], render_kw={"rows": 2})
    subject_id = SelectField(_l("Leder notatet handler om"), coerce=optional_choice_int)
    stances = SelectMultipleField(_l("Mine positioner"), choices=_choices(service.STANCE_LABELS))
    observation = TextAreaField(_l("Iagttagelse"), [Length(max=LONG_TEXT)], render_kw={"rows": 4})
    experience = TextAreaField(_l("Oplevelse"), [Length(max=LONG_TEXT)], render_kw={"rows": 4})
    interpretation = TextAreaField(_l("Fortolkning"), [Length(max=LONG_TEXT)], render_kw={"rows": 4})
    suggestion = TextAreaField(_l("Forslag"), [Length(max=LONG_TEXT)], render_kw={"rows": 4})
    goal_ids = SelectMultipleField(_l("Mål"), coerce=choice_int)
    initiative_ids = SelectMultipleField(_l("Tiltag"), coerce=choice_int)
    visibility = RadioField(_l("Hvem kan læse notatet"), choices=_choices(service.VISIBILITY_LABELS),
                            default=Visibility.DRAFT.value)
    agreements = FieldList(FormField(AgreementRowForm), _l("Aftale"), min_entries=0, max_entries=100)
    version = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return _validate_agreement_rows(self.agreements) and ok


class MeetingForm(FlaskForm):
    meeting_type = SelectField(_l("Type"), choices=_choices(service.MEETING_TYPE_LABELS))
    starts_at = BoundedDateTimeField(
        _l("Tidspunkt"), [InputRequired(message=_l("Angiv dato og klokkeslæt."))],
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    subject_id = SelectField(_l("Leder"), coerce=optional_choice_int)
    title = StringField(_l("Titel"), [Length(max=300)])
    purpose = TextAreaField(_l("Formål"), [Length(max=LONG_TEXT)], render_kw={"rows": 2})
    expected_outcome = TextAreaField(_l("Forventet udbytte"), [Length(max=LONG_TEXT)], render_kw={"rows": 2})
    participants = TextAreaField(_l("Deltagere"), [Length(max=2000)], render_kw={"rows": 2})
    roles = TextAreaField(_l("Roller og spilleregler"), [Length(max=LONG_TEXT)], render_kw={"rows": 2})
    state = RadioField(_l("Status"), choices=_choices(service.MEETING_STATE_LABELS),
                       default=MeetingState.PLANNED.value)
    notes = TextAreaField(_l("Samlet referat"), [Length(max=LONG_TEXT)], render_kw={"rows": 4})
    visibility = RadioField(_l("Hvem kan læse samtalen"), choices=_choices(service.VISIBILITY_LABELS),
                            default=Visibility.SHARED.value)
    agenda = FieldList(FormField(AgendaItemForm), _l("Punkt"), min_entries=0, max_entries=200)
    agreements = FieldList(FormField(AgreementRowForm), _l("Aftale"), min_entries=0, max_entries=100)
    version = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return _validate_agreement_rows(self.agreements) and ok


# --- choices and conversions ------------------------------------------------------------------


def owner_choices(owners: list[User]) -> list[SelectChoice]:
    return options([("", _l("Vælg ansvarlig"))] + [(str(u.id), person_label(u)) for u in owners])


def prepare_agreement_rows(rows: FieldList, owners: list[User]) -> None:
    choices = owner_choices(owners)
    for entry in rows:
        entry.form.owner_id.choices = choices


def new_agreement_row(prefix: str, index: int, owners: list[User]) -> AgreementRowForm:
    """A blank agreement row named like entry ``index`` of the FieldList ``prefix``."""
    row = AgreementRowForm(prefix=f"{prefix}-{index}")
    row.owner_id.choices = owner_choices(owners)
    autofocus_field(row.text)
    return row


def new_agenda_row(prefix: str, index: int) -> AgendaItemForm:
    row = AgendaItemForm(prefix=f"{prefix}-{index}")
    autofocus_field(row.title)
    return row


def autofocus_field(field) -> None:
    """app.js moves focus to the new row's first control after the swap."""
    field.render_kw = {**(field.render_kw or {}), "data-autofocus": True}


def subject_choices(leaders: list[User]) -> list[SelectChoice]:
    return options([("", _l("Ingen bestemt leder"))] + [(str(u.id), person_label(u)) for u in leaders])


def prepare_note_form(form: NoteForm, schools, leaders: list[User], owners: list[User],
                      strategy: Strategy | None) -> None:
    if "school_id" in form:
        form.school_id.choices = options((s.id, s.name) for s in schools)
    form.subject_id.choices = subject_choices(leaders)
    goals = [g for g in strategy.goals if g.archived_at is None] if strategy else []
    form.goal_ids.choices = options((g.id, g.title) for g in goals)
    form.initiative_ids.choices = options((i.id, i.title) for g in goals for i in g.active_initiatives)
    prepare_agreement_rows(form.agreements, owners)


def prepare_meeting_form(form: MeetingForm, leaders: list[User], owners: list[User], meeting=None) -> None:
    form.subject_id.choices = subject_choices(leaders)
    # A skoleudviklingssamtale is planned from its preparation page (strategy/sus), one per
    # school year: it is a type only a SUS meeting has, and such a meeting keeps it.
    is_sus = meeting is not None and meeting.meeting_type == MeetingType.SUS
    form.meeting_type.choices = [
        c for c in form.meeting_type.choices if (c.value == MeetingType.SUS.value) == is_sus
    ]
    prepare_agreement_rows(form.agreements, owners)


def agreement_inputs(rows: FieldList) -> list[service.AgreementInput]:
    return [
        service.AgreementInput(
            id=e.form.id.data,
            text=clean_text(e.form.text),
            owner_id=e.form.owner_id.data,
            due_on=e.form.due_on.data,
            done=bool(e.form.done.data),
            remove=bool(e.form.remove.data),
        )
        for e in rows
    ]


def note_input(form: NoteForm, strategy: Strategy | None) -> service.NoteInput:
    goals = {g.id: g for g in strategy.goals} if strategy else {}
    initiatives = {i.id: i for g in goals.values() for i in g.initiatives}
    return service.NoteInput(
        held_on=form.held_on.data,
        participants=clean_text(form.participants),
        subject_id=form.subject_id.data,
        stances=list(form.stances.data or []),
        observation=clean_text(form.observation),
        experience=clean_text(form.experience),
        interpretation=clean_text(form.interpretation),
        suggestion=clean_text(form.suggestion),
        visibility=Visibility(form.visibility.data),
        goals=[goals[i] for i in form.goal_ids.data or [] if i in goals],
        initiatives=[initiatives[i] for i in form.initiative_ids.data or [] if i in initiatives],
        agreements=agreement_inputs(form.agreements),
    )


def meeting_input(form: MeetingForm, goal_ids: set[int], expectation_ids: set[int]) -> service.MeetingInput:
    """The validated form as domain input. Hidden links to goals/expectations are kept only when
    they belong to the school's strategy / exist (a tampered form cannot link elsewhere)."""
    starts_at = form.starts_at.data.replace(tzinfo=local_timezone())
    return service.MeetingInput(
        meeting_type=MeetingType(form.meeting_type.data),
        state=MeetingState(form.state.data),
        starts_at=starts_at,
        subject_id=form.subject_id.data,
        title=clean_text(form.title),
        purpose=clean_text(form.purpose),
        expected_outcome=clean_text(form.expected_outcome),
        participants=clean_text(form.participants),
        roles=clean_text(form.roles),
        notes=clean_text(form.notes),
        visibility=Visibility(form.visibility.data),
        agenda=[
            service.AgendaInput(
                id=e.form.id.data,
                title=clean_text(e.form.title),
                purpose=clean_text(e.form.purpose),
                process=clean_text(e.form.item_process),
                responsible=clean_text(e.form.responsible),
                minutes=e.form.minutes.data,
                notes=clean_text(e.form.notes),
                expectation_id=e.form.expectation_id.data if e.form.expectation_id.data in expectation_ids else None,
                goal_id=e.form.goal_id.data if e.form.goal_id.data in goal_ids else None,
                remove=bool(e.form.remove.data),
            )
            for e in form.agenda
        ],
        agreements=agreement_inputs(form.agreements),
    )


# --- filling forms from saved objects -------------------------------------------------------------


def agreement_row_data(agreement) -> dict[str, Any]:
    return {
        "id": agreement.id, "text": agreement.text, "owner_id": agreement.owner_id,
        "due_on": agreement.due_on, "done": agreement.done_at is not None, "remove": False,
    }


def fill_note_form(form: NoteForm, note) -> None:
    if "school_id" in form:
        form.school_id.data = note.school_id
    form.held_on.data = note.held_on
    form.participants.data = note.participants
    form.subject_id.data = note.subject_id
    form.stances.data = list(note.stances or [])
    form.observation.data = note.observation
    form.experience.data = note.experience
    form.interpretation.data = note.interpretation
    form.suggestion.data = note.suggestion
    form.goal_ids.data = [g.id for g in note.goals]
    form.initiative_ids.data = [i.id for i in note.initiatives]
    form.visibility.data = note.visibility.value
    form.version.data = str(note.version)
    _reset(form.agreements)
    for agreement in note.agreements:
        form.agreements.append_entry(agreement_row_data(agreement))


def fill_meeting_form(form: MeetingForm, meeting) -> None:
    form.meeting_type.data = meeting.meeting_type.value
    form.starts_at.data = meeting.starts_at.astimezone(local_timezone()).replace(tzinfo=None)
    form.subject_id.data = meeting.subject_id
    form.title.data = meeting.title
    form.purpose.data = meeting.purpose
    form.expected_outcome.data = meeting.expected_outcome
    form.participants.data = meeting.participants
    form.roles.data = meeting.roles
    form.state.data = meeting.state.value
    form.notes.data = meeting.notes
    form.visibility.data = meeting.visibility.value
    form.version.data = str(meeting.version)
    _reset(form.agenda)
    for item in meeting.agenda_items:
        form.agenda.append_entry({
            "id": item.id, "title": item.title, "purpose": item.purpose, "item_process": item.process,
            "responsible": item.responsible, "minutes": item.minutes, "notes": item.notes,
            "expectation_id": item.expectation_id, "goal_id": item.goal_id, "remove": False,
        })
    _reset(form.agreements)
    for agreement in meeting.agreements:
        form.agreements.append_entry(agreement_row_data(agreement))


def replace_agenda(form: MeetingForm, drafts: list[service.AgendaDraft]) -> None:
    """Put a suggested agenda in the form: replaces the rows when none has a title yet,
    otherwise adds the suggested items that are not on the agenda already."""
    filled = [e for e in form.agenda if clean_text(e.form.title)]
    if not filled:
        _reset(form.agenda)
        present = set()
    else:
        present = {clean_text(e.form.title) for e in filled}
    for draft in drafts:
        if draft.title not in present:
            form.agenda.append_entry(draft.as_form_data())


def _reset(rows: FieldList) -> None:
    while rows.entries:
        rows.pop_entry()

