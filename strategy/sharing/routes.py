"""Videndeling: practices from other schools, "Brug som inspiration", and how practices spread.

The 004 steps shape the adoption page: first what the other school did and learned, in its
context (quoted, read-only); then the own ståsted, what we try, who does what when, signs and
evaluation, written for the own school.
"""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from strategy.extensions import db
from strategy.htmx import redirect_to, render
from strategy.inputs import arg_int
from strategy.models import School
from strategy.periods import current_period
from strategy.permissions import require
from strategy import loaders
from strategy.sharing import forms, queries, service
from strategy.web import signed_in_blueprint

bp = signed_in_blueprint("sharing", __name__)


@bp.context_processor
def _helpers():
    return {"tried_and_evaluated": queries.tried_and_evaluated}


@bp.get("/skoler/<int:school_id>/praksis")
def practices(school_id: int):
    school = db.get_or_404(School, school_id)
    require("practices.read", school)
    period = current_period()
    strategy = loaders.strategy_for(school.id, period.id) if period else None
    return render("sharing/practices.html", school=school, period=period, strategy=strategy,
                  groups=queries.practices_for(current_user, strategy))


def _source_or_404(initiative_id: int):
    source = loaders.load_initiative(initiative_id)
    if source is None:
        abort(404)
    require("strategy.read", source)
    require("practice.adopt", source)
    return source


def _adopt_form(source, formdata=None):
    period = current_period()
    goals = queries.own_goals(current_user.school_id, period.id if period else None)
    levels_ok = {None, current_user.school_id}
    expectation_choices = [(e.id, e.text) for e in source.expectations if e.level.school_id in levels_ok]
    form = forms.AdoptForm(
        formdata=formdata, source=source, goals=goals,
        political_goal_choices=[(p.id, p.label) for p in loaders.political_goals()],
        expectation_choices=expectation_choices,
    )
    if formdata is None:
        form.title.data = source.title
        form.political_goals.data = [p.id for p in source.political_goals]
        form.expectations.data = [e for e, _text in expectation_choices]
        wanted = arg_int("til_maal")
        chosen = next((g for g in goals if g.id == wanted), None)
        if chosen is None:  # the goal that shares most political goals with the practice
            served = {p.id for p in [*source.political_goals, *source.goal.political_goals]}
            ranked = sorted(goals, key=lambda g: -len(served & {p.id for p in g.political_goals}))
            chosen = ranked[0] if ranked and served & {p.id for p in ranked[0].political_goals} else None
        form.goal.data = chosen.id if chosen else 0
    return form, goals, period


def _adopt_page(source, form, goals, period, status: int = 200):
    evaluation = queries.latest_evaluations([source.id]).get(source.id)
    return render("sharing/adopt.html", block="adopt_form", status=status, source=source, form=form, goals=goals,
                  period=period, evaluation=evaluation, source_school=source.goal.strategy.school)


@bp.get("/tiltag/<int:initiative_id>/inspiration")
def adopt(initiative_id: int):
    source = _source_or_404(initiative_id)
    form, goals, period = _adopt_form(source)
    return _adopt_page(source, form, goals, period)


@bp.post("/tiltag/<int:initiative_id>/inspiration")
def create_adoption(initiative_id: int):
    source = _source_or_404(initiative_id)
    form, goals, period = _adopt_form(source, formdata=request.form)
    if not form.validate_on_submit():
        return _adopt_page(source, form, goals, period, status=422)
    goal = next(g for g in goals if g.id == form.goal.data)
    require("strategy.edit", goal)
    initiative = service.adopt(source, goal, form.values(), current_user)
    db.session.commit()
    flash(_("Tiltaget er oprettet, inspireret af %(title)s på %(school)s.", title=source.title,
            school=source.goal.strategy.school.name), "success")
    return redirect_to(url_for("schools.initiative", initiative_id=initiative.id))


@bp.get("/videndeling")
def spread():
    require("sharing.spread")
    return render("sharing/spread.html", spread=queries.spread())
