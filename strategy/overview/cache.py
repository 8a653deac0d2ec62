"""A per-process cache of the overview's rendered results, valid only for one version of the data.

The overview reads the whole municipality but changes only when the data does, and is read far
more often than written. Every change made through the application writes an audit event in the
same transaction (strategy.audit) and stamps its strategy's ``last_activity_at``; the watchlist
writes audit events too. ``data_version()`` reads those stamps in one cheap statement, and a
cached fragment is served only while they are unchanged, so nobody is shown an outdated overview.
The key also holds the user's school scope, the filters, the locale and the day (the
"not updated for N days" flags are judged by whole days).

Off when ``OVERVIEW_CACHE`` is false (the default under TESTING, so tests see every query).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import TypeVar

import sqlalchemy as sa
from flask import current_app

from strategy.extensions import db
from strategy.models import AuditEvent, Strategy, WatchlistEntry

# Entries of the current data version only (older ones are dropped at once), at most this many:
# every user scope × filter combination asked for since the last change.
MAX_ENTRIES = 64
# A change is seen however late it commits, unless this many audit events were written while its
# transaction stayed open (a request lives a minute at most).
LATE_COMMIT_WINDOW = 10_000
T = TypeVar("T")

_lock = threading.Lock()
_entries: OrderedDict[Hashable, object] = OrderedDict()
_version: list[Hashable] = [None]


def enabled() -> bool:
    return bool(current_app.config.get("OVERVIEW_CACHE", not current_app.testing))


def data_version() -> tuple:
    """Stamps that change whenever anything the overview shows changes."""
    latest = sa.select(sa.func.max(AuditEvent.id)).scalar_subquery()
    return tuple(
        db.session.execute(
            sa.select(
                latest,
                # Commits do not come in id order: a change that took its id first may commit after
                # a later one (in another instance or thread) and leave the highest id as it was.
                # It still adds to the number of events among the latest ids.
                sa.select(sa.func.count()).select_from(AuditEvent)
                .where(AuditEvent.id > latest - LATE_COMMIT_WINDOW).scalar_subquery(),
                sa.select(sa.func.count(Strategy.id)).scalar_subquery(),
                sa.select(sa.func.max(Strategy.last_activity_at)).scalar_subquery(),
                sa.select(sa.func.max(WatchlistEntry.id)).scalar_subquery(),
                sa.select(sa.func.count(WatchlistEntry.removed_at)).scalar_subquery(),
            )
        ).one()
    )


def cached(key: Hashable, build: Callable[[], T]) -> T:
    """``build()``'s result for ``key`` in the current data version, built at most once per version."""
    if not enabled():
        return build()
    version = (data_version(), date.today())
    with _lock:
        if version != _version[0]:
            _entries.clear()
            _version[0] = version
        elif key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
    value = build()
    with _lock:
        if version == _version[0]:
            _entries[key] = value
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
        _version[0] = None
