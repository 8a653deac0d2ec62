"""Single sign-on through a real OpenID provider (npm oidc-provider on 127.0.0.1), with the test client.

The provider issues real tokens; for the refusals it alters the ID token it issued after the
fact (another audience, expired, signed by a stranger's key) or answers nonsense, and for key
rotation it restarts with a new JWKS. See tests/oidc/provider.mjs.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import AuditEvent, Role, SignInMethod, User, UserSession
from tests.helpers import reload, text_of
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, OpenIDProvider, unavailable_reason
from tests.smtp import free_port

PUBLIC = "http://127.0.0.1:5000"
ROLE_MAP = "Maalpil.Admin=admin,Maalpil.Skolechef=directorate,Maalpil.Konsulent=consultant,Maalpil.Leder=leader,Maalpil.Laeser=reader"

_reason = unavailable_reason()
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")


@pytest.fixture(scope="module")
def provider():
    provider = OpenIDProvider(f"{PUBLIC}/login/sso/callback", f"{PUBLIC}/login")
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture
def sso(app, provider):
    """The app configured for the provider; every test starts with honest tokens."""
    app.config.update(
        OIDC_DISCOVERY_URL=provider.discovery_url, OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_PROVIDER_NAME="Testkommunens login", OIDC_ROLE_MAP=ROLE_MAP, OIDC_SCHOOL_CLAIM="institutionsnummer",
        OIDC_SCHOOL_MAP="280001=Aaby Skole", OIDC_ALLOWED_EMAIL_DOMAINS="kommune.dk",
        OIDC_ACCESS_CONTACT="skoleforvaltningen på 1234 5678", PUBLIC_BASE_URL=PUBLIC,
    )
    provider.mode("")
    provider.accounts({})
    return provider


def claims(email, name, roles=(), **extra):
    return {"email": email, "email_verified": True, "name": name, "roles": list(roles), **extra}


def sign_in(client, provider, account_id, browser=None):
    """Click "Log ind med ...", sign in at the provider, come back: Målpil's answer."""
    start = client.get("/login/sso")
    assert start.status_code == 302, start.get_data(as_text=True)[:500]
    callback = provider.sign_in(start.headers["Location"], account_id, browser)
    assert callback.startswith(f"{PUBLIC}/login/sso/callback?")
    return client.get(callback.removeprefix(PUBLIC)), callback


def by_email(email):
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


# --- success -------------------------------------------------------------------------------------


def test_the_login_page_offers_the_provider_first_and_keeps_local_sign_in(client, sso):
    html = client.get("/login").get_data(as_text=True)
    assert "Log ind med Testkommunens login" in html
    assert html.index("Log ind med Testkommunens login") < html.index('name="password"')
    assert "Glemt adgangskode?" in html


def test_without_a_provider_there_is_no_button(client):
    assert "Log ind med" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/sso").status_code == 404


def test_first_sign_in_with_a_mapped_role_creates_the_account(client, sso, make):
    school = make.school("Aaby Skole")
    sso.accounts({"anne": claims("Anne.Holm@kommune.dk", "Anne Holm", ["Maalpil.Leder"], institutionsnummer="280001")})

    response, _callback = sign_in(client, sso, "anne")

    assert response.status_code == 303 and response.headers["Location"] == "/"
    anne = by_email("anne.holm@kommune.dk")
    assert (anne.name, anne.role, anne.school_id, anne.password_hash) == ("Anne Holm", Role.LEADER, school.id, "")
    assert anne.oidc_subject == f"{sso.issuer} anne"
    assert client.get("/").status_code in (200, 302)
    assert "Anne Holm" in text_of(client.get("/min-konto/"))
    [record] = db.session.scalars(sa.select(UserSession).where(UserSession.user_id == anne.id))
    assert record.method == SignInMethod.OIDC and record.id_token
    login = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "login"))
    assert login.changes == {"method": "oidc"} and login.actor_id == anne.id


def test_a_role_is_mapped_and_the_strongest_wins(client, sso):
    sso.accounts({"dorte": claims("dorte@kommune.dk", "Dorte Iversen", ["Andet", "Maalpil.Konsulent", "Maalpil.Skolechef"])})
    response, _ = sign_in(client, sso, "dorte")
    assert response.status_code == 303
    assert by_email("dorte@kommune.dk").role == Role.DIRECTORATE
    assert client.get("/admin/brugere").status_code == 200  # the directorate reads the users


def test_an_existing_account_is_linked_by_e_mail_and_updated(client, sso, make):
    kim = make.user(Role.READER, email="kim@kommune.dk", name="Kim")
    sso.accounts({"k-17": claims("kim@kommune.dk", "Kim Konsulent", ["Maalpil.Konsulent"])})
    response, _ = sign_in(client, sso, "k-17")
    assert response.status_code == 303
    kim = reload(kim)
    assert (kim.name, kim.role, kim.school_id, kim.password_hash) == ("Kim Konsulent", Role.CONSULTANT, None, "")
    assert kim.oidc_subject == f"{sso.issuer} k-17"


