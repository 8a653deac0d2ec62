"""Odd input never breaks Målpil (issue: trust). Each class of defect is tested across every route
it can reach: the return path (``next``), numbers and dates in query strings and forms, request
bodies that are too large, formula-like text in exports, and measurements that are not finite."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategy.extensions import db
from strategy.htmx import safe_path
from strategy.models import Goal, Measurement
from strategy.overview.filters import Filters
from tests.helpers import document_text, htmx_headers, sign_in
from tests.world import build_world, get_endpoints, isolated_app, kept_world, url_for_endpoint

ROOT = Path(__file__).resolve().parents[1]

# --- one safe `next` ------------------------------------------------------------------------

HOSTILE_NEXT = [
    "//evil.example", "/%09/evil.example", "/\t/evil.example", "/\\evil.example", "\\\\evil.example",
    "https://evil.example/", "http:evil.example", "javascript:alert(1)", "/\r\nSet-Cookie: x=1", "/%0D%0Ax",
    "/\r\nx", "/\nx", "/\x00x", "/\x7fx", " //evil.example", "/ /evil", "///evil.example", "/x" + "a" * 3000,
    "data:text/html,x", "/\u2028x", "ftp://evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_safe_path_refuses_anything_a_browser_could_take_off_site(target):
    result = safe_path(target)
    if result is not None:
        assert result == target and result.startswith("/") and not result.startswith("//")
        assert not re.search(r"[\x00-\x1f\x7f\\]", result)


@pytest.mark.parametrize("target", ["/", "/min-skole", "/maal/3?periode=2025-2027#tiltag", "/overblik?klynge=1&tema=2"])
def test_safe_path_keeps_the_pages_of_this_site(target):
    assert safe_path(target) == target


@pytest.fixture
def world(app):
    return build_world()


def _assert_safe_redirect(response):
    assert response.status_code == 303, response.status_code
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//"), location
    assert not re.search(r"[\x00-\x1f\x7f\\]", location), location


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_every_form_that_returns_to_next_stays_on_the_site(app, client, world, target):
    sign_in(client, world.user("leader"))
    initiative = world["initiative"]
    prefix = f"status{initiative.id}-"
    _assert_safe_redirect(client.post(f"/tiltag/{initiative.id}/status", data={
        prefix + "status": "on_track", prefix + "comment": "Godt i gang", "next": target}))
    _assert_safe_redirect(client.post("/sprog", data={"locale": "da", "next": target}))
    _assert_safe_redirect(client.post(f"/aftaler/{world['agreement'].id}/udfoert", data={"next": target}))
    _assert_safe_redirect(client.post(f"/maal/{world['goal'].id}/flyt", data={"direction": "down", "next": target}))


@pytest.mark.parametrize("target", ["/%0D%0Ax", "//evil.example", "/%09/evil.example"])
def test_a_sign_in_link_with_a_hostile_next_signs_in_and_stays_on_the_site(app, client, world, target):
    from tests.conftest import PASSWORD

    page = client.get(f"/login?next={target}")
    assert page.status_code == 200
    response = client.post("/login", data={"email": world.user("leader").email, "password": PASSWORD, "next": target})
    assert response.status_code == 303
    _assert_safe_redirect(response)


# --- numbers and dates in query strings: every GET route, every parameter the code reads ------


def _query_parameters() -> list[str]:
    """Every query parameter name the application reads (found in its source), so that a
    parameter added later is fuzzed without anyone remembering to list it here."""
    pattern = re.compile(r"""(?:request\.args\.get(?:list)?|arg_ints?|args\.get|_int_arg\(args,)\(\s*(?:[a-z_]+\s*\+\s*)?["']([a-zA-Z_]+)["']""")
    names = set()
    for path in (ROOT / "strategy").rglob("*.py"):
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    names.update(Filters.PARAMS.values())
    return sorted(names)


QUERY_PARAMETERS = _query_parameters()
ODD = st.one_of(
    st.sampled_from(["²", "١٢", "٣", "¹²³", "Ⅻ", "1e308", "inf", "nan", "-1", "-0", "0", "99999999999999999999",
                     "2147483648", "\r\n", "\x00", "%00", "a" * 2000, "1" * 2000, " 1", "1 ", "0x1F", "1_000",
                     "0001-01-01", "9999-12-31T23:59", "", "None", "null", "../", "<b>", "true"]),
    st.text(max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)

_APP = isolated_app("test")
GET_ENDPOINTS = [e for e in get_endpoints(_APP) if not e.startswith("static")]


def test_the_parameter_list_is_found_in_the_source():
    assert {"periode", "klynge", "side", "bruger", "level", "expectations", "aar", "school_id"} <= set(QUERY_PARAMETERS)


@pytest.fixture(scope="module")
def keeper():
    with kept_world() as keeper:
        yield keeper


@pytest.mark.parametrize("role", ["leader", "admin"])
@pytest.mark.parametrize("endpoint", GET_ENDPOINTS)
def test_no_query_string_breaks_a_page(keeper, endpoint, role):
    world = keeper.fresh()
    app = keeper.app
    url = url_for_endpoint(app, endpoint, world)
    client = app.test_client()
    sign_in(client, world.user(role))

    @settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(params=st.dictionaries(st.sampled_from(QUERY_PARAMETERS), st.one_of(ODD, st.lists(ODD, max_size=3)),
                                  max_size=4),
           htmx=st.booleans())
    def get(params, htmx):
        response = client.get(url.split("?")[0], query_string=params, headers=htmx_headers() if htmx else {})
        assert response.status_code < 500, f"{response.status_code} for {url} {params!r}"

    get()


WORST = ["²", "١٢", "1e308", "\r\nx", "99999999999999999999", "-1", "\x00", "a" * 2000]


@pytest.mark.parametrize("role", ["leader", "consultant", "admin"])
@pytest.mark.parametrize("endpoint", GET_ENDPOINTS)
def test_every_parameter_of_every_page_refuses_the_worst_values_without_an_error(keeper, endpoint, role):
    """Deterministic twin of the fuzzing above: every parameter name at once, per value."""
    world = keeper.fresh()
    url = url_for_endpoint(keeper.app, endpoint, world).split("?")[0]
    client = keeper.app.test_client()
    sign_in(client, world.user(role))
    for value in WORST:
        for htmx in (False, True):
            response = client.get(url, query_string={name: value for name in QUERY_PARAMETERS},
                                  headers=htmx_headers() if htmx else {})
            assert response.status_code < 500, f"{response.status_code} for {url} = {value!r}"


# --- dates in forms ---------------------------------------------------------------------------


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T10:00"])
def test_a_meeting_in_year_one_is_refused_at_the_field(app, client, world, starts_at):
    sign_in(client, world.user("consultant"))
    response = client.post(f"/skoler/{world['school'].id}/samtaler/ny", data={
        "meeting_type": "one_to_one", "starts_at": starts_at, "state": "planned", "visibility": "shared"})
    assert response.status_code == 422
    assert "Skriv en dato mellem år 1900 og 2200." in response.get_data(as_text=True)


@pytest.mark.parametrize("evaluated_on", ["0001-01-01", "9999-12-31"])
def test_an_evaluation_in_year_one_is_refused_at_the_field(app, client, world, evaluated_on):
    sign_in(client, world.user("leader"))
    response = client.post(f"/tiltag/{world['initiative'].id}/evalueringer", data={
        "evaluated_on": evaluated_on, "what_was_done": "Noget", "conclusion": "continue", "next_steps": "Mere"})
    assert response.status_code == 422
    assert "Skriv en dato mellem år 1900 og 2200." in response.get_data(as_text=True)


# --- measurements are finite numbers in a sane range -------------------------------------------


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "NaN", "Infinity", "1e308", "1e5", "²", "١٢", "2000000000"])
def test_a_measurement_that_is_not_a_sane_number_is_refused_at_the_field(app, client, world, value):
    goal = world["goal"]
    sign_in(client, world.user("leader"))
    response = client.post(f"/maal/{goal.id}/maalinger", data={"year": "2026", "value": value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Skriv et tal, fx 12,5." in page or "Tallet er for stort" in page
    assert db.session.scalar(sa.select(Measurement).where(Measurement.goal_id == goal.id, Measurement.year == 2026)) is None


def test_a_share_in_percent_stays_between_0_and_100(app, client, world):
    goal = world["goal"]  # its unit is %
    sign_in(client, world.user("leader"))
    response = client.post(f"/maal/{goal.id}/maalinger", data={"year": "2026", "value": "180"})
    assert response.status_code == 422
    assert "En andel i procent ligger mellem 0 og 100." in response.get_data(as_text=True)
    assert client.post(f"/maal/{goal.id}/maalinger", data={"year": "2026", "value": "72,5"}).status_code == 303


@pytest.mark.parametrize("stored", [float("inf"), float("-inf"), 1e308])
def test_a_bad_value_already_stored_takes_no_page_down(app, client, world, stored):
    goal = world["goal"]
    db.session.execute(sa.update(Measurement).where(Measurement.goal_id == goal.id).values(value=stored))
    db.session.execute(sa.update(Goal).where(Goal.id == goal.id).values(baseline_value=stored))
    db.session.commit()
    sign_in(client, world.user("leader"))
    client.post(f"/maal/{goal.id}/maalinger/slet", data={"year": "2025"})  # its history keeps the value
    sign_in(client, world.user("directorate"))
    for url in (f"/maal/{goal.id}", f"/maal/{goal.id}/historik", "/politiske-maal", f"/overblik/celle/{world['school'].id}/{world['political_goal'].id}",
                f"/overblik/politiske-maal/{world['political_goal'].id}", "/overblik", "/overblik/eksport.xlsx",
                f"/overblik/rapporter/skole/{world['school'].id}", f"/overblik/rapporter/skole/{world['school'].id}.pdf",
                "/overblik/rapporter/politiske-maal", "/overblik/rapporter/politiske-maal.pdf",
                f"/skoler/{world['school'].id}"):
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
    sign_in(client, world.user("admin"))
    assert client.get("/admin/historik").status_code == 200


# --- exports are formula-safe -----------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture
def formula_world(app):
    """Every text field of the world starts like a formula (a different one per field)."""
    counter = iter(range(10_000))
    return build_world(text=lambda name: FORMULAS[next(counter) % len(FORMULAS)] + f" {name}")


def test_no_text_cell_of_the_excel_export_is_a_formula(app, client, formula_world):
    from openpyxl import load_workbook

    sign_in(client, formula_world.user("directorate"))
    response = client.get("/overblik/eksport.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert any(t.startswith('=HYPERLINK("http://evil.example/","x")') for t in texts)  # the text is kept whole


@pytest.mark.parametrize("table", ["overblik", "maal", "tiltag"])
def test_no_csv_field_starts_like_a_formula(app, client, formula_world, table):
    import csv

    sign_in(client, formula_world.user("directorate"))
    response = client.get(f"/overblik/eksport/{table}.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) > 1
    for row in rows:
        for field in row:
            assert not field.startswith(("=", "+", "@", "\t", "\r")), field
            assert not (field.startswith("-") and not re.fullmatch(r"-[0-9]+(,[0-9]+)?", field)), field
    # The text is kept whole, behind the apostrophe.
    assert any(f.startswith("'") and f[1:].startswith(tuple(FORMULAS)) for row in rows for f in row)


# --- request bodies are limited -----------------------------------------------------------------


def test_a_huge_form_is_refused_before_it_is_read(app, client, world):
    body = b"email=a%40b.dk&password=" + b"x" * (20 * 1024 * 1024)
    response = client.post("/login", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "Det, du sendte, er for stort" in response.get_data(as_text=True)
    sign_in(client, world.user("leader"))
    response = client.post(f"/tiltag/{world['initiative'].id}/status", data=body,
                           content_type="application/x-www-form-urlencoded", headers=htmx_headers())
    assert response.status_code == 413


def test_a_body_within_the_limit_is_read(app, client, world):
    sign_in(client, world.user("leader"))
    comment = "ø" * 9_000  # within the comment's length and far within the body limit
    prefix = f"status{world['initiative'].id}-"
    response = client.post(f"/tiltag/{world['initiative'].id}/status",
                           data={prefix + "status": "on_track", prefix + "comment": comment})
    assert response.status_code == 303


# --- the session while a person types ------------------------------------------------------------


def test_asking_about_the_session_does_not_keep_it_alive(app, client, world):
    from datetime import UTC, datetime

    sign_in(client, world.user("consultant"))
    past = datetime.now(UTC).timestamp() - 600
    with client.session_transaction() as session:
        session["seen_at"] = past
    state = client.get("/session").get_json()
    assert state["active"] is True and state["csrf"] and 0 < state["seconds_left"] <= 3600
    with client.session_transaction() as session:
        assert session["seen_at"] == past
    assert client.post("/session/keepalive").status_code == 204  # typing does
    with client.session_transaction() as session:
        assert session["seen_at"] > past


def test_an_expired_session_answers_the_probe_as_signed_out(app, client, world):
    from datetime import UTC, datetime

    sign_in(client, world.user("consultant"))
    with client.session_transaction() as session:
        session["seen_at"] = datetime.now(UTC).timestamp() - 2 * 3600
    response = client.get("/session")
    assert response.status_code == 200 and response.get_json() == {"active": False}
    assert response.headers["Cache-Control"] == "no-store"
    assert client.post("/session/keepalive").status_code in (302, 401)


def test_the_note_saves_after_signing_in_again(app, client, world):
    """The journey of the browser test, at the HTTP level: 401 in place, sign in, save again."""
    from tests.conftest import PASSWORD
    from tests.helpers import asked_to_sign_in_again

    consultant = world.user("consultant")
    data = {"school_id": world["school"].id, "held_on": "2025-10-01", "participants": "Lone og Karen",
            "stances": ["supportive"], "observation": "En lang iagttagelse", "visibility": "shared"}
    url = f"/skoler/{world['school'].id}/notater/ny"
    login = asked_to_sign_in_again(client.post(url, data=data, headers=htmx_headers()))
    response = client.post("/login", data={"email": consultant.email, "password": PASSWORD, "next": "/session/igen"})
    assert response.headers["Location"] == "/session/igen" and login.endswith("/session/igen")
    assert "Du er logget ind igen" in document_text(client.get("/session/igen"))
    response = client.post(url, data=data, headers=htmx_headers())
    assert response.status_code == 204 and re.fullmatch(r"/notater/\d+", response.headers["HX-Redirect"])
