"""Follow-up: "Mine skoler", a school's follow-up page, sparring notes, conversations, agreements,
and the directorate's cadence page (Opfølgning)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from strategy.concurrency import save_versioned
from strategy.extensions import db
from strategy.followup import forms, queries, service
from strategy.cadence import cadence_for_school, cadence_for_schools, school_year_of
from strategy.htmx import announce, conflict, is_htmx, redirect_to, render, render_fragment, safe_next
from strategy.inputs import arg_int, parse_int
from strategy.models import (
    Agreement,
    Expectation,
    Meeting,
    MeetingType,
    School,
    SparringNote,
    User,
)
from strategy.permissions import can, found_or_404, get_or_404, require
from strategy.web import signed_in_blueprint

bp = signed_in_blueprint("followup", __name__)


@bp.after_request
def _no_store(response):
    # Notes and conversations carry personal data: keep them out of the browser's caches.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.context_processor
def _labels():
    return {
        "stance_labels": service.STANCE_LABELS,
        "meeting_type_labels": service.MEETING_TYPE_LABELS,
        "meeting_state_labels": service.MEETING_STATE_LABELS,
        "visibility_labels": service.VISIBILITY_LABELS,
        "visibility_short": service.VISIBILITY_SHORT,
        "status_labels": service.STATUS_LABELS,
        "today": date.today(),
    }


# --- overviews -------------------------------------------------------------------------------


@bp.get("/mine-skoler")
def my_schools():
    if not can(current_user, "followup.my_schools"):
        if can(current_user, "followup.cadence"):
            return redirect(url_for(".cadence"))
        if current_user.school_id and can(current_user, "followup.read", current_user.school):
            return redirect(url_for(".school", school_id=current_user.school_id))
        abort(403)
    today = date.today()
    rows = queries.school_facts(current_user, list(current_user.assigned_schools), today)
    return render("followup/my_schools.html", rows=rows, school_year=school_year_of(today))


@bp.get("/opfoelgning")
def cadence():
    require("followup.cadence")
    today = date.today()
    current_year = school_year_of(today)
    year = arg_int("aar", current_year)
    if not current_year - 10 <= year <= current_year:
        year = current_year
    only_behind = request.args.get("bagud") == "1"
    schools = queries.cadence_schools(current_user)
    cadences = cadence_for_schools([s.id for s in schools], today, year, user=current_user)
    rows = [(s, cadences[s.id]) for s in schools]
    behind_count = sum(1 for _s, c in rows if c.behind)
    if only_behind:
        rows = [(s, c) for s, c in rows if c.behind]
    rows.sort(key=lambda r: (not r[1].behind, -r[1].one_to_one_missing, r[0].name))
    return render(
        "followup/cadence.html", block="results", rows=rows, year=year, only_behind=only_behind,
        years=list(range(current_year, current_year - 5, -1)), behind_count=behind_count,
        total=len(schools),
    )


@bp.get("/skoler/<int:school_id>/opfoelgning")
def school(school_id: int):
    school = get_or_404(School, school_id, "followup.read")
    return render(
        "followup/school.html",
        school=school,
        notes=queries.school_notes(current_user, school.id),
        meetings=queries.school_meetings(current_user, school.id),
        agreements=queries.school_agreements(current_user, school.id),
        cadence=cadence_for_school(school.id, date.today(), user=current_user),
    )


@bp.get("/mine-aftaler")
def my_agreements():
    today = date.today()
    return render(
        "followup/my_agreements.html",
        mine=queries.my_open_agreements(current_user),
        overdue=queries.overdue_agreements(current_user, today),
    )


# --- sparring notes --------------------------------------------------------------------------


def _note_context(form: forms.NoteForm, school: School, note: SparringNote | None = None, **extra) -> dict:
    """Set the school-dependent choices of the form and collect what the template needs."""
    strategy = queries.school_strategy(school.id)
    leaders = queries.school_leaders(school.id)
    owners = queries.possible_owners(school.id)
    schools = list(current_user.assigned_schools) or [school]
    forms.prepare_note_form(form, schools, leaders, owners, strategy)
    return {
        "form": form, "school": school, "note": note, "strategy": strategy,
        "stance_help": queries.tool_help("stances"),
        "feedback_help": queries.tool_help("feedback_model"),
        **extra,
    }


def _note_response(ctx: dict, status: int = 200):
    return render("followup/note_form.html", block="note_form", status=status, **ctx)


@bp.route("/skoler/<int:school_id>/notater/ny", methods=["GET", "POST"])
def note_new(school_id: int):
    school = get_or_404(School, school_id, "note.create")
    form = forms.NoteForm()
    if request.method == "POST":
        posted = parse_int(request.form.get("school_id"), low=1)
        if posted and posted != school.id:
            school = get_or_404(School, posted, "note.create")
    else:
        form.school_id.data = school.id
        form.held_on.data = date.today()
    ctx = _note_context(form, school, action=url_for(".note_new", school_id=school.id))
    if request.method == "GET":
        return _note_response(ctx)

    if "add_agreement" in request.form or request.form.get("refresh") == "school":
        if "add_agreement" in request.form:
            form.agreements.append_entry()
            forms.prepare_agreement_rows(form.agreements, queries.possible_owners(school.id))
        return _note_response(ctx)
    if not form.validate():
        return _note_response(ctx, 422)
    note = service.create_note(current_user, school, forms.note_input(form, ctx["strategy"]))
    db.session.commit()
    flash(_("Sparringsnotatet er gemt."), "success")
    # Written during a visit and saved: the consultant sees the note as the school will read it.
    return redirect_to(url_for(".note_view", note_id=note.id))


@bp.get("/notater/skolefelter")
def note_school_fields():
    """The school-dependent part of a new note (leader, goals and initiatives) for another school."""
    school = get_or_404(School, arg_int("school_id", 0), "note.create")
    if not is_htmx():
        return redirect(url_for(".note_new", school_id=school.id))
    form = forms.NoteForm(formdata=None)
    form.school_id.data = school.id
    ctx = _note_context(form, school)
    return render("followup/note_form.html", block="school_fields", **ctx)


def _loaded(model, object_id: int, parts: tuple, action: str | None = None):
    """A note or a conversation with what its page shows (``parts``), or 404; given ``action``,
    403 unless the signed-in user may do it. Without: the record again after a save."""
    return found_or_404(db.session.scalar(sa.select(model).where(model.id == object_id).options(*parts)), action)


_NOTE_PARTS = (
    selectinload(SparringNote.goals), selectinload(SparringNote.initiatives),
    selectinload(SparringNote.agreements).selectinload(Agreement.owner),
    selectinload(SparringNote.school), selectinload(SparringNote.author), selectinload(SparringNote.subject),
)


def _note(note_id: int, action: str | None = None) -> SparringNote:
    return _loaded(SparringNote, note_id, _NOTE_PARTS, action)


@bp.get("/notater/<int:note_id>")
def note_view(note_id: int):
    note = _note(note_id, "note.read")
    service.record_read(note, current_user)
    db.session.commit()
    return render(
        "followup/note.html", note=note,
        stance_help=queries.tool_help("stances"), feedback_help=queries.tool_help("feedback_model"),
    )


@bp.route("/notater/<int:note_id>/rediger", methods=["GET", "POST"])
def note_edit(note_id: int):
    note = _note(note_id, "note.edit")
    form = forms.NoteForm()
    del form.school_id  # a note stays with its school
    action = url_for(".note_edit", note_id=note.id)
    if request.method == "GET":
        return _filled_note(note, action)

    ctx = _note_context(form, note.school, note, action=action)
    if "add_agreement" in request.form:
        form.agreements.append_entry()
        forms.prepare_agreement_rows(form.agreements, queries.possible_owners(note.school_id))
        return _note_response(ctx)
    if not form.validate():
        return _note_response(ctx, 422)
    changed = save_versioned(note, form.version.data,
                             lambda: service.update_note(note, forms.note_input(form, ctx["strategy"]), current_user))
    if not changed:
        note = _note(note_id)
        return _note_conflict(form, note, ctx | {"note": note})
    return _after_edit(action, _("Sparringsnotatet er gemt."), lambda: _filled_note(_note(note_id), action, saved=True))


def _filled_note(note: SparringNote, action: str, **extra):
    """The note's form, filled from what is saved."""
    form = forms.NoteForm(formdata=None)
    del form.school_id  # a note stays with its school
    forms.fill_note_form(form, note)
    return _note_response(_note_context(form, note.school, note, action=action, **extra))


