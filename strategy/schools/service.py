"""Changing a school's strategy: goals, initiatives, status, evaluations, comments, the yearly
revision (snapshot and comparison) and carrying goals over into a new period.

Functions change the session and write the audit history in the same transaction; they never
commit (the route, or the demo loader, commits once). Every change touches the strategy's
``last_activity_at`` except comments: a consultant's comment is not the school working on
its strategy.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value

from strategy import audit, notifications
from strategy.extensions import db
from strategy.models import (
    Classification,
    Comment,
    Evaluation,
    Expectation,
    Goal,
    Initiative,
    Measurement,
    Period,
    PoliticalGoal,
    ProfileLevel,
    School,
    Status,
    StatusUpdate,
    Strategy,
    StrategySnapshot,
    User,
    utcnow,
)
from strategy.snapshots import EVALUATION_FIELDS, GOAL_FIELDS, INITIATIVE_FIELDS, measurement_state, snapshot_data, state


# The audit log's summaries are stored in Danish, the source language (also outside a request).
_STATUS_NAMES = {
    Status.NOT_STARTED: "Ikke startet",
    Status.IN_PROGRESS: "I gang",
    Status.ON_TRACK: "På rette spor",
    Status.CHALLENGED: "Udfordret",
    Status.COMPLETED: "Gennemført",
    Status.STOPPED: "Stoppet",
}


class DomainError(ValueError):
    """A change the strategy's rules refuse; the message is shown to the user."""


def _touch(strategy: Strategy) -> None:
    strategy.touch()


