"""Signing in: each signed-in session, one-time links (invitations, password resets) and the
record of reset requests that throttles them."""

import enum
import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from strategy.models.base import Base, str_enum, utcnow
from strategy.models.users import User


class SignInMethod(enum.StrEnum):
    PASSWORD = "password"
    OIDC = "oidc"
    INVITATION = "invitation"  # the person set their first password from an invitation
    RESET = "reset"  # the person set a new password from a reset link


class UserSession(Base):
    """One signed-in browser. The cookie carries the row's id (signed, so it cannot be forged);
    a session whose row is ended is signed out at its next request ("log ud alle steder")."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    method: Mapped[SignInMethod] = mapped_column(str_enum(SignInMethod))
    ip_address: Mapped[str] = mapped_column(sa.String(64), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    # The account's session token when this session began: a rotated token (password changed,
    # deactivated, "log ud alle steder") ends the session as surely as ended_at does.
    session_token: Mapped[str] = mapped_column(sa.String(64), default="")
    # The provider's ID token, sent back as id_token_hint when signing out there (RP-initiated logout).
    id_token: Mapped[str] = mapped_column(sa.Text, default="")

    user: Mapped[User] = relationship()


class TokenPurpose(enum.StrEnum):
    INVITATION = "invitation"  # 7 days: a new account sets its first password
    RESET = "reset"  # 1 hour: "Glemt adgangskode"


def hash_token(token: str) -> str:
    """Links are stored as SHA-256 of a 256-bit random value: a leaked table opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class AccountToken(Base):
    """A one-time link sent by e-mail. Only its hash is kept; used or revoked, it never works again."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(str_enum(TokenPurpose))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def usable(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at


class ResetRequest(Base):
    """Every "Glemt adgangskode" request, for throttling per address and per network address.
    Recorded whether or not the address has an account, so the throttle tells nothing."""

    __tablename__ = "reset_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    ip_address: Mapped[str] = mapped_column(sa.String(64), default="", index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
