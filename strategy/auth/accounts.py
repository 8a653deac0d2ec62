"""Accounts: creating users, checking passwords, rate limiting and lock-out, one-time links
(invitations and password resets) and the signed-in sessions a person can see and end."""

import logging
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from strategy import audit
from strategy.extensions import db
from strategy.models import (
    SCHOOL_ROLES,
    AccountToken,
    LoginAttempt,
    OutgoingEmail,
    ResetRequest,
    Role,
    School,
    SignInMethod,
    TokenPurpose,
    User,
    UserSession,
)
from strategy.models.accounts import hash_token, new_token
from strategy.passwords import hash_password, needs_rehash, password_problem, verify_password

log = logging.getLogger("maalpil.auth")



class LoginRefused(Exception):
    """Why a sign-in was refused; ``throttled`` means wait, not wrong credentials."""

    def __init__(self, throttled: bool = False):
        super().__init__("throttled" if throttled else "invalid")
        self.throttled = throttled


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _recent_failures(column, value: str, since: datetime, reset_by_success: bool = True) -> int:
    """Failed attempts for this e-mail or address since ``since`` (and since its last success)."""
    conditions = [column == value, LoginAttempt.success.is_(False), LoginAttempt.at > since]
    if reset_by_success:
        last_success = (
            sa.select(sa.func.max(LoginAttempt.at))
            .where(column == value, LoginAttempt.success.is_(True))
            .scalar_subquery()
        )
        conditions.append(sa.or_(last_success.is_(None), LoginAttempt.at > last_success))
    return db.session.scalar(sa.select(sa.func.count(LoginAttempt.id)).where(*conditions))


def authenticate(email: str, password: str, ip_address: str) -> User:
    """Return the user for a correct e-mail and password, else raise LoginRefused.

    Every attempt is recorded (never the password). Repeated failures for one e-mail address
    lock it for a while, whether or not an account has that address, so the lock-out tells
    nothing about which addresses exist; many failures from one network address throttle it.
    """
    email = normalise_email(email)
    now = datetime.now(UTC)
    config = current_app.config
    # An address's count is not reset by a success: an attacker with one account of their own
    # could otherwise sign in now and then to keep guessing other people's passwords.
    if (
        _recent_failures(LoginAttempt.email, email, now - config["LOGIN_LOCKOUT"]) >= config["LOGIN_MAX_FAILURES"]
        or _recent_failures(LoginAttempt.ip_address, ip_address, now - config["LOGIN_IP_WINDOW"], False)
        >= config["LOGIN_IP_MAX_FAILURES"]
    ):
        _log_attempt(email, ip_address, success=False, reason="throttled")
        raise LoginRefused(throttled=True)

    user = db.session.scalar(sa.select(User).where(User.email == email))
    # An account linked to the identity provider has no password (see strategy.auth.sso).
    if not verify_password(user.password_hash if user else None, password) or not user.active:
        _log_attempt(email, ip_address, success=False, reason="invalid")
        raise LoginRefused()

    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    _log_attempt(email, ip_address, success=True, reason="ok")
    return user


def _log_attempt(email: str, ip_address: str, success: bool, reason: str) -> None:
    db.session.add(LoginAttempt(email=email[:254], ip_address=ip_address[:64], success=success))
    log.info("login %s for %s from %s (%s)", "ok" if success else "refused", email, ip_address, reason)


def user_snapshot(user: User) -> dict[str, Any]:
    """How an account reads in the history (names, not ids)."""
    return {
        "email": user.email,
        "name": user.name,
        "title": user.title,
        "role": user.role.value,
        "school": user.school.name if user.school else None,
        "profile_level": user.profile_level.name if user.profile_level else None,
        "assigned_schools": sorted(s.name for s in user.assigned_schools),
        "active": user.active,
    }


def create_user(
    email: str,
    name: str,
    role: Role,
    password: str | None = None,
    school: School | None = None,
    title: str = "",
    is_demo: bool = False,
) -> User:
    """A local account; without a password it waits for its invitation (see ``send_invitation``)."""
    if password is not None:
        problem = password_problem(password)
        if problem:
            raise ValueError(problem)
    if role in SCHOOL_ROLES and school is None:
        raise ValueError("A school leader, reader or school board member belongs to a school.")
    user = User(
        email=normalise_email(email),
        name=name,
        role=role,
        title=title,
        school=school,
        password_hash=hash_password(password) if password is not None else "",
        is_demo=is_demo,
    )
    db.session.add(user)
    return user


# --- sessions -----------------------------------------------------------------------------------


def record_session(user: User, method: SignInMethod, ip_address: str, user_agent: str, id_token: str = "") -> UserSession:
    record = UserSession(
        user=user, method=method, ip_address=ip_address[:64], user_agent=user_agent[:300],
        session_token=user.session_token, id_token=id_token,
    )
    db.session.add(record)
    db.session.flush()
    return record


