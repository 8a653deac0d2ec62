"""Invitations, "Glemt adgangskode" and Min konto: real e-mail to a real SMTP server, links followed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import AccountToken, AuditEvent, OutgoingEmail, ResetRequest, Role, User, UserSession
from strategy.passwords import verify_password
from tests.conftest import PASSWORD
from tests.helpers import reload, text_of
from tests.world import database_fingerprint

NEW = "en lang sætning om skolen"


def link_in(smtp, address: str, kind: str) -> str:
    """The path of the last link of that kind in the last e-mail to ``address``."""
    message = smtp.to(address)[-1]
    text = smtp.text(message)
    url = re.findall(rf"http://\S+/{kind}/\S+", text)[-1]
    assert url in smtp.html(message), "the HTML part carries the same link"
    return "/" + url.split("/", 3)[3]


def actions(user) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == user.id)
                                   .order_by(AuditEvent.id)))


@pytest.fixture
def admin(make, login_as, client):
    return make.user(Role.ADMIN, name="Alma Admin")


# --- invitations ---------------------------------------------------------------------------------


def test_an_invited_person_sets_a_password_and_is_signed_in(app, client, make, login_as, smtp, admin):
    login_as(admin)
    school = make.school("Aaby Skole")
    client.post("/admin/brugere/ny", data={"email": "bo@example.dk", "name": "Bo", "role": "leader",
                                           "school_id": str(school.id), "send_invitation": "y"})
    client.post("/logout")
    bo = db.session.scalar(sa.select(User).where(User.email == "bo@example.dk"))
    message = smtp.to("bo@example.dk")[-1]
    assert message["Subject"] == "Din invitation til Målpil"
    path = link_in(smtp, "bo@example.dk", "invitation")

    page = client.get(path)
    assert page.status_code == 200 and "Velkommen til Målpil" in text_of(page)
    response = client.post(path, data={"new_password": NEW, "repeat": NEW})

    assert response.status_code == 303
    bo = reload(bo)
    assert verify_password(bo.password_hash, NEW)
    assert client.get("/min-konto/").status_code == 200, "signed in at once"
    assert "invitation_used" in actions(bo)
    token = db.session.scalar(sa.select(AccountToken).where(AccountToken.user_id == bo.id))
    assert token.used_at is not None and path.rsplit("/", 1)[1] not in token.token_hash

    # Used once: the same link now says so and offers a new one; nothing changes.
    client.post("/logout")
    before = database_fingerprint()
    reused = client.post(path, data={"new_password": "noget helt andet igen", "repeat": "noget helt andet igen"})
    assert reused.status_code == 410
    assert "Linket virker ikke" in text_of(reused) and "Send mig et nyt link" in text_of(reused)
    assert database_fingerprint() == before


def test_an_invitation_in_english_for_an_english_speaking_user(client, make, login_as, smtp, admin):
    login_as(admin)
    user = make.user(Role.READER, email="en@example.dk", locale="en", password_hash="")
    client.post(f"/admin/brugere/{user.id}/invitation")
    message = smtp.to("en@example.dk")[-1]
    assert message["Subject"] == "Your invitation to Målpil"


@pytest.mark.parametrize("problem", ["tampered", "expired"])
def test_a_tampered_or_expired_invitation_changes_nothing(client, make, login_as, smtp, admin, problem):
    login_as(admin)
    user = make.user(Role.READER, email="rikke@example.dk", password_hash="")
    client.post(f"/admin/brugere/{user.id}/invitation")
    client.post("/logout")
    path = link_in(smtp, "rikke@example.dk", "invitation")
    if problem == "tampered":
        path = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")
    else:
        token = db.session.scalar(sa.select(AccountToken))
        token.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    before = database_fingerprint()
    for response in (client.get(path), client.post(path, data={"new_password": NEW, "repeat": NEW})):
        assert response.status_code == 410
        assert "Linket virker ikke" in text_of(response)
    assert database_fingerprint() == before
    assert reload(user).password_hash == ""


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort", "mindst 8 tegn"),
        ("password1234", "for almindelig"),
        ("Sommerferie2026!", "for almindelig"),
        ("adgangskode123", "for almindelig"),
    ],
)
def test_a_weak_password_is_refused_at_the_field(client, make, login_as, smtp, admin, password, message):
    login_as(admin)
    user = make.user(Role.READER, email="rikke@example.dk", password_hash="")
    client.post(f"/admin/brugere/{user.id}/invitation")
    client.post("/logout")
    path = link_in(smtp, "rikke@example.dk", "invitation")
    response = client.post(path, data={"new_password": password, "repeat": password})
    assert response.status_code == 422
    assert message in text_of(response)
    assert 'id="new_password-error"' in response.get_data(as_text=True)
    assert reload(user).password_hash == ""
    assert client.get(path).status_code == 200, "the link still works"


def test_the_repeated_password_must_match(client, make, login_as, smtp, admin):
    login_as(admin)
    user = make.user(Role.READER, email="rikke@example.dk", password_hash="")
    client.post(f"/admin/brugere/{user.id}/invitation")
    client.post("/logout")
    response = client.post(link_in(smtp, "rikke@example.dk", "invitation"), data={"new_password": NEW, "repeat": NEW + "x"})
    assert response.status_code == 422 and "ikke ens" in text_of(response)


def test_the_production_minimum_and_the_common_list_ship_with_the_app(app):
    from strategy.passwords import common_passwords

    assert {"password", "kodeord", "sommer", "qwerty123"} <= common_passwords()
    assert len(common_passwords()) > 200


def test_create_user_on_the_command_line_sends_an_invitation(app, smtp):
    result = app.test_cli_runner().invoke(args=[
        "create-user", "--email", "ny@example.dk", "--name", "Ny", "--role", "directorate"])
    assert result.exit_code == 0, result.output
    assert "invitation" in result.output
    user = db.session.scalar(sa.select(User).where(User.email == "ny@example.dk"))
    assert user.password_hash == ""
    assert "/invitation/" in smtp.text(smtp.to("ny@example.dk")[-1])


def test_the_break_glass_administrator_is_made_with_a_password_on_the_command_line(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "--email", "noed@example.dk", "--name", "Nødadgang", "--role", "admin", "--set-password"],
        input=f"{NEW}\n{NEW}\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "noed@example.dk"))
    assert verify_password(user.password_hash, NEW)
    assert db.session.scalar(sa.select(sa.func.count(OutgoingEmail.id))) == 0


# --- Glemt adgangskode ---------------------------------------------------------------------------


def test_forgotten_password_link_sets_a_new_one_and_ends_every_other_session(app, client, make, smtp):
    leader = make.user(Role.LEADER, email="leder@example.dk")
    laptop = app.test_client()
    assert laptop.post("/login", data={"email": "leder@example.dk", "password": PASSWORD}).status_code == 303
    assert laptop.get("/min-konto/").status_code == 200

    response = client.post("/glemt-adgangskode", data={"email": " Leder@Example.dk "})
    assert response.status_code == 200
    assert "har vi sendt et link" in text_of(response)
    message = smtp.to("leder@example.dk")[-1]
    assert message["Subject"] == "Ny adgangskode til Målpil" and "60 minutter" in smtp.text(message)
    path = link_in(smtp, "leder@example.dk", "nulstil-adgangskode")

    assert client.post(path, data={"new_password": NEW, "repeat": NEW}).status_code == 303
    assert verify_password(reload(leader).password_hash, NEW)
    assert laptop.get("/min-konto/").status_code == 302, "the other session has ended"
    assert client.get("/min-konto/").status_code == 200
    assert actions(leader) == ["login", "password_reset_requested", "password_reset", "login"]


def test_the_answer_is_the_same_whether_or_not_the_address_exists(client, make, smtp):
    make.user(Role.LEADER, email="leder@example.dk")
    known = client.post("/glemt-adgangskode", data={"email": "leder@example.dk"})
    unknown = client.post("/glemt-adgangskode", data={"email": "ingen@example.dk"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda r, email: text_of(r).replace(email, "EMAIL")  # noqa: E731
    assert strip(known, "leder@example.dk") == strip(unknown, "ingen@example.dk")
    assert len(smtp.to("leder@example.dk")) == 1 and smtp.to("ingen@example.dk") == []


def test_an_account_of_the_identity_provider_gets_no_reset_link(client, make, smtp):
    make.user(Role.LEADER, email="sso@example.dk", oidc_subject="https://idp x", password_hash="")
    assert client.post("/glemt-adgangskode", data={"email": "sso@example.dk"}).status_code == 200
    assert smtp.to("sso@example.dk") == []


def test_reset_requests_are_throttled_per_address_and_per_ip(app, client, make, smtp):
    make.user(Role.LEADER, email="leder@example.dk")
    app.config.update(RESET_MAX_PER_ADDRESS=2, RESET_MAX_PER_IP=4)
    for _attempt in range(2):
        assert client.post("/glemt-adgangskode", data={"email": "leder@example.dk"}).status_code == 200
    throttled = client.post("/glemt-adgangskode", data={"email": "leder@example.dk"})
    assert throttled.status_code == 429 and "Vent en time" in text_of(throttled)
    assert len(smtp.to("leder@example.dk")) == 2
    # Other addresses from the same network address, until that is throttled too.
    assert client.post("/glemt-adgangskode", data={"email": "a@example.dk"}).status_code == 200
    assert client.post("/glemt-adgangskode", data={"email": "b@example.dk"}).status_code == 200
    assert client.post("/glemt-adgangskode", data={"email": "c@example.dk"}).status_code == 429
    assert db.session.scalar(sa.select(sa.func.count(ResetRequest.id))) == 4


def test_a_reset_link_expires_after_an_hour(client, make, smtp):
    leader = make.user(Role.LEADER, email="leder@example.dk")
    client.post("/glemt-adgangskode", data={"email": "leder@example.dk"})
    token = db.session.scalar(sa.select(AccountToken))
    assert timedelta(minutes=59) < token.expires_at - token.created_at <= timedelta(hours=1)
    token.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    path = link_in(smtp, "leder@example.dk", "nulstil-adgangskode")
    response = client.post(path, data={"new_password": NEW, "repeat": NEW})
    assert response.status_code == 410 and "Send mig et nyt link" in text_of(response)
    assert verify_password(reload(leader).password_hash, PASSWORD)


# --- Min konto -----------------------------------------------------------------------------------


def sign_in_password(client, email="leder@example.dk", password=PASSWORD):
    response = client.post("/login", data={"email": email, "password": password},
                           headers={"User-Agent": "Testbrowser/1.0"})
    assert response.status_code == 303
    return client


def test_a_signed_in_user_changes_the_password_and_other_sessions_end(app, client, make):
    leader = make.user(Role.LEADER, email="leder@example.dk")
    sign_in_password(client)
    other = sign_in_password(app.test_client())

    wrong = client.post("/min-konto/adgangskode", data={"current_password": "forkert", "new_password": NEW, "repeat": NEW})
    assert wrong.status_code == 422 and "nuværende adgangskode er forkert" in text_of(wrong)
    response = client.post("/min-konto/adgangskode", data={"current_password": PASSWORD, "new_password": NEW, "repeat": NEW})

    assert response.status_code == 303
    assert verify_password(reload(leader).password_hash, NEW)
    assert client.get("/min-konto/").status_code == 200, "this session goes on"
    assert other.get("/min-konto/").status_code == 302, "the other one has ended"
    assert "password_change" in actions(leader)


def test_my_sessions_are_listed_and_ended_one_by_one_or_everywhere(app, client, make):
    leader = make.user(Role.LEADER, email="leder@example.dk")
    sign_in_password(client)
    tablet, phone = sign_in_password(app.test_client()), sign_in_password(app.test_client())
    page = client.get("/min-konto/")
    assert text_of(page).count("Testbrowser/1.0") == 3 and "Denne browser" in text_of(page)

    tablet_session = db.session.scalars(sa.select(UserSession).order_by(UserSession.id)).all()[1]
    assert client.post(f"/min-konto/sessioner/{tablet_session.id}/log-ud").status_code == 303
    assert tablet.get("/min-konto/").status_code == 302
    assert phone.get("/min-konto/").status_code == 200

    response = client.post("/min-konto/sessioner/log-ud-alle")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert phone.get("/min-konto/").status_code == 302
    assert client.get("/min-konto/").status_code == 302
    assert "sessions_ended" in actions(leader)


def test_another_persons_session_cannot_be_ended(app, client, make):
    make.user(Role.LEADER, email="leder@example.dk")
    make.user(Role.READER, email="laeser@example.dk")
    other = sign_in_password(app.test_client(), "laeser@example.dk")
    sign_in_password(client)
    theirs = db.session.scalar(sa.select(UserSession).join(User).where(User.email == "laeser@example.dk"))
    assert client.post(f"/min-konto/sessioner/{theirs.id}/log-ud").status_code == 404
    assert other.get("/min-konto/").status_code == 200


def test_an_account_of_the_identity_provider_has_no_password_to_change(client, make, login_as):
    user = login_as(make.user(Role.LEADER, oidc_subject="https://idp y", password_hash=""))
    assert "kommunens login" in text_of(client.get("/min-konto/"))
    assert client.post("/min-konto/adgangskode", data={"current_password": "x", "new_password": NEW,
                                                       "repeat": NEW}).status_code == 403
    assert reload(user).password_hash == ""


def test_password_sign_in_is_audited_with_how(client, make):
    leader = make.user(Role.LEADER, email="leder@example.dk")
    sign_in_password(client)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "login"))
    assert (event.object_id, event.actor_id, event.changes) == (leader.id, leader.id, {"method": "password"})
