"""Accounts, roles, consultants' school assignments and sign-in attempts."""

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from strategy.models.base import Base, TimestampMixin, link_table, str_enum, utcnow
from strategy.models.schools import School

if TYPE_CHECKING:
    from strategy.models.reference import ProfileLevel


class Role(enum.StrEnum):
    ADMIN = "admin"
    DIRECTORATE = "directorate"
    CONSULTANT = "consultant"
    LEADER = "leader"
    READER = "reader"
    # Outside the administration: read-only views at their own level of detail (DESIGN.md).
    BOARD = "board"  # skolebestyrelsesmedlem: one school (school_id)
    COMMITTEE = "committee"  # medlem af Skoleudvalget: all schools


# Roles that belong to one school (User.school_id).
SCHOOL_ROLES = (Role.LEADER, Role.READER, Role.BOARD)
# Roles outside the municipal staff: never a note, a meeting, the history or a confidential indicator.
OUTSIDE_ROLES = (Role.BOARD, Role.COMMITTEE)


consultant_school = link_table("consultant_school", ("user_id", "user.id"), ("school_id", "school.id"))


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255), default="")
    role: Mapped[Role] = mapped_column(str_enum(Role))
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id"), index=True)
    # The Learning Pipeline level this person works at (for LUS agendas).
    profile_level_id: Mapped[int | None] = mapped_column(sa.ForeignKey("profile_level.id"))
    locale: Mapped[str] = mapped_column(sa.String(5), default="da")
    active: Mapped[bool] = mapped_column(default=True)
    # Rotated on logout and deactivation: every session carries it, so old cookies stop working.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    last_login_at: Mapped[datetime | None]
    # When the user closed the first-week guide shown after the first sign-in (None: still shown).
    first_week_guide_seen_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]
    is_demo: Mapped[bool] = mapped_column(default=False)
    # "<issuer> <sub>" of the identity provider account linked to this one (single sign-on).
    oidc_subject: Mapped[str | None] = mapped_column(sa.String(400), unique=True)

    school: Mapped[School | None] = relationship(foreign_keys=[school_id])
    profile_level: Mapped["ProfileLevel | None"] = relationship()
    assigned_schools: Mapped[list[School]] = relationship(
        secondary=consultant_school, order_by=School.name
    )

    def get_id(self) -> str:
        # Flask-Login stores this in the session; binding it to the token ends old sessions.
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active

    def end_all_sessions(self) -> None:
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LoginAttempt(Base):
    """Every sign-in attempt, kept for rate limiting and the security log. Never a password."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    ip_address: Mapped[str] = mapped_column(sa.String(64), default="")
    success: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