def active_sessions(user: User) -> list[UserSession]:
    """The person's sessions that still work: not ended, of the current token, not idle too long."""
    cutoff = datetime.now(UTC) - current_app.config["SESSION_IDLE_TIMEOUT"]
    started = datetime.now(UTC) - current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    return list(db.session.scalars(
        sa.select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None),
               UserSession.session_token == user.session_token,
               UserSession.last_seen_at > cutoff, UserSession.created_at > started)
        .order_by(UserSession.last_seen_at.desc())
    ))


def end_sessions(user: User, keep: UserSession | None = None) -> None:
    """End every session of the person (but ``keep``, the one at the keyboard, if given)."""
    now = datetime.now(UTC)
    query = sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    db.session.execute(query.values(ended_at=now))
    user.end_all_sessions()
    if keep is not None:
        keep.session_token = user.session_token


# --- one-time links: invitations and password resets --------------------------------------------


def _lifetime(purpose: TokenPurpose):
    config = current_app.config
    return config["INVITATION_LIFETIME"] if purpose == TokenPurpose.INVITATION else config["RESET_LIFETIME"]


def issue_token(user: User, purpose: TokenPurpose, created_by: User | None = None) -> str:
    """A new link for ``user``; earlier unused links of the same purpose stop working."""
    now = datetime.now(UTC)
    revoke_tokens(user, purpose, now)
    token = new_token()
    db.session.add(AccountToken(
        user=user, purpose=purpose, token_hash=hash_token(token), expires_at=now + _lifetime(purpose),
        created_by_id=created_by.id if created_by is not None else None,
    ))
    return token


def send_invitation(user: User, by: User | None) -> OutgoingEmail:
    """A one-time link (7 days) with which the person chooses a password; an earlier invitation
    stops working. The password of an account that has one keeps working until the link is used."""
    from strategy import mail

    token = issue_token(user, TokenPurpose.INVITATION, created_by=by)
    days = current_app.config["INVITATION_LIFETIME"].days
    message = mail.queue(user, "invitation", "invitation", link=mail.absolute_url("auth.accept_invitation", token=token),
                         days=days, inviter=by.name if by is not None else "Målpil")
    audit.record("invitation_sent", user, actor=by, summary=f"Invitation sendt: {user.name}")
    return message


def revoke_tokens(user: User, purpose: TokenPurpose, now: datetime | None = None) -> int:
    result = db.session.execute(
        sa.update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose,
               AccountToken.used_at.is_(None), AccountToken.revoked_at.is_(None))
        .values(revoked_at=now or datetime.now(UTC))
    )
    return result.rowcount


def pending_invitation(user: User) -> AccountToken | None:
    now = datetime.now(UTC)
    return db.session.scalar(
        sa.select(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == TokenPurpose.INVITATION,
               AccountToken.used_at.is_(None), AccountToken.revoked_at.is_(None), AccountToken.expires_at > now)
        .order_by(AccountToken.id.desc())
    )


def find_token(token: str, purpose: TokenPurpose) -> AccountToken | None:
    """The link's record if it may still be used (and its account may still sign in), else None."""
    if not token or len(token) > 100:
        return None
    record = db.session.scalar(
        sa.select(AccountToken).where(AccountToken.token_hash == hash_token(token), AccountToken.purpose == purpose)
    )
    if record is None or not record.usable(datetime.now(UTC)):
        return None
    user = record.user
    if not user.active or user.anonymised_at is not None or user.oidc_subject is not None:
        return None
    return record


def use_token(record: AccountToken, password: str) -> User:
    """Set the password from a link: the link is spent, every session of the person ends."""
    user = record.user
    record.used_at = datetime.now(UTC)
    user.password_hash = hash_password(password)
    end_sessions(user)
    revoke_tokens(user, record.purpose)
    return user


def reset_throttled(email: str, ip_address: str) -> bool:
    """Too many "Glemt adgangskode" requests for this address or from this network address."""
    config = current_app.config
    since = datetime.now(UTC) - config["RESET_WINDOW"]

    def count(column, value) -> int:
        return db.session.scalar(
            sa.select(sa.func.count(ResetRequest.id)).where(column == value, ResetRequest.at > since)
        )

    return (count(ResetRequest.email, email) >= config["RESET_MAX_PER_ADDRESS"]
            or count(ResetRequest.ip_address, ip_address) >= config["RESET_MAX_PER_IP"])


def record_reset_request(email: str, ip_address: str) -> None:
    db.session.add(ResetRequest(email=email[:254], ip_address=ip_address[:64]))


def user_for_reset(email: str) -> User | None:
    """The local account a reset link may go to: active, not anonymised, not signed in through
    the identity provider (whose password Målpil does not hold)."""
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None or not user.active or user.anonymised_at is not None or user.oidc_subject is not None:
        return None
    return user
