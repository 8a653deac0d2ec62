"""The read-only API: /api/v1/<list> as JSON, /api/v1/<list>.csv as CSV, /api/v1/openapi.json.

Every call: a Bearer key (never the session cookie), a rate limit per key counted in the database,
one aggregated audit row per key, endpoint and hour. Every list is scoped by the permission
clauses for the key's role, pages by id (``?after=&limit=`` with a ``next`` link) and, where the
rows have a time, filters by ``?updated_since=``. Sparring-note and meeting texts are never read.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import Blueprint, current_app, g, jsonify, make_response, request, url_for
from sqlalchemy.orm import aliased

from strategy.api import keys
from strategy.extensions import csrf, db
from strategy.inputs import parse_int
from strategy.models import (
    Agreement,
    Cluster,
    Evaluation,
    Goal,
    Initiative,
    Measurement,
    Period,
    Policy,
    PoliticalGoal,
    School,
    StatusUpdate,
    Strategy,
)
from strategy.models.strategy import MIN_PUPILS, goal_political_goal, initiative_political_goal
from strategy.permissions import (
    agreement_read_clause,
    can,
    followup_school_ids,
    indicator_read_clause,
    readable_school_ids,
    scope_clause,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def error_response(status: int, message: str, headers: dict | None = None):
    response = jsonify({"error": message, "status": status})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return error_response(error.status, error.message, error.headers)


@bp.before_request
def _authenticate():
    g.api_rows = 0
    if request.method not in ALLOWED_METHODS:
        return error_response(405, "Kun GET, HEAD og OPTIONS.", {"Allow": ", ".join(ALLOWED_METHODS)})
    if request.endpoint == "api.openapi" or request.method == "OPTIONS":
        return None  # the description of the API is public; it holds no data
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    client = keys.find_key(secret.strip()) if scheme.lower() == "bearer" else None
    if client is None:
        return error_response(401, "Send en gyldig API-nøgle: Authorization: Bearer <nøgle>.",
                              {"WWW-Authenticate": 'Bearer realm="maalpil"'})
    wait = keys.take_rate_token(client, current_app.config["API_RATE_LIMIT_PER_MINUTE"])
    if wait is not None:
        db.session.commit()
        return error_response(429, "For mange kald med denne nøgle. Vent lidt.", {"Retry-After": str(wait)})
    g.api_client = client
    g.api_user = keys.principal_of(client)
    return None


@bp.after_request
def _finish(response):
    response.headers["Cache-Control"] = "no-store"
    client = g.get("api_client")
    if client is not None and request.endpoint and request.method != "OPTIONS":
        try:
            keys.record_use(client, g.get("api_endpoint") or request.endpoint.removeprefix("api."), g.get("api_rows", 0))
            db.session.commit()
        except sa.exc.SQLAlchemyError:
            db.session.rollback()
            current_app.logger.warning("API usage not recorded for key %s", client.id)
    return response


# --- parameters -----------------------------------------------------------------------------------


@dataclass
class Paging:
    after: int
    limit: int
    updated_since: datetime | None


def _paging(with_updated_since: bool) -> Paging:
    known = {"after", "limit", "updated_since"} if with_updated_since else {"after", "limit"}
    unknown = sorted(set(request.args) - known)
    if unknown:
        raise ApiError(400, f"Ukendt parameter: {unknown[0][:40]}. Listen kender: {', '.join(sorted(known))}.")
    if any(len(request.args.getlist(name)) > 1 for name in known):
        raise ApiError(400, "Hver parameter må kun stå én gang.")
    after = _int_arg("after", 0, 0, 2**31 - 1)
    limit = _int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    since = None
    raw = request.args.get("updated_since")
    if raw is not None and with_updated_since:
        since = _parse_datetime(raw)
    return Paging(after, limit, since)


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    parsed = parse_int(raw, low=low, high=high)
    if parsed is None:
        raise ApiError(400, f"{name} skal være et helt tal mellem {low} og {high}.")
    return parsed


def _parse_datetime(raw: str) -> datetime:
    text = raw.strip().upper().replace(" ", "T")
    try:
        value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise ApiError(400, "updated_since skal være et tidspunkt som 2026-01-31T12:00:00Z.") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ApiError(400, "updated_since ligger uden for det mulige.") from None


# --- the lists -----------------------------------------------------------------------------------------


@dataclass
class Listing:
    """One list of the API: how to fetch a page, and its CSV columns (the JSON has every field)."""

    name: str
    fetch: Callable[[Paging], list[dict]]
    csv_columns: list[str]
    updated_since: bool = False
    allowed: Callable[[object], bool] = lambda user: True


LISTINGS: dict[str, Listing] = {}


def listing(name: str, csv_columns: list[str], updated_since: bool = False, allowed=lambda user: True):
    def register(fetch):
        LISTINGS[name] = Listing(name, fetch, csv_columns, updated_since, allowed)
        return fetch

    return register


def _page(query, id_column, paging: Paging):
    return db.session.execute(query.where(id_column > paging.after).order_by(id_column).limit(paging.limit + 1)).all()


def _iso(value):
    if isinstance(value, datetime):
        if value.tzinfo is not UTC:  # the database's values come back in UTC already (UTCDateTime)
            value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
        return value.isoformat()[:-6] + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value


def _user():
    return g.api_user


@listing("schools", ["id", "name", "institution_number", "cluster_id", "cluster"])
def _schools(paging: Paging):
    query = (
        sa.select(School.id, School.name, School.institution_number, School.cluster_id, Cluster.name.label("cluster"))
        .outerjoin(Cluster, School.cluster_id == Cluster.id)
        .where(scope_clause(School.id, readable_school_ids(_user())))
    )
    return [dict(row._mapping) for row in _page(query, School.id, paging)]


@listing("periods", ["id", "key", "name", "start_year", "end_year"])
def _periods(paging: Paging):
    query = sa.select(Period.id, Period.key, Period.name, Period.start_year, Period.end_year)
    return [dict(row._mapping) for row in _page(query, Period.id, paging)]


@listing("political-goals", ["id", "key", "short_name", "text", "policy"])
def _political_goals(paging: Paging):
    query = sa.select(
        PoliticalGoal.id, PoliticalGoal.key, PoliticalGoal.short_name, PoliticalGoal.text, Policy.name.label("policy")
    ).join(Policy, PoliticalGoal.policy_id == Policy.id)
    return [dict(row._mapping) for row in _page(query, PoliticalGoal.id, paging)]


@listing("strategies", ["id", "school_id", "period_id", "current_year", "last_activity_at"], updated_since=True)
def _strategies(paging: Paging):
    query = sa.select(Strategy.id, Strategy.school_id, Strategy.period_id, Strategy.current_year,
                      Strategy.last_activity_at).where(scope_clause(Strategy.school_id, readable_school_ids(_user())))
    if paging.updated_since:
        query = query.where(Strategy.last_activity_at >= paging.updated_since)
    return [{**row._mapping, "last_activity_at": _iso(row.last_activity_at)} for row in _page(query, Strategy.id, paging)]


def _links(table, own_column, ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    if ids:
        for own, pg in db.session.execute(
            sa.select(own_column, table.c.political_goal_id).where(own_column.in_(ids)).order_by(own_column, table.c.political_goal_id)
        ):
            found[own].append(pg)
    return found


def _measurement_dict(m) -> dict:
    small = m.pupils is not None and m.pupils < MIN_PUPILS
    return {
        "year": m.year,
        "value": None if small else m.value,
        "pupils": m.pupils,
        "too_few_pupils": small,
        "new_series": bool(m.new_series),
    }


INDICATOR_CSV = ["indicator", "unit", "data_type", "baseline_value", "baseline_year", "target_value", "target_year"]


@listing("goals", ["id", "strategy_id", "school_id", "title", "archived", "classification", "indicator_hidden",
                   *INDICATOR_CSV, "political_goal_ids", "updated_at"], updated_since=True)
def _goals(paging: Paging):
    user = _user()
    visible = indicator_read_clause(user)
    query = (
        sa.select(Goal.id, Goal.strategy_id, Strategy.school_id, Goal.title, Goal.archived_at, Goal.classification,
                  visible.label("visible"), Goal.indicator, Goal.unit, Goal.data_type, Goal.baseline_value,
                  Goal.baseline_year, Goal.target_value, Goal.target_year, Goal.updated_at)
        .join(Strategy, Goal.strategy_id == Strategy.id)
        .where(scope_clause(Strategy.school_id, readable_school_ids(user)))
    )
    if paging.updated_since:
        changed = sa.select(Measurement.goal_id).where(Measurement.updated_at >= paging.updated_since)
        query = query.where(sa.or_(Goal.updated_at >= paging.updated_since, Goal.id.in_(changed)))
    rows = _page(query, Goal.id, paging)
    ids = [r.id for r in rows]
    visible_ids = [r.id for r in rows if r.visible]
    measurements: dict[int, list[dict]] = defaultdict(list)
    if visible_ids:
        for m in db.session.execute(
            sa.select(Measurement.goal_id, Measurement.year, Measurement.value, Measurement.pupils, Measurement.new_series)
            .where(Measurement.goal_id.in_(visible_ids)).order_by(Measurement.goal_id, Measurement.year)
        ):
            measurements[m.goal_id].append(_measurement_dict(m))
    links = _links(goal_political_goal, goal_political_goal.c.goal_id, ids)
    out = []
    for r in rows:
        indicator = None
        if r.visible:
            indicator = {
                "name": r.indicator, "unit": r.unit, "data_type": r.data_type.value if r.data_type else None,
                "baseline_value": r.baseline_value, "baseline_year": r.baseline_year,
                "target_value": r.target_value, "target_year": r.target_year,
            }
        out.append({
            "id": r.id, "strategy_id": r.strategy_id, "school_id": r.school_id, "title": r.title,
            "archived": r.archived_at is not None, "classification": r.classification.value,
            "indicator_hidden": not r.visible, "indicator": indicator,
            "measurements": measurements.get(r.id, []), "political_goal_ids": links.get(r.id, []),
            "updated_at": _iso(r.updated_at),
        })
    return out


@listing("measurements", ["id", "goal_id", "school_id", "year", "value", "pupils", "too_few_pupils", "new_series",
                          "updated_at"], updated_since=True)
def _measurements(paging: Paging):
    user = _user()
    query = (
        sa.select(Measurement.id, Measurement.goal_id, Strategy.school_id, Measurement.year, Measurement.value,
                  Measurement.pupils, Measurement.new_series, Measurement.updated_at)
        .join(Goal, Measurement.goal_id == Goal.id)
        .join(Strategy, Goal.strategy_id == Strategy.id)
        .where(scope_clause(Strategy.school_id, readable_school_ids(user)), indicator_read_clause(user))
    )
    if paging.updated_since:
        query = query.where(Measurement.updated_at >= paging.updated_since)
    return [
        {"id": r.id, "goal_id": r.goal_id, "school_id": r.school_id, **_measurement_dict(r), "updated_at": _iso(r.updated_at)}
        for r in _page(query, Measurement.id, paging)
    ]


@listing("initiatives", ["id", "goal_id", "school_id", "title", "responsible", "start_date", "end_date", "status",
                         "status_changed_at", "archived", "political_goal_ids", "updated_at"], updated_since=True)
def _initiatives(paging: Paging):
    user = _user()
    query = (
        sa.select(Initiative.id, Initiative.goal_id, Strategy.school_id, Initiative.title, Initiative.responsible,
                  Initiative.start_date, Initiative.end_date, Initiative.status, Initiative.status_changed_at,
                  Initiative.archived_at, Initiative.updated_at)
        .join(Goal, Initiative.goal_id == Goal.id)
        .join(Strategy, Goal.strategy_id == Strategy.id)
        .where(scope_clause(Strategy.school_id, readable_school_ids(user)))
    )
    if paging.updated_since:
        query = query.where(sa.or_(Initiative.updated_at >= paging.updated_since,
                                   Initiative.status_changed_at >= paging.updated_since))
    rows = _page(query, Initiative.id, paging)
    ids = [r.id for r in rows]
    history: dict[int, list[dict]] = defaultdict(list)
    if ids:
        for initiative_id, status, at in db.session.execute(
            sa.select(StatusUpdate.initiative_id, StatusUpdate.status, StatusUpdate.created_at)
            .where(StatusUpdate.initiative_id.in_(ids))
            .order_by(StatusUpdate.initiative_id, StatusUpdate.created_at.desc(), StatusUpdate.id.desc())
        ).tuples():
            history[initiative_id].append({"status": status.value, "at": _iso(at)})
    links = _links(initiative_political_goal, initiative_political_goal.c.initiative_id, ids)
    return [
        {
            "id": r.id, "goal_id": r.goal_id, "school_id": r.school_id, "title": r.title, "responsible": r.responsible,
            "start_date": _iso(r.start_date), "end_date": _iso(r.end_date), "status": r.status.value,
            "status_changed_at": _iso(r.status_changed_at), "archived": r.archived_at is not None,
            "political_goal_ids": links.get(r.id, []), "status_history": history.get(r.id, []),
            "updated_at": _iso(r.updated_at),
        }
        for r in rows
    ]


@listing("evaluations", ["id", "initiative_id", "goal_id", "school_id", "evaluated_on", "conclusion", "acted_on",
                         "created_at"], updated_since=True)
def _evaluations(paging: Paging):
    user = _user()
    via_initiative = aliased(Initiative)
    goal_of = aliased(Goal)
    own_goal = sa.func.coalesce(Evaluation.goal_id, via_initiative.goal_id)
    query = (
        sa.select(Evaluation.id, Evaluation.initiative_id, Evaluation.goal_id, Strategy.school_id, Evaluation.evaluated_on,
                  Evaluation.conclusion, Evaluation.acted_on_at, Evaluation.created_at)
        .outerjoin(via_initiative, Evaluation.initiative_id == via_initiative.id)
        .join(goal_of, goal_of.id == own_goal)
        .join(Strategy, goal_of.strategy_id == Strategy.id)
        .where(scope_clause(Strategy.school_id, readable_school_ids(user)))
    )
    if paging.updated_since:
        query = query.where(sa.or_(Evaluation.created_at >= paging.updated_since,
                                   Evaluation.acted_on_at >= paging.updated_since))
    return [
        {"id": r.id, "initiative_id": r.initiative_id, "goal_id": r.goal_id, "school_id": r.school_id,
         "evaluated_on": _iso(r.evaluated_on), "conclusion": r.conclusion.value, "acted_on": r.acted_on_at is not None,
         "created_at": _iso(r.created_at)}
        for r in _page(query, Evaluation.id, paging)
    ]


@listing("agreements", ["id", "school_id", "due_on", "done", "overdue"])
def _agreements(paging: Paging):
    """Agreements without their text: school, due date and whether done, as far as the role may see them."""
    user = _user()
    query = sa.select(Agreement.id, Agreement.school_id, Agreement.due_on, Agreement.done_at).where(
        agreement_read_clause(user), scope_clause(Agreement.school_id, followup_school_ids(user))
    )
    today = datetime.now(UTC).date()
    return [
        {"id": r.id, "school_id": r.school_id, "due_on": _iso(r.due_on), "done": r.done_at is not None,
         "overdue": r.done_at is None and r.due_on is not None and r.due_on < today}
        for r in _page(query, Agreement.id, paging)
    ]


@listing("cadence", ["school_id", "school_year", "one_to_one_held", "one_to_one_expected", "one_to_one_min",
                     "one_to_one_max", "lus_held", "grus_held", "lus_planned", "grus_planned"],
         allowed=lambda user: can(user, "followup.cadence"))
def _cadence(paging: Paging):
    """The year's 1:1, LUS and GRUS per school, as the Opfølgning page counts them."""
    from strategy.cadence import cadence_for_schools

    user = _user()
    query = sa.select(School.id).where(scope_clause(School.id, followup_school_ids(user)))
    rows = _page(query, School.id, paging)
    today = datetime.now(UTC).date()
    found = cadence_for_schools([r.id for r in rows], today, user=user)
    out = []
    for r in rows:
        c = found.get(r.id)
        if c is None:
            continue
        out.append({
            "id": r.id, "school_id": r.id, "school_year": c.school_year, "one_to_one_held": c.one_to_one_held,
            "one_to_one_expected": c.one_to_one_expected, "one_to_one_min": c.one_to_one_min,
            "one_to_one_max": c.one_to_one_max, "lus_held": c.lus_held, "grus_held": c.grus_held,
            "lus_planned": c.lus_planned, "grus_planned": c.grus_planned,
        })
    return out


