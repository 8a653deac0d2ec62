"""Two people saving the same record must never silently overwrite each other.

The form carries the version the user started from. If the record has moved on since, the
save is refused with 409 and the user sees the other person's change next to their own input.
Every versioned save goes through ``save_versioned``; an append-only change (a status update)
through ``commit_retrying``.
"""

from collections.abc import Callable
from typing import TypeVar

from flask import abort
from sqlalchemy.orm.exc import StaleDataError

from strategy.extensions import db
from strategy.inputs import parse_int

T = TypeVar("T")


def is_stale(obj, form_version: int | str | None) -> bool:
    """Has ``obj`` changed since the form that carries ``form_version`` was opened?"""
    version = form_version if isinstance(form_version, int) else parse_int(str(form_version or ""))
    return version != obj.version


def save_versioned(obj, form_version: int | str | None, apply: Callable[[], None]) -> bool:
    """Apply the change and commit once, unless the record moved on since the form was opened,
    or another save of the same row wins the race at the commit (the version column decides).
    False: nothing is saved and the session is rolled back; answer 409 with the saved record
    next to the person's input, and the form now carrying the saved version."""
    if is_stale(obj, form_version):
        return False
    apply()
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return False
    return True


def commit_retrying(work: Callable[[T], None], load: Callable[[], T], attempts: int = 3) -> T:
    """For a change that appends (a status update starts from no version of its own): when a
    colleague's change lands at the same moment, both are kept, by doing the work again on the
    newer row. Gives up with 409 after ``attempts``."""
    obj = load()
    for attempt in range(attempts):
        try:
            work(obj)
            db.session.commit()
            return obj
        except StaleDataError:
            db.session.rollback()
            if attempt == attempts - 1:
                abort(409)
            obj = load()
    raise AssertionError("unreachable")
