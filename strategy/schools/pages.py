"""What the pages of Min skole show: the context of the strategy, goal and initiative pages, of the
forms opened in place and of the answers after a save.

One builder per page; a direct visit gets the whole page, an htmx request the named block of the
same template (``render``). Routes load, check, save and then ask here for the page.
"""

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from strategy import charts, loaders, snapshots
from strategy.concurrency import Conflict
from strategy.forms import choices
from strategy.history import FIELD_LABELS, display_value, history_rows
from strategy.htmx import after_save, conflict, fragment_or_page, is_htmx, render, render_parts, safe_next
from strategy.inputs import arg_ints
from strategy.models import Goal, Initiative, School, Status, Strategy, StrategySnapshot
from strategy.periods import current_period
from strategy.permissions import can
from strategy.schools import forms, queries, service
from strategy.web import fmt_number

FRAGMENTS = "schools/_fragments.html"


def closing() -> bool:
    """"Annuller" on a form opened in place asks for the slot again, closed."""
    return bool(request.args.get("luk"))


def subject_url(subject: Goal | Initiative, anchor: str = "") -> str:
    if isinstance(subject, Goal):
        return url_for("schools.goal", goal_id=subject.id) + anchor
    return url_for("schools.initiative", initiative_id=subject.id) + anchor


def strategy_url(strategy: Strategy) -> str:
    return url_for("schools.school", school_id=strategy.school_id, periode=strategy.period.key)


def reload(subject: Goal | Initiative) -> Goal | Initiative:
    """The subject again after a commit, with what its page shows loaded at once."""
    if isinstance(subject, Goal):
        return loaders.load_goal(subject.id)
    return loaders.load_initiative(subject.id)


# --- a school's strategy -------------------------------------------------------------------------


