"""Two people saving the same record must never silently overwrite each other.

The form carries the version the user started from. If the record has moved on since, the
save is refused with 409 and the user sees the other person's change next to their own input.
"""

from sqlalchemy.orm.exc import StaleDataError  # re-exported for routes that catch the race

__all__ = ["StaleDataError", "is_stale"]


def is_stale(obj, form_version: int | str | None) -> bool:
    try:
        return int(form_version) != obj.version
    except (TypeError, ValueError):
        return True
