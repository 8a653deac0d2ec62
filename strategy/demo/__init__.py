"""The demo municipality loaded by `flask demo` (never by `flask seed`).

Fourteen schools in four clusters with Herningvej Skole (reference data) among them, one account
per role, a strategy per school for the demo period 2025-2027 and the consultants' follow-up. The
data is deterministic (one seeded random generator) and its dates are relative to today, so a
fresh load always looks current. Every row with an ``is_demo`` column is marked as demo.

No audit events are written: the demo is not something anybody did.
"""

import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import (
    Cluster,
    Meeting,
    MunicipalIndicator,
    Period,
    School,
    SchoolDevelopmentConversation,
    SparringNote,
    Strategy,
    User,
)

__all__ = ["demo_loaded", "load_demo", "remove_demo"]


def demo_loaded() -> bool:
    return bool(db.session.scalar(sa.select(sa.exists().where(User.is_demo.is_(True)))))


def load_demo() -> str:
    """Add the demo rows to the session (the caller commits) and return a short summary.

    If demo data is there already it is removed first, so loading again refreshes the dates.
    """
    from strategy.demo.followup import build_followup
    from strategy.demo.municipality import DemoContext, build_municipality, load_reference
    from strategy.demo.sharing import build_sharing
    from strategy.demo.strategies import build_comments, build_revision_history, build_strategies
    from strategy.demo.sus import build_sus
    from strategy.demo.data import build_data
    from strategy.demo.notifications import build_notifications

    if demo_loaded():
        remove_demo()
    demo = DemoContext()
    with db.session.no_autoflush:
        load_reference(demo)
        build_municipality(demo)
    db.session.flush()  # users get their ids, which agreements refer to by id
    with db.session.no_autoflush:
        built = build_strategies(demo)
    db.session.flush()  # goals and initiatives get the ids that comments refer to
    with db.session.no_autoflush:
        build_comments(demo, built)
        build_followup(demo)
        build_sus(demo)
    db.session.flush()
    with db.session.no_autoflush:
        build_sharing(demo)
    db.session.flush()
    build_revision_history(demo)
    db.session.flush()
    build_data(demo)
    db.session.flush()
    build_notifications(demo)
    return _summary(demo)


def _summary(demo) -> str:
    c = demo.counts
    parts = [
        f"{len(demo.schools)} schools in {len(demo.clusters)} clusters",
        f"{c['User']} users",
        f"{c['Strategy']} strategies",
        f"{c['Goal']} goals",
        f"{c['Measurement']} measurements",
        f"{c['Initiative']} initiatives",
        f"{c['StatusUpdate']} status updates",
        f"{c['Evaluation']} evaluations",
        f"{c['Comment']} comments",
        f"{c['SparringNote']} sparring notes",
        f"{c['Meeting']} meetings",
        f"{c['AgendaItem']} agenda items",
        f"{c['Agreement']} agreements",
        f"{c['WatchlistEntry']} watchlist entry",
        f"{c['SchoolDevelopmentConversation']} skoleudviklingssamtaler",
        f"{c['Notification']} notifications",
    ]
    return ", ".join(parts)


# --- removal ----------------------------------------------------------------------------------

# Demo roots, removed in this order with everything that hangs on them.
_DEMO_ROOTS = (SchoolDevelopmentConversation, SparringNote, Meeting, Strategy, User, School, Cluster, Period,
               MunicipalIndicator)


def remove_demo() -> None:
    """Delete every demo row and the rows that depend on it (in the current transaction).

    Rows that merely mention a demo user (an audit event's actor, a status update's author) keep
    their place with the reference emptied; a non-demo school loses only its demo cluster.
    """
    for model in _DEMO_ROOTS:
        table = model.__table__
        ids = db.session.scalars(sa.select(table.c.id).where(table.c.is_demo.is_(True))).all()
        _purge(table, list(ids))
    db.session.expire_all()
    # The purge bypassed the ORM, so the search index is rebuilt from what is left.
    from strategy.search.index import rebuild_all

    rebuild_all(db.session)


def _purge(table: sa.Table, ids: list[int]) -> None:
    if not ids:
        return
    for child in db.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is not table:
                continue
            column = fk.parent
            refers = column.in_(ids)
            if column.nullable and (table.name == "user" or child.name in ("user", "school")):
                db.session.execute(sa.update(child).where(refers).values({column.name: None}))
            elif "id" in child.c and not column.primary_key:
                child_ids = db.session.scalars(sa.select(child.c.id).where(refers)).all()
                _purge(child, list(child_ids))
            else:
                db.session.execute(sa.delete(child).where(refers))
    db.session.execute(sa.delete(table).where(table.c.id.in_(ids)))