def strategy_page(school: School, strategy: Strategy | None, period, block: str | None = None, status: int = 200,
                  **extra):
    context = {
        "school": school,
        "strategy": strategy,
        "period": period,
        "strategies": queries.school_strategies(school.id),
        "can_edit": can(current_user, "strategy.edit", school),
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


def strategy_block(strategy: Strategy, block: str, status: int = 200, **extra):
    return strategy_page(strategy.school, strategy, strategy.period, block=block, status=status, **extra)


def reloaded_strategy(strategy: Strategy) -> Strategy:
    return loaders.strategy_for(strategy.school_id, strategy.period_id)


def after_year_closed(strategy: Strategy, year: int):
    saved = _("Året %(year)s er afsluttet og gemt. I kan nu sammenligne med det.", year=year)
    return after_save(strategy_url(strategy), _("Året %(year)s er afsluttet.", year=year),
                      lambda: strategy_block(reloaded_strategy(strategy), "revision", revision_message=saved))


def snapshot(strategy: Strategy, snap: StrategySnapshot):
    data = service.visible_snapshot(snap.data, current_user, strategy.school_id)
    return render("schools/snapshot.html", strategy=strategy, school=strategy.school, snapshot=snap, data=data)


def comparison(strategy: Strategy, snap: StrategySnapshot):
    """The closed year next to the strategy as it is now, both as this user may see them."""
    compared = service.compare(service.visible_snapshot(snap.data, current_user, strategy.school_id),
                               service.visible_snapshot(snapshots.snapshot_data(strategy), current_user, strategy.school_id))
    return render("schools/compare.html", block="comparison", strategy=strategy, school=strategy.school,
                  snapshot=snap, comparison=compared, field_labels=FIELD_LABELS, show=display_value)


def start_choices(school: School):
    """The periods a new strategy can start in, and the strategy whose goals it can carry on."""
    previous = queries.school_strategies(school.id)
    free = queries.periods_to_start(previous)
    source = loaders.strategy_with_goals(previous[0].id) if previous else None
    return free, source


def start_page(school: School, form, status: int = 200):
    free, source = start_choices(school)
    if form.period.data is None:
        current = current_period()
        wanted = request.args.get("periode") or (current.key if current else None)
        form.period.data = wanted if any(p.key == wanted for p in free) else (free[0].key if free else None)
    form.period.choices = choices((p.key, p.name) for p in free)
    goals = [g for g in source.goals if g.archived_at is None] if source else []
    form.goals.choices = choices((g.id, g.title) for g in goals)
    form.initiatives.choices = choices((i.id, i.title) for g in goals for i in g.active_initiatives)
    return render("schools/start.html", block="start_form", status=status,
                  school=school, form=form, source=source, source_goals=goals, free_periods=free)


def political_goal_choices():
    return [(p.id, p.label) for p in loaders.political_goals()]


def new_goal_slot(strategy: Strategy, form, status: int = 200):
    def page(status, strategy, **context):
        return strategy_page(strategy.school, strategy, strategy.period, status=status, **context)

    return fragment_or_page(FRAGMENTS, "new_goal", page, status=status, strategy=strategy, goal_form=form,
                            policies=queries.policies_with_goals())


def after_goal_created(strategy: Strategy, goal: Goal):
    return after_save(strategy_url(strategy) + f"#goal-{goal.id}", _("Målet er oprettet."),
                      lambda: strategy_block(reloaded_strategy(strategy), "goals", focus_goal=goal.id),
                      target="#goals")


# --- a goal ------------------------------------------------------------------------------------------


def goal_page(goal: Goal, block: str | None = None, status: int = 200, **extra):
    strategy = goal.strategy
    context = {
        "goal": goal,
        "strategy": strategy,
        "school": strategy.school,
        "can_edit": can(current_user, "strategy.edit", strategy),
        "can_comment": can(current_user, "strategy.comment", strategy),
        "comments": queries.comments_on(goal_id=goal.id),
        "chart": charts.indicator_chart(goal, number=fmt_number) if can(current_user, "indicator.read", goal) else None,
        "measurement_form": extra.pop("measurement_form", None)
        or forms.MeasurementForm(formdata=None, year=strategy.current_year),
        "comment_form": extra.pop("comment_form", None) or forms.CommentForm(formdata=None),
    }
    context.update(extra)
    return render("schools/goal.html", block=block, status=status, **context)


def goal_form(goal: Goal):
    """The goal's edit form, filled with what is saved."""
    form = forms.GoalForm(formdata=None, obj=goal, political_goal_choices=political_goal_choices())
    form.political_goals.data = [p.id for p in goal.political_goals]
    form.data_type.data = goal.data_type
    form.version.data = goal.version
    return form


def goal_details(goal: Goal, status: int = 200, **extra):
    return goal_page(goal, block="goal_details", status=status, **extra)


def goal_conflict(goal: Goal, form, policies):
    shown = Conflict.of(form, snapshots.state(goal, snapshots.GOAL_FIELDS), queries.latest_change(goal))
    return conflict(form, goal, lambda status: goal_details(goal, status, goal_form=form, policies=policies,
                                                            conflict=shown))


def after_goal_saved(goal: Goal):
    return after_save(subject_url(goal), _("Målet er gemt."), lambda: goal_details(reload(goal), saved=True))


def after_initiative_created(goal: Goal, initiative: Initiative):
    return after_save(safe_next(subject_url(goal)) + f"#initiative-{initiative.id}", _("Tiltaget er oprettet."),
                      lambda: goal_page(reload(goal), block="initiatives", focus_initiative=initiative.id),
                      target=f"#initiatives-{goal.id}")


def after_list_change(subject: Goal | Initiative, message: str):
    """After moving, archiving or restoring: the list the subject stands in (or its page)."""
    if isinstance(subject, Goal):
        strategy = subject.strategy
        return after_save(safe_next(strategy_url(strategy)), message,
                          lambda: strategy_block(reloaded_strategy(strategy), "goals", focus_goal=subject.id))
    goal = subject.goal
    return after_save(safe_next(subject_url(goal)), message,
                      lambda: goal_page(reload(goal), block="initiatives", focus_initiative=subject.id),
                      target=f"#initiatives-{goal.id}")


# --- an initiative -------------------------------------------------------------------------------------


def initiative_page(initiative: Initiative, block: str | None = None, status: int = 200, **extra):
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
        "provenance": loaders.provenance_of(initiative),
    }
    context.update(extra)
    return render("schools/initiative.html", block=block, status=status, **context)


def initiative_form(school_id: int, formdata=None, **kwargs):
    levels = queries.levels_for_school(school_id)
    form = forms.InitiativeForm(formdata=formdata, levels=levels, political_goal_choices=political_goal_choices(),
                                **kwargs)
    return form, levels


def filled_initiative_form(initiative: Initiative):
    """The initiative's edit form, filled with what is saved."""
    form, levels = initiative_form(initiative.goal.strategy.school_id, obj=initiative)
    form.owner_level.data = initiative.owner_level_id
    form.expectations.data = [e.id for e in initiative.expectations]
    form.political_goals.data = [p.id for p in initiative.political_goals]
    form.version.data = initiative.version
    return form, levels


def new_prefix(goal: Goal) -> str:
    """Several goals' "Nyt tiltag" forms may be open on one page: their field ids must differ."""
    return f"g{goal.id}"


def picker(form, levels) -> dict:
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


def searching() -> bool:
    """The picker's "Søg" button (without JavaScript) posts the whole form: search, keep input."""
    return request.form.get("action") == "search"


def new_initiative_slot(goal: Goal, form, levels, status: int = 200):
    def page(status, goal, **context):
        return goal_page(goal, status=status, **context)

    state = picker(form, levels) if form is not None else {}
    return fragment_or_page(FRAGMENTS, "new_initiative", page, status=status, goal=goal, initiative_form=form,
                            policies=queries.policies_with_goals(), **state)