def _after_edit(action: str, message: str, fragment):
    """After saving a note or a conversation: a plain form goes back to it, ``message`` flashed;
    htmx gets the form again from ``fragment()``, and ``message`` read aloud."""
    if not is_htmx():
        flash(message, "success")
        return redirect_to(action)
    return announce(fragment(), message)


def _note_conflict(form, note: SparringNote, ctx: dict):
    return conflict(form, note, lambda status: _note_response(ctx | {"conflict": note}, status))


# --- agreement and agenda rows (htmx fragments) -------------------------------------------------


@bp.get("/aftaler/ny-raekke")
def agreement_row():
    """One more blank agreement row for a note or meeting form, and the add button moved on."""
    school = db.get_or_404(School, arg_int("school_id", 0))
    if not (can(current_user, "note.create", school) or can(current_user, "meeting.create", school)):
        abort(403)
    index = arg_int("add_agreement", 0, high=99)
    row = forms.new_agreement_row("agreements", index, queries.possible_owners(school.id))
    return render_fragment("followup/_agreement_row_added.html", row=row, index=index, school=school)


@bp.get("/samtaler/ny-punkt")
def agenda_row():
    """One more blank agenda item for a meeting form, and the add button moved on."""
    school = get_or_404(School, arg_int("school_id", 0), "meeting.create")
    index = arg_int("add_item", 0, high=199)
    row = forms.new_agenda_row("agenda", index)
    return render_fragment(
        "followup/_agenda_row_added.html", row=row, index=index, school=school,
        template_help=_meeting_help(),
    )


