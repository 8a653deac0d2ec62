"""The skoleudviklingssamtale: one page per school and school year, its parts and its report.

Who sees what is decided in strategy.permissions: ``sus.read`` (the whole material, test
results where ``indicator.read`` allows), ``sus.board_read`` (the board's version), ``sus.manage``
(the directorate: start, topics, parent representative, the conversation), ``sus.focus_edit``
(the leader's focus areas).
"""

from __future__ import annotations

from datetime import UTC, date

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from strategy import mail
from strategy.extensions import db
from strategy.forms import ActionForm
from strategy.cadence import local_timezone
from strategy.htmx import redirect_to, render
from strategy.inputs import arg_int
from strategy.models import Goal, MunicipalActivity, PoliticalGoal, School, SchoolDevelopmentConversation, SusFocusArea, SusTopic, User
from strategy import reports
from strategy.permissions import can, get_or_404, require
from strategy.labels import CONCLUSION as CONCLUSION_LABELS, MEETING_STATE as MEETING_STATE_LABELS, STATUS as STATUS_LABELS
from strategy.sus import forms, service
from strategy.web import signed_in_blueprint

bp = signed_in_blueprint("sus", __name__)


def _year() -> int:
    current = service.current_school_year()
    year = arg_int("aar", current, low=current - 10, high=current + 1)
    return year if year is not None else current


def _sus_or_404(sus_id: int, action: str) -> SchoolDevelopmentConversation:
    return get_or_404(SchoolDevelopmentConversation, sus_id, action)


def _refused(sus: SchoolDevelopmentConversation, **given):
    """The posted form (``focus_form=form``) checked against the choices of the conversation's
    material: the page again with it (422) when it is not valid, else None."""
    (form,) = given.values()
    _forms(service.build_material(current_user, sus.school, sus.school_year, False), **given)
    return None if form.validate() else _page(sus.school, sus.school_year, 422, **given)


def _part_or_404(model, part_id: int, sus: SchoolDevelopmentConversation):
    """A focus area or a topic of this conversation (404 otherwise), removed by its button."""
    part = db.session.get(model, part_id)
    if part is None or part.sus_id != sus.id:
        abort(404)
    if not ActionForm().validate():
        abort(400)
    return part


def _back(sus: SchoolDevelopmentConversation, message: str):
    """After a change: the conversation's page, saying what was done."""
    flash(message, "success")
    return redirect_to(_page_url(sus))


def _page_url(sus: SchoolDevelopmentConversation) -> str:
    return url_for(".school", school_id=sus.school_id, aar=sus.school_year)


def _labels() -> dict:
    return {
        "labels": {k: str(v) for k, v in STATUS_LABELS.items()},
        "conclusion_labels": {k: str(v) for k, v in CONCLUSION_LABELS.items()},
        "agreement_labels": {
            "done": _("Gennemført"), "overdue": _("Ikke gennemført, fristen er overskredet"), "open": _("Åben"),
        },
        "omitted_statement": service.omitted_statement(),
        "meeting_state_labels": {k: str(v) for k, v in MEETING_STATE_LABELS.items()},
    }


def _forms(material: service.Material, **given) -> dict:
    focus = given.get("focus_form") or forms.FocusAreaForm(formdata=None)
    focus.goal_id.choices = [("", _("Intet bestemt mål"))] + [(g.goal.id, g.goal.title) for g in material.goals + material.test_results]
    topic = given.get("topic_form") or forms.TopicForm(formdata=None)
    political_goals, activities = service.topic_choices(material.strategy)
    topic.political_goal_id.choices = [("", _("Intet politisk mål"))] + [(g.id, g.short_name or g.text[:80]) for g in political_goals]
    topic.activity_id.choices = [("", _("Ingen strategisk aktivitet"))] + [
        (a.id, f"{a.heading}: {a.text[:80]}" if a.heading else a.text[:100]) for a in activities
    ]
    parent = given.get("parent_form") or forms.ParentForm(formdata=None)
    parent.member_id.choices = [("", _("Vælg"))] + [(u.id, u.name) for u in service.board_members(material.school.id)]
    return {
        "focus_form": focus, "topic_form": topic, "parent_form": parent,
        "plan_form": given.get("plan_form") or forms.PlanForm(formdata=None),
        "action_form": ActionForm(formdata=None),
    }


def _page(school: School, year: int, status: int = 200, **given):
    require("sus.board_read", school)
    board_version = not can(current_user, "sus.read", school)
    material = service.build_material(current_user, school, year, board_version)
    if board_version and (material.sus is None or not can(current_user, "sus.board_read", material.sus)):
        abort(403)  # the preparation is the parent representative's, not the whole board's
    current = service.current_school_year()
    return render(
        "sus/school.html", status=status, school=school, year=year, material=material,
        years=list(range(current + 1, current - 5, -1)), **_labels(), **_forms(material, **given),
    )


@bp.get("/skoler/<int:school_id>/sus")
def school(school_id: int):
    school = db.get_or_404(School, school_id)
    return _page(school, _year())


