"""Min skole: a school's virksomhedsstrategi, its goals and initiatives, status, evaluations,
comments, the yearly revision and carrying goals into a new period.

Every route: load, ``require``, validate the form, call ``service``, commit once, render. An htmx
request gets the named block of the same page template that a direct visit renders in full.
"""

from dataclasses import dataclass, field

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from strategy.concurrency import commit_retrying, save_versioned
from strategy.extensions import db
from strategy.history import FIELD_LABELS, display_value, history_rows
from strategy.htmx import announce, is_htmx, page_path, redirect_to, render, render_parts, retarget, safe_next
from strategy.inputs import arg_int, arg_ints
from strategy.models import Goal, Initiative, School, Status, Strategy, StrategySnapshot
from strategy.models.strategy import goal_roll_up
from strategy.periods import current_period
from strategy.permissions import can, get_or_404, readable_school_ids, require
from strategy.schools import forms, queries, service
from strategy.sharing.queries import provenance_of
from strategy.web import fmt_number, signed_in_blueprint

bp = signed_in_blueprint("schools", __name__)


@bp.context_processor
def _helpers():
    return {
        "goal_roll_up": goal_roll_up,
        "Status": Status,
        "page_path": page_path,
        # "Annuller" on a form opened in place: the button that opens it again takes focus.
        "closing": _closing(),
    }


# --- responses ---------------------------------------------------------------------------------------


def _slot(block: str, page, status: int = 200, **context):
    """A form slot opened in place (htmx): a block of _fragments.html; a direct visit: the page."""
    if is_htmx():
        return render_parts("schools/_fragments.html", [block], status=status, **context)
    return page(status=status, **context)


def _closing() -> bool:
    """"Annuller" on a form opened in place asks for the slot again, closed."""
    return bool(request.args.get("luk"))


# --- loading ------------------------------------------------------------------------------------------


def _goal_or_404(goal_id: int, action: str = "strategy.read") -> Goal:
    goal = queries.load_goal(goal_id)
    if goal is None:
        abort(404)
    require(action, goal)
    return goal


def _initiative_or_404(initiative_id: int, action: str = "strategy.read") -> Initiative:
    initiative = queries.load_initiative(initiative_id)
    if initiative is None:
        abort(404)
    require(action, initiative)
    return initiative


def _strategy_or_404(strategy_id: int, action: str = "strategy.read") -> Strategy:
    strategy = db.get_or_404(Strategy, strategy_id)
    require(action, strategy)
    full = queries.strategy_for(strategy.school_id, strategy.period_id)
    assert full is not None
    return full


def _political_goal_choices():
    return [(p.id, p.label) for p in queries.political_goals()]


# --- Min skole and the list of schools ----------------------------------------------------------------


@bp.get("/min-skole")
def my_school():
    """The signed-in leader's or reader's own school; everyone else picks one from the list."""
    if current_user.school_id:
        return redirect(url_for("schools.school", school_id=current_user.school_id))
    return redirect(url_for("schools.index"))


@bp.get("/skoler")
def index():
    period = current_period()
    allowed = readable_school_ids(current_user)
    return render(
        "schools/index.html",
        groups=queries.school_rows(allowed, period),
        period=period,
        assigned={s.id for s in current_user.assigned_schools},
    )


# --- a school's strategy --------------------------------------------------------------------------------


def _strategy_page(school: School, strategy: Strategy | None, period, block: str | None = None, status: int = 200, **extra):
    can_edit = can(current_user, "strategy.edit", school)
    context = {
        "school": school,
        "strategy": strategy,
        "period": period,
        "strategies": queries.school_strategies(school.id),
        "can_edit": can_edit,
    }
    if strategy is not None:
        goals = [g for g in strategy.goals if g.archived_at is None]
        context.update(
            goals=goals,
            archived_goals=[g for g in strategy.goals if g.archived_at is not None],
            needs_action=[
                (e, i)
                for g in goals
                for i in g.active_initiatives
                for e in i.evaluations
                if e.needs_action
            ] + [(e, None) for g in goals for e in g.evaluations if e.needs_action],
            year_closed=service.is_year_closed(strategy),
            last_snapshot=strategy.snapshots[-1] if strategy.snapshots else None,
        )
    context.update(extra)
    return render("schools/strategy.html", block=block, status=status, **context)