# --- the responses -------------------------------------------------------------------------------------


def _next_url(name: str, fmt: str, rows: list[dict], paging: Paging) -> str | None:
    if len(rows) <= paging.limit:
        return None
    args = {"after": rows[paging.limit - 1]["id"], "limit": paging.limit}
    if paging.updated_since:
        args["updated_since"] = _iso(paging.updated_since)
    endpoint = "api.list_csv" if fmt == "csv" else "api.list_json"
    return url_for(endpoint, name=name, _external=True, **args)


def _serve(name: str, fmt: str):
    found = LISTINGS.get(name)
    if found is None:
        raise ApiError(404, "Ukendt liste.")
    if not found.allowed(_user()):
        raise ApiError(403, "Nøglens rolle må ikke se denne liste.")
    g.api_endpoint = f"{name}.csv" if fmt == "csv" else name
    paging = _paging(found.updated_since)
    rows = found.fetch(paging)
    next_url = _next_url(name, fmt, rows, paging)
    rows = rows[: paging.limit]
    if name == "cadence":
        rows = [{k: v for k, v in r.items() if k != "id"} for r in rows]
    g.api_rows = len(rows)
    if fmt == "csv":
        return _csv(found.csv_columns, rows, next_url, name)
    # Compact and unsorted: a page of 500 initiatives with their history is ~10,000 objects.
    response = make_response(json.dumps({"data": rows, "next": next_url}, ensure_ascii=False, separators=(",", ":")))
    response.mimetype = "application/json"
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return response


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value  # never a formula in Excel
    return "" if value is None else value


