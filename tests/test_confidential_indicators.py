"""A Fortrolig indicator and its measurements reach nobody the permissions table does not allow.

School A's goal in tests/world.py is made Fortrolig, with a marker in its indicator name, its unit,
a measurement's note, a closed year's snapshot and an audit event of a measurement. Every role
then opens every GET page, fragment and export it can reach (school A's objects and school B's),
as a page and as an htmx fragment: the marker is absent for the reader of school A, the leader of
school B and school B's consultant, and present on the goal page for everyone who may see it.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from strategy.extensions import db
from strategy.models import AuditEvent, Classification, Goal, Measurement, StrategySnapshot
from tests.helpers import htmx_headers, sign_in
from tests.world import ROLES, VARIANTS, build_world, get_endpoints, isolated_app, url_for_endpoint

MARK = "FORTROLIGMARK"
ALLOWED = {"leader", "consultant", "directorate", "admin"}  # school A's own, its consultant, the administration
REFUSED = {"reader", "leader_other", "consultant_other"}


def _text(field: str) -> str:
    if field in ("goal.indicator", "measurement.note"):
        return f"{MARK} {field}"
    return field


@pytest.fixture(scope="module")
def world():
    from tests.conftest import _reset_database

    app = isolated_app("test")
    with app.app_context():
        _reset_database()
        w = build_world(_text)
        goal = db.session.get(Goal, w["goal"].id)
        goal.classification = Classification.CONFIDENTIAL
        goal.unit = f"{MARK}u"
        db.session.add(Measurement(goal=goal, year=2024, value=3, pupils=3, note=f"{MARK} small"))
        snapshot = db.session.scalar(db.select(StrategySnapshot).filter_by(strategy_id=goal.strategy_id, year=2024))
        snapshot.data = {"goals": [{
            "id": goal.id, "title": "Frosset mål", "indicator": f"{MARK} frozen", "unit": "%",
            "classification": "confidential", "baseline_value": 60, "baseline_year": 2024, "target_value": None,
            "target_year": None, "data_type": None, "political_goals": [], "rollup": None, "description": "",
            "measurements": [{"year": 2024, "value": 61, "note": f"{MARK} frozen note"}], "initiatives": [],
        }]}
        db.session.add(AuditEvent(
            actor_id=w.user("leader").id, action="update", object_type="Goal", object_id=goal.id,
            school_id=goal.strategy.school_id, summary="Måling 2025",
            changes={"measurement:2025": [None, {"value": 64, "note": f"{MARK} audit"}], "unit": ["%", f"{MARK}u"]},
        ))
        db.session.commit()
        ids = {"users": {role: (u.get_id() if u else None) for role, u in w.users.items()}}
        yield app, w, ids
        db.session.remove()


def _body(response) -> str:
    data = response.get_data()
    if data[:2] == b"PK":  # xlsx: every XML part of the workbook
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return " ".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return data.decode("utf-8", "replace")


def _urls(app, world) -> list[str]:
    urls = []
    for endpoint in get_endpoints(app):
        rule = next(app.url_map.iter_rules(endpoint))
        names = [endpoint]
        names += [f"{endpoint}@{v}" for v, params in VARIANTS.items() if set(rule.arguments) & set(params)]
        for name in names:
            try:
                urls.append(url_for_endpoint(app, name, world))
            except KeyError:
                continue
    return sorted(set(urls))


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_a_confidential_indicator_reaches_only_those_who_may_see_it(world, role):
    app, w, ids = world
    client = app.test_client()
    sign_in(client, ids["users"][role])
    leaks = []
    seen = 0
    for url in _urls(app, w):
        for headers in ({}, htmx_headers()):
            response = client.get(url, headers=headers)
            if response.status_code != 200:
                continue
            seen += 1
            body = _body(response)
            if role in REFUSED and MARK in body:
                leaks.append(f"{url} {'(htmx)' if headers else ''}")
    # The board and the committee reach their own views only (about 20 pages and fragments).
    assert seen > (15 if role in ("board", "committee") else 40), "the crawl reached too few pages to mean anything"
    assert not leaks, f"{role} sees the confidential indicator on:\n  " + "\n  ".join(leaks)

    response = client.get(f"/maal/{w['goal'].id}")
    goal_page = response.get_data(as_text=True)
    if role in ("board", "committee"):
        assert response.status_code == 403  # their own views only, never the working strategy pages
    elif role in ALLOWED:
        assert f"{MARK} goal.indicator" in goal_page
        assert f"{MARK} measurement.note" in goal_page
        assert "for få elever" in goal_page
        history = client.get(f"/maal/{w['goal'].id}/historik").get_data(as_text=True)
        assert f"{MARK} audit" in history
        snapshot = client.get(f"/strategi/{w['strategy'].id}/aar/2024").get_data(as_text=True)
        assert f"{MARK} frozen" in snapshot
    else:
        assert "Indikatoren er fortrolig" in goal_page
