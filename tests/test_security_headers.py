"""Security headers on every kind of response, and templates the CSP can live with."""

import re
from pathlib import Path

import pytest

from tests.helpers import htmx_headers, sign_in
from tests.world import isolated_app, kept_world

ROOT = Path(__file__).resolve().parent.parent


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        assert name not in directives, f"{name} given twice"
        directives[name] = values
    return directives


def assert_security_headers(response, signed_in: bool, https: bool = False, static: bool = False) -> None:
    csp = csp_directives(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "*" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    if https:
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    else:
        assert "Strict-Transport-Security" not in response.headers
    if signed_in and not static:
        assert response.headers["Cache-Control"] == "no-store"
    if static:
        assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.fixture(scope="module")
def keeper():
    with kept_world() as keeper:
        yield keeper


@pytest.fixture
def client(keeper):
    keeper.fresh()
    return keeper.app.test_client()


@pytest.fixture
def signed_in(keeper, client):
    leader = keeper.fresh().user("leader")
    sign_in(client, leader)
    return leader


# kind of response -> (method, path, headers, expected status)
RESPONSES = {
    "page": ("GET", "/learning-pipeline", {}, 200),
    "fragment": ("GET", "/learning-pipeline?q=x", htmx_headers(), 200),
    "redirect": ("GET", "/", {}, 302),
    "not found": ("GET", "/findes-ikke", {}, 404),
    "not found fragment": ("GET", "/findes-ikke", htmx_headers(), 404),
    "wrong method": ("GET", "/logout", {}, 405),
    "health check": ("GET", "/healthz", {}, 200),
}


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
@pytest.mark.parametrize("kind", list(RESPONSES))
def test_every_signed_in_response_carries_the_headers(client, signed_in, kind, https):
    method, path, headers, status = RESPONSES[kind]
    base = "https://localhost" if https else "http://localhost"
    response = client.open(path, method=method, headers=headers, base_url=base)
    assert response.status_code == status
    assert_security_headers(response, signed_in=True, https=https)


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
@pytest.mark.parametrize("path, status", [("/login", 200), ("/min-skole", 302), ("/findes-ikke", 404)])
def test_anonymous_responses_carry_the_headers(client, path, status, https):
    base = "https://localhost" if https else "http://localhost"
    response = client.get(path, base_url=base)
    assert response.status_code == status
    assert_security_headers(response, signed_in=False, https=https)


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
def test_static_files_carry_the_headers_and_may_be_cached(client, signed_in, https):
    base = "https://localhost" if https else "http://localhost"
    response = client.get("/static/css/app.css", base_url=base)
    assert response.status_code == 200
    assert_security_headers(response, signed_in=True, https=https, static=True)


def test_a_server_error_page_carries_the_headers():
    app = isolated_app("test", PROPAGATE_EXCEPTIONS=False)

    @app.get("/test-boom")
    def boom():
        raise RuntimeError("boom")

    with app.app_context():  # no database needed: an anonymous request that fails at once
        response = app.test_client().get("/test-boom", base_url="https://localhost")
    assert response.status_code == 500
    assert "Intet er gemt" in response.get_data(as_text=True)
    assert_security_headers(response, signed_in=False, https=True)


def test_pages_that_answer_both_ways_vary_on_htmx(client, signed_in):
    response = client.get("/learning-pipeline")
    assert "HX-Request" in response.headers["Vary"]


# --- what the CSP forbids must not be in the templates ------------------------------------------

TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline style attribute": re.compile(r"\sstyle\s*=", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "hx-on (needs eval)": re.compile(r"\shx-on[:\-]", re.I),
    "js: expression (needs eval)": re.compile(r"""(hx-vals|hx-headers|hx-confirm|hx-action)\s*=\s*['"]\s*js:""", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*['\"]", re.I),
    "javascript: URL": re.compile(r"""(href|src|action)\s*=\s*['"]\s*javascript:""", re.I),
    "|safe": re.compile(r"\|\s*safe\b"),
    "autoescape off": re.compile(r"autoescape\s+false"),
    "CDN": re.compile(r"""(src|href)\s*=\s*['"](https?:)?//""", re.I),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=[str(t.relative_to(ROOT / "templates")) for t in TEMPLATES])
def test_templates_contain_nothing_the_csp_blocks_or_that_bypasses_escaping(template):
    source = template.read_text(encoding="utf-8")
    source = re.sub(r"{#.*?#}", "", source, flags=re.S)  # comments may mention them
    found = [name for name, pattern in FORBIDDEN.items() if pattern.search(source)]
    assert not found, f"{template.name}: {', '.join(found)}"


def test_static_javascript_uses_no_eval():
    for script in (ROOT / "static" / "js").rglob("*.js"):
        source = script.read_text(encoding="utf-8")
        assert not re.search(r"\beval\s*\(|new\s+Function\s*\(|setTimeout\s*\(\s*['\"]", source), script.name


def test_an_error_during_an_htmx_request_is_a_fragment_not_a_page(client, signed_in):
    response = client.get("/findes-ikke", headers=htmx_headers())
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Siden findes ikke" in html
    page = client.get("/findes-ikke").get_data(as_text=True)
    assert "<html" in page and "<title>Siden findes ikke" in page


def test_htmx_keeps_no_copy_of_pages_in_the_browser():
    """Back and forward reload the page from the server (which checks the session) instead of
    restoring a stored copy of it: a shared computer keeps no personal data in web storage."""
    import json

    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    config = json.loads(re.search(r"""name="htmx-config" content='([^']*)'""", base).group(1))
    assert config["history"] == "reload"
    htmx = (ROOT / "static" / "vendor" / "htmx" / "htmx.min.js").read_text(encoding="utf-8")
    assert "localStorage" not in htmx and "sessionStorage" not in htmx
