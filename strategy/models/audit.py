"""Append-only audit history (Historik): who changed or read what, when, from what to what."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from strategy.models.base import Base, utcnow

if TYPE_CHECKING:
    from strategy.models.users import User


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        sa.Index("ix_audit_event_object", "object_type", "object_id"),
        sa.Index("ix_audit_event_guard", "guard_type", "guard_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(32))  # create, update, delete, read, login ...
    object_type: Mapped[str] = mapped_column(sa.String(64))
    object_id: Mapped[int | None]
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id"), index=True)
    # The object whose read rule decides who may read this event's content: a sparring note or
    # meeting for itself and for its agreements, a user for their account. None: the school's
    # strategy rule (school_id) or reference data. Kept even after the object is deleted.
    guard_type: Mapped[str | None] = mapped_column(sa.String(64))
    guard_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    # {field: [before, after]} for updates; {field: value} for creates and deletes.
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    actor: Mapped["User | None"] = relationship()
