"""Sessions, security headers and the answers to unauthenticated or forged requests."""

import json
import logging
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask, Request, abort, current_app, flash, make_response, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

from strategy.extensions import db, login_manager
from strategy.htmx import is_htmx_request, page_path
from strategy.inputs import parse_int
from strategy.models import SignInMethod, User, UserSession

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
    user_id = parse_int(user_id, low=1)
    if user_id is None or not token:
        return None
    query = sa.select(User).where(User.id == user_id, User.session_token == token)
    sid = session.get("sid")
    if sid is not None:
        # A session with a record ends when the record does (ended from "Min konto").
        query = query.join(UserSession, sa.and_(UserSession.user_id == User.id, UserSession.id == sid,
                                                UserSession.ended_at.is_(None)))
    user = db.session.scalar(query)
    return user if user is not None and user.active else None


@login_manager.unauthorized_handler
def unauthorized():
    login_url = url_for("auth.login", next=page_path() if request.method == "GET" or is_htmx_request() else None)
    if is_htmx_request():
        # Never swap the login page into a fragment, and never leave the page: the person may
        # have typed for an hour. app.js keeps the form as it is, offers to sign in again in a
        # new tab, and takes the new session's CSRF token when they are back.
        response = make_response("", 401)
        response.headers["HX-Reswap"] = "none"
        response.headers["HX-Trigger"] = json.dumps(
            {"session-expired": {"login": url_for("auth.login", next=url_for("auth.session_resumed"))}}
        )
        return response
    flash(_("Log ind for at fortsætte."), "info")
    return redirect(login_url)


def _now() -> datetime:
    return datetime.now(UTC)


def start_session(user: User, method: SignInMethod = SignInMethod.PASSWORD, id_token: str = "") -> UserSession:
    """Called at login: a fresh session (new id) stamped for the idle and absolute limits, with
    its record (the person's list of sessions in "Min konto")."""
    from strategy.auth.accounts import record_session

    session.clear()
    session.permanent = True
    now = _now().timestamp()
    session["started_at"] = now
    session["seen_at"] = now
    record = record_session(user, method, request.remote_addr or "", request.user_agent.string or "", id_token)
    session["sid"] = record.id
    return record


def current_session_record() -> UserSession | None:
    sid = session.get("sid")
    return db.session.get(UserSession, sid) if sid is not None else None


def _refuse_large_bodies():
    """A body larger than allowed is refused before anything reads it (413, a Danish page)."""
    limit = request.max_content_length
    if limit is not None and request.content_length is not None and request.content_length > limit:
        abort(413)


# Requests that ask about the session without counting as activity.
PASSIVE_ENDPOINTS = {"auth.session_state"}


def session_seconds_left() -> int:
    """How long the signed-in session lives without another request (idle and absolute limits)."""
    now = _now().timestamp()
    config = current_app.config
    idle_end = session.get("seen_at", 0) + config["SESSION_IDLE_TIMEOUT"].total_seconds()
    absolute_end = session.get("started_at", 0) + config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
    return max(0, int(min(idle_end, absolute_end) - now))


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
        # The session probe only asks; it answers "signed out" itself.
        return None if request.endpoint in PASSIVE_ENDPOINTS else login_manager.unauthorized()
    if request.endpoint in PASSIVE_ENDPOINTS:
        return None  # asking whether the session lives does not keep it alive
    # Writing the cookie on every request is wasteful; a minute's resolution is enough.
    if now - seen > 60:
        session["seen_at"] = now
        if session.get("sid") is not None:
            # Nothing else is in this transaction yet: the request's own writes come later.
            db.session.execute(sa.update(UserSession).where(UserSession.id == session["sid"])
                               .values(last_seen_at=_now()))
            db.session.commit()
    return None


def _csrf_failed(error: CSRFError):
    if is_htmx_request():
        # Never reload or swap: the form holds what the person typed. Without a session, offer to
        # sign in again; with one (its token changed in another tab), app.js fetches the new
        # token and asks to press the button again.
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        response = make_response("", 400)
        response.headers["HX-Reswap"] = "none"
        response.headers["HX-Trigger"] = json.dumps({"csrf-renew": True})
        return response
    from strategy.htmx import render

    return render(
        "errors/error.html",
        status=400,
        status_code=400,
        message=_("Formularen var udløbet. Gå tilbage, genindlæs siden og prøv igen."),
    )


def _content_security_policy() -> str:
    """The policy, with the identity provider allowed as a form's destination: signing in and
    out there is a redirect after a POST, which form-action governs too."""
    from strategy.auth import sso

    origins = sso.provider_origins()
    if not origins:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'", " ".join(["form-action 'self'", *origins]))


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _content_security_policy())
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

    @property
    def max_content_length(self) -> int | None:
        """MAX_CONTENT_LENGTH, or more for an endpoint that takes files. Decided from the URL
        alone, so even the CSRF check (which reads the form first) never parses a larger body."""
        if self._max_content_length is not None:
            return self._max_content_length
        config = current_app.config
        if self.endpoint == "imports.upload":  # a measurements file (strategy/imports), multipart overhead included
            return config["IMPORT_MAX_BYTES"] + 1024 * 1024
        return config["MAX_CONTENT_LENGTH"]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

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
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_large_bodies)
    app.before_request(_enforce_session_limits)
    app.after_request(_security_headers)
    app.register_error_handler(CSRFError, _csrf_failed)