# --- conversations (meetings) ----------------------------------------------------------------


def _meeting_help() -> dict[str, str]:
    """Help texts for the meeting form from the meeting-planning template of Fælles om Ledelse."""
    tool = queries.tool("meeting_template")
    if tool is None:
        return {}
    lines = [line.strip() for line in tool.intro.splitlines() if line.strip()]

    def matching(*words: str) -> str:
        return " ".join(line for line in lines if any(w in line.lower() for w in words))

    items = {item.key: item.description for item in tool.items}
    return {
        "purpose": matching("formål"),
        "expected_outcome": matching("udbytte", "have ud af"),
        "participants": matching("hvem skal være med"),
        "roles": matching("roller", "spilleregler"),
        "agenda": matching("dagsorden", "temaer"),
        "starts_at": matching("tidspunkt", "hvor meget tid"),
        "title": items.get("punkt", ""),
        "item_purpose": items.get("formaal-og-udbytte", ""),
        "process": items.get("proces", ""),
        "responsible": items.get("ansvar-og-roller", ""),
        "minutes": items.get("tid", ""),
        "communication": items.get("kommunikation", ""),
    }


def _meeting_context(form: forms.MeetingForm, school: School, meeting: Meeting | None = None, **extra) -> dict:
    leaders = queries.school_leaders(school.id)
    forms.prepare_meeting_form(form, leaders, queries.possible_owners(school.id), meeting)
    return {
        "form": form, "school": school, "meeting": meeting, "leaders": leaders,
        "template_help": _meeting_help(), **extra,
    }


def _meeting_response(ctx: dict, status: int = 200):
    return render("followup/meeting_form.html", block="meeting_form", status=status, **ctx)


