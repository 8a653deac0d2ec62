"""Search everything a user may read: one interface over PostgreSQL's and SQLite's full text.

``search(user, text, filters)`` gives the results grouped by kind with their counts;
``suggest(user, text)`` the few best for the header's search-as-you-type. The permission rule
(``permissions.search_read_clause``) is part of the SQL that finds and counts, so a document the
user may not read is never found, counted or suggested. Ranking: the exact phrase first, then
the engine's best match (the heading counts more than the body), then the newest.

The index (``search_document``) is kept current by strategy.search.index; the engines'
differences are in strategy.search.engines; Danish words in strategy.search.text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from strategy.extensions import db
from strategy.models import (
    Cluster,
    Conclusion,
    DocumentKind,
    Expectation,
    Initiative,
    School,
    SearchDocument,
    Status,
    User,
)
from strategy.models.strategy import goal_political_goal, initiative_expectation, initiative_political_goal
from strategy.permissions import search_read_clause
from strategy.search.engines import Engine
from strategy.search.text import Query, highlight, parse, snippet
from strategy.url_filters import UrlFilters

__all__ = ["Filters", "Hit", "Results", "KIND_LABELS", "search", "suggest", "parse"]

K = DocumentKind

# The order of the groups on the results page, and their names (singular, plural).
KIND_LABELS = {
    K.INITIATIVE: (_l("Tiltag"), _l("Tiltag")),
    K.EVALUATION: (_l("Evaluering"), _l("Evalueringer")),
    K.GOAL: (_l("Mål"), _l("Mål")),
    K.INDICATOR: (_l("Indikator"), _l("Indikatorer")),
    K.NOTE: (_l("Sparringsnotat"), _l("Sparringsnotater")),
    K.MEETING: (_l("Samtale"), _l("Samtaler")),
    K.POLITICAL_GOAL: (_l("Politisk mål"), _l("Politiske mål")),
    K.ACTIVITY: (_l("Strategisk aktivitet"), _l("Strategiske aktiviteter")),
    K.EXPECTATION: (_l("Forventning i Learning Pipeline"), _l("Forventninger i Learning Pipeline")),
    K.TOOL: (_l("Værktøj fra Fælles om Ledelse"), _l("Værktøjer fra Fælles om Ledelse")),
}
KINDS = list(KIND_LABELS)


@dataclass(frozen=True)
class Filters(UrlFilters):
    """The results page's filters; in the URL under the Danish names of PARAMS."""

    school_id: int | None = None
    conclusion: Conclusion | None = None
    kind: DocumentKind | None = None

    PARAMS = {
        "school_id": "skole", "cluster_id": "klynge", "period_id": "periode", "political_goal_id": "maal",
        "level_id": "niveau", "status": "status", "conclusion": "konklusion", "kind": "type",
    }
    ENUMS = {"status": Status, "conclusion": Conclusion, "kind": DocumentKind}

    @property
    def active(self) -> bool:
        return any(getattr(self, attr) is not None for attr in self.PARAMS if attr != "kind")

    def clauses(self) -> list:
        doc = SearchDocument
        clauses = []
        if self.kind is not None:
            clauses.append(doc.kind == self.kind.value)
        if self.school_id is not None:
            clauses.append(doc.school_id == self.school_id)
        if self.cluster_id is not None:
            clauses.append(doc.school_id.in_(sa.select(School.id).where(School.cluster_id == self.cluster_id)))
        if self.period_id is not None:
            clauses.append(doc.period_id == self.period_id)
        if self.political_goal_id is not None:
            pg = self.political_goal_id
            clauses.append(sa.or_(
                sa.and_(doc.kind == K.POLITICAL_GOAL.value, doc.object_id == pg),
                doc.goal_id.in_(sa.select(goal_political_goal.c.goal_id).where(
                    goal_political_goal.c.political_goal_id == pg)),
                doc.initiative_id.in_(sa.select(initiative_political_goal.c.initiative_id).where(
                    initiative_political_goal.c.political_goal_id == pg)),
            ))
        if self.level_id is not None:
            level = self.level_id
            clauses.append(sa.or_(
                doc.level_id == level,
                doc.initiative_id.in_(sa.select(Initiative.id).where(Initiative.owner_level_id == level)),
                doc.initiative_id.in_(
                    sa.select(initiative_expectation.c.initiative_id)
                    .join(Expectation, Expectation.id == initiative_expectation.c.expectation_id)
                    .where(Expectation.level_id == level)
                ),
            ))
        if self.status is not None:
            clauses.append(doc.status == self.status.value)
        if self.conclusion is not None:
            clauses.append(doc.conclusion == self.conclusion.value)
        return clauses


