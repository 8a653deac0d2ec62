"""Mapping, preview, confirm and undo of a measurement import.

``plan(table, mapping, target, user)`` reads every row once and says, per school, what is new,
what changes (old → new), what is unchanged, and which rows cannot be used and why. ``apply``
writes a plan in the caller's transaction as one ImportBatch; ``undo`` puts a batch back while
nothing newer has changed its measurements. Nothing is ever deleted by an import.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from strategy import audit, notifications
from strategy.extensions import db
from strategy.imports.reader import Table
from strategy.inputs import MAX_MEASUREMENT, parse_decimal
from strategy.models import (
    Goal,
    ImportBatch,
    Measurement,
    MunicipalIndicator,
    School,
    Strategy,
    User,
    utcnow,
)
from strategy.permissions import can
from strategy.snapshots import measurement_state

FIELDS = ("school", "year", "value", "pupils")
FIELD_LABELS = {
    "school": _l("Institutionsnummer eller skole"),
    "year": _l("Skoleår, år eller dato"),
    "value": _l("Værdi"),
    "pupils": _l("Antal elever (valgfri)"),
}
_GUESSES = {
    "school": ("institutionsnummer", "instnr", "inst.nr", "institution", "skolekode", "skole", "school"),
    "year": ("skoleår", "skoleaar", "år", "aar", "year", "periode", "dato", "date"),
    "value": ("værdi", "vaerdi", "value", "andel", "gennemsnit", "resultat", "score", "indikator", "procent", "pct"),
    "pupils": ("antal elever", "elever", "antal", "pupils", "n"),
}
_SCHOOL_YEAR = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2}|\d{4})\s*$")
_INSTITUTION = re.compile(r"^\d{6}$")


def guess_mapping(header: list[str], remembered: dict[str, Any] | None = None) -> dict[str, int | None]:
    """Column index per field: what was used last time for this indicator if the header still
    has it, else the first header that looks like it."""
    lowered = [h.strip().lower() for h in header]
    mapping: dict[str, int | None] = {}
    taken: set[int] = set()
    for name in FIELDS:
        wanted = (remembered or {}).get(name)
        if isinstance(wanted, str) and wanted.strip().lower() in lowered:
            mapping[name] = lowered.index(wanted.strip().lower())
            taken.add(mapping[name])
            continue
        mapping[name] = None
        for guess in _GUESSES[name]:
            found = next((i for i, h in enumerate(lowered) if i not in taken and (h == guess or (len(guess) > 2 and guess in h))), None)
            if found is not None:
                mapping[name] = found
                taken.add(found)
                break
    return mapping


def mapping_names(header: list[str], mapping: dict[str, int | None]) -> dict[str, str]:
    """The mapping as header names, to remember for the indicator."""
    return {k: header[v] for k, v in mapping.items() if v is not None and v < len(header)}


@dataclass
class Target:
    """What the file's values are measurements of: a fælles indikator, or per school a goal."""

    municipal: MunicipalIndicator | None = None
    goal_by_school: dict[int, int] = field(default_factory=dict)  # school id -> goal id

    def label(self) -> str:
        if self.municipal is not None:
            return self.municipal.name
        return str(_l("Valgt indikator pr. skole"))


@dataclass
class Row:
    line: int  # the row's number in the file (the header is 1)
    school: School | None
    year: int | None
    value: float | None
    pupils: int | None
    status: str  # new | changed | unchanged | unusable
    reason: str = ""
    old: dict[str, Any] | None = None
    goals: list[int] = field(default_factory=list)
    raw_school: str = ""


@dataclass
class Plan:
    rows: list[Row]
    by_school: dict[int, list[Row]]
    schools: dict[int, School]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def unusable(self) -> list[Row]:
        return [r for r in self.rows if r.status == "unusable"]

    @property
    def writes(self) -> list[Row]:
        return [r for r in self.rows if r.status in ("new", "changed")]


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def parse_year(cell: object) -> int | None:
    """'2024/25' and '2024/2025' (the school year, measured in its spring: 2025), 2025, or a date."""
    if isinstance(cell, datetime | date):
        return cell.year
    text = _text(cell)
    match = _SCHOOL_YEAR.match(text)
    if match:
        first = int(match.group(1))
        return first + 1 if 1990 <= first <= 2099 else None
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return year if 1990 <= year <= 2100 else None
    day = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text) or re.fullmatch(r"(\d{1,2})[.-](\d{1,2})[.-](\d{4})", text)
    if day:
        year = int(day.group(1) if len(day.group(1)) == 4 else day.group(3))
        return year if 1990 <= year <= 2100 else None
    return None


def parse_value(cell: object) -> float | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell) if cell == cell and abs(cell) != float("inf") else None
    text = _text(cell).replace("%", "").strip()
    return parse_decimal(text) if text else None


