"""Outgoing e-mail: every message Målpil sends, kept as a record of to whom, what, when, result."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from strategy.models.base import Base, str_enum, utcnow
from strategy.models.users import User


class MailState(enum.StrEnum):
    PENDING = "pending"  # queued in the transaction that caused it, not yet handed to SMTP
    SENT = "sent"
    FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS


class OutgoingEmail(Base):
    """One e-mail. Queued in the same transaction as the change that causes it, delivered after
    the commit; a failed delivery stays pending and is retried by the next ``flask send-mail``.

    ``dedupe_key`` is unique: a digest or reminder for one person and one period is queued once
    however many instances run the scheduled job at the same moment."""

    __tablename__ = "outgoing_email"
    __table_args__ = (sa.Index("ix_outgoing_email_state_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    recipient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    # What kind of e-mail (invitation, password_reset, digest, reminder ...), for the admin's log.
    kind: Mapped[str] = mapped_column(sa.String(40))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    state: Mapped[MailState] = mapped_column(str_enum(MailState), default=MailState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")
    sent_at: Mapped[datetime | None]

    recipient: Mapped[User | None] = relationship()