def _by_ids(model, ids) -> list:
    ids = [int(i) for i in ids or ()]
    if not ids:
        return []
    found = {o.id: o for o in db.session.scalars(sa.select(model).where(model.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def _apply(obj, values: dict[str, Any]) -> None:
    """Set plain fields; ``*_ids`` keys become the relationship lists or the owner level."""
    for name, value in values.items():
        if name == "political_goal_ids":
            obj.political_goals = sorted(_by_ids(PoliticalGoal, value), key=lambda p: p.position)
        elif name == "expectation_ids":
            obj.expectations = _by_ids(Expectation, value)
        elif name == "owner_level_id":
            obj.owner_level = db.session.get(ProfileLevel, value) if value else None
        else:
            setattr(obj, name, value)


def _update(obj, fields, values: dict[str, Any], actor: User | None, summary: str, strategy: Strategy) -> dict[str, list]:
    """Apply ``values`` and record what changed of ``fields`` (``summary``: "Mål ændret", ...)."""
    before = state(obj, fields)
    _apply(obj, values)
    changes = audit.diff(before, state(obj, fields))
    if changes:
        # Also when only the political goals changed: the row is updated, so its version moves.
        obj.updated_at = utcnow()
        audit.record("update", obj, changes, summary=f"{summary}: {obj.title}", actor=actor)
        _touch(strategy)
    return changes


def _next_position(items) -> int:
    return max((i.position for i in items), default=-1) + 1


def _move(table, item, siblings: list, direction: str) -> bool:
    """Swap an item with its neighbour among its active siblings.

    Positions are written with a Core UPDATE: moving a goal is no edit of its text, so it must
    not bump the version a colleague's open edit form started from.
    """
    order = sorted(siblings, key=lambda s: (s.position, s.id))
    index = order.index(item)
    target = index - 1 if direction == "up" else index + 1
    if target < 0 or target >= len(order):
        return False
    order[index], order[target] = order[target], order[index]
    for position, sibling in enumerate(order):
        if sibling.position != position:
            db.session.execute(sa.update(table).where(table.c.id == sibling.id).values(position=position))
            set_committed_value(sibling, "position", position)
    return True


# --- goals ----------------------------------------------------------------------------------------


def create_goal(strategy: Strategy, values: dict[str, Any], actor: User | None) -> Goal:
    goal = Goal(strategy=strategy, title="", position=_next_position(strategy.goals))
    db.session.add(goal)
    _apply(goal, values)
    db.session.flush()
    audit.record("create", goal, state(goal, GOAL_FIELDS), summary=f"Mål oprettet: {goal.title}", actor=actor)
    _touch(strategy)
    return goal


def update_goal(goal: Goal, values: dict[str, Any], actor: User | None) -> dict[str, list]:
    return _update(goal, GOAL_FIELDS, values, actor, "Mål ændret", goal.strategy)


def move_goal(goal: Goal, direction: str, actor: User | None) -> bool:
    old = goal.position
    siblings = [g for g in goal.strategy.goals if g.archived_at is None]
    if goal.archived_at is not None or not _move(Goal.__table__, goal, siblings, direction):
        return False
    audit.record("move", goal, {"position": [old, goal.position]}, summary=f"Mål flyttet: {goal.title}", actor=actor)
    _touch(goal.strategy)
    return True


def archive_goal(goal: Goal, actor: User | None) -> None:
    if goal.archived_at is not None:
        return
    goal.archived_at = utcnow()
    audit.record("archive", goal, {"archived_at": [None, audit._plain(goal.archived_at)]},
                 summary=f"Mål arkiveret: {goal.title}", actor=actor)
    _touch(goal.strategy)


def restore_goal(goal: Goal, actor: User | None) -> None:
    if goal.archived_at is None:
        return
    old = audit._plain(goal.archived_at)
    goal.archived_at = None
    goal.position = _next_position([g for g in goal.strategy.goals if g.archived_at is None and g is not goal])
    audit.record("restore", goal, {"archived_at": [old, None]}, summary=f"Mål genskabt: {goal.title}", actor=actor)
    _touch(goal.strategy)


def set_measurement(goal: Goal, year: int, value: float, note: str, actor: User | None,
                    pupils: int | None = None, new_series: bool = False) -> None:
    """Record (or correct) the indicator's measurement for a year."""
    existing = next((m for m in goal.measurements if m.year == year), None)
    old = measurement_state(existing)
    if existing is None:
        existing = Measurement(year=year, value=value, note=note, pupils=pupils, new_series=new_series)
        goal.measurements.append(existing)
        goal.measurements.sort(key=lambda m: m.year)
    else:
        existing.value, existing.note, existing.pupils, existing.new_series = value, note, pupils, new_series
    new = measurement_state(existing)
    if old != new:
        existing.import_batch_id = None  # typed by hand: an earlier import can no longer be undone over it
        existing.updated_at = utcnow()
        audit.record("update", goal, {f"measurement:{year}": [old, new]},
                     summary=f"Måling {year}: {goal.title}", actor=actor)
        _touch(goal.strategy)


def delete_measurement(goal: Goal, year: int, actor: User | None) -> bool:
    existing = next((m for m in goal.measurements if m.year == year), None)
    if existing is None:
        return False
    goal.measurements.remove(existing)
    audit.record("update", goal, {f"measurement:{year}": [measurement_state(existing), None]},
                 summary=f"Måling {year} slettet: {goal.title}", actor=actor)
    _touch(goal.strategy)
    return True


# --- initiatives ----------------------------------------------------------------------------------


def create_initiative(goal: Goal, values: dict[str, Any], actor: User | None) -> Initiative:
    initiative = Initiative(goal=goal, title="", position=_next_position(goal.initiatives), status=Status.NOT_STARTED)
    db.session.add(initiative)
    _apply(initiative, values)
    db.session.flush()
    audit.record("create", initiative, state(initiative, INITIATIVE_FIELDS),
                 summary=f"Tiltag oprettet: {initiative.title}", actor=actor)
    _touch(goal.strategy)
    return initiative


def update_initiative(initiative: Initiative, values: dict[str, Any], actor: User | None) -> dict[str, list]:
    return _update(initiative, INITIATIVE_FIELDS, values, actor, "Tiltag ændret", initiative.goal.strategy)


def move_initiative(initiative: Initiative, direction: str, actor: User | None) -> bool:
    old = initiative.position
    siblings = initiative.goal.active_initiatives
    if initiative.archived_at is not None or not _move(Initiative.__table__, initiative, siblings, direction):
        return False
    audit.record("move", initiative, {"position": [old, initiative.position]},
                 summary=f"Tiltag flyttet: {initiative.title}", actor=actor)
    _touch(initiative.goal.strategy)
    return True


def archive_initiative(initiative: Initiative, actor: User | None) -> None:
    if initiative.archived_at is not None:
        return
    initiative.archived_at = utcnow()
    audit.record("archive", initiative, {"archived_at": [None, audit._plain(initiative.archived_at)]},
                 summary=f"Tiltag arkiveret: {initiative.title}", actor=actor)
    _touch(initiative.goal.strategy)


def restore_initiative(initiative: Initiative, actor: User | None) -> None:
    if initiative.archived_at is None:
        return
    old = audit._plain(initiative.archived_at)
    initiative.archived_at = None
    initiative.position = _next_position(initiative.goal.active_initiatives)
    audit.record("restore", initiative, {"archived_at": [old, None]},
                 summary=f"Tiltag genskabt: {initiative.title}", actor=actor)
    _touch(initiative.goal.strategy)


def set_status(initiative: Initiative, status: Status, comment: str, actor: User | None,
               at: datetime | None = None) -> StatusUpdate:
    """A new dated status with its comment; the history keeps every one."""
    at = at or utcnow()
    old = initiative.status
    update = StatusUpdate(status=status, comment=comment, author=actor, created_at=at)
    # The relationship is ordered newest first: keep the loaded list in that order too.
    initiative.status_updates.insert(0, update)
    initiative.status = status
    initiative.status_changed_at = at
    audit.record("status", initiative, {"status": [audit._plain(old), status.value], "comment": [None, comment]},
                 summary=f"Status: {_STATUS_NAMES[status]} – {initiative.title}", actor=actor)
    _touch(initiative.goal.strategy)
    return update


# --- evaluations and comments ----------------------------------------------------------------------


def _subject_strategy(subject: Goal | Initiative) -> Strategy:
    return subject.strategy if isinstance(subject, Goal) else subject.goal.strategy


def add_evaluation(subject: Goal | Initiative, values: dict[str, Any], actor: User | None) -> Evaluation:
    evaluation = Evaluation(author=actor, **values)
    if isinstance(subject, Goal):
        evaluation.goal = subject
    else:
        evaluation.initiative = subject
    db.session.add(evaluation)
    db.session.flush()
    subject.evaluations.sort(key=lambda e: (e.evaluated_on, e.created_at), reverse=True)
    audit.record("create", evaluation, state(evaluation, EVALUATION_FIELDS),
                 summary=f"Evaluering: {subject.title}", actor=actor)
    _touch(_subject_strategy(subject))
    notifications.evaluation_added(evaluation, subject, actor)
    return evaluation


def mark_acted_on(evaluation: Evaluation, note: str, actor: User | None) -> None:
    """Record how a "justér" or "stop" conclusion was followed up; the warning then goes away."""
    before = state(evaluation, ("acted_on_at", "acted_on_note"))
    evaluation.acted_on_at = utcnow()
    evaluation.acted_on_note = note
    audit.record("update", evaluation, audit.diff(before, state(evaluation, ("acted_on_at", "acted_on_note"))),
                 summary="Evaluering fulgt op", actor=actor)
    _touch(_subject_strategy(evaluation.goal or evaluation.initiative))


def add_comment(subject: Goal | Initiative, body: str, actor: User | None) -> Comment:
    comment = Comment(body=body, author=actor)
    if isinstance(subject, Goal):
        comment.goal_id = subject.id
    else:
        comment.initiative_id = subject.id
    db.session.add(comment)
    db.session.flush()
    audit.record("create", comment, {"body": body}, summary=f"Kommentar: {subject.title}", actor=actor)
    notifications.comment_added(comment, subject, actor)
    return comment


# --- the yearly revision -----------------------------------------------------------------------------


def close_year(strategy: Strategy, user: User | None, at: datetime | None = None) -> StrategySnapshot:
    """"Afslut år": freeze the strategy as it stands into a read-only snapshot for the revision
    year, and move on to the next year of the period (the last year stays, marked closed)."""
    year = strategy.current_year
    if any(s.year == year for s in strategy.snapshots):
        raise DomainError(_l("Året %(year)s er allerede afsluttet.", year=year))
    snapshot = StrategySnapshot(
        year=year, data=snapshot_data(strategy), closed_by=user, closed_at=at or utcnow()
    )
    strategy.snapshots.append(snapshot)
    if year < strategy.period.end_year:
        strategy.current_year = year + 1
    db.session.flush()
    audit.record("close_year", strategy, {"current_year": [year, strategy.current_year]},
                 summary=f"Året {year} afsluttet", actor=user)
    _touch(strategy)
    return snapshot


def is_year_closed(strategy: Strategy) -> bool:
    return any(s.year == strategy.current_year for s in strategy.snapshots)


@dataclass
class FieldChange:
    name: str
    before: Any
    after: Any


@dataclass
class ItemChange:
    kind: str  # "added" | "removed" | "changed"
    title: str
    fields: list[FieldChange] = field(default_factory=list)
    initiatives: list["ItemChange"] = field(default_factory=list)


@dataclass
class Comparison:
    goals: list[ItemChange]

    @property
    def is_empty(self) -> bool:
        return not self.goals

    def count(self, kind: str) -> int:
        n = sum(1 for g in self.goals if g.kind == kind)
        return n + sum(1 for g in self.goals for i in g.initiatives if i.kind == kind)


_COMPARED_GOAL_FIELDS = (
    "title", "description", "political_goals", "indicator", "data_type", "unit", "classification", "municipal_indicator_id", "baseline_value",
    "baseline_year", "target_value", "target_year", "measurements", "rollup",
)
_COMPARED_INITIATIVE_FIELDS = INITIATIVE_FIELDS + ("status",)


def _same(a: Any, b: Any) -> bool:
    """Links (political goals, expectations) are sets: their order is not a change."""
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return a == b


def _field_changes(before: dict, after: dict, names) -> list[FieldChange]:
    return [FieldChange(n, before.get(n), after.get(n)) for n in names if not _same(before.get(n), after.get(n))]


def compare(before: dict[str, Any], after: dict[str, Any]) -> Comparison:
    """What changed between two snapshots (or a snapshot and ``snapshot_data`` of today):
    goals and initiatives added, removed, and changed field by field. Paired by id."""
    old_goals = {g["id"]: g for g in before.get("goals", [])}
    new_goals = {g["id"]: g for g in after.get("goals", [])}
    result = []
    for goal_id, new in new_goals.items():
        old = old_goals.get(goal_id)
        if old is None:
            result.append(ItemChange("added", new["title"],
                                     initiatives=[ItemChange("added", i["title"]) for i in new["initiatives"]]))
            continue
        initiatives = _compare_initiatives(old["initiatives"], new["initiatives"])
        fields = _field_changes(old, new, _COMPARED_GOAL_FIELDS)
        if fields or initiatives:
            result.append(ItemChange("changed", new["title"], fields, initiatives))
    for goal_id, old in old_goals.items():
        if goal_id not in new_goals:
            result.append(ItemChange("removed", old["title"],
                                     initiatives=[ItemChange("removed", i["title"]) for i in old["initiatives"]]))
    return Comparison(result)


def _compare_initiatives(before: list[dict], after: list[dict]) -> list[ItemChange]:
    old = {i["id"]: i for i in before}
    new = {i["id"]: i for i in after}
    changes = []
    for initiative_id, item in new.items():
        if initiative_id not in old:
            changes.append(ItemChange("added", item["title"]))
        else:
            fields = _field_changes(old[initiative_id], item, _COMPARED_INITIATIVE_FIELDS)
            if fields:
                changes.append(ItemChange("changed", item["title"], fields))
    changes += [ItemChange("removed", item["title"]) for i, item in old.items() if i not in new]
    return changes


# --- a new period ---------------------------------------------------------------------------------


def start_strategy(
    school: School,
    period: Period,
    actor: User | None,
    source: Strategy | None = None,
    goal_ids=(),
    initiative_ids=(),
    today: date | None = None,
) -> Strategy:
    """Start the school's strategy for a period, carrying the chosen goals and initiatives over
    from ``source`` (an initiative brings its goal along even if the goal was not ticked)."""
    exists = db.session.scalar(
        sa.select(Strategy.id).where(Strategy.school_id == school.id, Strategy.period_id == period.id)
    )
    if exists:
        raise DomainError(_l("Skolen har allerede en virksomhedsstrategi for %(period)s.", period=period.name))
    year = (today or date.today()).year
    strategy = Strategy(school=school, period=period, current_year=min(max(year, period.start_year), period.end_year))
    db.session.add(strategy)
    db.session.flush()
    audit.record("create", strategy, {"period": period.name}, summary=f"Strategi for {period.name} oprettet", actor=actor)
    goal_ids, initiative_ids = {int(i) for i in goal_ids}, {int(i) for i in initiative_ids}
    if source is not None:
        for goal in sorted(source.goals, key=lambda g: (g.position, g.id)):
            chosen = [i for i in goal.active_initiatives if i.id in initiative_ids]
            if goal.archived_at is None and (goal.id in goal_ids or chosen):
                _carry_goal(strategy, goal, chosen, source.period, actor)
    return strategy


def _carry_goal(strategy: Strategy, goal: Goal, initiatives: list[Initiative], source_period: Period, actor) -> Goal:
    position = len(strategy.goals)
    copy = Goal(
        strategy=strategy,
        position=position,
        title=goal.title,
        description=goal.description,
        indicator=goal.indicator,
        data_type=goal.data_type,
        unit=goal.unit,
        classification=goal.classification,
        baseline_value=goal.baseline_value,
        baseline_year=goal.baseline_year,
        target_value=goal.target_value,
        target_year=goal.target_year,
        political_goals=list(goal.political_goals),
        # The indicator's history travels with it, so the chart keeps its earlier years.
        measurements=[Measurement(year=m.year, value=m.value, note=m.note, pupils=m.pupils, new_series=m.new_series)
                      for m in goal.measurements if m.value is not None],
    )
    db.session.add(copy)
    db.session.flush()
    note = f"Videreført fra {source_period.name}"
    audit.record("create", copy, state(copy, GOAL_FIELDS), summary=f"{note}: {copy.title}", actor=actor)
    for position, initiative in enumerate(initiatives):
        new = Initiative(
            goal=copy,
            position=position,
            **{name: getattr(initiative, name) for name in (
                "title", "starting_point", "what_we_try", "who_does_what", "responsible", "start_date",
                "end_date", "success_signs", "evaluation_plan", "owner_level", "status", "status_changed_at",
            )},
            political_goals=list(initiative.political_goals),
            expectations=list(initiative.expectations),
        )
        new.status_updates.append(StatusUpdate(status=initiative.status, comment=note, author=actor))
        db.session.add(new)
        db.session.flush()
        audit.record("create", new, state(new, INITIATIVE_FIELDS), summary=f"{note}: {new.title}", actor=actor)
    return copy


# --- what of an indicator a reader may see --------------------------------------------------------

INDICATOR_KEYS = (
    "indicator", "data_type", "unit", "baseline_value", "baseline_year", "target_value", "target_year", "measurements",
)


def _is_indicator_key(name: str) -> bool:
    return name in INDICATOR_KEYS or name.startswith("measurement:")


def visible_snapshot(data: dict[str, Any], user: User, school_id: int) -> dict[str, Any]:
    """A snapshot's data with every confidential indicator (as frozen, or as the goal is classified
    today, whichever is stricter) blanked for a reader who may not see it."""
    from strategy.permissions import indicator_visible

    goals = data.get("goals") or []
    ids = [g.get("id") for g in goals if isinstance(g.get("id"), int)]
    today = {row.id: row.classification for row in db.session.execute(sa.select(Goal.id, Goal.classification).where(Goal.id.in_(ids)))} if ids else {}
    shown = []
    for goal in goals:
        levels = {goal.get("classification"), audit._plain(today.get(goal.get("id")))}
        if Classification.CONFIDENTIAL.value in levels and not indicator_visible(user, school_id, Classification.CONFIDENTIAL):
            goal = {**goal, **{key: None for key in INDICATOR_KEYS}, "measurements": [], "indicator_hidden": True}
        shown.append(goal)
    return {**data, "goals": shown}