def _goals_for(target: Target, school_ids: set[int]) -> dict[int, list[Goal]]:
    """The goals at each school that receive the values."""
    found: dict[int, list[Goal]] = defaultdict(list)
    if not school_ids:
        return found
    query = sa.select(Goal, Strategy.school_id).join(Strategy, Goal.strategy_id == Strategy.id).where(
        Goal.archived_at.is_(None), Strategy.school_id.in_(school_ids)
    )
    if target.municipal is not None:
        query = query.where(Goal.municipal_indicator_id == target.municipal.id)
    else:
        query = query.where(Goal.id.in_(list(target.goal_by_school.values()) or [-1]))
    for goal, school_id in db.session.execute(query):
        if target.municipal is None and target.goal_by_school.get(school_id) != goal.id:
            continue
        found[school_id].append(goal)
    return found


def plan(table: Table, mapping: dict[str, int | None], target: Target, user: User) -> Plan:
    schools = list(db.session.scalars(sa.select(School)))
    by_number = {s.institution_number: s for s in schools if s.institution_number}
    by_name = {s.name.strip().lower(): s for s in schools}

    def cell(row: list[object], name: str) -> object:
        index = mapping.get(name)
        return row[index] if index is not None and index < len(row) else None

    parsed: list[Row] = []
    for number, raw in enumerate(table.rows, start=2):
        raw_school = _text(cell(raw, "school"))
        school = by_number.get(raw_school) if _INSTITUTION.match(raw_school) else by_name.get(raw_school.lower())
        year = parse_year(cell(raw, "year"))
        value = parse_value(cell(raw, "value"))
        pupils_text = _text(cell(raw, "pupils")) if mapping.get("pupils") is not None else ""
        pupils = None
        row = Row(number, school, year, value, None, "new", raw_school=raw_school[:60])
        if pupils_text:
            pupils = int(pupils_text) if re.fullmatch(r"\d{1,7}", pupils_text) else -1
            row.pupils = pupils
        if school is None:
            row.status, row.reason = "unusable", str(_l("Ukendt institutionsnummer") if _INSTITUTION.match(raw_school) or not raw_school
                                                     else _l("Ukendt skole"))
        elif not can(user, "import.create", school):
            row.status, row.reason = "unusable", str(_l("Ikke din skole"))
        elif year is None:
            row.status, row.reason = "unusable", str(_l("Intet gyldigt år"))
        elif value is None:
            row.status, row.reason = "unusable", str(_l("Ingen værdi"))
        elif abs(value) > MAX_MEASUREMENT or pupils == -1:
            row.status, row.reason = "unusable", str(_l("Værdien ligger uden for det mulige") if pupils != -1
                                                     else _l("Antal elever er ikke et helt tal"))
        parsed.append(row)

    usable = [r for r in parsed if r.status != "unusable"]
    goals = _goals_for(target, {r.school.id for r in usable})
    goal_ids = [g.id for gs in goals.values() for g in gs]
    existing: dict[tuple[int, int], Measurement] = {}
    for chunk in range(0, len(goal_ids), 500):
        for m in db.session.scalars(sa.select(Measurement).where(Measurement.goal_id.in_(goal_ids[chunk:chunk + 500]))):
            existing[(m.goal_id, m.year)] = m
    units = {g.id: g.unit for gs in goals.values() for g in gs}
    seen: set[tuple[int, int]] = set()
    for row in usable:
        key = (row.school.id, row.year)
        if key in seen:
            row.status, row.reason = "unusable", str(_l("Dublet: skolen og året står tidligere i filen"))
            continue
        seen.add(key)
        school_goals = goals.get(row.school.id, [])
        if not school_goals:
            row.status, row.reason = "unusable", str(_l("Skolen har intet mål med denne indikator"))
            continue
        if any(units[g.id] == "%" for g in school_goals) and not 0 <= row.value <= 100:
            row.status, row.reason = "unusable", str(_l("Værdien ligger uden for 0-100 %"))
            continue
        row.goals = [g.id for g in school_goals]
        olds = [existing.get((g.id, row.year)) for g in school_goals]
        if all(m is not None and m.value == row.value and m.pupils == row.pupils for m in olds):
            row.status = "unchanged"
        elif all(m is None for m in olds):
            row.status = "new"
        else:
            row.status = "changed"
            first = next(m for m in olds if m is not None)
            row.old = {"value": first.value, "pupils": first.pupils}
    by_school: dict[int, list[Row]] = defaultdict(list)
    for row in parsed:
        if row.school is not None:
            by_school[row.school.id].append(row)
    return Plan(parsed, dict(by_school), {s.id: s for s in schools})


