"""A real OpenID provider on 127.0.0.1 for the tests: npm ``oidc-provider`` run with Node.js.

``scripts/oidc.sh`` installs it (pinned, with its package-lock) into .venv/oidc; ``make test``
runs it. Without node/npm the tests that need it are skipped with that reason.

``OpenIDProvider`` starts tests/oidc/provider.mjs on a free port, lets a test choose the
accounts and their claims (``accounts``), alter the ID token the provider issued (``mode``),
rotate the signing keys (``rotate_keys``: a restart with a new JWKS, same issuer), and sign in
through its login form with ``requests`` (``sign_in``) as a browser would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests
from joserfc.jwk import RSAKey

from tests.smtp import free_port

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
INSTALL = ROOT / ".venv" / "oidc"
CLIENT_ID = "maalpil"
CLIENT_SECRET = "maalpil-test-secret-0123456789"
TIMEOUT = 10


def unavailable_reason() -> str | None:
    """Why the provider cannot run here, or None."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node/npm not installed: the OpenID provider (npm oidc-provider) cannot run"
    if not (INSTALL / "node_modules" / "oidc-provider").is_dir():
        try:
            subprocess.run([str(ROOT / "scripts" / "oidc.sh")], check=True, capture_output=True, timeout=300)
        except (subprocess.SubprocessError, OSError) as error:
            return f"oidc-provider could not be installed with npm: {error}"
    return None


def new_jwks() -> dict:
    key = RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex[:12], "use": "sig", "alg": "RS256"})
    return {"keys": [key.as_dict(private=True)]}


class _Forms(HTMLParser):
    """The forms of a page: action, method and their named inputs' values."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "id": attrs.get("id"), "fields": {}})
        elif tag in ("input", "button") and attrs.get("name") and self.forms:
            self.forms[-1]["fields"].setdefault(attrs["name"], attrs.get("value", ""))


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class OpenIDProvider:
    def __init__(self, redirect_uri: str, post_logout_redirect_uri: str):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.discovery_url = f"{self.issuer}/.well-known/openid-configuration"
        self.clients = [{
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [redirect_uri],
            "post_logout_redirect_uris": [post_logout_redirect_uri],
        }]
        self.jwks = new_jwks()
        self._accounts: dict = {}
        self.process: subprocess.Popen | None = None
        self.log = ROOT / ".venv" / "oidc" / f"provider-{self.port}.log"

    # --- life cycle --------------------------------------------------------------------------

    def start(self) -> None:
        env = {
            **os.environ,
            "OIDC_PORT": str(self.port),
            "OIDC_CLIENTS": json.dumps(self.clients),
            "OIDC_JWKS": json.dumps(self.jwks),
            "OIDC_ACCOUNTS": json.dumps(self._accounts),
            "NODE_PATH": str(INSTALL / "node_modules"),
        }
        # Run from the install directory, so the script's imports resolve to its node_modules.
        script = INSTALL / SCRIPT.name
        shutil.copy(SCRIPT, script)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(["node", str(script)], cwd=INSTALL, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(self.discovery_url, timeout=1).raise_for_status()
                return
            except requests.RequestException:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oidc-provider did not start: {self.log.read_text()[-2000:]}")
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def rotate_keys(self) -> None:
        """A new signing key with a new kid; the old one is gone from the JWKS."""
        self.stop()
        self.jwks = new_jwks()
        self.start()

    # --- what the test chooses ---------------------------------------------------------------

    def accounts(self, accounts: dict[str, dict]) -> None:
        self._accounts = accounts
        requests.post(f"{self.issuer}/__test/accounts", json=accounts, timeout=TIMEOUT).raise_for_status()

    def mode(self, mode: str) -> None:
        requests.post(f"{self.issuer}/__test/mode", json={"mode": mode}, timeout=TIMEOUT).raise_for_status()

    # --- signing in as a browser would -------------------------------------------------------

    def sign_in(self, authorize_url: str, account_id: str, browser: requests.Session | None = None) -> str:
        """Follow the authorization request through the provider's login form; return the URL the
        provider sends the browser back to (Målpil's callback with code and state)."""
        browser = browser or requests.Session()
        response = browser.get(authorize_url, allow_redirects=False, timeout=TIMEOUT)
        for _step in range(10):
            if response.status_code in (302, 303):
                location = urljoin(response.url, response.headers["Location"])
                if not location.startswith(self.issuer):
                    return location
                response = browser.get(location, allow_redirects=False, timeout=TIMEOUT)
                continue
            (form,) = [f for f in forms_of(response.text) if "login" in f["fields"]]
            fields = {**form["fields"], "login": account_id, "password": "any"}
            response = browser.post(urljoin(response.url, form["action"]), data=fields,
                                    allow_redirects=False, timeout=TIMEOUT)
        raise AssertionError(f"the provider never sent the browser back: {response.status_code} {response.text[:500]}")

    def end_session(self, logout_url: str, browser: requests.Session) -> str:
        """Confirm the provider's "sign out?" page; return where it sends the browser back to."""
        response = browser.get(logout_url, allow_redirects=False, timeout=TIMEOUT)
        (form,) = forms_of(response.text)
        fields = {**form["fields"], "logout": "yes"}
        response = browser.post(urljoin(response.url, form["action"]), data=fields, allow_redirects=False,
                                timeout=TIMEOUT)
        while response.status_code in (302, 303):
            location = urljoin(response.url, response.headers["Location"])
            if not location.startswith(self.issuer):
                return location
            response = browser.get(location, allow_redirects=False, timeout=TIMEOUT)
        raise AssertionError(f"the provider did not send the browser back: {response.status_code}")
