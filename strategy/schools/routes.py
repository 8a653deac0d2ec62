"""Min skole: a school's virksomhedsstrategi, its goals and initiatives, status, evaluations,
comments, the yearly revision and carrying goals into a new period.

Every route: load (and check) once, validate the form, call ``service``, commit once, answer.
What a page shows is built in ``pages``; how the answer travels is ``strategy.htmx``'s.
"""

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from strategy import loaders
from strategy.concurrency import commit_retrying, save_versioned
from strategy.extensions import db
from strategy.forms import ActionForm
from strategy.htmx import page_path, redirect_to, render
from strategy.inputs import arg_int
from strategy.models import Goal, Initiative, School, Status, Strategy, StrategySnapshot
from strategy.models.strategy import goal_roll_up
from strategy.periods import current_period
from strategy.permissions import found_or_404, get_or_404, readable_school_ids, require
from strategy.schools import forms, pages, queries, service
from strategy.web import signed_in_blueprint

bp = signed_in_blueprint("schools", __name__)


@bp.context_processor
def _helpers():
    return {
        "goal_roll_up": goal_roll_up,
        "Status": Status,
        "page_path": page_path,
        # "Annuller" on a form opened in place: the button that opens it again takes focus.
        "closing": pages.closing(),
    }


# --- loading: the object or 404, then 403 unless the user may do ``action`` on it ----------------------


def _goal_or_404(goal_id: int, action: str = "strategy.read") -> Goal:
    return found_or_404(loaders.load_goal(goal_id), action)


def _initiative_or_404(initiative_id: int, action: str = "strategy.read") -> Initiative:
    return found_or_404(loaders.load_initiative(initiative_id), action)


def _subject_or_404(ids: dict, action: str = "strategy.read") -> Goal | Initiative:
    """The goal or the initiative a URL names (``goal_id`` or ``initiative_id``)."""
    if "goal_id" in ids:
        return _goal_or_404(ids["goal_id"], action)
    return _initiative_or_404(ids["initiative_id"], action)


def _strategy_or_404(strategy_id: int, action: str = "strategy.read") -> Strategy:
    strategy = get_or_404(Strategy, strategy_id, action)
    return loaders.strategy_for(strategy.school_id, strategy.period_id)  # with what its pages show


def _snapshot_or_404(strategy: Strategy, year: int | None) -> StrategySnapshot:
    snapshot = strategy.snapshot_of(year)
    if snapshot is None:
        abort(404)
    return snapshot


def _confirmed(form=None):
    """A button's POST: 400 unless its form (by default only the CSRF token) is valid."""
    form = form or ActionForm()
    if not form.validate_on_submit():
        abort(400)
    return form


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
    return render("schools/index.html", groups=queries.school_rows(readable_school_ids(current_user), period),
                  period=period, assigned={s.id for s in current_user.assigned_schools})


# --- a school's strategy --------------------------------------------------------------------------------


@bp.get("/skoler/<int:school_id>")
def school(school_id: int):
    school = get_or_404(School, school_id, "strategy.read")
    key = request.args.get("periode")
    period = queries.period_by_key(key) if key else current_period()
    if key and period is None:
        abort(404)
    strategy = loaders.strategy_for(school.id, period.id) if period else None
    return pages.strategy_page(school, strategy, period, block="goals" if strategy else None)


@bp.get("/skoler/<int:school_id>/ny-strategi")
def new_strategy(school_id: int):
    school = get_or_404(School, school_id, "strategy.edit")
    return pages.start_page(school, forms.StartStrategyForm(formdata=None))


@bp.post("/skoler/<int:school_id>/ny-strategi")
def create_strategy(school_id: int):
    school = get_or_404(School, school_id, "strategy.edit")
    free, source = pages.start_choices(school)
    form = forms.StartStrategyForm(periods=free, source=source)
    if not form.validate_on_submit():
        return pages.start_page(school, form, status=422)
    period = queries.period_by_key(form.period.data)
    try:
        service.start_strategy(school, period, current_user, source=source,
                               goal_ids=form.goals.data or [], initiative_ids=form.initiatives.data or [])
    except service.DomainError as error:
        form.period.errors = [str(error)]
        return pages.start_page(school, form, status=422)
    db.session.commit()
    return redirect_to(url_for("schools.school", school_id=school.id, periode=period.key))