def _subject(form: forms.MeetingForm, leaders: list[User]) -> User | None:
    return next((u for u in leaders if u.id == form.subject_id.data), None)


def _apply_suggestion(form: forms.MeetingForm, ctx: dict) -> str | None:
    """Fill the agenda from the leader's profile and the school's goals (service.conversation_agenda);
    returns a message naming what could not be used, so the user knows what is missing."""
    meeting_type = form.meeting_type.data
    if meeting_type not in (MeetingType.LUS.value, MeetingType.ONE_TO_ONE.value):
        return _("Der er ingen forslag til dagsorden for denne type samtale.")
    subject = _subject(form, ctx["leaders"])
    level = subject.profile_level if subject else None
    strategy = queries.school_strategy(ctx["school"].id)
    drafts = service.conversation_agenda(meeting_type, level, strategy)
    # Nothing goes on the agenda until the person has chosen from the suggestions (a checklist).
    chosen = set(request.form.getlist("suggested")) if "add_suggested" in request.form else None
    if chosen:
        forms.replace_agenda(form, [d for d in drafts if d.key in chosen])
        ctx["agenda_added"] = True
    elif drafts:
        ctx["suggestions"] = service.agenda_groups(drafts)
    if chosen is not None and not chosen and drafts:
        return _("Sæt flueben ved de punkter, I vil tale om, og vælg så „Sæt på dagsordenen“.")
    if subject is None:
        return _("Vælg den leder, samtalen er med, så bygges dagsordenen af lederens Learning Pipeline-profil.")
    if level is None:
        return _("%(name)s har intet Learning Pipeline-niveau. En administrator kan sætte det under brugere.",
                 name=subject.name)
    if strategy is None or not any(g.archived_at is None for g in strategy.goals):
        return _("Skolen har ingen mål i sin virksomhedsstrategi endnu.")
    return None


def _valid_links(school_id: int) -> tuple[set[int], set[int]]:
    strategy = queries.school_strategy(school_id)
    goal_ids = {g.id for g in strategy.goals} if strategy else set()
    expectation_ids = set(db.session.scalars(sa.select(Expectation.id)))
    return goal_ids, expectation_ids


@bp.route("/skoler/<int:school_id>/samtaler/ny", methods=["GET", "POST"])
def meeting_new(school_id: int):
    school = get_or_404(School, school_id, "meeting.create")
    form = forms.MeetingForm()
    ctx = _meeting_context(form, school, action=url_for(".meeting_new", school_id=school.id))
    if request.method == "GET":
        kind = request.args.get("type")
        if kind in {t.value for t in MeetingType}:
            form.meeting_type.data = kind
        subject_id = arg_int("subject", low=1)
        if subject_id in {u.id for u in ctx["leaders"]}:
            form.subject_id.data = subject_id
        elif len(ctx["leaders"]) == 1 and form.meeting_type.data in (MeetingType.LUS.value, MeetingType.ONE_TO_ONE.value):
            form.subject_id.data = ctx["leaders"][0].id
        if form.meeting_type.data in (MeetingType.LUS.value, MeetingType.ONE_TO_ONE.value):
            ctx["suggestion_message"] = _apply_suggestion(form, ctx)
        return _meeting_response(ctx)
    if edited := _edit_rows(form, ctx):
        return edited
    if not form.validate():
        return _meeting_response(ctx, 422)
    meeting = service.create_meeting(current_user, school, forms.meeting_input(form, *_valid_links(school.id)))
    db.session.commit()
    flash(_("Samtalen er gemt."), "success")
    return redirect_to(url_for(".meeting_edit", meeting_id=meeting.id))


