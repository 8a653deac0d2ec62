"""The overview's filters: read from and written to the URL (strategy/url_filters.py), the
choices of the filter form, and the political goals (columns) they leave.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from strategy.extensions import db
from strategy.labels import STATUS as STATUS_LABELS
from strategy.models import Cluster, Period, PoliticalGoal, ProfileLevel, School, Status, Theme
from strategy.periods import current_period
from strategy.permissions import SchoolScope
from strategy.progress import all_political_goals, school_clause
from strategy.url_filters import UrlFilters


@dataclass(frozen=True)
class Filters(UrlFilters):
    """The overview's filters. With no period in the URL, the current period is chosen."""

    theme_id: int | None = None

    PARAMS = {
        "period_id": "periode",
        "cluster_id": "klynge",
        "theme_id": "tema",
        "political_goal_id": "maal",
        "level_id": "niveau",
        "status": "status",
    }

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        values = cls.parse(args)
        if values["period_id"] is None:
            period = current_period()
            values["period_id"] = period.id if period else None
        return cls(**values)

    @property
    def narrows_initiatives(self) -> bool:
        return self.level_id is not None or self.status is not None


@dataclass
class FilterOptions:
    periods: list[Period]
    clusters: list[Cluster]
    themes: list[Theme]
    political_goals: list[PoliticalGoal]
    levels: list[ProfileLevel]
    statuses: list[tuple[Status, str]]

    # (value, text) pairs for the filter form's <select>s
    @property
    def period_items(self):
        return [(p.id, p.name) for p in self.periods]

    @property
    def cluster_items(self):
        return [(c.id, c.name) for c in self.clusters]

    @property
    def theme_items(self):
        return [(t.id, t.name) for t in self.themes]

    @property
    def political_goal_items(self):
        return [(g.id, g.text) for g in self.political_goals]

    @property
    def level_items(self):
        return [(lvl.id, f"{lvl.name} ({lvl.school.name})" if lvl.school else lvl.name) for lvl in self.levels]

    @property
    def status_items(self):
        return [(s.value, label) for s, label in self.statuses]


def filter_options(scope: SchoolScope) -> FilterOptions:
    ids = scope
    clusters = db.session.scalars(
        sa.select(Cluster)
        .where(Cluster.id.in_(sa.select(School.cluster_id).where(school_clause(School.id, ids))))
        .order_by(Cluster.name)
    )
    levels = db.session.scalars(
        sa.select(ProfileLevel)
        .where(sa.or_(ProfileLevel.school_id.is_(None), school_clause(ProfileLevel.school_id, ids)))
        .options(joinedload(ProfileLevel.school))
        .order_by(ProfileLevel.school_id.is_not(None), ProfileLevel.position)
    )
    return FilterOptions(
        periods=list(db.session.scalars(sa.select(Period).order_by(Period.start_year.desc(), Period.end_year.desc()))),
        clusters=list(clusters),
        themes=list(db.session.scalars(sa.select(Theme).order_by(Theme.position))),
        political_goals=all_political_goals(),
        levels=list(levels),
        statuses=[(s, str(STATUS_LABELS[s])) for s in Status],
    )


def short_label(goal: PoliticalGoal, limit: int = 30) -> str:
    """A column heading: the short name, or the text cut at a word boundary."""
    text = goal.short_name or goal.text
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:")
    return cut + "…"


def selected_columns(goals: list[PoliticalGoal], filters: Filters) -> list[PoliticalGoal]:
    """The political goals the theme and political-goal filters leave."""
    if filters.political_goal_id is not None:
        goals = [g for g in goals if g.id == filters.political_goal_id]
    if filters.theme_id is not None:
        goals = [g for g in goals if any(t.id == filters.theme_id for t in g.themes)]
    return goals