@bp.get("/skoler/<int:school_id>")
def school(school_id: int):
    school = get_or_404(School, school_id, "strategy.read")
    key = request.args.get("periode")
    period = queries.period_by_key(key) if key else current_period()
    if key and period is None:
        abort(404)
    strategy = queries.strategy_for(school.id, period.id) if period else None
    return _strategy_page(school, strategy, period, block="goals" if strategy else None)


def _goals_block(strategy: Strategy, status: int = 200, **extra):
    return _strategy_page(strategy.school, strategy, strategy.period, block="goals", status=status, **extra)


@bp.get("/skoler/<int:school_id>/ny-strategi")
def new_strategy(school_id: int):
    school = get_or_404(School, school_id, "strategy.edit")
    return _start_page(school, forms.StartStrategyForm(formdata=None))


def _start_context(school: School):
    previous = queries.school_strategies(school.id)
    free = queries.periods_to_start(previous)
    source = queries.strategy_with_goals(previous[0].id) if previous else None
    return free, source


def _start_page(school: School, form, status: int = 200):
    free, source = _start_context(school)
    if form.period.data is None:
        current = current_period()
        wanted = request.args.get("periode") or (current.key if current else None)
        form.period.data = wanted if any(p.key == wanted for p in free) else (free[0].key if free else None)
    form.period.choices = forms.choices((p.key, p.name) for p in free)
    goals = [g for g in source.goals if g.archived_at is None] if source else []
    form.goals.choices = forms.choices((g.id, g.title) for g in goals)
    form.initiatives.choices = forms.choices((i.id, i.title) for g in goals for i in g.active_initiatives)
    return render("schools/start.html", block="start_form", status=status,
                  school=school, form=form, source=source, source_goals=goals, free_periods=free)


@bp.post("/skoler/<int:school_id>/ny-strategi")
def create_strategy(school_id: int):
    school = get_or_404(School, school_id, "strategy.edit")
    free, source = _start_context(school)
    form = forms.StartStrategyForm(periods=free, source=source)
    if not form.validate_on_submit():
        return _start_page(school, form, status=422)
    period = queries.period_by_key(form.period.data)
    try:
        service.start_strategy(
            school, period, current_user, source=source,
            goal_ids=form.goals.data or [], initiative_ids=form.initiatives.data or [],
        )
    except service.DomainError as error:
        form.period.errors = [str(error)]
        return _start_page(school, form, status=422)
    db.session.commit()
    return redirect_to(url_for("schools.school", school_id=school.id, periode=period.key))


@bp.post("/strategi/<int:strategy_id>/afslut-aar")
def close_year(strategy_id: int):
    strategy = _strategy_or_404(strategy_id, "strategy.edit")
    form = forms.ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    year = strategy.current_year
    try:
        service.close_year(strategy, current_user)
    except service.DomainError as error:
        return _strategy_page(strategy.school, strategy, strategy.period, block="revision", status=409,
                              revision_error=str(error))
    db.session.commit()
    url = url_for("schools.school", school_id=strategy.school_id, periode=strategy.period.key)
    if not is_htmx():
        return redirect(url, 303)
    strategy = queries.strategy_for(strategy.school_id, strategy.period_id)
    response = _strategy_page(strategy.school, strategy, strategy.period, block="revision",
                              revision_message=_("Året %(year)s er afsluttet og gemt. I kan nu sammenligne med det.", year=year))
    return announce(response, _("Året %(year)s er afsluttet.", year=year))


def _snapshot_or_404(strategy: Strategy, year: int | None) -> StrategySnapshot:
    if year is None:
        earlier = [s for s in strategy.snapshots if s.year < strategy.current_year] or strategy.snapshots
        if not earlier:
            abort(404)
        return earlier[-1]
    snapshot = next((s for s in strategy.snapshots if s.year == year), None)
    if snapshot is None:
        abort(404)
    return snapshot


@bp.get("/strategi/<int:strategy_id>/aar/<int:year>")
def snapshot(strategy_id: int, year: int):
    strategy = _strategy_or_404(strategy_id)
    snap = _snapshot_or_404(strategy, year)
    data = service.visible_snapshot(snap.data, current_user, strategy.school_id)
    return render("schools/snapshot.html", strategy=strategy, school=strategy.school, snapshot=snap, data=data)


