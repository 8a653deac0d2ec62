"""Notifications in the app (the bell), each person's e-mail settings for them."""

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from strategy.models.base import Base, str_enum, utcnow
from strategy.models.users import User


class NotificationKind(enum.StrEnum):
    NOTE_SHARED = "note_shared"  # a sparring note shared with the leader's school
    MEETING_SHARED = "meeting_shared"  # a conversation record shared with the school
    MEETING_PLANNED = "meeting_planned"  # a conversation planned with the person
    COMMENT = "comment"  # a comment on one of the school's goals or initiatives
    AGREEMENT_ASSIGNED = "agreement_assigned"  # an agreement given to the person
    AGREEMENT_DUE_SOON = "agreement_due_soon"  # due in 3 days (scheduled job)
    AGREEMENT_OVERDUE = "agreement_overdue"  # past its due date (scheduled job)
    AGREEMENT_DONE = "agreement_done"  # an agreement the person gave was ticked off
    AGREEMENT_MOVED = "agreement_moved"  # ... or got a new due date
    EVALUATION_CONCLUSION = "evaluation_conclusion"  # "stop" or "justér" at a school followed
    STATUS_DUE = "status_due"  # an initiative's status not updated by the cadence
    ONE_TO_ONE_BEHIND = "one_to_one_behind"  # 1:1s behind the yearly cadence
    LUS_MISSING = "lus_missing"
    GRUS_MISSING = "grus_missing"
    SUS_TO_PREPARE = "sus_to_prepare"  # this year's skoleudviklingssamtale started: the leader proposes focus areas
    SUS_INVITED = "sus_invited"  # a school board member invited as parent representative
    IMPORT_CHANGED = "import_changed"  # an import changed one of the school's goals' measurements


class DigestFrequency(enum.StrEnum):
    WEEKLY = "weekly"
    DAILY = "daily"
    NONE = "none"


class Notification(Base):
    """Something that happened for one person. Created in the transaction of the change that
    causes it (or by ``flask send-reminders`` for what falls due), only for people who may read
    the object. ``params`` hold title-level words (a school's name, a date, an initiative's
    title), never the contents of a note or a meeting; the text is rendered in the reader's
    language from ``kind`` and ``params``, and the link's page checks permission again."""

    __tablename__ = "notification"
    __table_args__ = (
        # The bell: count of unread for one person is one range scan of this index.
        sa.Index("ix_notification_recipient_unread", "recipient_id", "read_at"),
        sa.Index("ix_notification_recipient_created", "recipient_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind, 40))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="CASCADE"), index=True)
    # The object the link opens: note, meeting, goal, initiative or school.
    object_type: Mapped[str] = mapped_column(sa.String(20))
    object_id: Mapped[int]
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # Scheduled notifications (due, overdue, status due ...) exist once per occasion.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)

    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class NotificationSetting(Base):
    """A person's choice for the e-mail digest; without a row: weekly, every kind."""

    __tablename__ = "notification_setting"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    frequency: Mapped[DigestFrequency] = mapped_column(str_enum(DigestFrequency), default=DigestFrequency.WEEKLY)
    notes: Mapped[bool] = mapped_column(default=True)
    agreements: Mapped[bool] = mapped_column(default=True)
    status: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