@dataclass
class Hit:
    kind: DocumentKind
    object_id: int
    title: Markup
    snippet: Markup
    url: str
    school_id: int | None
    school_name: str
    dated: date | None
    status: str | None
    conclusion: str | None
    exact: bool

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind][0])


@dataclass
class Group:
    kind: DocumentKind
    count: int
    hits: list[Hit] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind][1])

    @property
    def more(self) -> int:
        return self.count - len(self.hits)


@dataclass
class Results:
    query: Query
    filters: Filters
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)


def _engine() -> Engine:
    return Engine.for_dialect(db.engine.dialect.name)


def _link(kind: DocumentKind, row) -> str:
    match kind:
        case K.INITIATIVE:
            return url_for("schools.initiative", initiative_id=row.object_id)
        case K.GOAL:
            return url_for("schools.goal", goal_id=row.object_id)
        case K.INDICATOR:
            return url_for("schools.goal", goal_id=row.object_id, _anchor="indikator")
        case K.EVALUATION:
            anchor = f"evaluation-{row.object_id}"
            if row.initiative_id is not None:
                return url_for("schools.initiative", initiative_id=row.initiative_id, _anchor=anchor)
            return url_for("schools.goal", goal_id=row.goal_id, _anchor=anchor)
        case K.NOTE:
            return url_for("followup.note_view", note_id=row.object_id)
        case K.MEETING:
            return url_for("followup.meeting_view", meeting_id=row.object_id)
        case K.POLITICAL_GOAL:
            return url_for("reference.policies", _anchor=f"political-goal-{row.object_id}")
        case K.ACTIVITY:
            return url_for("reference.period", key=row.ref, _anchor=f"activity-{row.object_id}")
        case K.EXPECTATION:
            return url_for("reference.level", level_id=row.level_id, _anchor=f"expectation-{row.object_id}")
        case K.TOOL:
            return url_for("reference.tool", key=row.ref)
    raise ValueError(kind)


def _matches(user: User, query: Query, filters: Filters):
    """SELECT of the matching documents the user may read: id, kind and the rank columns only
    (the texts are fetched for the few rows shown, not sorted along with every match)."""
    engine = _engine()
    doc = SearchDocument
    statement = sa.select(
        doc.id, doc.kind, doc.dated, engine.exact(query).label("exact"), engine.score(query).label("score"),
    ).select_from(doc)
    return engine.matching(statement, query).where(search_read_clause(user), *filters.clauses())


def _shown(ranked):
    """The documents of ``ranked`` (a subquery with id and rank columns) with what a hit shows."""
    doc = SearchDocument
    return (
        sa.select(ranked, doc.object_id, doc.school_id, doc.goal_id, doc.initiative_id, doc.level_id, doc.status,
                  doc.conclusion, doc.dated, doc.ref, doc.title, doc.body, School.name.label("school_name"))
        .join(doc, doc.id == ranked.c.id)
        .outerjoin(School, School.id == doc.school_id)
    )


def _counts(user: User, query: Query, filters: Filters) -> dict[str, int]:
    doc = SearchDocument
    statement = _engine().matching(sa.select(doc.kind, sa.func.count()).select_from(doc), query)
    statement = statement.where(search_read_clause(user), *filters.clauses()).group_by(doc.kind)
    return dict(db.session.execute(statement).all())