@bp.get("/strategi/<int:strategy_id>/sammenlign")
def compare(strategy_id: int):
    strategy = _strategy_or_404(strategy_id)
    year = arg_int("aar", low=1900, high=2200)
    snap = _snapshot_or_404(strategy, year)
    comparison = service.compare(service.visible_snapshot(snap.data, current_user, strategy.school_id),
                                 service.visible_snapshot(service.snapshot_data(strategy), current_user, strategy.school_id))
    return render("schools/compare.html", block="comparison", strategy=strategy, school=strategy.school,
                  snapshot=snap, comparison=comparison, field_labels=FIELD_LABELS, show=display_value)


# --- goals ---------------------------------------------------------------------------------------------


@bp.get("/strategi/<int:strategy_id>/maal/ny")
def new_goal(strategy_id: int):
    strategy = _strategy_or_404(strategy_id, "strategy.edit")
    form = None if _closing() else forms.GoalForm(formdata=None, political_goal_choices=_political_goal_choices())
    return _new_goal_slot(strategy, form)


def _new_goal_slot(strategy: Strategy, form, status: int = 200):
    def page(status, strategy, **context):
        return _strategy_page(strategy.school, strategy, strategy.period, status=status, **context)

    return _slot("new_goal", page, status=status, strategy=strategy, goal_form=form,
                 policies=queries.policies_with_goals())


@bp.post("/strategi/<int:strategy_id>/maal")
def create_goal(strategy_id: int):
    strategy = _strategy_or_404(strategy_id, "strategy.edit")
    form = forms.GoalForm(political_goal_choices=_political_goal_choices())
    if not form.validate_on_submit():
        return _new_goal_slot(strategy, form, status=422)
    goal = service.create_goal(strategy, form.values(), current_user)
    db.session.commit()
    if not is_htmx():
        return redirect(url_for("schools.school", school_id=strategy.school_id, periode=strategy.period.key) + f"#goal-{goal.id}", 303)
    strategy = queries.strategy_for(strategy.school_id, strategy.period_id)
    response = _goals_block(strategy, focus_goal=goal.id)
    return announce(retarget(response, "#goals"), _("Målet er oprettet."))


def _goal_page(goal: Goal, block: str | None = None, status: int = 200, **extra):
    strategy = goal.strategy
    comments = queries.comments_on(goal_id=goal.id)
    context = {
        "goal": goal,
        "strategy": strategy,
        "school": strategy.school,
        "can_edit": can(current_user, "strategy.edit", strategy),
        "can_comment": can(current_user, "strategy.comment", strategy),
        "comments": comments,
        "chart": queries.indicator_chart(goal, number=fmt_number) if can(current_user, "indicator.read", goal) else None,
        "measurement_form": extra.pop("measurement_form", None)
        or forms.MeasurementForm(formdata=None, year=strategy.current_year),
        "comment_form": extra.pop("comment_form", None) or forms.CommentForm(formdata=None),
    }
    context.update(extra)
    return render("schools/goal.html", block=block, status=status, **context)


@bp.get("/maal/<int:goal_id>")
def goal(goal_id: int):
    goal = _goal_or_404(goal_id)
    return _goal_page(goal, block="goal_details")


@bp.get("/maal/<int:goal_id>/rediger")
def edit_goal(goal_id: int):
    goal = _goal_or_404(goal_id, "strategy.edit")
    form = forms.GoalForm(formdata=None, obj=goal, political_goal_choices=_political_goal_choices())
    form.political_goals.data = [p.id for p in goal.political_goals]
    form.data_type.data = goal.data_type
    form.version.data = goal.version
    return _goal_page(goal, block="goal_details", goal_form=form, policies=queries.policies_with_goals())


@dataclass
class Conflict:
    """Another person saved the same record after this form was opened."""

    by: str
    at: object
    theirs: dict[str, str] = field(default_factory=dict)


def _conflict(obj, fields, form) -> Conflict:
    """Who changed the record, and its saved value of every field where it differs from the input."""
    event = queries.latest_change(obj)
    saved = service.state(obj, fields)
    theirs = {}
    for name in fields:
        mine = _form_display(form[name]) if name in form else None
        current = display_value(name, saved.get(name))
        if mine != current:
            theirs[name] = current or _("(tomt)")
    by = event.actor.name if event and event.actor else _("en anden")
    return Conflict(by=by, at=event.at if event else None, theirs=theirs)


