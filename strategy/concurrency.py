"""Two people saving the same record must never silently overwrite each other.

The form carries the version the user started from. If the record has moved on since, the
save is refused with 409 and the user sees the other person's change next to their own input.
Every versioned save goes through ``save_versioned``; an append-only change (a status update)
through ``commit_retrying``. ``Conflict`` is what the refused person is shown.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from flask import abort
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from strategy.extensions import db
from strategy.forms import CheckboxesField
from strategy.history import display_value
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


@dataclass
class Conflict:
    """Another person saved the same record after this form was opened."""

    by: str
    at: object
    theirs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, form, saved: dict, event) -> "Conflict":
        """Who saved last (``event``, their audit event), and the saved value of every field of
        ``saved`` where it differs from the person's input in ``form``."""
        theirs = {}
        for name, value in saved.items():
            mine = _form_display(form[name]) if name in form else None
            current = display_value(name, value)
            if mine != current:
                theirs[name] = current or _("(tomt)")
        by = event.actor.name if event and event.actor else _("en anden")
        return cls(by=by, at=event.at if event else None, theirs=theirs)


def _form_display(f) -> str:
    """An input as the history shows a saved value: the chosen options' words, not their ids."""
    if isinstance(f, CheckboxesField):
        labels = {c.value: str(c.label) for c in f.choices}
        return ", ".join(labels[v] for v in (f.data or []) if v in labels)
    if f.type == "SelectField":
        labels = {f.coerce(c.value): str(c.label) for c in f.choices if c.value != ""}
        return labels.get(f.data, "") if f.data is not None else ""
    return display_value(f.name, f.data)