@bp.post("/strategi/<int:strategy_id>/afslut-aar")
def close_year(strategy_id: int):
    strategy = _strategy_or_404(strategy_id, "strategy.edit")
    _confirmed()
    year = strategy.current_year
    try:
        service.close_year(strategy, current_user)
    except service.DomainError as error:
        return pages.strategy_block(strategy, "revision", status=409, revision_error=str(error))
    db.session.commit()
    return pages.after_year_closed(strategy, year)


@bp.get("/strategi/<int:strategy_id>/aar/<int:year>")
def snapshot(strategy_id: int, year: int):
    strategy = _strategy_or_404(strategy_id)
    return pages.snapshot(strategy, _snapshot_or_404(strategy, year))


@bp.get("/strategi/<int:strategy_id>/sammenlign")
def compare(strategy_id: int):
    strategy = _strategy_or_404(strategy_id)
    return pages.comparison(strategy, _snapshot_or_404(strategy, arg_int("aar", low=1900, high=2200)))


# --- a goal's or an initiative's page, its edit form, timeline and history -----------------------------------------------


def _goal_and_initiative_page(rule: str, endpoints: tuple[str, str], page, action: str = "strategy.read") -> None:
    """One GET for a goal and an initiative alike (``/maal/<id>…`` and ``/tiltag/<id>…``): ``page``
    shows the subject, loaded and checked once."""
    def view(**ids):
        return page(_subject_or_404(ids, action))

    bp.add_url_rule(f"/maal/<int:goal_id>{rule}", endpoints[0], view, methods=["GET"])
    bp.add_url_rule(f"/tiltag/<int:initiative_id>{rule}", endpoints[1], view, methods=["GET"])


_goal_and_initiative_page("", ("goal", "initiative"), pages.main_part)
_goal_and_initiative_page("/rediger", ("edit_goal", "edit_initiative"), pages.edit_form, "strategy.edit")
_goal_and_initiative_page("/tidslinje", ("goal_timeline", "initiative_timeline"), pages.timeline)
_goal_and_initiative_page("/historik", ("goal_history", "initiative_history"), pages.history, "audit.read")


# --- goals ---------------------------------------------------------------------------------------------


@bp.get("/strategi/<int:strategy_id>/maal/ny")
def new_goal(strategy_id: int):
    strategy = _strategy_or_404(strategy_id, "strategy.edit")
    form = None if pages.closing() else forms.GoalForm(formdata=None, political_goal_choices=pages.political_goal_choices())
    return pages.new_goal_slot(strategy, form)


@bp.post("/strategi/<int:strategy_id>/maal")
def create_goal(strategy_id: int):
    strategy = _strategy_or_404(strategy_id, "strategy.edit")
    form = forms.GoalForm(political_goal_choices=pages.political_goal_choices())
    if not form.validate_on_submit():
        return pages.new_goal_slot(strategy, form, status=422)
    goal = service.create_goal(strategy, form.values(), current_user)
    db.session.commit()
    return pages.after_goal_created(strategy, goal)


@bp.post("/maal/<int:goal_id>")
def update_goal(goal_id: int):
    goal = _goal_or_404(goal_id, "strategy.edit")
    form = forms.GoalForm(political_goal_choices=pages.political_goal_choices())
    policies = queries.policies_with_goals()
    if not form.validate_on_submit():
        return pages.goal_details(goal, status=422, goal_form=form, policies=policies)
    if not save_versioned(goal, form.version.data, lambda: service.update_goal(goal, form.values(), current_user)):
        return pages.goal_conflict(loaders.load_goal(goal_id), form, policies)
    return pages.after_goal_saved(goal)


@bp.post("/maal/<int:goal_id>/maalinger")
def save_measurement(goal_id: int):
    goal = _goal_or_404(goal_id, "strategy.edit")
    form = forms.MeasurementForm(unit=goal.unit)
    if not form.validate_on_submit():
        return pages.goal_page(goal, block="indicator", status=422, measurement_form=form)
    service.set_measurement(goal, form.year.data, form.value.data, (form.note.data or "").strip(), current_user,
                            pupils=form.pupils.data, new_series=bool(form.new_series.data))
    db.session.commit()
    return pages.after_subject_change(goal, "indicator", "#indikator",
                                      _("Målingen for %(year)s er gemt.", year=form.year.data))