def _form_display(f) -> str:
    if isinstance(f, forms.CheckboxesField):
        labels = {c.value: str(c.label) for c in f.choices}
        return ", ".join(labels[v] for v in (f.data or []) if v in labels)
    if f.type == "SelectField":
        labels = {f.coerce(c.value): str(c.label) for c in f.choices if c.value != ""}
        return labels.get(f.data, "") if f.data is not None else ""
    return display_value(f.name, f.data)


@bp.post("/maal/<int:goal_id>")
def update_goal(goal_id: int):
    goal = _goal_or_404(goal_id, "strategy.edit")
    form = forms.GoalForm(political_goal_choices=_political_goal_choices())
    policies = queries.policies_with_goals()
    if not form.validate_on_submit():
        return _goal_page(goal, block="goal_details", status=422, goal_form=form, policies=policies)
    if not save_versioned(goal, form.version.data, lambda: service.update_goal(goal, form.values(), current_user)):
        return _goal_conflict(queries.load_goal(goal_id), form, policies)
    if not is_htmx():
        return redirect(url_for("schools.goal", goal_id=goal.id), 303)
    goal = queries.load_goal(goal_id)
    return announce(_goal_page(goal, block="goal_details", saved=True), _("Målet er gemt."))


def _goal_conflict(goal: Goal, form, policies):
    conflict = _conflict(goal, service.GOAL_FIELDS, form)
    form.version.data = goal.version  # saving again now overwrites knowingly
    return _goal_page(goal, block="goal_details", status=409, goal_form=form, policies=policies, conflict=conflict)


def _goal_list_response(goal: Goal, message: str):
    """After moving, archiving or restoring a goal: the strategy's goal list (or the page)."""
    strategy = goal.strategy
    url = url_for("schools.school", school_id=strategy.school_id, periode=strategy.period.key)
    if not is_htmx():
        return redirect(safe_next(url), 303)
    strategy = queries.strategy_for(strategy.school_id, strategy.period_id)
    return announce(_goals_block(strategy, focus_goal=goal.id), message)


@bp.post("/maal/<int:goal_id>/flyt")
def move_goal(goal_id: int):
    goal = _goal_or_404(goal_id, "strategy.edit")
    form = forms.MoveForm()
    if not form.validate_on_submit():
        abort(400)
    service.move_goal(goal, form.direction.data, current_user)
    db.session.commit()
    message = _("Målet er flyttet op.") if form.direction.data == "up" else _("Målet er flyttet ned.")
    return _goal_list_response(goal, message)


@bp.post("/maal/<int:goal_id>/arkiver")
def archive_goal(goal_id: int):
    goal = _goal_or_404(goal_id, "strategy.edit")
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    service.archive_goal(goal, current_user)
    db.session.commit()
    return _goal_list_response(goal, _("Målet er arkiveret."))


@bp.post("/maal/<int:goal_id>/genskab")
def restore_goal(goal_id: int):
    goal = _goal_or_404(goal_id, "strategy.edit")
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    service.restore_goal(goal, current_user)
    db.session.commit()
    return _goal_list_response(goal, _("Målet er genskabt."))


@bp.post("/maal/<int:goal_id>/maalinger")
def save_measurement(goal_id: int):
    goal = _goal_or_404(goal_id, "strategy.edit")
    form = forms.MeasurementForm(unit=goal.unit)
    if not form.validate_on_submit():
        return _goal_page(goal, block="indicator", status=422, measurement_form=form)
    service.set_measurement(goal, form.year.data, form.value.data, (form.note.data or "").strip(), current_user,
                            pupils=form.pupils.data, new_series=bool(form.new_series.data))
    db.session.commit()
    if not is_htmx():
        return redirect(url_for("schools.goal", goal_id=goal.id) + "#indikator", 303)
    goal = queries.load_goal(goal_id)
    return announce(_goal_page(goal, block="indicator"), _("Målingen for %(year)s er gemt.", year=form.year.data))


@bp.post("/maal/<int:goal_id>/maalinger/slet")
def delete_measurement(goal_id: int):
    goal = _goal_or_404(goal_id, "strategy.edit")
    form = forms.DeleteMeasurementForm()
    if not form.validate_on_submit():
        abort(400)
    service.delete_measurement(goal, form.year.data, current_user)
    db.session.commit()
    if not is_htmx():
        return redirect(url_for("schools.goal", goal_id=goal.id) + "#indikator", 303)
    goal = queries.load_goal(goal_id)
    return announce(_goal_page(goal, block="indicator"), _("Målingen for %(year)s er slettet.", year=form.year.data))