# --- changes at the provider --------------------------------------------------------------------


def test_a_changed_role_is_taken_at_the_next_sign_in_and_a_removed_one_ends_access(app, client, sso, make):
    sso.accounts({"bo": claims("bo@kommune.dk", "Bo", ["Maalpil.Admin"])})
    sign_in(client, sso, "bo")
    assert by_email("bo@kommune.dk").role == Role.ADMIN
    client.post("/logout")

    sso.accounts({"bo": claims("bo@kommune.dk", "Bo Berg", ["Maalpil.Skolechef"])})
    response, _ = sign_in(client, sso, "bo")
    assert response.status_code == 303
    bo = by_email("bo@kommune.dk")
    assert (bo.role, bo.name) == (Role.DIRECTORATE, "Bo Berg")
    assert client.get("/admin/brugere/ny").status_code == 403, "no longer an administrator"

    other_browser = app.test_client()
    sso.accounts({"bo": claims("bo@kommune.dk", "Bo Berg", [])})  # every Målpil role removed
    response, _ = sign_in(other_browser, sso, "bo")
    assert response.status_code == 403
    assert "Du har ikke adgang til Målpil endnu – kontakt skoleforvaltningen på 1234 5678" in text_of(response)
    assert client.get("/min-konto/").status_code == 302, "the first browser's session ended too"
    refused = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "login_refused"))
    assert refused.changes == {"method": "oidc", "why": "no_role"}


def test_no_known_role_gets_the_danish_page_and_no_account(client, sso):
    sso.accounts({"per": claims("per@kommune.dk", "Per", ["Økonomi.Bruger"])})
    response, _ = sign_in(client, sso, "per")
    assert response.status_code == 403
    assert "Du har ikke adgang til Målpil endnu" in text_of(response)
    assert by_email("per@kommune.dk") is None
    assert client.get("/min-konto/").status_code == 302


def test_a_leader_without_a_known_school_gets_no_account(client, sso):
    sso.accounts({"lis": claims("lis@kommune.dk", "Lis", ["Maalpil.Leder"], institutionsnummer="999999")})
    response, _ = sign_in(client, sso, "lis")
    assert response.status_code == 403
    assert "hvilken skole" in text_of(response)
    assert by_email("lis@kommune.dk") is None


def test_an_address_outside_the_allowed_domains_gets_no_account(client, sso):
    sso.accounts({"x": claims("x@gmail.com", "X", ["Maalpil.Admin"])})
    response, _ = sign_in(client, sso, "x")
    assert response.status_code == 403
    assert by_email("x@gmail.com") is None


def test_a_deactivated_user_cannot_sign_in_through_the_provider(client, sso, make):
    make.user(Role.READER, email="gone@kommune.dk", active=False)
    sso.accounts({"gone": claims("gone@kommune.dk", "Gone", ["Maalpil.Laeser"])})
    response, _ = sign_in(client, sso, "gone")
    assert response.status_code == 403
    assert "deaktiveret" in text_of(response)
    assert client.get("/min-konto/").status_code == 302


def test_the_break_glass_administrator_is_never_taken_over(client, sso, make):
    admin = make.user(Role.ADMIN, email="nød@kommune.dk")
    sso.accounts({"n": claims("nød@kommune.dk", "Nød", ["Maalpil.Laeser"])})
    response, _ = sign_in(client, sso, "n")
    assert response.status_code == 403
    admin = reload(admin)
    assert admin.oidc_subject is None and admin.password_hash and admin.role == Role.ADMIN


# --- tokens that must be refused -----------------------------------------------------------------


@pytest.mark.parametrize("mode", ["wrong_audience", "expired", "bad_signature", "garbage"])
def test_a_bad_id_token_signs_nobody_in(client, sso, mode, caplog):
    sso.accounts({"eve": claims("eve@kommune.dk", "Eve", ["Maalpil.Admin"])})
    sso.mode(mode)
    with caplog.at_level(logging.WARNING, logger="maalpil.auth"):
        response, _ = sign_in(client, sso, "eve")
    assert response.status_code == 502
    page = text_of(response)
    assert "Log ind med Testkommunens login virker ikke lige nu" in page
    assert 'name="password"' in response.get_data(as_text=True), "local sign-in still offered"
    assert by_email("eve@kommune.dk") is None
    assert client.get("/min-konto/").status_code == 302
    assert any("single sign-on failed at callback" in r.getMessage() for r in caplog.records)


