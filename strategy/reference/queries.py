"""Queries the reference pages share."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from strategy.extensions import db
from strategy.models import (
    Expectation,
    ExpectationCategory,
    Period,
    ProfileLevel,
    ReferenceText,
    Tool,
)


@dataclass
class LevelMatch:
    level: ProfileLevel
    expectations: list[Expectation]


def search_expectations(levels: list[ProfileLevel], query: str) -> list[LevelMatch]:
    """Levels whose name or expectations contain every word of the query (case-insensitive).

    Done in Python: a few hundred short texts, and SQLite's lower() does not fold æ, ø, å.
    """
    words = query.casefold().split()
    if not words:
        return [LevelMatch(level, list(level.expectations)) for level in levels]
    matches = []
    for level in levels:
        name_hit = all(w in level.name.casefold() for w in words)
        hits = [e for e in level.expectations if all(w in e.text.casefold() for w in words)]
        if name_hit:
            hits = list(level.expectations)
        if hits:
            matches.append(LevelMatch(level, hits))
    return matches


def grouped(expectations: list[Expectation]) -> list[tuple[ExpectationCategory, list[Expectation]]]:
    return [(c, [e for e in expectations if e.category == c]) for c in ExpectationCategory]


def texts(prefix: str) -> list[ReferenceText]:
    return list(
        db.session.scalars(
            sa.select(ReferenceText).where(ReferenceText.key.startswith(prefix)).order_by(ReferenceText.position)
        )
    )


def text(key: str) -> ReferenceText | None:
    return db.session.scalar(sa.select(ReferenceText).where(ReferenceText.key == key))


def periods() -> list[Period]:
    return list(db.session.scalars(sa.select(Period).order_by(Period.start_year, Period.end_year)))


def tools() -> list[Tool]:
    return list(db.session.scalars(sa.select(Tool).options(selectinload(Tool.items)).order_by(Tool.position)))


@dataclass
class ActivityGroup:
    year: int | None
    policy: str
    level: str | None  # "medarbejder" / "ledelse"
    heading: str | None
    activities: list


def activity_groups(period: Period) -> list[ActivityGroup]:
    """A period's activities in document order, grouped by year, policy, level and heading."""
    groups: list[ActivityGroup] = []
    for activity in period.activities:
        key = (
            activity.year,
            activity.policy.name if activity.policy else "",
            activity.level.value if activity.level else None,
            activity.heading,
        )
        last = groups[-1] if groups else None
        if last is None or (last.year, last.policy, last.level, last.heading) != key:
            groups.append(ActivityGroup(*key, activities=[]))
        groups[-1].activities.append(activity)
    return groups