# --- initiatives ---------------------------------------------------------------------------------------


def _initiative_form(school_id: int, formdata=None, **kwargs):
    levels = queries.levels_for_school(school_id)
    form = forms.InitiativeForm(formdata=formdata, levels=levels, political_goal_choices=_political_goal_choices(), **kwargs)
    return form, levels


def _new_prefix(goal: Goal) -> str:
    """Several goals' "Nyt tiltag" forms may be open on one page: their field ids must differ."""
    return f"g{goal.id}"


def _picker(form, levels) -> dict:
    """The picker's state: the chosen expectations (chips) and the search results."""
    chosen_ids = set(form.expectations.data or [])
    by_id = {e.id: (lvl, e) for lvl in levels for e in lvl.expectations}
    chosen = [by_id[i] for i in form.expectations.data or [] if i in by_id]
    results = [
        (lvl, [e for e in hits if e.id not in chosen_ids])
        for lvl, hits in queries.search_expectations(levels, (form.q.data or "").strip())
    ]
    return {"picker_state": {
        "picker_chosen": chosen,
        "picker_results": [(lvl, hits) for lvl, hits in results if hits],
        "picker_query": (form.q.data or "").strip(),
    }}


def _searching() -> bool:
    """The picker's "Søg" button (without JavaScript) posts the whole form: search, keep input."""
    return request.form.get("action") == "search"


@bp.get("/maal/<int:goal_id>/tiltag/ny")
def new_initiative(goal_id: int):
    goal = _goal_or_404(goal_id, "strategy.edit")
    if _closing():
        return _new_initiative_slot(goal, None, {})
    form, levels = _initiative_form(goal.strategy.school_id, prefix=_new_prefix(goal))
    return _new_initiative_slot(goal, form, _picker(form, levels))


def _new_initiative_slot(goal: Goal, form, picker: dict, status: int = 200):
    def page(status, goal, **context):
        return _goal_page(goal, status=status, **context)

    return _slot("new_initiative", page, status=status, goal=goal, initiative_form=form,
                 policies=queries.policies_with_goals(), **picker)


@bp.post("/maal/<int:goal_id>/tiltag")
def create_initiative(goal_id: int):
    goal = _goal_or_404(goal_id, "strategy.edit")
    form, levels = _initiative_form(goal.strategy.school_id, formdata=request.form, prefix=_new_prefix(goal))
    if _searching():
        return _new_initiative_slot(goal, form, _picker(form, levels))
    if not form.validate_on_submit():
        return _new_initiative_slot(goal, form, _picker(form, levels), status=422)
    initiative = service.create_initiative(goal, form.values(), current_user)
    db.session.commit()
    if not is_htmx():
        return redirect(safe_next(url_for("schools.goal", goal_id=goal.id)) + f"#initiative-{initiative.id}", 303)
    goal = queries.load_goal(goal_id)
    response = _goal_page(goal, block="initiatives", focus_initiative=initiative.id)
    return announce(retarget(response, f"#initiatives-{goal.id}"), _("Tiltaget er oprettet."))


def _initiative_page(initiative: Initiative, block: str | None = None, status: int = 200, **extra):
    strategy = initiative.goal.strategy
    context = {
        "initiative": initiative,
        "goal": initiative.goal,
        "strategy": strategy,
        "school": strategy.school,
        "can_edit": can(current_user, "strategy.edit", strategy),
        "can_comment": can(current_user, "strategy.comment", strategy),
        "comments": queries.comments_on(initiative_ids=[initiative.id]),
        "comment_form": extra.pop("comment_form", None) or forms.CommentForm(formdata=None),
        "provenance": provenance_of(initiative),
    }
    context.update(extra)
    return render("schools/initiative.html", block=block, status=status, **context)


@bp.get("/tiltag/<int:initiative_id>")
def initiative(initiative_id: int):
    initiative = _initiative_or_404(initiative_id)
    return _initiative_page(initiative, block="plan")


