"""The directorate's overview ("Overblik"): schools × political goals, signals and watchlist,
one political goal across schools, Learning Pipeline coverage, exports and printable reports.

Everything but the watchlist is read-only. Filters live in the query string (see
``filters.Filters``), so every view can be shared, reloaded and reached with the back button.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime

from babel import numbers as babel_numbers
from flask import Blueprint, abort, make_response, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from markupsafe import Markup

from strategy import audit, charts, labels, progress, reports
from strategy.extensions import db
from strategy import htmx
from strategy.htmx import fragment_response, is_htmx, redirect_to, render
from strategy.models import Period, PoliticalGoal, School, WatchlistEntry
from strategy.overview import cache, exports, queries
from strategy.overview.forms import RemoveWatchlistForm, WatchlistForm
from strategy.overview.filters import Filters, filter_options, selected_columns, short_label
from strategy.permissions import ALL_SCHOOLS, SchoolScope, get_or_404, overview_school_ids, require

bp = Blueprint("overview", __name__)


@bp.before_request
@login_required
def _may_read_overview():
    require("overview.read")


def _filters() -> Filters:
    return Filters.from_args(request.args)


def _scope() -> SchoolScope:
    """The schools the user's overview covers: worked out once per request and handed to every
    query, the cache key and the template that need it."""
    return overview_school_ids(current_user)


def _context(filters: Filters, **extra) -> dict:
    """What the results of every overview page use."""
    return {
        "filters": filters,
        "labels": queries.plain(labels.STATUS),
        "conclusion_labels": queries.plain(labels.CONCLUSION),
        "short_label": short_label,
        **extra,
    }


def _page_context(filters: Filters, scope: SchoolScope, **extra) -> dict:
    """The whole page: the results' context and the filter form's choices."""
    return _context(filters, options=filter_options(scope), **extra)


def _with_results(
    page: str, fragment: str, key: tuple, scope: SchoolScope, build: Callable[[], dict], page_context: Callable[[], dict]
):
    """The page, or for htmx only its results (``fragment`` rendered from ``build()``'s context).

    Both are cached per data version, user scope and locale (strategy/overview/cache.py): the
    page's title and content block are cached whole, and only the site layout around them (the
    signed-in user, navigation, CSRF token) is rendered per request. Cached content therefore
    holds no CSRF token and nothing that depends on more than the user's scope.
    """
    base_key = (key, scope, str(get_locale()))

    def results() -> str:
        return cache.cached((fragment, *base_key), lambda: render_template(fragment, **build()))

    if is_htmx():
        return fragment_response(results())

    def page_parts() -> tuple[str, str]:
        context = {**page_context(), "results": Markup(results())}
        return render_block(page, "title", **context), render_block(page, "content", **context)

    title, content = cache.cached((page, *base_key), page_parts)
    return render("overview/_cached_page.html", title=Markup(title), content=Markup(content))


@bp.get("/overblik")
def index():
    filters, scope = _filters(), _scope()

    def build() -> dict:
        matrix = queries.build_matrix(scope, filters)
        # Cell links are built by concatenation: hundreds of url_for calls would dominate the page.
        cell_url = url_for("overview.cell", school_id=0, political_goal_id=0, **filters.args())
        prefix, suffix = cell_url.split("/0/0", 1)
        outcome_cells = progress.outcome_cells(queries.outcomes_for(current_user, scope, filters))
        return _context(filters, matrix=matrix, cell_prefix=prefix, cell_suffix=suffix, outcomes=outcome_cells)

    return _with_results(
        "overview/index.html", "overview/_matrix.html", tuple(filters.args().items()), scope, build,
        lambda: _page_context(filters, scope),
    )


@bp.get("/overblik/celle/<int:school_id>/<int:political_goal_id>")
def cell(school_id: int, political_goal_id: int):
    school = get_or_404(School, school_id, "overview.read")
    political_goal = db.get_or_404(PoliticalGoal, political_goal_id)
    filters = _filters()
    initiatives = queries.cell_initiatives(school, political_goal, filters)
    return render(
        "overview/cell.html",
        block="detail",
        school=school,
        political_goal=political_goal,
        initiatives=initiatives,
        filters=filters,
        labels=queries.plain(labels.STATUS),
        in_place=is_htmx(),
    )


# --- outcomes per political goal (strategy/progress.py) -----------------------------------------


@bp.get("/overblik/resultater")
def outcomes_page():
    filters, scope = _filters(), _scope()

    def build() -> dict:
        columns = selected_columns(progress.all_political_goals(), filters)
        found = queries.outcomes_for(current_user, scope, filters)
        return _context(filters, items=progress.municipal_outcomes(found, columns))

    return _with_results(
        "overview/outcomes.html", "overview/_outcomes.html", ("outcomes", *filters.args().items()), scope, build,
        lambda: _page_context(filters, scope),
    )


# --- signals and watchlist -----------------------------------------------------------------------


def _watchlist_form(scope: SchoolScope) -> WatchlistForm:
    form = WatchlistForm()
    schools = queries.visible_schools(scope, Filters())
    form.school_id.choices = [("", _("Vælg skole"))] + [(s.id, s.name) for s in schools]
    return form


def _signals_context(form: WatchlistForm, scope: SchoolScope) -> dict:
    filters = _filters()
    signals = queries.build_signals(current_user, scope, filters)
    period = db.session.get(Period, filters.period_id) if filters.period_id else None
    return _page_context(
        filters,
        scope,
        signals=signals,
        period_key=period.key if period else None,  # the drill-down links open the same period
        watchlist=signals.watchlist,
        form=form,
        remove_form=RemoveWatchlistForm(),
    )


@bp.get("/overblik/signaler")
def signals():
    scope = _scope()
    return render("overview/signals.html", block="results", **_signals_context(_watchlist_form(scope), scope))


def _watchlist_answer(form: WatchlistForm, scope: SchoolScope, status: int = 200, announce: str | None = None):
    """The watchlist fragment for htmx, else back to the signals page."""
    if not is_htmx() and status == 200:
        return redirect_to(url_for("overview.signals"))
    entries = queries.active_watchlist(scope)
    response = render(
        "overview/signals.html",
        block="watchlist",
        watchlist=entries,
        form=form,
        remove_form=RemoveWatchlistForm(),
        changed=announce is not None,
        status=status,
    )
    return htmx.announce(response, announce) if announce else response


@bp.post("/overblik/watchlist")
def watchlist_add():
    require("watchlist.edit")
    scope = _scope()
    form = _watchlist_form(scope)
    if not form.validate_on_submit():
        if not is_htmx():
            return render("overview/signals.html", status=422, **_signals_context(form, scope))
        return _watchlist_answer(form, scope, status=422)
    school = get_or_404(School, form.school_id.data, "overview.read")
    entry = WatchlistEntry(school=school, reason=form.reason.data.strip(), created_by_id=current_user.id)
    db.session.add(entry)
    audit.record("create", entry, {"school_id": school.id, "reason": entry.reason}, summary=f"Watchlist: {school.name}")
    db.session.commit()
    return _watchlist_answer(
        _watchlist_form_blank(scope), scope, announce=_("%(school)s er sat på watchlisten.", school=school.name)
    )


def _watchlist_form_blank(scope: SchoolScope) -> WatchlistForm:
    form = _watchlist_form(scope)
    form.school_id.data = None
    form.reason.data = ""
    return form


@bp.post("/overblik/watchlist/<int:entry_id>/fjern")
def watchlist_remove(entry_id: int):
    require("watchlist.edit")
    entry = db.get_or_404(WatchlistEntry, entry_id)
    require("overview.read", entry.school)
    if not RemoveWatchlistForm().validate_on_submit():
        abort(400)
    if entry.removed_at is None:
        entry.removed_at = datetime.now(UTC)
        entry.removed_by_id = current_user.id
        audit.record(
            "update",
            entry,
            {"removed_at": [None, entry.removed_at.isoformat()]},
            summary=f"Watchlist: {entry.school.name} fjernet",
        )
        db.session.commit()
    scope = _scope()
    return _watchlist_answer(
        _watchlist_form_blank(scope), scope, announce=_("%(school)s er fjernet fra watchlisten.", school=entry.school.name)
    )


# --- one political goal, Learning Pipeline coverage ---------------------------------------------


def _number_formatter() -> Callable[[float | None], str]:
    """Like the ``|number`` filter ("#,##0.##" in the user's locale), for pages with hundreds of
    numbers: the locale's symbols are looked up once instead of per number."""
    symbols = babel_numbers.get_decimal_symbol(get_locale()), babel_numbers.get_group_symbol(get_locale())
    table = str.maketrans({".": symbols[0], ",": symbols[1]})

    def fmt(value: float | None) -> str:
        if value is None:
            return ""
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return (text if text not in ("-0", "") else "0").translate(table)

    return fmt


@bp.get("/overblik/politiske-maal/<int:political_goal_id>")
def political_goal(political_goal_id: int):
    political_goal = db.get_or_404(PoliticalGoal, political_goal_id)
    filters, scope = _filters(), _scope()

    def build() -> dict:
        entries = queries.political_goal_entries(current_user, scope, political_goal, filters)
        return _context(
            filters,
            entries=entries,
            years=sorted({year for e in entries for year, _value in e.measurements}),
            chart=charts.progress_chart((e.goal.school, e.goal.title, e.progress) for e in entries),
            num=_number_formatter(),
        )

    return _with_results(
        "overview/political_goal.html",
        "overview/_political_goal.html",
        (political_goal.id, *filters.args().items()),
        scope,
        build,
        lambda: _page_context(filters, scope, political_goal=political_goal),
    )


@bp.get("/overblik/learning-pipeline")
def pipeline():
    filters, scope = _filters(), _scope()

    def build() -> dict:
        return _context(
            filters,
            coverage=queries.pipeline_coverage(scope, filters),
            category_labels=queries.plain(labels.CATEGORY),
        )

    return _with_results(
        "overview/pipeline.html", "overview/_pipeline.html", tuple(filters.args().items()), scope, build,
        lambda: _page_context(filters, scope),
    )


# --- exports ------------------------------------------------------------------------------------


def _download(body: bytes, mimetype: str, name: str):
    response = make_response(body)
    response.mimetype = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/overblik/eksport.xlsx")
def export_xlsx():
    filters = _filters()
    tables = exports.build_tables(current_user, _scope(), filters)
    return _download(
        exports.to_xlsx(tables),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.filename("overblik", filters, "xlsx"),
    )


@bp.get("/overblik/eksport/<any(overblik, maal, tiltag):table>.csv")
def export_csv(table: str):
    filters = _filters()
    (chosen,) = exports.build_tables(current_user, _scope(), filters, only=table)
    response = _download(exports.to_csv(chosen), "text/csv", exports.filename(table, filters, "csv"))
    response.charset = "utf-8"
    return response


# --- printable reports --------------------------------------------------------------------------


@bp.get("/overblik/rapporter")
def reports_index():
    filters, scope = _filters(), _scope()
    return render(
        "overview/reports.html",
        **_page_context(filters, scope, schools=queries.visible_schools(scope, filters)),
    )


def _school_report_context(school_id: int) -> dict:
    school = get_or_404(School, school_id, "overview.read")
    filters = _filters()
    strategy = queries.strategy_for(school, filters.period_id)
    tables = queries.strategy_tables(current_user, Filters(period_id=filters.period_id), {school.id})
    year = strategy.current_year if strategy else date.today().year
    return {
        "school": school,
        "filters": filters,
        "period": tables.period,
        "strategy": strategy,
        "tables": tables,
        "year": year,
        "last_year_evaluations": queries.evaluations_in_year(school, year - 1),
        "labels": queries.plain(labels.STATUS),
        "conclusion_labels": queries.plain(labels.CONCLUSION),
        "data_type_labels": queries.plain(labels.DATA_TYPE),
        "today": date.today(),
    }


@bp.get("/overblik/rapporter/skole/<int:school_id>")
def school_report(school_id: int):
    return render("overview/report_school.html", layout="base.html", **_school_report_context(school_id))


@bp.get("/overblik/rapporter/skole/<int:school_id>.pdf")
def school_report_pdf(school_id: int):
    context = _school_report_context(school_id)
    period = context["period"]
    name = exports.filename(f"strategi-skole-{school_id}", context["filters"], "pdf")
    return reports.pdf_response("overview/report_school.html", name, period_name=period.name if period else "", **context)


def _goals_report_context() -> dict:
    filters, scope = _filters(), _scope()
    return {
        "filters": filters,
        "period": db.session.get(Period, filters.period_id) if filters.period_id else None,
        "summaries": queries.political_goal_summaries(current_user, scope, filters),
        "labels": queries.plain(labels.STATUS),
        "scope_all": scope is ALL_SCHOOLS,
        "today": date.today(),
    }


@bp.get("/overblik/rapporter/politiske-maal")
def goals_report():
    return render("overview/report_goals.html", layout="base.html", **_goals_report_context())


@bp.get("/overblik/rapporter/politiske-maal.pdf")
def goals_report_pdf():
    context = _goals_report_context()
    return reports.pdf_response(
        "overview/report_goals.html", exports.filename("politiske-maal", context["filters"], "pdf"), **context
    )
