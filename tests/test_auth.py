"""Signing in and out."""

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import LoginAttempt, Role
from tests.conftest import PASSWORD
from tests.helpers import reload, text_of

WRONG = "Forkert e-mailadresse eller adgangskode."


@pytest.fixture
def leader(make):
    return make.user(Role.LEADER, email="leder@skole.dk")


def sign_in(client, email, password, **params):
    return client.post("/login", data={"email": email, "password": password, **params})


def test_login_with_right_password_lands_on_the_roles_start_page(client, leader):
    response = sign_in(client, "leder@skole.dk", PASSWORD)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/min-skole"
    assert client.get("/learning-pipeline").status_code == 200


def test_email_is_not_case_sensitive(client, leader):
    assert sign_in(client, "  Leder@Skole.DK ", PASSWORD).status_code == 303


@pytest.mark.parametrize(
    "email, password",
    [("leder@skole.dk", "wrong-password"), ("nobody@skole.dk", PASSWORD)],
    ids=["wrong password", "unknown e-mail"],
)
def test_wrong_credentials_get_one_message_that_does_not_say_which_part(client, leader, email, password):
    response = sign_in(client, email, password)
    assert response.status_code == 401
    assert WRONG in text_of(response)
    assert "adgangskode er forkert" not in text_of(response).lower()
    assert client.get("/learning-pipeline").headers["Location"].startswith("/login")  # still signed out


def test_empty_form_shows_messages_at_the_fields(client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert "Skriv din e-mailadresse." in text_of(response)
    assert "Skriv din adgangskode." in text_of(response)


def test_a_deactivated_user_cannot_sign_in(client, make):
    make.user(Role.CONSULTANT, email="gone@skole.dk", active=False)
    assert sign_in(client, "gone@skole.dk", PASSWORD).status_code == 401


def test_every_attempt_is_recorded_without_the_password(client, leader):
    sign_in(client, "leder@skole.dk", "wrong-password")
    sign_in(client, "leder@skole.dk", PASSWORD)
    attempts = db.session.scalars(sa.select(LoginAttempt).order_by(LoginAttempt.id)).all()
    assert [(a.email, a.success) for a in attempts] == [("leder@skole.dk", False), ("leder@skole.dk", True)]
    for column in LoginAttempt.__table__.columns:
        assert "password" not in column.name


def test_protected_page_redirects_to_login_and_back(client, leader):
    response = client.get("/learning-pipeline?q=trivsel")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    response = sign_in(client, "leder@skole.dk", PASSWORD, next="/learning-pipeline?q=trivsel")
    assert response.headers["Location"] == "/learning-pipeline?q=trivsel"


def test_next_must_stay_on_this_site(client, leader):
    response = sign_in(client, "leder@skole.dk", PASSWORD, next="//evil.example/x")
    assert response.headers["Location"] == "/"


def test_logout_signs_out_and_is_post_only(client, leader):
    sign_in(client, "leder@skole.dk", PASSWORD)
    assert client.get("/logout").status_code == 405
    response = client.post("/logout")
    assert response.status_code == 303
    assert client.get("/learning-pipeline").headers["Location"].startswith("/login")


def test_logout_ends_a_copied_session_too(app, client, leader):
    sign_in(client, "leder@skole.dk", PASSWORD)
    copy = app.test_client()
    cookie = client.get_cookie("maalpil_session")
    copy.set_cookie("maalpil_session", cookie.value)
    assert copy.get("/learning-pipeline").status_code == 200
    client.post("/logout")
    assert copy.get("/learning-pipeline").headers["Location"].startswith("/login")


def test_language_can_be_switched_per_user(client, leader, login_as):
    login_as(leader)
    client.post("/sprog", data={"locale": "en"})
    assert reload(leader).locale == "en"
    response = client.get("/learning-pipeline")
    assert '<html lang="en">' in response.get_data(as_text=True)


def test_after_logging_out_the_login_page_keeps_the_users_language(app, client, make):
    make.user(Role.LEADER, email="english@skole.dk", locale="en")
    sign_in(client, "english@skole.dk", PASSWORD)
    response = client.post("/logout", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page and "You have been logged out." in page
    # A browser that has never been signed in gets the default, Danish.
    assert '<html lang="da">' in app.test_client().get("/login").get_data(as_text=True)


def test_a_forged_language_cookie_is_ignored(client):
    client.set_cookie("maalpil_locale", "xx")
    assert '<html lang="da">' in client.get("/login").get_data(as_text=True)
