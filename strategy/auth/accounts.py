"""Accounts: creating users, checking passwords, rate limiting and lock-out."""

import logging
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app

from strategy.extensions import db
from strategy.models import SCHOOL_ROLES, LoginAttempt, Role, School, User
from strategy.passwords import hash_password, needs_rehash, verify_password

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


def password_problem(password: str) -> str | None:
    """A Danish message if the password is too weak, else None."""
    from flask_babel import gettext as _

    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("Adgangskoden skal være mindst %(n)d tegn.", n=minimum)
    return None


def create_user(
    email: str,
    name: str,
    role: Role,
    password: str,
    school: School | None = None,
    title: str = "",
    is_demo: bool = False,
) -> User:
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
        password_hash=hash_password(password),
        is_demo=is_demo,
    )
    db.session.add(user)
    return user
