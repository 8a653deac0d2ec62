"""Sessions, security headers and the answers to unauthenticated or forged requests."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, current_app, flash, make_response, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError

from strategy.extensions import db, login_manager
from strategy.models import User

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The session holds "<id>:<token>"; a rotated token (logout, deactivation) ends it."""
    user_id, _sep, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.scalar(
        sa.select(User).where(User.id == int(user_id), User.session_token == token)
    )
    return user if user is not None and user.active else None


@login_manager.unauthorized_handler
def unauthorized():
    next_path = request.full_path.rstrip("?") if request.method == "GET" else None
    login_url = url_for("auth.login", next=next_path)
    if request.headers.get("HX-Request") == "true":
        # Never swap the login page into a fragment: send the whole page there.
        response = make_response("", 401)
        response.headers["HX-Redirect"] = login_url
        return response
    flash(_("Log ind for at fortsætte."), "info")
    return redirect(login_url)


def _now() -> datetime:
    return datetime.now(UTC)


def start_session(user: User) -> None:
    """Called at login: a fresh session (new id) stamped for the idle and absolute limits."""
    session.clear()
    session.permanent = True
    now = _now().timestamp()
    session["started_at"] = now
    session["seen_at"] = now


def _enforce_session_limits():
    if not current_user.is_authenticated:
        return None
    now = _now().timestamp()
    started = session.get("started_at", 0)
    seen = session.get("seen_at", 0)
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
    if now - seen > idle or now - started > absolute:
        logout_user()
        session.clear()
        return login_manager.unauthorized()
    # Writing the cookie on every request is wasteful; a minute's resolution is enough.
    if now - seen > 60:
        session["seen_at"] = now
    return None


def _csrf_failed(error: CSRFError):
    if request.headers.get("HX-Request") == "true":
        # An expired token in a long-open page: reload the page to get a fresh one.
        flash(_("Siden var udløbet og er genindlæst. Prøv igen."), "warning")
        response = make_response("", 400)
        response.headers["HX-Refresh"] = "true"
        return response
    from strategy.htmx import render

    return render(
        "errors/error.html",
        status=400,
        status_code=400,
        message=_("Formularen var udløbet. Gå tilbage, genindlæs siden og prøv igen."),
    )


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if current_user.is_authenticated and not request.path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
    if response.mimetype == "text/html":
        response.vary.add("HX-Request")
    return response


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    app.before_request(_enforce_session_limits)
    app.after_request(_security_headers)
    app.register_error_handler(CSRFError, _csrf_failed)
