"""The read-only API: keys, scope per role, what never leaves, paging, CSV, rate limit, audit.

The world of tests/world.py gets a key per role, with the same schools as the person of that role
(the leader's and the reader's key belong to school A, the consultant's to A, the other
consultant's to B). School A's goal is Fortrolig with a marker in its indicator and measurement
note, and every note, meeting and agreement text carries a marker too.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from strategy.api import keys
from strategy.extensions import db
from strategy.models import ApiClient, ApiUsage, AuditEvent, Classification, Goal, Role, School
from tests.world import build_world

SECRET_TEXT = "HEMMELIGTEKST"
MARK = "FORTROLIGMARK"
LISTS = ["schools", "periods", "political-goals", "strategies", "goals", "measurements", "initiatives",
         "evaluations", "agreements", "cadence"]
KEY_ROLES = {  # key name -> (role, schools), as the people of tests/world.py
    "reader": (Role.READER, ["school"]),
    "leader": (Role.LEADER, ["school"]),
    "leader_other": (Role.LEADER, ["school_b"]),
    "consultant": (Role.CONSULTANT, ["school"]),
    "consultant_other": (Role.CONSULTANT, ["school_b"]),
    "directorate": (Role.DIRECTORATE, []),
    "admin": (Role.ADMIN, []),
}
MAY_SEE_CONFIDENTIAL = {"leader", "consultant", "directorate", "admin"}


def _text(field: str) -> str:
    if field in ("goal.indicator", "measurement.note"):
        return f"{MARK} {field}"
    if field.startswith(("note.", "meeting.", "agreement.", "agenda_item.")):
        return f"{SECRET_TEXT} {field}"
    return field


@pytest.fixture
def world(app):
    w = build_world(_text)
    goal = db.session.get(Goal, w["goal"].id)
    goal.classification = Classification.CONFIDENTIAL
    goal.unit = f"{MARK}u"
    secrets = {}
    for name, (role, schools) in KEY_ROLES.items():
        _client, secrets[name] = keys.create_key(name, role, [db.session.get(School, w[s].id) for s in schools], None)
    db.session.commit()
    return w, secrets


def _get(client, url, secret, **headers):
    return client.get(url, headers={"Authorization": f"Bearer {secret}", **headers})


@pytest.mark.parametrize("key", list(KEY_ROLES))
def test_every_list_for_every_role_keeps_confidential_and_note_texts_out(client, world, key):
    w, secrets = world
    for name in LISTS:
        for suffix in ("", ".csv"):
            response = _get(client, f"/api/v1/{name}{suffix}?limit=1000", secrets[key])
            if name == "cadence" and key in ("reader", "leader", "leader_other"):
                assert response.status_code == 403, (name, key)
                continue
            assert response.status_code == 200, (name, suffix, key, response.get_data(as_text=True))
            body = response.get_data(as_text=True)
            assert SECRET_TEXT not in body, (name, key)
            assert (MARK in body) == (key in MAY_SEE_CONFIDENTIAL and name == "goals"), (name, suffix, key)
            assert response.headers["Cache-Control"] == "no-store"
            assert "Set-Cookie" not in response.headers


def _ids(client, name, secret):
    return {row["id"] for row in _get(client, f"/api/v1/{name}?limit=1000", secret).get_json()["data"]}


def test_the_scope_of_a_key_is_what_a_person_of_its_role_sees(client, world):
    w, secrets = world
    a, b = w["school"].id, w["school_b"].id
    assert _ids(client, "schools", secrets["reader"]) == {a}
    assert {a, b} <= _ids(client, "schools", secrets["leader"])  # leaders read every school's strategy
    assert _ids(client, "strategies", secrets["reader"]) == {w["strategy"].id}
    # Follow-up: agreements of the own school only, and drafts of others never.
    agreements_leader_b = _ids(client, "agreements", secrets["leader_other"])
    assert agreements_leader_b == {w["agreement_b"].id}
    assert w["agreement_draft"].id not in _ids(client, "agreements", secrets["admin"])
    assert w["agreement_draft"].id not in _ids(client, "agreements", secrets["consultant"])  # not the key's draft
    assert {row["school_id"] for row in _get(client, "/api/v1/cadence", secrets["consultant_other"]).get_json()["data"]} == {b}
    # The Fortrolig indicator: hidden, not dropped, for those who may not see it.
    goals = {g["id"]: g for g in _get(client, "/api/v1/goals", secrets["leader_other"]).get_json()["data"]}
    hidden = goals[w["goal"].id]
    assert hidden["indicator_hidden"] is True and hidden["indicator"] is None and hidden["measurements"] == []
    assert w["goal"].id not in {m["goal_id"] for m in _get(client, "/api/v1/measurements", secrets["leader_other"]).get_json()["data"]}
    shown = {g["id"]: g for g in _get(client, "/api/v1/goals", secrets["leader"]).get_json()["data"]}[w["goal"].id]
    assert shown["indicator"]["baseline_value"] == 60 and shown["measurements"][0]["value"] == 64


def test_keys_are_required_and_never_the_session(client, world, login_as):
    w, secrets = world
    assert client.get("/api/v1/schools").status_code == 401
    assert _get(client, "/api/v1/schools", "mp_not-a-key").status_code == 401
    login_as(db.session.get(type(w.user("admin")), w.user("admin").id))
    response = client.get("/api/v1/schools")  # a signed-in browser, no key
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_only_reading_methods(client, world):
    _w, secrets = world
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = client.open("/api/v1/schools", method=method, headers={"Authorization": f"Bearer {secrets['admin']}"})
        assert response.status_code == 405
        assert "POST" not in response.headers["Allow"]
    assert client.head("/api/v1/schools", headers={"Authorization": f"Bearer {secrets['admin']}"}).status_code == 200


def test_revoked_and_expired_keys_are_refused(client, world):
    _w, secrets = world
    leader = db.session.scalar(sa.select(ApiClient).filter_by(name="leader"))
    keys.revoke_key(leader, None)
    reader = db.session.scalar(sa.select(ApiClient).filter_by(name="reader"))
    reader.expires_on = datetime.now(UTC).date() - timedelta(days=1)
    db.session.commit()
    assert _get(client, "/api/v1/schools", secrets["leader"]).status_code == 401
    assert _get(client, "/api/v1/schools", secrets["reader"]).status_code == 401
    assert _get(client, "/api/v1/schools", secrets["admin"]).status_code == 200


def test_only_the_hash_is_stored(world):
    _w, secrets = world
    stored = db.session.scalar(sa.select(ApiClient).filter_by(name="admin"))
    assert secrets["admin"] not in json.dumps([stored.key_hash, stored.prefix])
    assert stored.expires_on == datetime.now(UTC).date() + timedelta(days=365)


def test_cursor_paging_walks_every_row_once(client, world, make):
    w, secrets = world
    for i in range(7):
        make.school(f"Ekstra skole {i}", institution_number=f"29{i:04d}")
    seen, url, pages = [], "/api/v1/schools?limit=3", 0
    while url:
        page = _get(client, url, secrets["admin"]).get_json()
        seen += [row["id"] for row in page["data"]]
        url = page["next"] and page["next"].replace("http://localhost", "")
        pages += 1
    total = db.session.scalar(sa.select(sa.func.count(School.id)))
    assert sorted(seen) == seen and len(set(seen)) == total and pages == -(-total // 3) + (total % 3 == 0)


def test_updated_since_and_bad_parameters(client, world):
    _w, secrets = world
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert _get(client, f"/api/v1/initiatives?updated_since={future}", secrets["admin"]).get_json()["data"] == []
    assert _get(client, "/api/v1/initiatives?updated_since=2000-01-01T00:00:00Z", secrets["admin"]).get_json()["data"]
    for bad in ("limit=0", "limit=abc", "limit=5000", "after=-1", "updated_since=igår"):
        response = _get(client, f"/api/v1/goals?{bad}", secrets["admin"])
        assert response.status_code == 400, bad
        assert response.get_json()["error"]


def test_rate_limit_answers_429_with_retry_after(app, client, world):
    _w, secrets = world
    app.config["API_RATE_LIMIT_PER_MINUTE"] = 3
    answers = [_get(client, "/api/v1/periods", secrets["admin"]) for _ in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
    assert _get(client, "/api/v1/periods", secrets["directorate"]).status_code == 200  # per key


def test_every_call_is_audited_in_one_row_per_key_endpoint_and_hour(client, world):
    _w, secrets = world
    for _ in range(4):
        _get(client, "/api/v1/schools", secrets["admin"])
    _get(client, "/api/v1/schools.csv", secrets["admin"])
    rows = db.session.execute(sa.select(ApiUsage.endpoint, ApiUsage.count, ApiUsage.rows).join(ApiClient)
                              .where(ApiClient.name == "admin").order_by(ApiUsage.endpoint)).all()
    schools = db.session.scalar(sa.select(sa.func.count(School.id)))
    assert [tuple(r) for r in rows] == [("schools", 4, 4 * schools), ("schools.csv", 1, schools)]
    created = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.object_type == "ApiClient")).all()
    assert len(created) == len(KEY_ROLES)


def test_csv_is_excel_ready_and_formula_safe(client, world):
    w, secrets = world
    goal = db.session.get(Goal, w["goal2"].id)
    goal.title = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    response = _get(client, "/api/v1/goals.csv", secrets["admin"])
    body = response.get_data()
    assert body.startswith("\ufeff".encode()) and response.mimetype == "text/csv"
    assert b"'=HYPERLINK" in body


def test_an_api_page_of_initiatives_takes_the_same_queries_whatever_its_size(client, world, make, count_queries):
    w, secrets = world
    goal = db.session.get(Goal, w["goal"].id)
    from strategy.models import Initiative

    for i in range(40):
        db.session.add(Initiative(goal=goal, title=f"Tiltag {i}", position=10 + i))
    db.session.commit()
    _get(client, "/api/v1/initiatives?limit=1", secrets["admin"])  # the hour's audit row now exists
    with count_queries() as small:
        _get(client, "/api/v1/initiatives?limit=2", secrets["admin"])
    with count_queries() as large:
        _get(client, "/api/v1/initiatives?limit=40", secrets["admin"])
    assert len(small) == len(large)


def test_the_openapi_document_describes_every_list(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    for name in LISTS:
        assert f"/{name}" in doc["paths"] and f"/{name}.csv" in doc["paths"]


def test_the_admin_issues_a_key_on_the_page_sees_it_once_and_revokes_it(client, login_as, world):
    import re

    w, _secrets = world
    login_as(db.session.get(type(w.user("admin")), w.user("admin").id))
    response = client.post("/admin/api-noegler/", data={"name": "Excel, økonomi", "role": "consultant",
                                                       "schools": [str(w["school"].id)]})
    assert response.status_code == 200
    secret = re.search(r"mp_[A-Za-z0-9_-]{20,}", response.get_data(as_text=True)).group(0)
    assert _get(client, "/api/v1/schools", secret).status_code == 200
    listing = client.get("/admin/api-noegler/").get_data(as_text=True)
    assert "Excel, økonomi" in listing and secret not in listing  # shown once
    client_id = db.session.scalar(sa.select(ApiClient.id).filter_by(name="Excel, økonomi"))
    assert client.post(f"/admin/api-noegler/{client_id}/tilbagekald").status_code in (302, 303)
    assert _get(client, "/api/v1/schools", secret).status_code == 401
    refused = client.post("/admin/api-noegler/", data={"name": "Uden skole", "role": "leader"})
    assert refused.status_code == 422 and "præcis én skole" in refused.get_data(as_text=True)


def test_the_cli_creates_lists_and_revokes_keys(app, world):
    w, _secrets = world
    runner = app.test_cli_runner()
    result = runner.invoke(args=["api-key", "create", "--name", "Power BI", "--role", "leader", "--school", "280001"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^mp_\S+$", result.output, re.M)
    listed = runner.invoke(args=["api-key", "list"]).output
    assert "Power BI" in listed and "leader" in listed
    key_id = db.session.scalar(sa.select(ApiClient.id).filter_by(name="Power BI"))
    assert "revoked" in runner.invoke(args=["api-key", "revoke", str(key_id)]).output
    bad = runner.invoke(args=["api-key", "create", "--name", "X", "--role", "leader"])
    assert bad.exit_code != 0
