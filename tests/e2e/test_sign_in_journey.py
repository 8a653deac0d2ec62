"""Journey 5 in Chromium: single sign-on through a real OpenID provider (npm oidc-provider), an
invitation and a forgotten password through a real SMTP server (aiosmtpd), links followed.

The app is served with its own demo database, configured for the provider and the mail server.
Requests from the browser to anywhere but 127.0.0.1 are refused (the provider's pages ask for a
web font), so nothing leaves the machine.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD
from tests.e2e.server import demo_server
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, OpenIDProvider, unavailable_reason
from tests.smtp import free_port, smtp_server

_reason = unavailable_reason()
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")
NEW_PASSWORD = "tre gule cykler ved skolen"
ELSEWHERE = re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """(base_url, provider, inbox): Målpil with single sign-on and e-mail, the provider, the inbox."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    provider = OpenIDProvider(f"{base}/login/sso/callback", f"{base}/login")
    provider.start()
    with smtp_server() as (inbox, smtp_port):
        env = {
            "OIDC_DISCOVERY_URL": provider.discovery_url, "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_PROVIDER_NAME": "Testkommunens login",
            "OIDC_ROLE_MAP": "Maalpil.Skolechef=directorate,Maalpil.Admin=admin",
            "OIDC_ACCESS_CONTACT": "skoleforvaltningen", "PUBLIC_BASE_URL": base,
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port),
        }
        try:
            with demo_server(tmp_path_factory.mktemp("e2e-sign-in"), port=port, env=env) as base_url:
                yield base_url, provider, inbox
        finally:
            provider.stop()


@pytest.fixture
def new_page(browser, world, viewport):
    base_url = world[0]
    contexts, problems = [], []

    def make():
        context = browser.new_context(base_url=base_url, viewport=viewport, locale="da-DK")
        context.set_default_timeout(10_000)
        context.route(ELSEWHERE, lambda route: route.abort())
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.on("console", lambda m: problems.append(f"{page.url}: {m.text}")
                if m.type == "error" and "Content Security Policy" in m.text else None)
        return page

    yield make
    for context in contexts:
        context.close()
    assert problems == [], problems


def provider_login(page, account_id: str):
    page.get_by_role("link", name="Log ind med Testkommunens login").click()
    page.locator('input[name="login"]').fill(account_id)
    page.locator('input[name="password"]').fill("any")
    page.get_by_role("button", name="Sign-in").click()


def link_from(inbox, address: str, kind: str) -> str:
    text = inbox.text(inbox.to(address)[-1])
    return re.findall(rf"http://\S+/{kind}/\S+", text)[-1]


def test_single_sign_on_and_logout_at_both_ends(world, new_page):
    _base, provider, _inbox = world
    provider.accounts({"dorte": {"email": "dorte@kommune.dk", "name": "Dorte Direktør", "roles": ["Maalpil.Skolechef"]}})
    page = new_page()
    page.goto("/login")
    provider_login(page, "dorte")
    expect(page.locator(".portal-user")).to_contain_text("Dorte Direktør")

    page.locator(".portal-user").get_by_role("button", name="Log ud").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("Du er logget ud.")).to_be_visible()

    # Signed out at the provider too: it asks for the login again.
    page.get_by_role("link", name="Log ind med Testkommunens login").click()
    expect(page.locator('input[name="login"]')).to_be_visible()


def test_no_known_role_gets_the_danish_page_and_local_sign_in_still_works(world, new_page):
    _base, provider, _inbox = world
    provider.accounts({"per": {"email": "per@kommune.dk", "name": "Per", "roles": ["Økonomi"]}})
    page = new_page()
    page.goto("/login")
    provider_login(page, "per")
    expect(page.get_by_role("heading", name=re.compile("Du har ikke adgang til Målpil endnu – kontakt skoleforvaltningen"))).to_be_visible()
    page.get_by_role("link", name="Til log ind").click()
    page.get_by_label("E-mailadresse").fill("skolechef@demo.maalpil.dk")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind", exact=True).click()
    expect(page.locator(".portal-user")).to_be_visible()


