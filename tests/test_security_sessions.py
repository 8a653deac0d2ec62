"""Sessions: cookie flags, a fresh session at login, logout and deactivation end every session
at once, idle timeout and absolute lifetime, and htmx requests sent to the login page whole."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import Role, User
from tests.conftest import PASSWORD, _reset_database
from tests.helpers import asked_to_sign_in_again, htmx_headers
from tests.world import isolated_app

PAGE = "/learning-pipeline"


@pytest.fixture
def leader(make):
    return make.user(Role.LEADER, email="leder@example.dk")


def sign_in_with_password(client, email="leder@example.dk", password=PASSWORD):
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 303, response.status_code
    return response


def session_cookie(response) -> str:
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("maalpil_session=")]
    return cookie


def assert_sent_to_login(client, path=PAGE):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    return response


# --- cookies -------------------------------------------------------------------------------------


def test_the_session_cookie_is_httponly_and_samesite_lax(client, leader):
    cookie = session_cookie(sign_in_with_password(client))
    attributes = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")[1:]}
    assert "httponly" in attributes
    assert attributes["samesite"].strip() == "SameSite=Lax"
    assert "secure" not in attributes  # plain http in the test configuration


def test_in_production_the_session_cookie_is_secure(monkeypatch):
    app = isolated_app("production", SECRET_KEY="a-long-random-production-secret-key-0123456789",
                       SQLALCHEMY_DATABASE_URI="sqlite://")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    with app.app_context():
        _reset_database()
        response = app.test_client().get("/login", base_url="https://localhost")
    cookie = session_cookie(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


# --- a fresh session at login ----------------------------------------------------------------------


def test_login_starts_a_fresh_session_and_nothing_from_before_survives(client, leader):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["_user_id"] = "999:forged"
        session["csrf_token"] = "fixed-token"
    response = sign_in_with_password(client)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != "fixed-token"
        assert session["_user_id"] == leader.get_id()
        assert session["started_at"] == pytest.approx(datetime.now(UTC).timestamp(), abs=5)
    assert session_cookie(response)


def test_a_forged_or_stale_user_id_in_the_session_is_not_signed_in(client, leader):
    for forged in (f"{leader.id}:not-the-token", f"{leader.id}", "abc:def", f"{leader.id}:"):
        now = datetime.now(UTC).timestamp()
        with client.session_transaction() as session:
            session.update({"_user_id": forged, "started_at": now, "seen_at": now})
        assert_sent_to_login(client)


# --- logout and deactivation end every session -------------------------------------------------


def test_logout_ends_every_session_of_the_user_including_copied_cookies(app, client, leader):
    sign_in_with_password(client)
    laptop = app.test_client()
    sign_in_with_password(laptop)  # the same person on another device
    copy = app.test_client()
    copy.set_cookie("maalpil_session", client.get_cookie("maalpil_session").value)  # a stolen cookie
    for c in (client, laptop, copy):
        assert c.get(PAGE).status_code == 200

    response = client.post("/logout")
    assert response.status_code == 303

    for c in (client, laptop, copy):
        assert_sent_to_login(c)
    # An htmx request with the copied cookie is asked to sign in again; nothing is swapped.
    asked_to_sign_in_again(copy.get(PAGE, headers=htmx_headers()))
    # Signing in again works, and only the new session does.
    sign_in_with_password(client)
    assert client.get(PAGE).status_code == 200
    assert_sent_to_login(copy)


def test_logout_is_post_only(client, leader):
    sign_in_with_password(client)
    assert client.get("/logout").status_code == 405
    assert client.get(PAGE).status_code == 200


def test_deactivating_a_user_ends_their_sessions_at_once(client, leader):
    sign_in_with_password(client)
    assert client.get(PAGE).status_code == 200
    db.session.get(User, leader.id).active = False
    db.session.commit()
    assert_sent_to_login(client)
    response = client.post("/login", data={"email": "leder@example.dk", "password": PASSWORD})
    assert response.status_code == 401


def test_deactivating_through_the_admin_pages_rotates_the_session_token(app, client, make, login_as, leader):
    endpoint = [r for r in app.url_map.iter_rules() if r.endpoint == "admin.deactivate_user"]
    if not endpoint:
        pytest.fail("admin.deactivate_user is gone; point this test at the route that deactivates users")
    victim = app.test_client()
    sign_in_with_password(victim)
    token = leader.session_token
    login_as(make.user(Role.ADMIN))
    response = client.post(f"/admin/brugere/{leader.id}/deaktiver")
    assert response.status_code in (200, 204, 303)
    db.session.expire_all()
    refreshed = db.session.get(User, leader.id)
    assert refreshed.active is False and refreshed.session_token != token
    assert_sent_to_login(victim)


# --- idle timeout and absolute lifetime -------------------------------------------------------------


def _age_session(client, app, idle_seconds: float = 0, age_seconds: float = 0):
    now = datetime.now(UTC).timestamp()
    with client.session_transaction() as session:
        session["seen_at"] = now - idle_seconds
        session["started_at"] = now - age_seconds


LIMITS = {
    "idle": lambda app: {"idle_seconds": app.config["SESSION_IDLE_TIMEOUT"].total_seconds() + 5},
    "absolute": lambda app: {"age_seconds": app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds() + 5},
}


@pytest.mark.parametrize("limit", list(LIMITS))
def test_an_expired_session_is_sent_to_login_and_stays_ended(app, client, leader, limit):
    sign_in_with_password(client)
    _age_session(client, app, **LIMITS[limit](app))
    response = assert_sent_to_login(client, f"{PAGE}?q=trivsel")
    assert "next=" in response.headers["Location"]
    with client.session_transaction() as session:
        assert "_user_id" not in session
    # Going back to within limits does not revive it.
    now = datetime.now(UTC).timestamp()
    with client.session_transaction() as session:
        session.update({"seen_at": now, "started_at": now})
    assert_sent_to_login(client)


@pytest.mark.parametrize("limit", list(LIMITS))
def test_an_expired_session_during_an_htmx_request_keeps_the_page_and_asks_to_sign_in(app, client, leader, limit):
    sign_in_with_password(client)
    _age_session(client, app, **LIMITS[limit](app))
    response = client.get(f"{PAGE}?q=trivsel", headers=htmx_headers(**{"HX-Current-URL": "http://localhost/min-skole?tab=2"}))
    login = asked_to_sign_in_again(response)
    # Signing in (in a new tab) lands on the page that says: go back and save again.
    assert login == "/login?next=/session/igen"


@pytest.mark.parametrize("limit", list(LIMITS))
def test_an_expired_session_on_an_htmx_post_saves_nothing_and_asks_to_sign_in(app, client, make, leader, limit):
    sign_in_with_password(client)
    _age_session(client, app, **LIMITS[limit](app))
    response = client.post("/sprog", data={"locale": "en"}, headers=htmx_headers())
    asked_to_sign_in_again(response)
    db.session.expire_all()
    assert db.session.get(User, leader.id).locale == "da"


def test_a_session_within_its_limits_keeps_working_and_is_kept_alive(app, client, leader):
    sign_in_with_password(client)
    idle = app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    _age_session(client, app, idle_seconds=idle - 120, age_seconds=idle - 120)
    assert client.get(PAGE).status_code == 200
    with client.session_transaction() as session:
        assert session["seen_at"] == pytest.approx(datetime.now(UTC).timestamp(), abs=5)


def test_an_unauthenticated_htmx_request_gets_401_and_the_sign_in_offer(client):
    response = client.get(PAGE, headers=htmx_headers(**{"HX-Current-URL": "https://evil.example/x"}))
    # A foreign HX-Current-URL is never used as the way back.
    assert "evil" not in asked_to_sign_in_again(response)


def test_static_files_are_not_redirected_by_an_expired_session(app, client, leader):
    sign_in_with_password(client)
    _age_session(client, app, idle_seconds=app.config["SESSION_IDLE_TIMEOUT"].total_seconds() + 5)
    assert client.get("/static/css/app.css").status_code == 200
    assert_sent_to_login(client)


# --- next= stays on this site --------------------------------------------------------------------

EVIL_NEXT = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/min-skole",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "///evil.example",
    " //evil.example",
]


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_login_refuses_to_redirect_off_site(client, leader, target):
    response = client.post("/login", data={"email": "leder@example.dk", "password": PASSWORD, "next": target})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location


@pytest.mark.parametrize("target", EVIL_NEXT)
def test_the_language_switch_refuses_to_redirect_off_site(client, leader, login_as, target):
    login_as(leader)
    response = client.post("/sprog", data={"locale": "en", "next": target})
    assert response.status_code == 303
    assert "evil" not in response.headers["Location"]


def test_a_local_next_is_followed(client, leader):
    response = client.post("/login", data={"email": "leder@example.dk", "password": PASSWORD,
                                           "next": "/learning-pipeline?q=trivsel"})
    assert response.headers["Location"] == "/learning-pipeline?q=trivsel"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
