"""Property-based fuzzing of every form: no input produces a 5xx, and rejected input changes
nothing in the database.

The forms are found the way a user finds them: by opening every page (as a leader, consultant,
directorate and admin of tests/world.py) and reading its POST forms. Each field is then filled
with hostile values of its kind (arbitrary unicode with control characters, huge strings,
numbers out of range, impossible dates, unknown choices) or left out, and posted as the role
that may use the form, as a plain form or an htmx request.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategy.extensions import db
from tests.helpers import htmx_headers, sign_in
from tests.world import FormField, FormSpec, crawl_forms, database_fingerprint, isolated_app, kept_world

EXAMPLES = 30
# Who posts a form, first match wins: the people the forms are made for, then the administration.
PREFERRED_ROLES = ("leader", "consultant", "admin", "directorate", "anonymous")
# Tables a refused request may still write to, and why.
WRITES_WHEN_REFUSED = {
    "auth.login": {"login_attempt"},  # every sign-in attempt is logged, refused ones most of all
}

_APP = isolated_app("test")
POST_ENDPOINTS = sorted({r.endpoint for r in _APP.url_map.iter_rules() if "POST" in r.methods})

# --- values -----------------------------------------------------------------------------------

NASTY = [
    "", " ", "\x00", "\x00\x01\x02\x1b[31m", "\r\n\r\n", "\t", "\u202etxet", "\ufeff", "\U0001f600" * 50,
    "<script>alert(1)</script>", "'; DROP TABLE \"user\"; --", "{{ 7*7 }}", "%s%n%x", "../../etc/passwd",
    "ø" * 5000, "A" * 100_000, "-1", "0", "NaN", "1e309", "null", "[]", "{}",
    # numbers that are not finite, or too large for any indicator, and digits int() accepts
    "inf", "-inf", "Infinity", "nan", "1e308", "-1e308", "1e999", "²", "١٢٣", "٣,٥",
]
UNICODE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
TEXT = st.one_of(UNICODE, st.sampled_from(NASTY))
INTEGER_TEXT = st.integers(min_value=-(10**30), max_value=10**30).map(str)
NUMBER = st.one_of(
    INTEGER_TEXT,
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1,5", "1.5e3", " 7 ", "١٢٣", "0x1F", "99999999999999999999999999999", "-0.0"]),
    TEXT,
)
DATE = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat(timespec="minutes")),
    st.sampled_from(["2025-02-30", "0000-01-01", "9999-12-31", "31-12-2025", "2025-13-01", "2025-01-01T25:99",
                     "0001-01-01", "0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31", "2201-01-01T00:00"]),
    TEXT,
)


# Decimal fields are text inputs (inputmode=decimal, for the Danish comma): fuzz them as numbers.
DECIMAL_FIELDS = {"value", "baseline_value", "target_value"}


def field_values(f: FormField) -> st.SearchStrategy:
    if f.kind in ("number", "range") or f.name in DECIMAL_FIELDS:
        return NUMBER
    if f.kind in ("date", "datetime-local", "month", "time"):
        return DATE
    if f.kind in ("select", "radio", "button") or (f.kind == "checkbox" and not f.multiple):
        choice = st.sampled_from(f.options or [""])
        single = st.one_of(choice, choice, INTEGER_TEXT, TEXT)
        return st.lists(single, min_size=1, max_size=4) if f.multiple else single
    if f.kind == "checkbox":
        return st.lists(st.one_of(st.sampled_from(f.options), INTEGER_TEXT, TEXT), max_size=6)
    if f.kind == "hidden":
        return st.one_of(st.just(f.value), INTEGER_TEXT, TEXT)
    return TEXT  # text, textarea, email, password, search ...


def form_data(spec: FormSpec) -> st.SearchStrategy:
    fields = {name: field_values(f) for name, f in spec.fields.items() if name != "csrf_token"}
    # Every field may be missing; one unexpected field may turn up.
    return st.fixed_dictionaries({}, optional={**fields, "unexpected_field": TEXT})


# --- the test ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keeper():
    with kept_world() as keeper:
        yield keeper


@pytest.fixture(scope="module")
def forms(keeper):
    return crawl_forms(keeper.app, keeper)


def _changed_tables(before, after) -> set[str]:
    return {name for name in before if before[name] != after[name]}


# POSTs that no form makes: app.js sends them (with no fields of their own), so they are fuzzed
# as a signed-in user's request with whatever body the strategy draws.
SCRIPT_POSTS = {"auth.keep_alive": ("/session/keepalive", "leader")}


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_no_input_breaks_a_form_and_refused_input_changes_nothing(keeper, forms, endpoint):
    specs = forms.get(endpoint)
    if endpoint in SCRIPT_POSTS:
        url, role = SCRIPT_POSTS[endpoint]
        specs = {role: FormSpec(action=url, page="static/js/app.js")}
    assert specs, f"no page shows a form posting to {endpoint}: add a page to CRAWL_EXTRA in tests/world.py"
    role = next(r for r in PREFERRED_ROLES if r in specs)
    spec = specs[role]
    allowed_writes = WRITES_WHEN_REFUSED.get(endpoint, set())
    app = keeper.app

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=form_data(spec), htmx=st.booleans())
    def post(data, htmx):
        world = keeper.fresh()
        before = keeper.fingerprint()
        client = app.test_client()
        if world.user(role) is not None:
            sign_in(client, world.user(role))
        writes = keeper.changes()
        response = client.post(spec.action, data=data, headers=htmx_headers() if htmx else {})
        keeper.after("POST", response)
        assert response.status_code < 500, f"{response.status_code} for {data!r}"
        if 400 <= response.status_code < 500:
            if writes is not None and keeper.changes() == writes:
                return  # SQLite counted no row written at all: certainly nothing changed
            changed = _changed_tables(before, database_fingerprint()) - allowed_writes
            db.session.remove()
            assert not changed, f"{response.status_code} but {sorted(changed)} changed, for {data!r}"
            if allowed_writes:
                keeper.dirty = True

    post()


def test_nul_characters_are_dropped_not_turned_into_an_error(keeper):
    """PostgreSQL text cannot hold NUL; the request drops them, so pasted text still saves."""
    import sqlalchemy as sa

    from strategy.models import Comment

    world = keeper.fresh()
    client = keeper.app.test_client()
    sign_in(client, world.user("consultant"))
    response = client.post(f"/maal/{world['goal'].id}/kommentarer?x=%00", data={"body": "Godt\x00 set\x00"})
    keeper.after("POST", response)
    assert response.status_code in (200, 303), response.status_code
    bodies = db.session.scalars(sa.select(Comment.body).where(Comment.goal_id == world["goal"].id)).all()
    db.session.remove()
    assert "Godt set" in bodies
