"""Signing in: one generic message, lock-out per e-mail, throttling per network address, every
attempt logged without the password, Argon2id hashes and a minimum password length."""

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from strategy.auth.accounts import create_user
from strategy.extensions import db
from strategy.models import LoginAttempt, Role, User
from tests.conftest import PASSWORD
from tests.helpers import text_of

GENERIC = "Forkert e-mailadresse eller adgangskode."
THROTTLED = "For mange mislykkede forsøg"


@pytest.fixture
def leader(make):
    return make.user(Role.LEADER, email="leder@example.dk")


def attempt(client, email, password, ip="10.0.0.1"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


@pytest.mark.parametrize("email, password", [
    ("leder@example.dk", "wrong-password-123"),
    ("nobody@example.dk", "wrong-password-123"),
    ("nobody@example.dk", PASSWORD),
    ("deaktiveret@example.dk", PASSWORD),
], ids=["wrong password", "unknown e-mail", "unknown e-mail, a real password", "deactivated"])
def test_every_refusal_says_the_same_generic_thing(client, make, leader, email, password):
    make.user(Role.READER, email="deaktiveret@example.dk", active=False)
    response = attempt(client, email, password)
    assert response.status_code == 401
    page = text_of(response)
    assert GENERIC in page
    assert "findes ikke" not in page and "deaktiveret" not in page.lower().replace("deaktiveret@", "")


def test_the_same_page_whatever_was_wrong(client, leader):
    wrong_password = text_of(attempt(client, "leder@example.dk", "wrong-password-123"))
    unknown = text_of(attempt(client, "nobody@example.dk", "wrong-password-123", ip="10.0.0.2"))
    assert wrong_password.replace("leder@example.dk", "X") == unknown.replace("nobody@example.dk", "X")


def test_an_account_locks_after_max_failures_and_opens_again_after_the_lockout(app, client, make, leader):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for n in range(limit):
        assert attempt(client, "leder@example.dk", f"wrong-{n}", ip=f"10.0.1.{n}").status_code == 401
    # Even the right password is refused now, from any address.
    response = attempt(client, "leder@example.dk", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    assert THROTTLED in text_of(response)
    # Other people can still sign in, from the same address too.
    make.user(Role.READER, email="kollega@example.dk")
    assert attempt(client, "kollega@example.dk", PASSWORD, ip="10.0.1.0").status_code == 303
    client.post("/logout")
    # After the lock-out period the right password works again.
    lockout = app.config["LOGIN_LOCKOUT"]
    for row in db.session.scalars(sa.select(LoginAttempt)):
        row.at -= lockout + timedelta(seconds=5)
    db.session.commit()
    assert attempt(client, "leder@example.dk", PASSWORD, ip="10.9.9.9").status_code == 303


def test_an_unknown_address_locks_the_same_way_so_lockout_reveals_nothing(app, client):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for n in range(limit):
        attempt(client, "nobody@example.dk", f"wrong-{n}", ip=f"10.0.2.{n}")
    assert attempt(client, "nobody@example.dk", "wrong", ip="10.0.2.99").status_code == 429


def test_a_success_resets_the_count_for_that_account(app, client, leader):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for n in range(limit - 1):
        attempt(client, "leder@example.dk", f"wrong-{n}", ip=f"10.0.3.{n}")
    assert attempt(client, "leder@example.dk", PASSWORD, ip="10.0.3.50").status_code == 303
    client.post("/logout")
    for n in range(limit - 1):
        assert attempt(client, "leder@example.dk", f"wrong-{n}", ip=f"10.0.4.{n}").status_code == 401
    assert attempt(client, "leder@example.dk", PASSWORD, ip="10.0.4.50").status_code == 303


def test_one_address_trying_many_accounts_is_throttled(app, client, make, leader, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_IP_MAX_FAILURES", 4)
    attacker = "192.0.2.66"
    for n in range(4):
        assert attempt(client, f"guess{n}@example.dk", "password123", ip=attacker).status_code == 401
    response = attempt(client, "leder@example.dk", PASSWORD, ip=attacker)
    assert response.status_code == 429 and THROTTLED in text_of(response)
    # The same account from another address is fine: the address is throttled, not the person.
    assert attempt(client, "leder@example.dk", PASSWORD, ip="198.51.100.7").status_code == 303


def test_signing_in_with_an_own_account_does_not_reset_an_address_throttle(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_IP_MAX_FAILURES", 4)
    make.user(Role.READER, email="attacker@example.dk")
    attacker = "192.0.2.67"
    for n in range(3):
        attempt(client, f"victim{n}@example.dk", "password123", ip=attacker)
    assert attempt(client, "attacker@example.dk", PASSWORD, ip=attacker).status_code == 303
    client.post("/logout")
    attempt(client, "victim9@example.dk", "password123", ip=attacker)
    assert attempt(client, "victim10@example.dk", "password123", ip=attacker).status_code == 429


def test_every_attempt_is_logged_without_the_password(client, leader, caplog, monkeypatch):
    # Alembic's fileConfig (tests that run migrations) disables existing loggers in this process.
    monkeypatch.setattr(logging.getLogger("maalpil.auth"), "disabled", False)
    caplog.set_level(logging.INFO, logger="maalpil")
    secret_wrong, ip = "Hemmeligt-Forkert-42", "10.0.5.5"
    attempt(client, "LEDER@example.dk", secret_wrong, ip=ip)
    attempt(client, "leder@example.dk", PASSWORD, ip=ip)
    rows = db.session.scalars(sa.select(LoginAttempt).order_by(LoginAttempt.id)).all()
    assert [(r.email, r.ip_address, r.success) for r in rows] == [
        ("leder@example.dk", ip, False), ("leder@example.dk", ip, True)]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "leder@example.dk" in logged and ip in logged
    assert "refused" in logged and "ok" in logged
    for secret in (secret_wrong, PASSWORD):
        assert secret not in logged
        assert secret not in caplog.text
    # ... and not anywhere in the database either.
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            assert not any(isinstance(v, str) and (secret_wrong in v or PASSWORD in v) for v in row), table.name


def test_passwords_are_hashed_with_argon2id_and_have_a_minimum_length(app):
    minimum = app.config["PASSWORD_MIN_LENGTH"]
    with app.test_request_context():
        user = create_user("ny@example.dk", "Ny Bruger", Role.DIRECTORATE, "x" * minimum)
        db.session.commit()
        assert user.password_hash.startswith("$argon2id$")
        assert "x" * minimum not in user.password_hash
        with pytest.raises(ValueError, match=str(minimum)):
            create_user("kort@example.dk", "Kort", Role.DIRECTORATE, "x" * (minimum - 1))


def test_the_production_minimum_is_at_least_twelve_characters():
    from config import ProductionConfig

    assert ProductionConfig.PASSWORD_MIN_LENGTH >= 12


def test_create_user_command_refuses_a_short_password(app):
    minimum = app.config["PASSWORD_MIN_LENGTH"]
    result = app.test_cli_runner().invoke(args=[
        "create-user", "--email", "kort@example.dk", "--name", "Kort", "--role", "directorate",
        "--password", "x" * (minimum - 1)])
    assert result.exit_code != 0 and str(minimum) in result.output
    assert db.session.scalar(sa.select(User).where(User.email == "kort@example.dk")) is None


def test_an_old_hash_is_upgraded_at_the_next_sign_in(client, leader):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    db.session.get(User, leader.id).password_hash = weak
    db.session.commit()
    assert attempt(client, "leder@example.dk", PASSWORD).status_code == 303
    db.session.expire_all()
    upgraded = db.session.get(User, leader.id).password_hash
    assert upgraded != weak and upgraded.startswith("$argon2id$")
