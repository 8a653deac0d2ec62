"""Request-wide wiring of the interface: locale, template helpers, navigation, error pages."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, current_app, g, has_request_context, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, format_time, get_locale, gettext, lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from strategy import labels
from strategy.htmx import is_htmx, render
from strategy.inputs import finite_or_none
from strategy.permissions import can, require


def signed_in_blueprint(name: str, import_name: str, action: str | None = None, **options) -> Blueprint:
    """A feature's blueprint: every page of it asks for a signed-in user first, then, given
    ``action``, for that permission (403 otherwise)."""
    bp = Blueprint(name, import_name, **options)

    @bp.before_request
    @login_required
    def _signed_in():
        if action is not None:
            require(action)

    return bp


# The words of a stored status, conclusion or data type, for every template (strategy/labels.py).
LABEL_HELPERS = {
    "label": labels.label,
    "status_label": labels.status_label,
    "conclusion_label": labels.conclusion_label,
    "data_type_label": labels.data_type_label,
}


# The signed-in user's language, remembered in the browser for the login page after logging out.
LOCALE_COOKIE = "maalpil_locale"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    # Outside a request (flask commands) there is no user: current_user is None there.
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    remembered = request.cookies.get(LOCALE_COOKIE) if has_request_context() else None
    if remembered in languages:
        return remembered
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_locale(response: Response, locale: str) -> Response:
    """Keep the language for the next visit to the login page (it names no one: just "da"/"en")."""
    response.set_cookie(
        LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    active: bool
    url: str


# (endpoint, label, the permission that shows it, blueprint prefix that marks it active).
# Who sees what is decided in strategy/permissions.py, like everything else.
NAVIGATION = (
    ("schools.my_school", _l("Min skole"), "nav.my_school", "schools."),
    ("followup.my_schools", _l("Mine skoler"), "followup.my_schools", "followup."),
    ("overview.index", _l("Overblik"), "overview.read", "overview."),
    ("followup.cadence", _l("Opfølgning"), "followup.cadence", "followup.cadence"),
    # A leader's own school's shared notes and conversations (the consultant reaches them from Mine skoler).
    ("followup.school", _l("Notater og samtaler"), "nav.school_followup", "followup."),
    ("followup.my_agreements", _l("Mine aftaler"), "followup.my_agreements", "followup.my_agreements"),
    ("board.index", _l("Skolebestyrelsen"), "board.home", "board."),
    ("committee.index", _l("Skoleudvalget"), "committee.home", "committee."),
    ("reference.pipeline", _l("Learning Pipeline"), "reference.read", "reference.pipeline"),
    ("reference.policies", _l("Politiske mål"), "reference.read", "reference.polic"),
    ("reference.tools", _l("Værktøjer"), "reference.read", "reference.tool"),
    ("admin.index", _l("Administration"), "admin.open", "admin."),
)


def _nav_url(endpoint: str) -> str:
    if endpoint == "followup.school":
        return url_for(endpoint, school_id=current_user.school_id)
    return url_for(endpoint)


def navigation() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    shown = [entry for entry in NAVIGATION if can(current_user, entry[2])]
    # The most specific prefix marks the current section, so only one item is ever current.
    matching = [entry for entry in shown if endpoint.startswith(entry[3])]
    current = max(matching, key=lambda entry: len(entry[3]), default=None)
    return [NavItem(entry[0], str(entry[1]), entry is current, _nav_url(entry[0])) for entry in shown]


def fmt_date(value: date | datetime | None, format: str = "medium") -> str:
    return format_date(value, format) if value else ""


def fmt_datetime(value: datetime | None, format: str | None = None) -> str:
    """A moment as the whole product shows it: the day as `date` shows it, then the time
    ("12. dec. 2026 kl. 08.30"), so a day never looks different next to a moment on the same day."""
    if not value:
        return ""
    if format is not None:
        return format_datetime(value, format)
    return gettext("%(date)s kl. %(time)s", date=format_date(value, "medium"), time=format_time(value, "short"))


def fmt_number(value: float | None) -> str:
    value = finite_or_none(value)
    if value is None:
        return ""
    return format_decimal(value, format="#,##0.##")


def school_year_label(start_year: int) -> str:
    """A school year runs 1 August to 31 July: "2026/27"."""
    return f"{start_year}/{str(start_year + 1)[-2:]}"


def nl2br(text: str | None) -> Markup:
    """Line breaks of user text as <br>, with the text itself escaped."""
    if not text:
        return Markup("")
    return Markup("<br>\n").join(escape(line) for line in text.splitlines())


_ALERT_LABELS = {"info": _l("Information"), "success": _l("Succes"), "warning": _l("Advarsel"), "error": _l("Fejl")}


def alert_icon(variant: str) -> Markup:
    """The DKFDS icon that opens every alert (its label names the kind: "Advarsel", ...).
    A global, so a block rendered on its own for htmx has it without an import."""
    href = url_for("static", filename="vendor/dkfds/img/all-svg-icons.svg") + f"#{escape(variant)}"
    return Markup('<svg class="icon-svg alert-icon" focusable="false" role="img" aria-label="{}"><use href="{}"></use></svg>').format(
        _ALERT_LABELS.get(variant, _ALERT_LABELS["info"]), href)


def init_app(app: Flask) -> None:
    @app.context_processor
    def template_helpers():
        if not has_request_context():
            # E-mails rendered by a scheduled command: no user, no page around them.
            return {"current_locale": str(get_locale() or "da"), **LABEL_HELPERS}
        return {
            **LABEL_HELPERS,
            "can": lambda action, obj=None: can(current_user, action, obj),
            "nav_items": navigation(),
            "current_locale": str(get_locale() or "da"),
            "is_htmx": is_htmx(),
        }

    app.jinja_env.filters.update(
        date=fmt_date, datetime=fmt_datetime, number=fmt_number, nl2br=nl2br,
        school_year=school_year_label,
    )
    app.jinja_env.globals["alert_icon"] = alert_icon
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    for status in (400, 403, 404, 405, 409, 413, 429, 500):
        app.register_error_handler(status, _error_page)
    app.register_error_handler(sa.exc.OperationalError, _database_unavailable)

    # Registered after Flask-SQLAlchemy's own teardown, so it runs first (teardowns run in
    # reverse): if the server ended the connection between the response and the session's
    # closing rollback (a restart), the finished response must still reach the user.
    @app.teardown_appcontext
    def _close_session(_exc):
        from strategy.extensions import db

        try:
            db.session.remove()
        except sa.exc.DBAPIError as error:
            current_app.logger.warning("database connection lost at the end of a request: %s",
                                       str(error.orig or error).strip())


def _error_page(error):
    status = getattr(error, "code", 500) or 500
    if status >= 500:
        # Nothing of a failed request is kept, and the page below must not trip over it.
        from strategy.extensions import db

        db.session.rollback()
    if request.path.startswith("/api/"):
        from strategy.api.routes import error_response

        allow = getattr(error, "valid_methods", None)
        return error_response(status, getattr(error, "description", "") or "Fejl.",
                              {"Allow": ", ".join(allow)} if allow else None)
    return render("errors/error.html", block="content", status=status, status_code=status)


def _database_unavailable(error):
    """The database went away mid-request (a restart, a lock that did not clear): say so, 503."""
    from strategy.extensions import db, login_manager

    current_app.logger.warning("database unavailable: %s", str(error.orig or error).strip())
    try:
        db.session.rollback()
    except sa.exc.DBAPIError:
        pass  # the connection is gone already; the pool discards it
    # The page must render without the database: the signed-in user's rows were just expired,
    # and reloading them would fail the same way, so the error page is drawn as for a visitor.
    g._login_user = login_manager.anonymous_user()
    response = render("errors/error.html", block="content", status=503, status_code=503)
    response.headers["Retry-After"] = "5"
    return response