@bp.post("/maal/<int:goal_id>/maalinger/slet")
def delete_measurement(goal_id: int):
    goal = _goal_or_404(goal_id, "strategy.edit")
    form = _confirmed(forms.DeleteMeasurementForm())
    service.delete_measurement(goal, form.year.data, current_user)
    db.session.commit()
    return pages.after_subject_change(goal, "indicator", "#indikator",
                                      _("Målingen for %(year)s er slettet.", year=form.year.data))


# --- initiatives ---------------------------------------------------------------------------------------


@bp.get("/maal/<int:goal_id>/tiltag/ny")
def new_initiative(goal_id: int):
    goal = _goal_or_404(goal_id, "strategy.edit")
    if pages.closing():
        return pages.new_initiative_slot(goal, None, None)
    return pages.new_initiative_slot(goal, *pages.initiative_form(goal.strategy.school_id, prefix=pages.new_prefix(goal)))


@bp.post("/maal/<int:goal_id>/tiltag")
def create_initiative(goal_id: int):
    goal = _goal_or_404(goal_id, "strategy.edit")
    form, levels = pages.initiative_form(goal.strategy.school_id, formdata=request.form, prefix=pages.new_prefix(goal))
    if pages.searching():
        return pages.new_initiative_slot(goal, form, levels)
    if not form.validate_on_submit():
        return pages.new_initiative_slot(goal, form, levels, status=422)
    initiative = service.create_initiative(goal, form.values(), current_user)
    db.session.commit()
    return pages.after_initiative_created(goal, initiative)


@bp.post("/tiltag/<int:initiative_id>")
def update_initiative(initiative_id: int):
    initiative = _initiative_or_404(initiative_id, "strategy.edit")
    form, levels = pages.initiative_form(initiative.goal.strategy.school_id, formdata=request.form)
    if pages.searching():
        return pages.initiative_plan(initiative, form, levels)
    if not form.validate_on_submit():
        return pages.initiative_plan(initiative, form, levels, status=422)
    if not save_versioned(initiative, form.version.data,
                          lambda: service.update_initiative(initiative, form.values(), current_user)):
        return pages.initiative_conflict(loaders.load_initiative(initiative_id), form, levels)
    return pages.after_initiative_saved(initiative)


# --- moving, archiving and restoring a goal or an initiative: then the list it stands in --------------

# The service's change and what is read aloud afterwards, for a goal and for an initiative.
_MOVE = {Goal: (service.move_goal, _l("Målet er flyttet op."), _l("Målet er flyttet ned.")),
         Initiative: (service.move_initiative, _l("Tiltaget er flyttet op."), _l("Tiltaget er flyttet ned."))}
_ARCHIVE = {Goal: (service.archive_goal, _l("Målet er arkiveret.")),
            Initiative: (service.archive_initiative, _l("Tiltaget er arkiveret."))}
_RESTORE = {Goal: (service.restore_goal, _l("Målet er genskabt.")),
            Initiative: (service.restore_initiative, _l("Tiltaget er genskabt."))}


@bp.post("/maal/<int:goal_id>/flyt", endpoint="move_goal")
@bp.post("/tiltag/<int:initiative_id>/flyt", endpoint="move_initiative")
def move(**ids):
    subject = _subject_or_404(ids, "strategy.edit")
    direction = _confirmed(forms.MoveForm()).direction.data
    change, up, down = _MOVE[type(subject)]
    change(subject, direction, current_user)
    db.session.commit()
    return pages.after_list_change(subject, up if direction == "up" else down)


@bp.post("/maal/<int:goal_id>/arkiver", endpoint="archive_goal")
@bp.post("/tiltag/<int:initiative_id>/arkiver", endpoint="archive_initiative")
def archive(**ids):
    return _confirmed_change(_subject_or_404(ids, "strategy.edit"), _ARCHIVE)


@bp.post("/maal/<int:goal_id>/genskab", endpoint="restore_goal")
@bp.post("/tiltag/<int:initiative_id>/genskab", endpoint="restore_initiative")
def restore(**ids):
    return _confirmed_change(_subject_or_404(ids, "strategy.edit"), _RESTORE)


def _confirmed_change(subject, changes: dict):
    _confirmed()
    change, message = changes[type(subject)]
    change(subject, current_user)
    db.session.commit()
    return pages.after_list_change(subject, message)