def apply(the_plan: Plan, target: Target, filename: str, user: User | None) -> ImportBatch | None:
    """Write the plan's new and changed values as one batch, in the caller's transaction.
    None when there is nothing to write (a re-import of the same file)."""
    writes = the_plan.writes
    if not writes:
        return None
    batch = ImportBatch(
        created_by_id=user.id if user else None, filename=filename[:255], target=target.label()[:300],
        municipal_indicator_id=target.municipal.id if target.municipal else None,
        new_count=the_plan.count("new"), changed_count=the_plan.count("changed"),
        unchanged_count=the_plan.count("unchanged"), unusable_count=the_plan.count("unusable"),
    )
    db.session.add(batch)
    db.session.flush()
    goal_ids = sorted({gid for r in writes for gid in r.goals})
    goals = {g.id: g for g in db.session.scalars(sa.select(Goal).where(Goal.id.in_(goal_ids)))} if goal_ids else {}
    existing: dict[tuple[int, int], Measurement] = {}
    for chunk in range(0, len(goal_ids), 500):
        for m in db.session.scalars(sa.select(Measurement).where(Measurement.goal_id.in_(goal_ids[chunk:chunk + 500]))):
            existing[(m.goal_id, m.year)] = m
    changes: list[dict[str, Any]] = []
    per_goal: dict[int, dict[str, list]] = defaultdict(dict)
    now = utcnow()
    for row in writes:
        for goal_id in row.goals:
            m = existing.get((goal_id, row.year))
            old = measurement_state(m)
            if m is None:
                m = Measurement(goal_id=goal_id, year=row.year, value=row.value, pupils=row.pupils, note="")
                db.session.add(m)
                existing[(goal_id, row.year)] = m
            elif m.value == row.value and m.pupils == row.pupils:
                continue
            else:
                m.value, m.pupils = row.value, row.pupils
            m.import_batch_id = batch.id
            m.updated_at = now
            new = measurement_state(m)
            changes.append({"goal_id": goal_id, "year": row.year, "old": old, "new": new})
            per_goal[goal_id][f"measurement:{row.year}"] = [old, new]
    for goal_id, goal_changes in per_goal.items():
        goal = goals[goal_id]
        audit.record("update", goal, goal_changes, summary=f"Import {batch.id} ({filename[:80]}): {goal.title}", actor=user)
        goal.strategy.touch()
        notifications.measurements_imported(goal, [int(k.split(":")[1]) for k in goal_changes], user)
    batch.changes = changes
    audit.record("create", batch, {"filename": batch.filename, "target": batch.target, "new": batch.new_count,
                                   "changed": batch.changed_count, "unchanged": batch.unchanged_count,
                                   "unusable": batch.unusable_count},
                 summary=f"Import af målinger: {batch.filename}", actor=user)
    return batch


class UndoRefused(ValueError):
    pass


def can_undo(batch: ImportBatch) -> bool:
    return undo_blocker(batch) is None


def undo_blocker(batch: ImportBatch) -> str | None:
    """Why the batch cannot be undone, or None."""
    if batch.undone_at is not None:
        return str(_l("Importen er allerede fortrudt."))
    goal_ids = sorted({c["goal_id"] for c in batch.changes})
    current = {
        (m.goal_id, m.year): m
        for m in db.session.scalars(sa.select(Measurement).where(Measurement.goal_id.in_(goal_ids or [-1])))
    }
    for change in batch.changes:
        m = current.get((change["goal_id"], change["year"]))
        if m is None or m.import_batch_id != batch.id:
            return str(_l("Nogle af målingerne er ændret siden importen (af en person eller en nyere import)."))
    return None


def undo(batch: ImportBatch, user: User | None) -> int:
    """Put every measurement of the batch back as it was before it. Refused (UndoRefused) when
    something newer has changed one of them."""
    blocker = undo_blocker(batch)
    if blocker:
        raise UndoRefused(blocker)
    goal_ids = sorted({c["goal_id"] for c in batch.changes})
    current = {
        (m.goal_id, m.year): m
        for m in db.session.scalars(sa.select(Measurement).where(Measurement.goal_id.in_(goal_ids or [-1])))
    }
    goals = {g.id: g for g in db.session.scalars(sa.select(Goal).where(Goal.id.in_(goal_ids or [-1])))}
    per_goal: dict[int, dict[str, list]] = defaultdict(dict)
    now = utcnow()
    for change in batch.changes:
        m = current[(change["goal_id"], change["year"])]
        old = change["old"]
        before = measurement_state(m)
        if old is None:
            db.session.delete(m)
        else:
            m.value, m.note, m.pupils = old["value"], old.get("note", ""), old.get("pupils")
            m.new_series = bool(old.get("new_series"))
            m.import_batch_id = None
            m.updated_at = now
        per_goal[change["goal_id"]][f"measurement:{change['year']}"] = [before, old]
    for goal_id, goal_changes in per_goal.items():
        audit.record("update", goals[goal_id], goal_changes, summary=f"Import {batch.id} fortrudt: {goals[goal_id].title}",
                     actor=user)
    batch.undone_at = now
    batch.undone_by_id = user.id if user else None
    audit.record("update", batch, {"undone_at": [None, audit._plain(now)]},
                 summary=f"Import af målinger fortrudt: {batch.filename}", actor=user)
    return len(batch.changes)
