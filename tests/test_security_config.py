"""Production refuses to start unsafely; behind a proxy the client's address and https count."""

import pytest

from config import DEFAULT_SECRET_KEY
from strategy.extensions import db
from tests.conftest import PASSWORD, _reset_database
from tests.world import isolated_app

GOOD_KEY = "a-long-random-production-secret-key-0123456789"


@pytest.mark.parametrize("key", [DEFAULT_SECRET_KEY, "", None])
def test_production_refuses_the_default_or_an_empty_secret_key(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        isolated_app("production", SECRET_KEY=key, SQLALCHEMY_DATABASE_URI="sqlite://")


def test_production_refuses_debug_mode():
    with pytest.raises(RuntimeError, match="Debug"):
        isolated_app("production", SECRET_KEY=GOOD_KEY, DEBUG=True, SQLALCHEMY_DATABASE_URI="sqlite://")


def test_production_with_a_real_key_starts_with_secure_cookies():
    app = isolated_app("production", SECRET_KEY=GOOD_KEY, SQLALCHEMY_DATABASE_URI="sqlite://")
    assert not app.debug and not app.testing
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config.get("WTF_CSRF_ENABLED", True) is True


def test_the_default_key_is_not_used_by_the_tests_either():
    app = isolated_app("test")
    assert app.config["SECRET_KEY"] != DEFAULT_SECRET_KEY


def _leader() -> None:
    from strategy.models import Role
    from tests.conftest import Factory

    Factory().user(Role.DIRECTORATE, email="leder@example.dk", name="Leder")
    db.session.remove()


def test_behind_a_trusted_proxy_https_and_the_client_address_are_honoured():
    from strategy.models import LoginAttempt

    app = isolated_app("test", TRUSTED_PROXY_COUNT=1)
    with app.app_context():
        _reset_database()
        _leader()
        client = app.test_client()
        headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
        response = client.post("/login", data={"email": "leder@example.dk", "password": "wrong-password"},
                               headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.1"})
        assert response.status_code == 401
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        assert db.session.scalar(db.select(LoginAttempt.ip_address)) == "203.0.113.9"
        assert client.post("/login", data={"email": "leder@example.dk", "password": PASSWORD},
                           headers=headers).status_code == 303
        db.session.remove()


def test_without_a_trusted_proxy_forwarded_headers_are_ignored():
    from strategy.models import LoginAttempt

    app = isolated_app("test")
    with app.app_context():
        _reset_database()
        _leader()
        response = app.test_client().post(
            "/login", data={"email": "leder@example.dk", "password": "wrong-password"},
            headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
            environ_base={"REMOTE_ADDR": "10.0.0.1"})
        assert "Strict-Transport-Security" not in response.headers
        assert db.session.scalar(db.select(LoginAttempt.ip_address)) == "10.0.0.1"
        db.session.remove()