# --- status inline --------------------------------------------------------------------------------------


@bp.get("/tiltag/<int:initiative_id>/status")
def status(initiative_id: int):
    initiative = _initiative_or_404(initiative_id)
    form = None
    if request.args.get("rediger"):
        require("strategy.edit", initiative)
        form = forms.StatusForm(formdata=None, status=initiative.status.value, prefix=pages.status_prefix(initiative))
    return pages.status_cell(initiative, status_form=form)


@bp.post("/tiltag/<int:initiative_id>/status")
def set_status(initiative_id: int):
    initiative = _initiative_or_404(initiative_id, "strategy.edit")
    form = forms.StatusForm(prefix=pages.status_prefix(initiative))
    if not form.validate_on_submit():
        return pages.status_cell(initiative, status=422, status_form=form)
    new_status = Status(form.status.data)
    comment = (form.comment.data or "").strip()
    # A colleague's status update at the same moment is kept too (commit_retrying).
    initiative = commit_retrying(lambda i: service.set_status(i, new_status, comment, current_user),
                                 lambda: _initiative_or_404(initiative_id))
    return pages.after_status_set(initiative, new_status)


# --- evaluations and comments on a goal or an initiative ----------------------------------------------


@bp.get("/maal/<int:goal_id>/evalueringer/ny", endpoint="new_goal_evaluation")
@bp.get("/tiltag/<int:initiative_id>/evalueringer/ny", endpoint="new_initiative_evaluation")
def new_evaluation(**ids):
    subject = _subject_or_404(ids, "strategy.edit")
    form = None if pages.closing() else forms.EvaluationForm(formdata=None)
    return pages.subject_block(subject, "evaluations", evaluation_form=form)


@bp.post("/maal/<int:goal_id>/evalueringer", endpoint="create_goal_evaluation")
@bp.post("/tiltag/<int:initiative_id>/evalueringer", endpoint="create_initiative_evaluation")
def create_evaluation(**ids):
    subject = _subject_or_404(ids, "strategy.edit")
    form = forms.EvaluationForm()
    if not form.validate_on_submit():
        return pages.subject_block(subject, "evaluations", status=422, evaluation_form=form)
    evaluation = service.add_evaluation(subject, form.values(), current_user)
    db.session.commit()
    return pages.after_subject_change(subject, "evaluations", "#evalueringer", _("Evalueringen er gemt."),
                                      focus_evaluation=evaluation.id)


@bp.post("/evalueringer/<int:evaluation_id>/fulgt-op")
def acted_on(evaluation_id: int):
    evaluation = found_or_404(loaders.load_evaluation(evaluation_id), "strategy.edit")
    load = loaders.load_goal if evaluation.goal_id is not None else loaders.load_initiative
    subject = load(evaluation.goal_id or evaluation.initiative_id)
    form = forms.ActedOnForm()
    if not form.validate_on_submit():
        return pages.subject_block(subject, "evaluations", status=422, acted_on_form=form, acted_on_id=evaluation.id)
    service.mark_acted_on(evaluation, form.acted_on_note.data.strip(), current_user)
    db.session.commit()
    return pages.after_subject_change(subject, "evaluations", "#evalueringer", _("Opfølgningen er gemt."),
                                      focus_evaluation=evaluation.id)


@bp.post("/maal/<int:goal_id>/kommentarer", endpoint="comment_goal")
@bp.post("/tiltag/<int:initiative_id>/kommentarer", endpoint="comment_initiative")
def comment(**ids):
    subject = _subject_or_404(ids, "strategy.comment")
    form = forms.CommentForm()
    if not form.validate_on_submit():
        return pages.subject_block(subject, "comments", status=422, comment_form=form)
    added = service.add_comment(subject, form.body.data.strip(), current_user)
    db.session.commit()
    return pages.after_subject_change(subject, "comments", "#kommentarer", _("Kommentaren er gemt."),
                                      focus_comment=added.id)


# --- the expectation picker ----------------------------------------------------------------------------------


@bp.get("/skoler/<int:school_id>/forventninger")
def expectations(school_id: int):
    """Search-as-you-type for the initiative form: municipal levels and the school's own."""
    return pages.expectation_results(get_or_404(School, school_id, "strategy.read"))