@bp.get("/tiltag/<int:initiative_id>/rediger")
def edit_initiative(initiative_id: int):
    initiative = _initiative_or_404(initiative_id, "strategy.edit")
    form, levels = _initiative_form(initiative.goal.strategy.school_id, obj=initiative)
    form.owner_level.data = initiative.owner_level_id
    form.expectations.data = [e.id for e in initiative.expectations]
    form.political_goals.data = [p.id for p in initiative.political_goals]
    form.version.data = initiative.version
    return _initiative_page(initiative, block="plan", initiative_form=form, policies=queries.policies_with_goals(),
                            **_picker(form, levels))


@bp.post("/tiltag/<int:initiative_id>")
def update_initiative(initiative_id: int):
    initiative = _initiative_or_404(initiative_id, "strategy.edit")
    form, levels = _initiative_form(initiative.goal.strategy.school_id, formdata=request.form)
    policies = queries.policies_with_goals()
    if _searching():
        return _initiative_page(initiative, block="plan", initiative_form=form, policies=policies, **_picker(form, levels))
    if not form.validate_on_submit():
        return _initiative_page(initiative, block="plan", status=422, initiative_form=form, policies=policies,
                                **_picker(form, levels))
    changed = save_versioned(initiative, form.version.data,
                             lambda: service.update_initiative(initiative, form.values(), current_user))
    if not changed:
        return _initiative_conflict(queries.load_initiative(initiative_id), form, levels)
    if not is_htmx():
        return redirect(url_for("schools.initiative", initiative_id=initiative.id), 303)
    initiative = queries.load_initiative(initiative_id)
    return announce(_initiative_page(initiative, block="plan", saved=True), _("Tiltaget er gemt."))


def _initiative_conflict(initiative: Initiative, form, levels):
    conflict = _conflict(initiative, service.INITIATIVE_FIELDS, form)
    form.version.data = initiative.version
    return _initiative_page(initiative, block="plan", status=409, initiative_form=form, conflict=conflict,
                            policies=queries.policies_with_goals(), **_picker(form, levels))


def _initiative_list_response(initiative: Initiative, message: str):
    """After moving, archiving or restoring an initiative: its goal's initiative list."""
    goal = initiative.goal
    if not is_htmx():
        return redirect(safe_next(url_for("schools.goal", goal_id=goal.id)), 303)
    goal = queries.load_goal(goal.id)
    response = _goal_page(goal, block="initiatives", focus_initiative=initiative.id)
    return announce(retarget(response, f"#initiatives-{goal.id}"), message)


@bp.post("/tiltag/<int:initiative_id>/flyt")
def move_initiative(initiative_id: int):
    initiative = _initiative_or_404(initiative_id, "strategy.edit")
    form = forms.MoveForm()
    if not form.validate_on_submit():
        abort(400)
    service.move_initiative(initiative, form.direction.data, current_user)
    db.session.commit()
    message = _("Tiltaget er flyttet op.") if form.direction.data == "up" else _("Tiltaget er flyttet ned.")
    return _initiative_list_response(initiative, message)


@bp.post("/tiltag/<int:initiative_id>/arkiver")
def archive_initiative(initiative_id: int):
    initiative = _initiative_or_404(initiative_id, "strategy.edit")
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    service.archive_initiative(initiative, current_user)
    db.session.commit()
    return _initiative_list_response(initiative, _("Tiltaget er arkiveret."))


@bp.post("/tiltag/<int:initiative_id>/genskab")
def restore_initiative(initiative_id: int):
    initiative = _initiative_or_404(initiative_id, "strategy.edit")
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    service.restore_initiative(initiative, current_user)
    db.session.commit()
    return _initiative_list_response(initiative, _("Tiltaget er genskabt."))


# --- status inline --------------------------------------------------------------------------------------


def _compact() -> bool:
    """The status cell of a list (strategy page, goal page) rather than the initiative page."""
    return (request.values.get("visning") == "kort") and is_htmx()


def _status_response(initiative: Initiative, status: int = 200, **extra):
    if _compact():
        blocks = ["status", "rollup_oob"] if extra.get("rollup_goal") is not None else ["status"]
        return render_parts("schools/initiative.html", blocks, status=status, **_status_context(initiative, **extra))
    return _initiative_page(initiative, block="status", status=status, compact=False, **extra)


def _status_context(initiative: Initiative, **extra) -> dict:
    strategy = initiative.goal.strategy
    return {
        "initiative": initiative,
        "goal": initiative.goal,
        "strategy": strategy,
        "school": strategy.school,
        "can_edit": can(current_user, "strategy.edit", strategy),
        "compact": True,
        **extra,
    }