def initiative_plan(initiative: Initiative, form=None, levels=None, status: int = 200, **extra):
    """The initiative's plan; with ``form`` the plan's edit form and its expectation picker."""
    if form is not None:
        extra.update(initiative_form=form, policies=queries.policies_with_goals(), **picker(form, levels))
    return initiative_page(initiative, block="plan", status=status, **extra)


def after_initiative_saved(initiative: Initiative):
    return after_save(subject_url(initiative), _("Tiltaget er gemt."),
                      lambda: initiative_plan(reload(initiative), saved=True))


def initiative_conflict(initiative: Initiative, form, levels):
    shown = Conflict.of(form, snapshots.state(initiative, snapshots.INITIATIVE_FIELDS), queries.latest_change(initiative))
    return conflict(form, initiative, lambda status: initiative_plan(initiative, form, levels, status, conflict=shown))


# --- either of them -----------------------------------------------------------------------------------


def main_part(subject: Goal | Initiative):
    """The page of a goal (its details) or an initiative (its plan)."""
    if isinstance(subject, Goal):
        return goal_details(subject)
    return initiative_plan(subject)


def edit_form(subject: Goal | Initiative):
    """The goal's details or the initiative's plan as a form, filled with what is saved."""
    if isinstance(subject, Goal):
        return goal_details(subject, goal_form=goal_form(subject), policies=queries.policies_with_goals())
    return initiative_plan(subject, *filled_initiative_form(subject))


# --- status inline ---------------------------------------------------------------------------------------


def status_prefix(initiative: Initiative) -> str:
    return f"status{initiative.id}"


def _compact() -> bool:
    """The status cell of a list (strategy page, goal page) rather than the initiative page."""
    return (request.values.get("visning") == "kort") and is_htmx()


def status_cell(initiative: Initiative, status: int = 200, **extra):
    if _compact():
        blocks = ["status", "rollup_oob"] if extra.get("rollup_goal") is not None else ["status"]
        return render_parts("schools/initiative.html", blocks, status=status, **_status_context(initiative, **extra))
    return initiative_page(initiative, block="status", status=status, compact=False, **extra)


def after_status_set(initiative: Initiative, new_status: Status):
    def cell():
        saved = reload(initiative)
        # with its goal and the goal's initiatives' statuses, for the roll-up
        return status_cell(saved, saved=True, rollup_goal=loaders.load_goal(saved.goal_id))

    return after_save(safe_next(subject_url(initiative)),
                      _("Status er sat til %(status)s.", status=queries.status_label(new_status)), cell)


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


# --- evaluations and comments ------------------------------------------------------------------------------


def subject_block(subject: Goal | Initiative, block: str, status: int = 200, **extra):
    """A block of the goal's or the initiative's page (evaluations, comments)."""
    if isinstance(subject, Goal):
        return goal_page(subject, block=block, status=status, **extra)
    return initiative_page(subject, block=block, status=status, **extra)


def after_subject_change(subject: Goal | Initiative, block: str, anchor: str, message: str, **extra):
    """After an evaluation, a follow-up or a comment: that part of the goal's or initiative's page."""
    return after_save(subject_url(subject, anchor), message, lambda: subject_block(reload(subject), block, **extra))


# --- timelines, history and the expectation picker ----------------------------------------------------------


def _around(subject: Goal | Initiative) -> dict:
    """The goal or initiative with what its page header names: its goal, strategy and school."""
    goal = subject if isinstance(subject, Goal) else subject.goal
    context = {"subject": subject, "goal": goal, "strategy": goal.strategy, "school": goal.strategy.school}
    if isinstance(subject, Initiative):
        context["initiative"] = subject
    return context


def timeline(subject: Goal | Initiative):
    if isinstance(subject, Goal):
        comments = queries.comments_on(goal_id=subject.id, initiative_ids=[i.id for i in subject.initiatives])
        entries = queries.goal_timeline(subject, comments)
    else:
        entries = queries.initiative_timeline(subject, queries.comments_on(initiative_ids=[subject.id]))
    return render("schools/timeline.html", entries=entries, **_around(subject))


def history(subject: Goal | Initiative):
    events = queries.goal_history(subject) if isinstance(subject, Goal) else queries.initiative_history(subject)
    return render("schools/history.html", events=history_rows(current_user, events), **_around(subject))


def expectation_results(school: School):
    """Search-as-you-type for the initiative form: municipal levels and the school's own."""
    prefix = (request.args.get("prefix") or "")[:20]
    prefix = prefix if prefix.replace("-", "").isalnum() else ""
    query = (request.args.get(prefix + "q") or "").strip()[:200]
    chosen = set(arg_ints(prefix + "expectations", limit=500))
    results = [
        (lvl, [e for e in hits if e.id not in chosen])
        for lvl, hits in queries.search_expectations(queries.levels_for_school(school.id), query)
    ]
    return render("schools/expectations.html", block="picker_results", school=school,
                  picker_results=[(lvl, hits) for lvl, hits in results if hits], picker_query=query,
                  picker_name=prefix + "expectations", picker_id=(request.args.get("picker") or "picker")[:60])