def test_an_invitation_by_e_mail_sets_the_password_once(world, new_page):
    _base, _provider, inbox = world
    admin = new_page()
    admin.goto("/login")
    admin.get_by_label("E-mailadresse").fill("admin@demo.maalpil.dk")
    admin.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    admin.get_by_role("button", name="Log ind", exact=True).click()
    admin.goto("/admin/brugere/ny")
    expect(admin.locator('input[type="password"]')).to_have_count(0)
    admin.get_by_label("E-mailadresse").fill("ny.chef@kommune.dk")
    admin.get_by_label("Navn").fill("Nina Ny")
    admin.locator("#role").select_option("directorate")
    admin.get_by_role("button", name="Opret bruger").click()
    expect(admin.get_by_text("har fået en invitation")).to_be_visible()

    link = link_from(inbox, "ny.chef@kommune.dk", "invitation")
    nina = new_page()
    nina.goto(link)
    expect(nina.get_by_role("heading", name="Velkommen til Målpil")).to_be_visible()
    nina.get_by_label("Ny adgangskode").fill("password1234")
    nina.get_by_label("Gentag den nye adgangskode").fill("password1234")
    nina.get_by_role("button", name="Gem adgangskode").click()
    expect(nina.get_by_text("for almindelig").first).to_be_visible()
    nina.get_by_label("Ny adgangskode").fill(NEW_PASSWORD)
    nina.get_by_label("Gentag den nye adgangskode").fill(NEW_PASSWORD)
    nina.get_by_role("button", name="Gem adgangskode").click()
    expect(nina.locator(".portal-user")).to_contain_text("Nina Ny")

    again = new_page()
    again.goto(link)
    expect(again.get_by_role("heading", name="Linket virker ikke")).to_be_visible()
    expect(again.get_by_role("link", name="Send mig et nyt link")).to_be_visible()


def test_a_forgotten_password_is_reset_from_the_e_mail(world, new_page):
    _base, _provider, inbox = world
    page = new_page()
    page.goto("/login")
    page.get_by_role("link", name="Glemt adgangskode?").click()
    page.get_by_label("E-mailadresse").fill("laeser@demo.maalpil.dk")
    page.get_by_role("button", name="Send link").click()
    expect(page.get_by_text("har vi sendt et link")).to_be_visible()

    link = link_from(inbox, "laeser@demo.maalpil.dk", "nulstil-adgangskode")
    tampered = new_page()
    tampered.goto(link[:-4] + "abcd")
    expect(tampered.get_by_role("heading", name="Linket virker ikke")).to_be_visible()

    page.goto(link)
    page.get_by_label("Ny adgangskode").fill(NEW_PASSWORD)
    page.get_by_label("Gentag den nye adgangskode").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Gem adgangskode").click()
    expect(page.locator(".portal-user")).to_be_visible()

    # Min konto, from Min profil (the name in the header): the session is listed, and
    # "Log ud alle steder" ends it.
    page.locator(".portal-user .header-profile-link").click()
    page.get_by_role("link", name=re.compile("^Min konto")).click()
    expect(page.get_by_role("heading", name="Min konto")).to_be_visible()
    expect(page.get_by_text("Denne browser")).to_be_visible()
    page.get_by_role("button", name="Log ud alle steder").click()
    expect(page).to_have_url(re.compile(r"/login$"))


@pytest.mark.parametrize("mode", ["expired", "bad_signature"])
def test_a_bad_token_from_the_provider_gets_a_danish_page_with_local_sign_in(world, new_page, mode):
    _base, provider, _inbox = world
    provider.accounts({"eve": {"email": "eve@kommune.dk", "name": "Eve", "roles": ["Maalpil.Admin"]}})
    provider.mode(mode)
    try:
        page = new_page()
        page.goto("/login")
        provider_login(page, "eve")
        expect(page.get_by_text("Log ind med Testkommunens login virker ikke lige nu.")).to_be_visible()
        expect(page.get_by_label("Adgangskode")).to_be_visible()
        expect(page.locator(".portal-user")).to_have_count(0)
    finally:
        provider.mode("")
