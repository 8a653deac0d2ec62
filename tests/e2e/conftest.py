"""Browser tests: the app served on 127.0.0.1 over a fresh database, driven by Debian's Chromium.

Nothing downloads a browser: Playwright is pointed at /usr/bin/chromium. Without Chromium on the
machine these tests are skipped with that reason (`.ci/run` installs it, so CI runs them).
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect


from tests.e2e.server import demo_server

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
HAS_CHROMIUM = Path(CHROMIUM).exists()
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "Maalpil-demo-2026"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    marker = pytest.mark.skipif(not HAS_CHROMIUM, reason=f"Chromium not installed at {CHROMIUM}")
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(marker)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Migrate, seed and load the demo into a fresh database, then serve it with gunicorn."""
    with demo_server(tmp_path_factory.mktemp("e2e")) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Assertions wait as long as actions do: a busy CI machine is slow, not wrong.
expect.set_options(timeout=10_000)

# A test runs at desktop width unless it asks for more:
#   @pytest.mark.parametrize("viewport", ["desktop", "tablet"], indirect=True)
VIEWPORTS = {"desktop": (1280, 900), "tablet": (768, 1024)}


@pytest.fixture(params=["desktop"])
def viewport(request):
    width, height = VIEWPORTS[request.param]
    return {"width": width, "height": height}


@pytest.fixture
def open_page(browser, live_server, viewport):
    """Open a page in a browser context of its own (a second user, or the same user in a second tab).

    The app's real Content-Security-Policy is enforced: a CSP violation (an inline script, an
    hx-on attribute, an inline style) or an uncaught JavaScript error fails the test.
    """
    contexts = []
    problems: list[str] = []

    def new_page(locale: str = "da-DK"):
        context = browser.new_context(base_url=live_server, viewport=viewport, locale=locale, accept_downloads=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: problems.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None,
        )
        return page

    yield new_page
    for context in contexts:
        context.close()
    assert problems == [], f"JavaScript errors or CSP violations: {problems}"


@pytest.fixture
def page(open_page):
    return open_page()


def log_in(page, email: str, password: str = DEMO_PASSWORD):
    page.goto("/login")
    page.get_by_label("E-mailadresse").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("networkidle")
    return page


@pytest.fixture
def sign_in(page):
    """sign_in(email) signs the test's page in as a demo account and returns the page."""
    return lambda email: log_in(page, email)


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run the vendored axe-core in the page; return the serious and critical violations.

    evaluate() runs through the DevTools protocol, so the page's CSP (which rightly forbids an
    injected <script>) stays on.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]