def test_a_replayed_state_is_refused(client, sso):
    sso.accounts({"anne": claims("anne@kommune.dk", "Anne", ["Maalpil.Skolechef"])})
    response, callback = sign_in(client, sso, "anne")
    assert response.status_code == 303
    client.post("/logout")
    replay = client.get(callback.removeprefix(PUBLIC))
    assert replay.status_code == 502
    assert client.get("/min-konto/").status_code == 302


def test_a_callback_with_a_state_from_another_browser_is_refused(app, client, sso):
    sso.accounts({"anne": claims("anne@kommune.dk", "Anne", ["Maalpil.Skolechef"])})
    start = client.get("/login/sso")
    callback = sso.sign_in(start.headers["Location"], "anne")
    attacker = app.test_client()
    assert attacker.get(callback.removeprefix(PUBLIC)).status_code == 502
    assert by_email("anne@kommune.dk") is None


def test_the_request_carries_pkce_state_and_nonce(client, sso):
    start = client.get("/login/sso")
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0]
    assert query["redirect_uri"] == [f"{PUBLIC}/login/sso/callback"]


def test_rotated_keys_are_fetched_again(client, sso):
    sso.accounts({"anne": claims("anne@kommune.dk", "Anne", ["Maalpil.Skolechef"])})
    assert sign_in(client, sso, "anne")[0].status_code == 303  # the JWKS is now cached
    client.post("/logout")
    sso.rotate_keys()
    sso.accounts({"anne": claims("anne@kommune.dk", "Anne", ["Maalpil.Skolechef"])})
    assert sign_in(client, sso, "anne")[0].status_code == 303


# --- the provider down or answering nonsense ------------------------------------------------------


@pytest.mark.parametrize("where", ["down", "garbage"])
def test_a_provider_that_is_down_or_answers_garbage_gets_a_danish_page(app, client, sso, where, caplog):
    url = f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration" if where == "down" \
        else f"{sso.issuer}/__test/garbage"
    app.config.update(OIDC_DISCOVERY_URL=url)
    with caplog.at_level(logging.WARNING, logger="maalpil.auth"):
        response = client.get("/login/sso")
    assert response.status_code == 502
    assert "Log ind med Testkommunens login virker ikke lige nu" in text_of(response)
    assert 'name="password"' in response.get_data(as_text=True)
    assert any("single sign-on failed at start" in r.getMessage() for r in caplog.records)


def test_a_cancelled_sign_in_comes_back_to_the_choice(client, sso):
    client.get("/login/sso")
    response = client.get("/login/sso/callback?error=access_denied&error_description=End-User+aborted")
    assert response.status_code == 401
    assert "Du blev ikke logget ind med Testkommunens login" in text_of(response)


# --- logout at both ends -------------------------------------------------------------------------


def test_logout_ends_the_session_here_and_at_the_provider(client, sso):
    sso.accounts({"anne": claims("anne@kommune.dk", "Anne", ["Maalpil.Skolechef"])})
    browser = requests.Session()
    sign_in(client, sso, "anne", browser)

    response = client.post("/logout")

    assert response.status_code == 303
    logout_url = response.headers["Location"]
    assert logout_url.startswith(f"{sso.issuer}/session/end?")
    query = parse_qs(urlsplit(logout_url).query)
    assert query["post_logout_redirect_uri"] == [f"{PUBLIC}/login"] and query["id_token_hint"][0]
    assert client.get("/min-konto/").status_code == 302, "Målpil's session has ended"
    assert sso.end_session(logout_url, browser) == f"{PUBLIC}/login"
    # The provider's session is gone too: the next sign-in asks for the login again.
    start = client.get("/login/sso")
    page = browser.get(start.headers["Location"], timeout=10)
    assert 'name="login"' in page.text


def test_the_content_security_policy_lets_forms_go_to_the_provider(client, sso):
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert f"form-action 'self' {sso.issuer}" in policy


def test_an_unverified_e_mail_address_links_to_nothing(client, sso, make):
    kim = make.user(Role.ADMIN, email="kim@kommune.dk", password_hash="")
    sso.accounts({"mallory": {**claims("kim@kommune.dk", "Mallory", ["Maalpil.Laeser"]), "email_verified": False}})
    response, _ = sign_in(client, sso, "mallory")
    assert response.status_code == 403
    assert reload(kim).oidc_subject is None


def test_a_provider_that_hangs_is_given_up_on_after_the_timeout(app, client, sso):
    import socket
    import time

    with socket.socket() as silent:  # accepts the connection, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        app.config.update(OIDC_DISCOVERY_URL=f"http://127.0.0.1:{silent.getsockname()[1]}/.well-known/openid-configuration",
                          OIDC_TIMEOUT_SECONDS=1)
        started = time.monotonic()
        response = client.get("/login/sso")
        waited = time.monotonic() - started
    assert response.status_code == 502
    assert waited < 8, f"waited {waited:.1f}s for a provider that never answers"