def _ranked(matches, per_kind: int, offset: int = 0):
    """The best ``per_kind`` of each kind (after ``offset``)."""
    # OFFSET 0 keeps the database from folding this into the window below, which would work
    # out the rank columns (the phrase test above all) once per use instead of once.
    inner = matches.offset(0).subquery("matches")
    position = sa.func.row_number().over(
        partition_by=inner.c.kind,
        order_by=(inner.c.exact.desc(), inner.c.score, inner.c.dated.desc().nulls_last(), inner.c.id),
    ).label("position")
    # Each kind's count rides along (a window), so the matches are found once for both.
    count = sa.func.count().over(partition_by=inner.c.kind).label("kind_count")
    numbered = sa.select(inner.c.id, inner.c.kind, inner.c.exact, position, count).subquery("numbered")
    best = sa.select(numbered).where(numbered.c.position > offset, numbered.c.position <= offset + per_kind)
    shown = best.subquery("best")
    return _shown(shown).order_by(shown.c.kind, shown.c.position)


def _hit(row, query: Query) -> Hit:
    kind = DocumentKind(row.kind)
    title = highlight(row.title, query) if row.title else Markup("")
    return Hit(
        kind=kind, object_id=row.object_id, title=title, snippet=snippet(row.body, query), url=_link(kind, row),
        school_id=row.school_id, school_name=row.school_name or "", dated=row.dated, status=row.status,
        conclusion=row.conclusion, exact=bool(row.exact),
    )


def search(user: User, text: str | None, filters: Filters = Filters(), per_kind: int = 5, offset: int = 0) -> Results:
    """Matching documents the user may read, grouped by kind in KINDS order, with counts."""
    query = parse(text)
    if not query:
        return Results(query=query, filters=filters, groups=[])
    hits: dict[str, list[Hit]] = {}
    counts: dict[str, int] = {}
    for row in db.session.execute(_ranked(_matches(user, query, filters), per_kind, offset)):
        hits.setdefault(row.kind, []).append(_hit(row, query))
        counts[row.kind] = row.kind_count
    if not counts and offset:  # a page beyond the last: the counts alone
        counts = _counts(user, query, filters)
    groups = [Group(kind=k, count=counts[k.value], hits=hits.get(k.value, [])) for k in KINDS if counts.get(k.value)]
    return Results(query=query, filters=filters, groups=groups)


def suggest(user: User, text: str | None, limit: int = 8) -> list[Hit]:
    """The best ``limit`` documents of any kind, exact phrases first (search-as-you-type)."""
    query = parse(text)
    if not query:
        return []
    inner = _matches(user, query, Filters()).offset(0).subquery("matches")
    order = (inner.c.exact.desc(), inner.c.score, inner.c.dated.desc().nulls_last(), inner.c.id)
    position = sa.func.row_number().over(order_by=order).label("position")
    best = sa.select(inner.c.id, inner.c.kind, inner.c.exact, position).order_by(*order).limit(limit).subquery("best")
    statement = _shown(best).order_by(best.c.position)
    return [_hit(row, query) for row in db.session.execute(statement)]


def filter_choices(user: User):
    """Options for the results page's filters (schools limited to those the user may read)."""
    from strategy.models import Period, PoliticalGoal, ProfileLevel
    from strategy.permissions import strategy_read_clause

    schools = db.session.execute(
        sa.select(School.id, School.name).where(strategy_read_clause(user, School.id)).order_by(School.name)).all()
    return {
        "schools": schools,
        "clusters": db.session.execute(sa.select(Cluster.id, Cluster.name).order_by(Cluster.name)).all(),
        "periods": db.session.execute(
            sa.select(Period.id, Period.name).order_by(Period.start_year.desc())).all(),
        "political_goals": [(p.id, p.label) for p in db.session.scalars(
            sa.select(PoliticalGoal).order_by(PoliticalGoal.position))],
        "levels": [(lvl.id, f"{lvl.name} ({lvl.school.name})" if lvl.school else lvl.name) for lvl in db.session.scalars(
            sa.select(ProfileLevel).order_by(ProfileLevel.school_id.is_not(None), ProfileLevel.position))],
    }