def _status_prefix(initiative: Initiative) -> str:
    return f"status{initiative.id}"


@bp.get("/tiltag/<int:initiative_id>/status")
def status(initiative_id: int):
    initiative = _initiative_or_404(initiative_id)
    form = None
    if request.args.get("rediger"):
        require("strategy.edit", initiative)
        form = forms.StatusForm(formdata=None, status=initiative.status.value, prefix=_status_prefix(initiative))
    return _status_response(initiative, status_form=form)


@bp.post("/tiltag/<int:initiative_id>/status")
def set_status(initiative_id: int):
    initiative = _initiative_or_404(initiative_id, "strategy.edit")
    form = forms.StatusForm(prefix=_status_prefix(initiative))
    if not form.validate_on_submit():
        return _status_response(initiative, status=422, status_form=form)
    new_status = Status(form.status.data)
    comment = (form.comment.data or "").strip()
    # A colleague's status update at the same moment is kept too (commit_retrying).
    initiative = commit_retrying(lambda i: service.set_status(i, new_status, comment, current_user),
                                 lambda: _initiative_or_404(initiative_id))
    if not is_htmx():
        return redirect(safe_next(url_for("schools.initiative", initiative_id=initiative.id)), 303)
    initiative = queries.load_initiative(initiative_id)
    goal = queries.load_goal(initiative.goal_id)  # its initiatives' statuses, for the roll-up
    response = _status_response(initiative, saved=True, rollup_goal=goal)
    return announce(response, _("Status er sat til %(status)s.", status=queries.status_label(new_status)))


# --- evaluations ----------------------------------------------------------------------------------------


def _evaluation_page(subject, block: str, status: int = 200, **extra):
    if isinstance(subject, Goal):
        return _goal_page(subject, block=block, status=status, **extra)
    return _initiative_page(subject, block=block, status=status, **extra)


def _new_evaluation(subject):
    require("strategy.edit", subject)
    form = None if _closing() else forms.EvaluationForm(formdata=None)
    return _evaluation_page(subject, "evaluations", evaluation_form=form)


def _create_evaluation(subject, reload):
    require("strategy.edit", subject)
    form = forms.EvaluationForm()
    if not form.validate_on_submit():
        return _evaluation_page(subject, "evaluations", status=422, evaluation_form=form)
    evaluation = service.add_evaluation(subject, form.values(), current_user)
    db.session.commit()
    if not is_htmx():
        endpoint = "schools.goal" if isinstance(subject, Goal) else "schools.initiative"
        key = "goal_id" if isinstance(subject, Goal) else "initiative_id"
        return redirect(url_for(endpoint, **{key: subject.id}) + "#evalueringer", 303)
    response = _evaluation_page(reload(subject.id), "evaluations", focus_evaluation=evaluation.id)
    return announce(response, _("Evalueringen er gemt."))


@bp.get("/maal/<int:goal_id>/evalueringer/ny")
def new_goal_evaluation(goal_id: int):
    return _new_evaluation(_goal_or_404(goal_id))


@bp.post("/maal/<int:goal_id>/evalueringer")
def create_goal_evaluation(goal_id: int):
    return _create_evaluation(_goal_or_404(goal_id), queries.load_goal)


@bp.get("/tiltag/<int:initiative_id>/evalueringer/ny")
def new_initiative_evaluation(initiative_id: int):
    return _new_evaluation(_initiative_or_404(initiative_id))


@bp.post("/tiltag/<int:initiative_id>/evalueringer")
def create_initiative_evaluation(initiative_id: int):
    return _create_evaluation(_initiative_or_404(initiative_id), queries.load_initiative)


@bp.post("/evalueringer/<int:evaluation_id>/fulgt-op")
def acted_on(evaluation_id: int):
    evaluation = queries.load_evaluation(evaluation_id)
    if evaluation is None:
        abort(404)
    require("strategy.edit", evaluation)
    subject_is_goal = evaluation.goal_id is not None
    subject_id = evaluation.goal_id or evaluation.initiative_id
    load = queries.load_goal if subject_is_goal else queries.load_initiative
    form = forms.ActedOnForm()
    if not form.validate_on_submit():
        return _evaluation_page(load(subject_id), "evaluations", status=422,
                                acted_on_form=form, acted_on_id=evaluation.id)
    service.mark_acted_on(evaluation, form.acted_on_note.data.strip(), current_user)
    db.session.commit()
    if not is_htmx():
        endpoint = "schools.goal" if subject_is_goal else "schools.initiative"
        key = "goal_id" if subject_is_goal else "initiative_id"
        return redirect(url_for(endpoint, **{key: subject_id}) + "#evalueringer", 303)
    response = _evaluation_page(load(subject_id), "evaluations", focus_evaluation=evaluation.id)
    return announce(response, _("Opfølgningen er gemt."))


