"""CSRF: every state-changing request needs the token; htmx sends it in a header; an expired
token during an htmx request reloads the page instead of failing silently."""

import json
import re
import itsdangerous
import pytest

from strategy import create_app
from strategy.extensions import db
from tests.conftest import PASSWORD
from tests.helpers import htmx_headers, sign_in
from tests.world import database_fingerprint, kept_world, url_for_endpoint


@pytest.fixture(scope="module")
def keeper():
    with kept_world(WTF_CSRF_ENABLED=True) as keeper:
        yield keeper


@pytest.fixture
def csrf_app(keeper):
    return keeper.app


@pytest.fixture
def world(keeper):
    """The world as built; a test that changes it says so (keeper.dirty) for the next one."""
    world = keeper.fresh()
    yield world
    keeper.dirty = True


@pytest.fixture
def client(csrf_app):
    return csrf_app.test_client()


def page_token(client, path="/learning-pipeline") -> str:
    """The token as the page hands it to htmx (<body data-csrf-token>)."""
    html = client.get(path).get_data(as_text=True)
    return re.search(r'data-csrf-token="([^"]+)"', html).group(1)


def _post_endpoints():
    app = create_app("test")
    return sorted({rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods})


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
@pytest.mark.parametrize("endpoint", _post_endpoints())
def test_every_post_without_a_token_is_refused_and_changes_nothing(keeper, csrf_app, client, endpoint, htmx):
    world = keeper.fresh()
    sign_in(client, world.user("admin"))
    before = keeper.fingerprint()
    headers = htmx_headers() if htmx else {}
    response = client.post(url_for_endpoint(csrf_app, endpoint, world), data={"title": "x"}, headers=headers)
    assert response.status_code == 400
    if htmx:
        # Nothing is reloaded or swapped (the form keeps what was typed); app.js renews the token.
        assert "HX-Refresh" not in response.headers and response.headers["HX-Reswap"] == "none"
        assert json.loads(response.headers["HX-Trigger"]) == {"csrf-renew": True}
        assert response.get_data() == b""
    else:
        assert "Formularen var udløbet" in response.get_data(as_text=True)
    assert database_fingerprint() == before
    db.session.remove()


def test_the_token_is_accepted_in_the_htmx_header(client, world):
    leader = world.user("leader")
    sign_in(client, leader)
    token = page_token(client)
    response = client.post("/sprog", data={"locale": "en", "language": "en"},
                           headers=htmx_headers(**{"X-CSRFToken": token}))
    assert response.status_code in (200, 204, 303)
    assert db.session.get(type(leader), leader.id).locale == "en"
    db.session.remove()


def test_the_token_is_accepted_as_a_form_field_and_a_wrong_one_is_not(client, world):
    sign_in(client, world.user("leader"))
    token = page_token(client)
    assert client.post("/sprog", data={"locale": "en", "csrf_token": token + "x"}).status_code == 400
    assert client.post("/sprog", data={"locale": "en", "csrf_token": token}).status_code == 303


def test_a_token_of_another_session_is_refused(csrf_app, client, world):
    other = csrf_app.test_client()
    sign_in(other, world.user("leader"))
    foreign_token = page_token(other)
    sign_in(client, world.user("leader"))
    page_token(client)
    response = client.post("/sprog", data={"locale": "en"}, headers={"X-CSRFToken": foreign_token})
    assert response.status_code == 400


@pytest.fixture
def time_travel(monkeypatch):
    """Make every signed token look hours old from now on."""

    def travel(seconds: int):
        real = itsdangerous.TimestampSigner.get_timestamp
        monkeypatch.setattr(itsdangerous.TimestampSigner, "get_timestamp", lambda self: real(self) + seconds)

    return travel


def test_an_expired_token_during_an_htmx_request_keeps_the_page_and_renews_the_token(csrf_app, client, world, time_travel):
    sign_in(client, world.user("leader"))
    token = page_token(client)
    time_travel(csrf_app.config["WTF_CSRF_TIME_LIMIT"] + 60)
    response = client.post("/sprog", data={"locale": "en"}, headers=htmx_headers(**{"X-CSRFToken": token}))
    assert response.status_code == 400
    assert response.headers["HX-Reswap"] == "none" and "HX-Refresh" not in response.headers
    assert json.loads(response.headers["HX-Trigger"]) == {"csrf-renew": True}
    assert response.get_data() == b""  # nothing swapped: the form keeps what was typed
    # app.js asks the session for a fresh token, and the same request then succeeds.
    state = client.get("/session").get_json()
    assert state["active"] is True
    assert client.post("/sprog", data={"locale": "en"}, headers={"X-CSRFToken": state["csrf"]}).status_code == 303


def test_an_expired_token_in_a_plain_form_explains_what_to_do(csrf_app, client, world, time_travel):
    sign_in(client, world.user("leader"))
    token = page_token(client)
    time_travel(csrf_app.config["WTF_CSRF_TIME_LIMIT"] + 60)
    response = client.post("/sprog", data={"locale": "en", "csrf_token": token})
    assert response.status_code == 400
    assert "Formularen var udløbet" in response.get_data(as_text=True)
    assert "HX-Refresh" not in response.headers


def test_the_login_form_needs_its_token_too(client, world):
    response = client.post("/login", data={"email": "leader@example.dk", "password": PASSWORD})
    assert response.status_code == 400
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/login", data={"email": "leader@example.dk", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303