def _edit_rows(form: forms.MeetingForm, ctx: dict):
    """The form's own buttons that change rows without saving (they also work without JS)."""
    if "add_item" in request.form:
        form.agenda.append_entry()
        return _meeting_response(ctx)
    if "add_agreement" in request.form:
        form.agreements.append_entry()
        forms.prepare_agreement_rows(form.agreements, queries.possible_owners(ctx["school"].id))
        return _meeting_response(ctx)
    if "suggest_agenda" in request.form or "add_suggested" in request.form:
        ctx["suggestion_message"] = _apply_suggestion(form, ctx)
        response = _meeting_response(ctx)
        if ctx["suggestion_message"] is None and "add_suggested" in request.form:
            # The new rows appear below the button, which keeps focus: say what happened.
            count = len(form.agenda.entries)
            announce(response, ngettext(
                "Dagsordenen har nu %(num)d punkt.", "Dagsordenen har nu %(num)d punkter.", count))
        return response
    return None


_MEETING_PARTS = (
    selectinload(Meeting.agenda_items), selectinload(Meeting.agreements).selectinload(Agreement.owner),
    selectinload(Meeting.school), selectinload(Meeting.organiser), selectinload(Meeting.subject),
)


def _meeting(meeting_id: int, action: str | None = None) -> Meeting:
    return _loaded(Meeting, meeting_id, _MEETING_PARTS, action)


@bp.get("/samtaler/<int:meeting_id>")
def meeting_view(meeting_id: int):
    meeting = _meeting(meeting_id, "meeting.read")
    service.record_read(meeting, current_user)
    db.session.commit()
    return render("followup/meeting.html", meeting=meeting)


@bp.route("/samtaler/<int:meeting_id>/rediger", methods=["GET", "POST"])
def meeting_edit(meeting_id: int):
    meeting = _meeting(meeting_id, "meeting.edit")
    form = forms.MeetingForm()
    action = url_for(".meeting_edit", meeting_id=meeting.id)
    if request.method == "GET":
        return _filled_meeting(meeting, action)
    ctx = _meeting_context(form, meeting.school, meeting, action=action)
    if edited := _edit_rows(form, ctx):
        return edited
    if not form.validate():
        return _meeting_response(ctx, 422)
    meeting_input = forms.meeting_input(form, *_valid_links(meeting.school_id))
    if not save_versioned(meeting, form.version.data, lambda: service.update_meeting(meeting, meeting_input, current_user)):
        meeting = _meeting(meeting_id)
        return _meeting_conflict(form, meeting, ctx | {"meeting": meeting})
    return _after_edit(action, _("Samtalen er gemt."), lambda: _filled_meeting(_meeting(meeting_id), action, saved=True))


def _filled_meeting(meeting: Meeting, action: str, **extra):
    """The conversation's form, filled from what is saved."""
    form = forms.MeetingForm(formdata=None)
    forms.fill_meeting_form(form, meeting)
    return _meeting_response(_meeting_context(form, meeting.school, meeting, action=action, **extra))


def _meeting_conflict(form, meeting: Meeting, ctx: dict):
    return conflict(form, meeting, lambda status: _meeting_response(ctx | {"conflict": meeting}, status))


# --- agreements ------------------------------------------------------------------------------


@bp.post("/aftaler/<int:agreement_id>/udfoert")
def agreement_done(agreement_id: int):
    agreement = db.session.scalar(
        sa.select(Agreement).where(Agreement.id == agreement_id).options(
            selectinload(Agreement.note), selectinload(Agreement.meeting),
            selectinload(Agreement.owner), selectinload(Agreement.school),
        )
    )
    if agreement is None:
        abort(404)
    require("agreement.complete", agreement)
    done = request.form.get("done") == "1"
    service.set_agreement_done(agreement, done, current_user)
    db.session.commit()
    if not is_htmx():
        return redirect_to(safe_next(url_for(".school", school_id=agreement.school_id)))
    message = _("Aftalen er markeret som udført.") if done else _("Aftalen er åbnet igen.")
    response = render_fragment(
        "followup/_agreement_item.html", agreement=agreement, show_school=request.form.get("show_school") == "1",
        next_url=safe_next(""),
    )
    return announce(response, message)
