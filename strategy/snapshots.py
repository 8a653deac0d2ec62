"""How a strategy's records read when they are kept: the states the audit history records for a
goal, an initiative, an evaluation and a measurement, and the yearly snapshot of a strategy.

JSON-friendly and human-readable (names, not ids, for relations), so that a history or a closed
year reads the same after the reference data has changed. Min skole, the import and the demo all
keep them this way.
"""

from typing import Any

from strategy import audit
from strategy.models import Expectation, Goal, Measurement, PoliticalGoal, ProfileLevel, Strategy
from strategy.models.strategy import goal_roll_up

GOAL_FIELDS = (
    "title", "description", "political_goals", "indicator", "data_type", "unit", "classification", "municipal_indicator_id",
    "baseline_value", "baseline_year", "target_value", "target_year",
)
INITIATIVE_FIELDS = (
    "title", "starting_point", "what_we_try", "who_does_what", "responsible", "start_date",
    "end_date", "success_signs", "evaluation_plan", "owner_level", "expectations", "political_goals",
)
EVALUATION_FIELDS = (
    "evaluated_on", "what_was_done", "signs_observed", "data_types", "data_used", "conclusion",
    "next_steps", "acted_on_at", "acted_on_note",
)


def _plain(value: Any) -> Any:
    match value:
        case PoliticalGoal():
            return value.label
        case Expectation():
            return value.text
        case ProfileLevel():
            return value.name
        case list() | tuple():
            return [_plain(v) for v in value]
    return audit._plain(value)


def state(obj, fields) -> dict[str, Any]:
    """A JSON-friendly, human-readable view of some fields (names, not ids, for relations)."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def measurement_state(m: Measurement | None) -> dict[str, Any] | None:
    """A measurement as the audit history and an import batch keep it."""
    if m is None:
        return None
    state = {"value": m.value, "note": m.note}
    if m.pupils is not None:
        state["pupils"] = m.pupils
    if m.new_series:
        state["new_series"] = True
    return state


def _indicator(goal: Goal) -> dict[str, Any]:
    return {
        "indicator": goal.indicator,
        "data_type": audit._plain(goal.data_type),
        "unit": goal.unit,
        "classification": audit._plain(goal.classification),
        "baseline_value": goal.baseline_value,
        "baseline_year": goal.baseline_year,
        "target_value": goal.target_value,
        "target_year": goal.target_year,
    }


def snapshot_data(strategy: Strategy) -> dict[str, Any]:
    """The strategy as it stands: active goals with indicator and measurements, their active
    initiatives with status. Ids are kept so that a later comparison can pair items up."""
    goals = []
    for goal in sorted((g for g in strategy.goals if g.archived_at is None), key=lambda g: (g.position, g.id)):
        rollup = goal_roll_up(goal)
        goals.append({
            "id": goal.id,
            "title": goal.title,
            "description": goal.description,
            "political_goals": [p.label for p in goal.political_goals],
            **_indicator(goal),
            "measurements": [{"year": m.year, **measurement_state(m)} for m in goal.measurements],
            "rollup": rollup.status.value if rollup.status else None,
            "initiatives": [
                {
                    "id": i.id,
                    **state(i, INITIATIVE_FIELDS),
                    "status": i.status.value,
                    "status_changed_at": audit._plain(i.status_changed_at),
                }
                for i in goal.active_initiatives
            ],
        })
    return {
        "school": strategy.school.name,
        "period": strategy.period.name,
        "year": strategy.current_year,
        "goals": goals,
    }