@bp.post("/skoler/<int:school_id>/sus")
def start(school_id: int):
    school = db.get_or_404(School, school_id)
    require("sus.manage", school)
    year = _year()
    service.start(school, year, current_user)
    db.session.commit()
    flash(_("Forberedelsen af skoleudviklingssamtalen er startet."), "success")
    return redirect_to(url_for(".school", school_id=school.id, aar=year))


@bp.post("/sus/<int:sus_id>/fokusomraader")
def add_focus(sus_id: int):
    sus = _sus_or_404(sus_id, "sus.focus_edit")
    form = forms.FocusAreaForm()
    if refused := _refused(sus, focus_form=form):
        return refused
    goal = db.session.get(Goal, form.goal_id.data) if form.goal_id.data else None
    service.add_focus_area(sus, form.title.data.strip(), (form.description.data or "").strip(), goal)
    db.session.commit()
    return _back(sus, _("Fokusområdet er tilføjet."))


@bp.post("/sus/<int:sus_id>/fokusomraader/<int:area_id>/slet")
def delete_focus(sus_id: int, area_id: int):
    sus = _sus_or_404(sus_id, "sus.focus_edit")
    area = _part_or_404(SusFocusArea, area_id, sus)
    service.remove_focus_area(area)
    db.session.commit()
    return _back(sus, _("Fokusområdet er fjernet."))


@bp.post("/sus/<int:sus_id>/emner")
def add_topic(sus_id: int):
    sus = _sus_or_404(sus_id, "sus.manage")
    form = forms.TopicForm()
    if refused := _refused(sus, topic_form=form):
        return refused
    political_goal = db.session.get(PoliticalGoal, form.political_goal_id.data) if form.political_goal_id.data else None
    activity = db.session.get(MunicipalActivity, form.activity_id.data) if form.activity_id.data else None
    service.add_topic(sus, political_goal, activity, (form.note.data or "").strip())
    db.session.commit()
    return _back(sus, _("Emnet er tilføjet."))


@bp.post("/sus/<int:sus_id>/emner/<int:topic_id>/slet")
def delete_topic(sus_id: int, topic_id: int):
    sus = _sus_or_404(sus_id, "sus.manage")
    topic = _part_or_404(SusTopic, topic_id, sus)
    service.remove_topic(topic)
    db.session.commit()
    return _back(sus, _("Emnet er fjernet."))


@bp.post("/sus/<int:sus_id>/foraeldrerepraesentant")
def invite_parent(sus_id: int):
    sus = _sus_or_404(sus_id, "sus.manage")
    form = forms.ParentForm()
    if refused := _refused(sus, parent_form=form):
        return refused
    member = db.session.get(User, form.member_id.data)
    messages = service.invite_parent(sus, member)
    db.session.commit()
    mail.deliver_quietly(messages)
    return _back(sus, _("%(name)s er inviteret som forælderrepræsentant.", name=member.name))


@bp.post("/sus/<int:sus_id>/samtale")
def plan_meeting(sus_id: int):
    sus = _sus_or_404(sus_id, "sus.manage")
    form = forms.PlanForm()
    if not form.validate():
        return _page(sus.school, sus.school_year, 422, plan_form=form)
    starts_at = form.starts_at.data.replace(tzinfo=local_timezone()).astimezone(UTC)
    material = service.build_material(current_user, sus.school, sus.school_year, False)
    meeting = service.plan_meeting(sus, starts_at, current_user, material)
    db.session.commit()
    flash(_("Samtalen er planlagt. Dagsordenen er bygget af forberedelsen."), "success")
    return redirect_to(url_for("followup.meeting_edit", meeting_id=meeting.id))


# --- the SUS report, full and the board's version ----------------------------------------------


def _report_context(school_id: int, board_version: bool) -> dict:
    school = db.get_or_404(School, school_id)
    require("sus.board_read" if board_version else "sus.read", school)
    year = _year()
    material = service.build_material(current_user, school, year, board_version)
    return {"school": school, "year": year, "material": material, "today": date.today(), **_labels()}


@bp.get("/skoler/<int:school_id>/sus/rapport")
def report(school_id: int):
    return render("sus/report.html", layout="base.html", **_report_context(school_id, False))


@bp.get("/skoler/<int:school_id>/sus/rapport.pdf")
def report_pdf(school_id: int):
    context = _report_context(school_id, False)
    return reports.pdf_response("sus/report.html", f"sus-{school_id}-{context['year']}.pdf", **context)


@bp.get("/skoler/<int:school_id>/sus/bestyrelse")
def board_report(school_id: int):
    return render("sus/report.html", layout="base.html", **_report_context(school_id, True))


@bp.get("/skoler/<int:school_id>/sus/bestyrelse.pdf")
def board_report_pdf(school_id: int):
    context = _report_context(school_id, True)
    return reports.pdf_response("sus/report.html", f"sus-{school_id}-{context['year']}-bestyrelse.pdf", **context)
