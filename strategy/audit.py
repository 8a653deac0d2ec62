"""Writing the audit history. Every create, change, delete (and read of another's note) goes here.

Events join the request's transaction, so a rolled-back write leaves no history behind.
"""

from datetime import date, datetime
from enum import Enum
from typing import Any

from flask_login import current_user

from strategy.extensions import db
from strategy.models import AuditEvent
from strategy.permissions import audit_guard, school_id_of


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a column value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if hasattr(value, "id") and hasattr(value, "__table__"):
        return getattr(value, "key", None) or value.id
    return value


def snapshot(obj, fields: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(action: str, obj, changes: dict[str, Any] | None = None, summary: str = "", actor=None) -> AuditEvent:
    if actor is None and current_user and current_user.is_authenticated:
        actor = current_user
    if getattr(obj, "id", None) is None:
        # A new object has no id until flushed; the event must point at it.
        db.session.add(obj)
        db.session.flush()
    guard_type, guard_id = audit_guard(obj)
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=type(obj).__name__,
        object_id=obj.id,
        school_id=school_id_of(obj),
        guard_type=guard_type,
        guard_id=guard_id,
        summary=summary[:500],
        changes={k: _plain(v) if action != "update" else v for k, v in (changes or {}).items()},
    )
    db.session.add(event)
    return event
