"""Sessions, security headers and the answers to unauthenticated or forged requests."""

import logging
from datetime import UTC, datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, Request, current_app, flash, make_response, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

from strategy.extensions import db, login_manager
from strategy.models import User

log = logging.getLogger("maalpil.security")

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


def _page_path() -> str | None:
    """Where to come back to after signing in: the page, not the fragment htmx asked for."""
    if request.headers.get("HX-Request") == "true":
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        if current.netloc and current.netloc != request.host:
            return None
        return (current.path + (f"?{current.query}" if current.query else "")) or None
    return request.full_path.rstrip("?") if request.method == "GET" else None


@login_manager.unauthorized_handler
def unauthorized():
    login_url = url_for("auth.login", next=_page_path())
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
    # The API never reads the session (keys only): not even to refresh its cookie.
    if request.endpoint == "static" or request.blueprint == "api" or not current_user.is_authenticated:
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
    # From the session, not current_user: this must not need the database, which may be the
    # very thing that just failed.
    if session.get("_user_id") and not request.path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
    if response.mimetype == "text/html":
        response.vary.add("HX-Request")
    return response


class CleanRequest(Request):
    """Form and query values without NUL characters.

    No one types them, PostgreSQL text cannot hold them, and left in they would turn a save
    into an error page that loses the user's input. Everything else is the forms' business.
    """

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form and any("\x00" in key or "\x00" in value for key, value in form.items(multi=True)):
            self.__dict__["form"] = ImmutableMultiDict(
                (key.replace("\x00", ""), value.replace("\x00", "")) for key, value in form.items(multi=True)
            )

    @cached_property
    def args(self) -> ImmutableMultiDict:
        args = Request.args.fget(self)  # werkzeug's own parsing
        if any("\x00" in key or "\x00" in value for key, value in args.items(multi=True)):
            args = ImmutableMultiDict(
                (key.replace("\x00", ""), value.replace("\x00", "")) for key, value in args.items(multi=True)
            )
        return args


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` in URLs, limited to what an id column holds (PostgreSQL INTEGER).

    /maal/99999999999 is simply not found (404) instead of a database error (500).
    """

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _bad_input(error: Exception):
    """Input that reached the database unvalidated (an id or number out of range, a text too
    long for its column): nothing is saved and the request is refused, not a server error."""
    db.session.rollback()
    log.warning("unvalidated input refused by the database on %s %s: %s", request.method, request.path,
                str(error).splitlines()[0][:200])
    from strategy.htmx import render

    return render("errors/error.html", block="content", status=400, status_code=400)


def init_app(app: Flask) -> None:
    # Before any blueprint adds its rules: every <int:...> in a URL uses the bounded converter.
    app.url_map.converters["int"] = DatabaseIntConverter
    app.request_class = CleanRequest
    app.register_error_handler(OverflowError, _bad_input)
    app.register_error_handler(sa.exc.DataError, _bad_input)
    proxies = app.config.get("TRUSTED_PROXY_COUNT", 0)
    if proxies:
        # The client's address (throttling, logs) and https (HSTS, Secure cookies) as the proxy saw them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    app.before_request(_enforce_session_limits)
    app.after_request(_security_headers)
    app.register_error_handler(CSRFError, _csrf_failed)
