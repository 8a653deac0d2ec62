"""Keeping ``search_document`` current, in the same transaction as the change.

After every flush the objects that were added, changed or deleted are noted (``after_flush``:
only changes to the columns a document is made of count). Just before the transaction
commits, those documents are rebuilt from the database as it now is: their rows are deleted
and written again, with the engine's own index (strategy.search.engines). A rollback forgets
the notes. Rebuilding reads the database, not the objects in the session, so one builder per
kind serves both this and ``rebuild_all`` (``flask search-index``, after bulk changes that
bypass the ORM: the demo's removal, a person's anonymisation, the benchmark's bulk insert).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from strategy.models import (
    AgendaItem,
    Agreement,
    DocumentKind,
    Evaluation,
    Expectation,
    Goal,
    Initiative,
    Measurement,
    Meeting,
    MunicipalActivity,
    Period,
    Policy,
    PoliticalGoal,
    ProfileLevel,
    SearchDocument,
    SparringNote,
    Strategy,
    Tool,
    ToolItem,
)
from strategy.progress import latest_evaluation_ids
from strategy.search.engines import Engine

PENDING = "search_pending"
K = DocumentKind


@dataclass
class Row:
    kind: str
    object_id: int
    title: str = ""
    body: str = ""
    school_id: int | None = None
    period_id: int | None = None
    goal_id: int | None = None
    initiative_id: int | None = None
    level_id: int | None = None
    status: str | None = None
    conclusion: str | None = None
    dated: date | None = None
    ref: str = ""

    def values(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _text(*parts: str | None) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _value(v):
    return v.value if hasattr(v, "value") else v


def _only(column, ids: Collection[int] | None):
    return sa.true() if ids is None else column.in_(sorted(ids))


def _grouped(session: Session, statement) -> dict[int, list[tuple]]:
    out: dict[int, list[tuple]] = defaultdict(list)
    for parent_id, *rest in session.execute(statement):
        out[parent_id].append(tuple(rest))
    return out


# --- one builder per kind: the documents of the given ids (None: all) as they are now --------


def _goals(session, ids):
    query = (
        sa.select(Goal.id, Goal.title, Goal.description, Strategy.school_id, Strategy.period_id)
        .join(Strategy, Goal.strategy_id == Strategy.id)
        .where(Goal.archived_at.is_(None), _only(Goal.id, ids))
    )
    return [Row(K.GOAL, gid, title, _text(description), school_id=school, period_id=period, goal_id=gid)
            for gid, title, description, school, period in session.execute(query)]


def _indicators(session, ids):
    query = (
        sa.select(Goal.id, Goal.indicator, Goal.unit, Strategy.school_id, Strategy.period_id)
        .join(Strategy, Goal.strategy_id == Strategy.id)
        .where(Goal.archived_at.is_(None), _only(Goal.id, ids))
    )
    goals = list(session.execute(query))
    notes = _grouped(session, sa.select(Measurement.goal_id, Measurement.note).where(
        Measurement.goal_id.in_([g[0] for g in goals]), Measurement.note != "").order_by(Measurement.year))
    rows = []
    for gid, indicator, unit, school, period in goals:
        body = _text(*(n for (n,) in notes.get(gid, [])))
        if indicator.strip() or body:
            rows.append(Row(K.INDICATOR, gid, indicator, body, school_id=school, period_id=period, goal_id=gid))
    return rows


def _latest_conclusions(session, initiative_ids: list[int]) -> dict[int, str]:
    latest = sa.select(Evaluation.initiative_id, Evaluation.conclusion).where(
        Evaluation.id.in_(latest_evaluation_ids(initiative_ids))
    )
    return {i: _value(c) for i, c in session.execute(latest)}


def _initiatives(session, ids):
    i = Initiative
    query = (
        sa.select(i.id, i.title, i.starting_point, i.what_we_try, i.who_does_what, i.responsible,
                  i.success_signs, i.evaluation_plan, i.status, i.owner_level_id, i.goal_id,
                  Strategy.school_id, Strategy.period_id)
        .join(Goal, i.goal_id == Goal.id)
        .join(Strategy, Goal.strategy_id == Strategy.id)
        .where(i.archived_at.is_(None), Goal.archived_at.is_(None), _only(i.id, ids))
    )
    found = list(session.execute(query))
    conclusions = _latest_conclusions(session, [r[0] for r in found])
    return [
        Row(K.INITIATIVE, iid, title, _text(sp, wt, who, resp, signs, plan), school_id=school, period_id=period,
            goal_id=goal_id, initiative_id=iid, level_id=level, status=_value(status),
            conclusion=conclusions.get(iid))
        for iid, title, sp, wt, who, resp, signs, plan, status, level, goal_id, school, period in found
    ]


def _evaluations(session, ids):
    e = Evaluation
    columns = (e.id, e.what_was_done, e.signs_observed, e.data_used, e.next_steps, e.acted_on_note,
               e.conclusion, e.evaluated_on)
    of_initiatives = (
        sa.select(*columns, Initiative.title, Initiative.id, Goal.id, Strategy.school_id, Strategy.period_id)
        .join(Initiative, e.initiative_id == Initiative.id)
        .join(Goal, Initiative.goal_id == Goal.id)
        .join(Strategy, Goal.strategy_id == Strategy.id)
        .where(Initiative.archived_at.is_(None), Goal.archived_at.is_(None), _only(e.id, ids))
    )
    of_goals = (
        sa.select(*columns, Goal.title, sa.null(), Goal.id, Strategy.school_id, Strategy.period_id)
        .join(Goal, e.goal_id == Goal.id)
        .join(Strategy, Goal.strategy_id == Strategy.id)
        .where(Goal.archived_at.is_(None), _only(e.id, ids))
    )
    rows = []
    for query in (of_initiatives, of_goals):
        for eid, done, signs, data, steps, acted, conclusion, on, title, iid, gid, school, period in session.execute(query):
            rows.append(Row(K.EVALUATION, eid, title, _text(done, signs, data, steps, acted), school_id=school,
                            period_id=period, goal_id=gid, initiative_id=iid, conclusion=_value(conclusion), dated=on))
    return rows


def _political_goals(session, ids):
    query = (
        sa.select(PoliticalGoal.id, PoliticalGoal.short_name, PoliticalGoal.text, Policy.name)
        .join(Policy, PoliticalGoal.policy_id == Policy.id)
        .where(_only(PoliticalGoal.id, ids))
    )
    return [Row(K.POLITICAL_GOAL, pid, short or text, _text(text if short else "", policy))
            for pid, short, text, policy in session.execute(query)]


def _activities(session, ids):
    query = (
        sa.select(MunicipalActivity.id, MunicipalActivity.heading, MunicipalActivity.text, Period.id, Period.key)
        .join(Period, MunicipalActivity.period_id == Period.id)
        .where(_only(MunicipalActivity.id, ids))
    )
    return [Row(K.ACTIVITY, aid, heading or "", text, period_id=period, ref=key)
            for aid, heading, text, period, key in session.execute(query)]


def _expectations(session, ids):
    query = (
        sa.select(Expectation.id, Expectation.text, Expectation.category, ProfileLevel.id, ProfileLevel.name,
                  ProfileLevel.school_id)
        .join(ProfileLevel, Expectation.level_id == ProfileLevel.id)
        .where(_only(Expectation.id, ids))
    )
    return [Row(K.EXPECTATION, eid, text, name, school_id=school, level_id=level, ref=_value(category))
            for eid, text, category, level, name, school in session.execute(query)]


def _tools(session, ids):
    tools = list(session.execute(sa.select(Tool.id, Tool.key, Tool.name, Tool.intro).where(_only(Tool.id, ids))))
    items = _grouped(session, sa.select(ToolItem.tool_id, ToolItem.name, ToolItem.description)
                     .where(ToolItem.tool_id.in_([t[0] for t in tools])).order_by(ToolItem.position))
    return [Row(K.TOOL, tid, name, _text(intro, *(f"{n}: {d}" if d else n for n, d in items.get(tid, []))), ref=key)
            for tid, key, name, intro in tools]


def _agreements(session, column, parent_ids) -> dict[int, list[tuple]]:
    return _grouped(session, sa.select(column, Agreement.text, Agreement.owner_name)
                    .where(column.in_(parent_ids)).order_by(Agreement.id))


def _notes(session, ids):
    n = SparringNote
    notes = list(session.execute(
        sa.select(n.id, n.school_id, n.held_on, n.participants, n.observation, n.experience, n.interpretation,
                  n.suggestion).where(_only(n.id, ids))))
    agreements = _agreements(session, Agreement.note_id, [r[0] for r in notes])
    return [
        Row(K.NOTE, nid, "", _text(who, obs, exp, interp, sugg, *(_text(t, o) for t, o in agreements.get(nid, []))),
            school_id=school, dated=held)
        for nid, school, held, who, obs, exp, interp, sugg in notes
    ]


def _meetings(session, ids):
    m = Meeting
    meetings = list(session.execute(
        sa.select(m.id, m.school_id, m.starts_at, m.title, m.purpose, m.expected_outcome, m.participants, m.roles,
                  m.notes).where(_only(m.id, ids))))
    meeting_ids = [r[0] for r in meetings]
    items = _grouped(session, sa.select(AgendaItem.meeting_id, AgendaItem.title, AgendaItem.purpose,
                                        AgendaItem.process, AgendaItem.responsible, AgendaItem.notes)
                     .where(AgendaItem.meeting_id.in_(meeting_ids)).order_by(AgendaItem.position))
    agreements = _agreements(session, Agreement.meeting_id, meeting_ids)
    rows = []
    for mid, school, starts, title, purpose, outcome, who, roles, notes in meetings:
        body = _text(purpose, outcome, who, roles, notes, *(_text(*item) for item in items.get(mid, [])),
                     *(_text(t, o) for t, o in agreements.get(mid, [])))
        day = starts.date() if isinstance(starts, datetime) else starts
        rows.append(Row(K.MEETING, mid, title, body, school_id=school, dated=day))
    return rows


BUILDERS: dict[str, Callable[[Session, Collection[int] | None], list[Row]]] = {
    K.GOAL: _goals,
    K.INDICATOR: _indicators,
    K.INITIATIVE: _initiatives,
    K.EVALUATION: _evaluations,
    K.POLITICAL_GOAL: _political_goals,
    K.ACTIVITY: _activities,
    K.EXPECTATION: _expectations,
    K.TOOL: _tools,
    K.NOTE: _notes,
    K.MEETING: _meetings,
}


# --- what a change touches ------------------------------------------------------------------
#
# model -> (the columns the documents are made of, a function giving the documents it touches).
# A touch is (kind, id) for a document, or (parent, id) for "the documents under this parent",
# resolved by CASCADES when the transaction commits.


def _goal_touches(goal, cascade):
    yield K.GOAL, goal.id
    yield K.INDICATOR, goal.id
    if cascade:  # the heading or the archiving of a goal shows in its initiatives and evaluations
        yield "goal.initiatives", goal.id
        yield "goal.evaluations", goal.id


def _initiative_touches(initiative, cascade):
    yield K.INITIATIVE, initiative.id
    if cascade:
        yield "initiative.evaluations", initiative.id


def _evaluation_touches(evaluation, cascade):
    yield K.EVALUATION, evaluation.id
    if evaluation.initiative_id is not None:
        yield K.INITIATIVE, evaluation.initiative_id  # its latest conclusion


def _parent(kind, attribute):
    def touches(obj, cascade):
        parent_id = getattr(obj, attribute)
        if parent_id is not None:
            yield kind, parent_id
    return touches


def _agreement_touches(agreement, cascade):
    if agreement.note_id is not None:
        yield K.NOTE, agreement.note_id
    if agreement.meeting_id is not None:
        yield K.MEETING, agreement.meeting_id


def _itself(kind):
    def touches(obj, cascade):
        yield kind, obj.id
    return touches


WATCHED: dict[type, tuple[tuple[str, ...], tuple[str, ...], Callable]] = {
    # model: (columns the documents are made of, columns that cascade to children, touches)
    Goal: (("title", "description", "indicator", "archived_at", "strategy_id"), ("title", "archived_at"),
           _goal_touches),
    Measurement: (("note", "goal_id"), (), _parent(K.INDICATOR, "goal_id")),
    Initiative: (("title", "starting_point", "what_we_try", "who_does_what", "responsible", "success_signs",
                  "evaluation_plan", "owner_level_id", "status", "archived_at", "goal_id"),
                 ("title", "archived_at", "goal_id"), _initiative_touches),
    Evaluation: (("what_was_done", "signs_observed", "data_used", "next_steps", "acted_on_note", "conclusion",
                  "evaluated_on", "initiative_id", "goal_id"), (), _evaluation_touches),
    Policy: (("name",), ("name",), lambda obj, cascade: iter([("policy.political_goals", obj.id)] if cascade else [])),
    PoliticalGoal: (("text", "short_name", "policy_id"), (), _itself(K.POLITICAL_GOAL)),
    Period: (("key",), ("key",), lambda obj, cascade: iter([("period.activities", obj.id)] if cascade else [])),
    MunicipalActivity: (("heading", "text", "period_id"), (), _itself(K.ACTIVITY)),
    ProfileLevel: (("name", "school_id"), ("name", "school_id"),
                   lambda obj, cascade: iter([("level.expectations", obj.id)] if cascade else [])),
    Expectation: (("text", "category", "level_id"), (), _itself(K.EXPECTATION)),
    Tool: (("name", "intro", "key"), (), _itself(K.TOOL)),
    ToolItem: (("name", "description", "tool_id"), (), _parent(K.TOOL, "tool_id")),
    SparringNote: (("participants", "observation", "experience", "interpretation", "suggestion", "held_on",
                    "school_id"), (), _itself(K.NOTE)),
    Agreement: (("text", "owner_name", "note_id", "meeting_id"), (), _agreement_touches),
    Meeting: (("title", "purpose", "expected_outcome", "participants", "roles", "notes", "starts_at",
               "school_id"), (), _itself(K.MEETING)),
    AgendaItem: (("title", "purpose", "process", "responsible", "notes", "meeting_id"), (),
                 _parent(K.MEETING, "meeting_id")),
}

CASCADES: dict[str, tuple[str, Callable[[list[int]], sa.Select]]] = {
    "goal.initiatives": (K.INITIATIVE, lambda ids: sa.select(Initiative.id).where(Initiative.goal_id.in_(ids))),
    "goal.evaluations": (K.EVALUATION, lambda ids: sa.select(Evaluation.id).where(sa.or_(
        Evaluation.goal_id.in_(ids),
        Evaluation.initiative_id.in_(sa.select(Initiative.id).where(Initiative.goal_id.in_(ids)))))),
    "initiative.evaluations": (K.EVALUATION,
                               lambda ids: sa.select(Evaluation.id).where(Evaluation.initiative_id.in_(ids))),
    "policy.political_goals": (K.POLITICAL_GOAL,
                               lambda ids: sa.select(PoliticalGoal.id).where(PoliticalGoal.policy_id.in_(ids))),
    "period.activities": (K.ACTIVITY,
                          lambda ids: sa.select(MunicipalActivity.id).where(MunicipalActivity.period_id.in_(ids))),
    "level.expectations": (K.EXPECTATION,
                           lambda ids: sa.select(Expectation.id).where(Expectation.level_id.in_(ids))),
}


def _changed(obj, columns: Iterable[str]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in columns)


def _note_changes(session: Session, _flush_context) -> None:
    pending: dict[str, set[int]] = session.info.setdefault(PENDING, defaultdict(set))
    for collection, is_new in ((session.new, True), (session.deleted, True), (session.dirty, False)):
        for obj in collection:
            watched = WATCHED.get(type(obj))
            if watched is None:
                continue
            columns, cascading, touches = watched
            if not is_new and not _changed(obj, columns):
                continue
            cascade = is_new or _changed(obj, cascading)
            for kind, object_id in touches(obj, cascade):
                if object_id is not None:
                    pending[kind].add(object_id)


def _apply_pending(session: Session) -> None:
    # The last changes are flushed first, so that what is rebuilt is what is committed.
    session.flush()
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    documents: dict[str, set[int]] = defaultdict(set)
    for key, ids in pending.items():
        if key in CASCADES:
            kind, children = CASCADES[key]
            documents[kind].update(session.scalars(children(sorted(ids))))
        else:
            documents[key].update(ids)
    for kind, ids in documents.items():
        refresh(session, kind, ids)


def _forget(session: Session, transaction) -> None:
    """The outermost transaction ended (committed, rolled back or closed): nothing is pending."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def refresh(session: Session, kind: str, ids: Collection[int] | None) -> int:
    """Rewrite the documents of ``kind`` for ``ids`` (None: every one). Returns how many exist."""
    engine = Engine.for_dialect(session.get_bind().dialect.name)
    connection = session.connection()
    doc = SearchDocument.__table__
    if ids is None:
        old = list(connection.execute(sa.select(doc.c.id).where(doc.c.kind == kind)).scalars())
        connection.execute(sa.delete(doc).where(doc.c.kind == kind))
    else:
        ids = sorted(ids)
        old = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            where = sa.and_(doc.c.kind == kind, doc.c.object_id.in_(chunk))
            old += connection.execute(sa.select(doc.c.id).where(where)).scalars()
            connection.execute(sa.delete(doc).where(where))
    engine.removed(connection, old)
    rows = BUILDERS[kind](session, ids)
    for start in range(0, len(rows), 1000):
        chunk = [r.values() for r in rows[start:start + 1000]]
        result = connection.execute(
            sa.insert(doc).returning(doc.c.id, doc.c.title, doc.c.body, sort_by_parameter_order=True), chunk
        )
        engine.added(connection, [tuple(r) for r in result])
    return len(rows)


def rebuild_all(session: Session) -> dict[str, int]:
    """Every document rebuilt from the database (in the caller's transaction)."""
    _apply_pending(session)
    engine = Engine.for_dialect(session.get_bind().dialect.name)
    connection = session.connection()
    connection.execute(sa.delete(SearchDocument.__table__))
    engine.cleared(connection)
    return {str(kind): refresh(session, kind, None) for kind in BUILDERS}


def is_empty(session: Session) -> bool:
    return session.scalar(sa.select(sa.func.count()).select_from(SearchDocument)) == 0


def install() -> None:
    """Listen on every ORM session (idempotent)."""
    if not sa.event.contains(Session, "after_flush", _note_changes):
        sa.event.listen(Session, "after_flush", _note_changes)
        sa.event.listen(Session, "before_commit", _apply_pending)
        sa.event.listen(Session, "after_transaction_end", _forget)

