"""Load the reference data in seed/ into the database, idempotently.

Rows are matched on their stable keys (and positions within a parent), so running the loader
twice changes nothing, and running it after a text is corrected in seed/ updates that text.
"""

import copy
import functools
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from strategy import ROOT
from strategy.extensions import db
from strategy.models import (
    ActivityLevel,
    Expectation,
    ExpectationCategory,
    FollowUpFormat,
    MunicipalActivity,
    Period,
    PeriodFollowUp,
    Policy,
    PoliticalGoal,
    ProfileLevel,
    ReferenceText,
    School,
    Theme,
    Tool,
    ToolItem,
)

SEED_DIR = ROOT / "seed"


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=32)
def _parse(path: Path, mtime_ns: int) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


def read_yaml(name: str) -> dict[str, Any]:
    """A seed file, parsed once per version of the file (a fresh copy each call)."""
    path = SEED_DIR / name
    return copy.deepcopy(_parse(path, path.stat().st_mtime_ns))


class Counter:
    """Counts what a run created and changed, so `flask seed` can report "nothing changed"."""

    def __init__(self):
        self.created = 0
        self.updated = 0
        self.deleted = 0
        self._index: dict[tuple, dict[tuple, Any]] = {}

    def _existing(self, model, lookup: dict[str, Any]):
        """One query per model and lookup shape, not one per row: the seed has hundreds of rows."""
        names = tuple(sorted(lookup))
        index = self._index.get((model, names))
        if index is None:
            index = {tuple(getattr(o, n) for n in names): o for o in db.session.scalars(sa.select(model))}
            self._index[(model, names)] = index
        return index, tuple(lookup[n] for n in names)

    def upsert(self, model, lookup: dict[str, Any], **values):
        index, key = self._existing(model, lookup)
        obj = index.get(key)
        if obj is None:
            obj = model(**lookup, **values)
            db.session.add(obj)
            index[key] = obj
            self.created += 1
            return obj
        changed = False
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        self.updated += changed
        return obj

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.deleted} deleted"


def _sync_children(counter: Counter, existing: list, wanted: list[dict], make, update) -> None:
    """Match children by position: update in place, create missing, delete surplus."""
    for position, data in enumerate(wanted):
        if position < len(existing):
            child = existing[position]
            changed = update(child, position, data)
            counter.updated += changed
        else:
            make(position, data)
            counter.created += 1
    for surplus in existing[len(wanted) :]:
        db.session.delete(surplus)
        counter.deleted += 1


def _set(obj, **values) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


# --- Learning Pipeline ------------------------------------------------------------------------

CATEGORIES = {
    "priorities": ExpectationCategory.PRIORITIES,
    "work_values": ExpectationCategory.WORK_VALUES,
    "skills": ExpectationCategory.SKILLS,
}


def _load_level(counter: Counter, data: dict, position: int, school: School | None) -> ProfileLevel:
    level = counter.upsert(
        ProfileLevel,
        {"key": data["key"], "school_id": school.id if school else None},
        name=data["name"],
        position=position,
    )
    db.session.flush()
    for cat_key, category in CATEGORIES.items():
        existing = [e for e in level.expectations if e.category == category]
        texts = [{"text": t} for t in data["expectations"].get(cat_key) or []]
        _sync_children(
            counter,
            existing,
            texts,
            make=lambda pos, d, category=category: level.expectations.append(
                Expectation(category=category, text=d["text"], position=pos)
            ),
            update=lambda child, pos, d: _set(child, text=d["text"], position=pos),
        )
    return level


def load_learning_pipeline(counter: Counter) -> None:
    municipal = read_yaml("learning_pipeline.yaml")
    for position, data in enumerate(municipal["levels"]):
        _load_level(counter, data, position, school=None)
    counter.upsert(ReferenceText, {"key": "pipeline-intro"}, title="Forord", body=municipal.get("intro", ""))
    for position, entry in enumerate(municipal.get("faq") or []):
        counter.upsert(
            ReferenceText,
            {"key": f"pipeline-faq-{position + 1}"},
            title=entry["question"],
            body=entry["answer"].strip(),
            position=position,
        )

    # Herningvej Skole's local version: its own levels (Forældre, Elever) belong to the school;
    # the eight municipal levels it reprints are the municipal ones above.
    local = read_yaml("herningvej_learning_pipeline.yaml")
    school = counter.upsert(School, {"name": local["school"]})
    db.session.flush()
    offset = len(municipal["levels"])
    for position, data in enumerate(d for d in local["levels"] if not d.get("municipal")):
        _load_level(counter, data, offset + position, school=school)