# --- comments ------------------------------------------------------------------------------------------


def _create_comment(subject, reload):
    require("strategy.comment", subject)
    form = forms.CommentForm()
    if not form.validate_on_submit():
        return _evaluation_page(subject, "comments", status=422, comment_form=form)
    comment = service.add_comment(subject, form.body.data.strip(), current_user)
    db.session.commit()
    if not is_htmx():
        endpoint = "schools.goal" if isinstance(subject, Goal) else "schools.initiative"
        key = "goal_id" if isinstance(subject, Goal) else "initiative_id"
        return redirect(url_for(endpoint, **{key: subject.id}) + "#kommentarer", 303)
    response = _evaluation_page(reload(subject.id), "comments", focus_comment=comment.id)
    return announce(response, _("Kommentaren er gemt."))


@bp.post("/maal/<int:goal_id>/kommentarer")
def comment_goal(goal_id: int):
    return _create_comment(_goal_or_404(goal_id), queries.load_goal)


@bp.post("/tiltag/<int:initiative_id>/kommentarer")
def comment_initiative(initiative_id: int):
    return _create_comment(_initiative_or_404(initiative_id), queries.load_initiative)


# --- timelines and history -------------------------------------------------------------------------------


@bp.get("/maal/<int:goal_id>/tidslinje")
def goal_timeline(goal_id: int):
    goal = _goal_or_404(goal_id)
    comments = queries.comments_on(goal_id=goal.id, initiative_ids=[i.id for i in goal.initiatives])
    return render("schools/timeline.html", subject=goal, goal=goal, strategy=goal.strategy,
                  school=goal.strategy.school, entries=queries.goal_timeline(goal, comments))


@bp.get("/tiltag/<int:initiative_id>/tidslinje")
def initiative_timeline(initiative_id: int):
    initiative = _initiative_or_404(initiative_id)
    comments = queries.comments_on(initiative_ids=[initiative.id])
    strategy = initiative.goal.strategy
    return render("schools/timeline.html", subject=initiative, goal=initiative.goal, initiative=initiative,
                  strategy=strategy, school=strategy.school, entries=queries.initiative_timeline(initiative, comments))


@bp.get("/maal/<int:goal_id>/historik")
def goal_history(goal_id: int):
    goal = _goal_or_404(goal_id, "audit.read")
    return render("schools/history.html", subject=goal, goal=goal, strategy=goal.strategy, school=goal.strategy.school,
                  events=history_rows(current_user, queries.goal_history(goal)))


@bp.get("/tiltag/<int:initiative_id>/historik")
def initiative_history(initiative_id: int):
    initiative = _initiative_or_404(initiative_id, "audit.read")
    strategy = initiative.goal.strategy
    return render("schools/history.html", subject=initiative, goal=initiative.goal, initiative=initiative,
                  strategy=strategy, school=strategy.school,
                  events=history_rows(current_user, queries.initiative_history(initiative)))


# --- the expectation picker ----------------------------------------------------------------------------------


@bp.get("/skoler/<int:school_id>/forventninger")
def expectations(school_id: int):
    """Search-as-you-type for the initiative form: municipal levels and the school's own."""
    school = get_or_404(School, school_id, "strategy.read")
    prefix = (request.args.get("prefix") or "")[:20]
    prefix = prefix if prefix.replace("-", "").isalnum() else ""
    query = (request.args.get(prefix + "q") or "").strip()[:200]
    chosen = set(arg_ints(prefix + "expectations", limit=500))
    levels = queries.levels_for_school(school.id)
    results = [
        (lvl, [e for e in hits if e.id not in chosen])
        for lvl, hits in queries.search_expectations(levels, query)
    ]
    return render("schools/expectations.html", block="picker_results", school=school,
                  picker_results=[(lvl, hits) for lvl, hits in results if hits], picker_query=query,
                  picker_name=prefix + "expectations", picker_id=(request.args.get("picker") or "picker")[:60])