def _csv(columns: list[str], rows: list[dict], next_url: str | None, name: str):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        flat = dict(row)
        if isinstance(flat.get("indicator"), dict) or "indicator" in flat:
            indicator = flat.pop("indicator", None) or {}
            flat.update({key: indicator.get("name" if key == "indicator" else key) for key in INDICATOR_CSV})
        writer.writerow([_cell(flat.get(c)) for c in columns])
    response = make_response(out.getvalue().encode("utf-8-sig"))
    response.mimetype = "text/csv"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return response


NAMES = "<any(" + ", ".join(f'"{n}"' for n in ("schools", "periods", "political-goals", "strategies", "goals",
                                               "measurements", "initiatives", "evaluations", "agreements",
                                               "cadence")) + "):name>"


@bp.get(f"/{NAMES}")
def list_json(name: str):
    return _serve(name, "json")


@bp.get(f"/{NAMES}.csv")
def list_csv(name: str):
    return _serve(name, "csv")


@bp.get("/openapi.json")
def openapi():
    from strategy.api.openapi import document

    response = make_response(json.dumps(document(LISTINGS, url_for("api.list_json", name="schools", _external=True)
                                                 .rsplit("/", 1)[0]), ensure_ascii=False, indent=1))
    response.mimetype = "application/json"
    return response