# --- Policies, periods, follow-up formats -----------------------------------------------------


def load_policies(counter: Counter) -> None:
    data = read_yaml("policies.yaml")
    themes = {}
    for position, t in enumerate(data["themes"]):
        themes[t["key"]] = counter.upsert(Theme, {"key": t["key"]}, name=t["name"], position=position)
    for position, p in enumerate(data["policies"]):
        policy = counter.upsert(
            Policy,
            {"key": p["key"]},
            name=p["name"],
            kind=p.get("kind", "policy"),
            description=(p.get("description") or "").strip(),
            position=position,
        )
        db.session.flush()
        for goal_position, g in enumerate(p.get("goals") or []):
            goal = counter.upsert(
                PoliticalGoal,
                {"key": g["key"]},
                policy_id=policy.id,
                text=g["text"],
                short_name=g.get("short_name", ""),
                position=position * 100 + goal_position,
            )
            wanted = [themes[k] for k in g.get("themes") or []]
            if goal.id is None:
                goal.themes = wanted  # part of creating it
            elif {t.key for t in goal.themes} != {t.key for t in wanted}:
                goal.themes = wanted
                counter.updated += 1
    counter.upsert(
        ReferenceText, {"key": "foundation"}, title="Det vi står på", body="\n".join(data.get("foundation") or [])
    )
    counter.upsert(
        ReferenceText,
        {"key": "children-experience"},
        title="Det oplever vores børn og unge",
        body=(data.get("children_experience") or "").strip(),
    )


def load_periods(counter: Counter) -> None:
    data = read_yaml("periods.yaml")
    policies = {p.key: p for p in db.session.scalars(sa.select(Policy))}
    for p in data["periods"]:
        period = counter.upsert(
            Period,
            {"key": str(p["key"])},
            name=str(p["name"]),
            title=p.get("title", ""),
            start_year=p["start_year"],
            end_year=p["end_year"],
        )
        db.session.flush()

        def activity_values(pos, a):
            policy = policies.get(a.get("policy") or "")
            return {
                "policy_id": policy.id if policy else None,
                "level": ActivityLevel(a["level"]) if a.get("level") else None,
                "year": a.get("year"),
                "heading": a.get("heading"),
                "text": a["text"],
                "position": pos,
            }

        _sync_children(
            counter,
            list(period.activities),
            p.get("activities") or [],
            make=lambda pos, a, period=period: period.activities.append(
                MunicipalActivity(**activity_values(pos, a))
            ),
            update=lambda child, pos, a: _set(child, **activity_values(pos, a)),
        )
        _sync_children(
            counter,
            list(period.follow_up_items),
            [{"text": t} for t in p.get("follow_up") or []],
            make=lambda pos, d, period=period: period.follow_up_items.append(
                PeriodFollowUp(text=d["text"], position=pos)
            ),
            update=lambda child, pos, d: _set(child, text=d["text"], position=pos),
        )
    for position, f in enumerate(data.get("follow_up_formats") or []):
        counter.upsert(
            FollowUpFormat,
            {"key": f["key"]},
            name=f["name"],
            meeting_type=f.get("meeting_type"),
            min_per_year=f.get("min_per_year"),
            max_per_year=f.get("max_per_year"),
            description=(f.get("description") or "").strip(),
            position=position,
        )


# --- Fælles om Ledelse ------------------------------------------------------------------------


def load_tools(counter: Counter) -> None:
    data = read_yaml("faelles_om_ledelse.yaml")
    for position, t in enumerate(data["tools"]):
        tool = counter.upsert(
            Tool, {"key": t["key"]}, name=t["name"], intro=(t.get("intro") or "").strip(), position=position
        )
        db.session.flush()
        for item_position, item in enumerate(t.get("items") or []):
            counter.upsert(
                ToolItem,
                {"tool_id": tool.id, "key": item["key"]},
                name=item["name"],
                description=(item.get("description") or "").strip(),
                position=item_position,
            )


def seed_reference_data() -> Counter:
    counter = Counter()
    with db.session.no_autoflush:
        load_policies(counter)
        load_periods(counter)
        load_learning_pipeline(counter)
        load_tools(counter)
    return counter


def seed_files() -> list[Path]:
    return sorted(SEED_DIR.glob("*.yaml"))
