"""Two app instances (two gunicorn processes on two ports) over one PostgreSQL database, as in
production behind a reverse proxy: nothing may depend on which instance answers.

A browser's session started on one works on the other, a logout on one ends it on the other,
failed sign-ins on both count together, the Overblik of one (its cache on, as in production)
never shows what the other has changed, and two people saving one form through different
instances get a 409 for the second. That `flask send-reminders` run by two processes at once sends
each e-mail once is tests/test_notifications_pg.py's.

The servers are started once for the module, in the production configuration (plain http on
127.0.0.1, as bench/loadtest.py serves it), over data committed for real.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import Initiative, Status, User
from strategy.schools import service
from tests.conftest import PASSWORD, _reset_database
from tests.world import build_world, isolated_app

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")),
    reason="two app instances share one database only on PostgreSQL (DATABASE_URL=postgresql+psycopg://...)",
)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CSRF_META = re.compile(r'data-csrf-token="([^"]+)"')
VERSION_FIELD = re.compile(r'name="version" type="hidden" value="(\d+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen


@pytest.fixture(scope="module")
def world():
    """The small municipality of tests/world.py, committed; emptied again after the module."""
    app = isolated_app("test")
    with app.app_context():
        _reset_database()
        w = build_world()
        w["goal_b"].political_goals = [w["political_goal"]]  # school B in the Overblik's matrix too
        db.session.commit()
        ids = {
            "initiative": w["initiative"].id,
            "initiative2": w["initiative2"].id,
            "initiative_b": w["initiative_b"].id,
            "school": w["school"].id,
            "school_name": w["school"].name,
            **{role: user.email for role, user in w.users.items() if user is not None},
        }
        db.session.remove()
    yield app, ids
    with app.app_context():
        _reset_database()  # nothing committed here is left for the rolled-back tests after it
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def servers(world, tmp_path_factory):
    """Instances A and B: one gunicorn worker each, so A and B are two processes, nothing more."""
    logs = tmp_path_factory.mktemp("instances")
    env = {
        **os.environ,
        "MAALPIL_CONFIG": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),  # one key for both, as every instance is given
        "SESSION_COOKIE_SECURE": "0",  # plain http on 127.0.0.1
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    started = []
    for name in ("A", "B"):
        port = _free_port()
        log = open(logs / f"{name}.log", "w", encoding="utf-8")
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
             "--graceful-timeout", "2", "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        started.append(Server(name, f"http://127.0.0.1:{port}", process))
    try:
        deadline = time.time() + 60
        for server in started:
            while True:
                try:
                    if requests.get(f"{server.url}/healthz", timeout=10).status_code == 200:
                        break
                except requests.RequestException:  # not listening yet, or the worker still starting
                    pass
                if server.process.poll() is not None or time.time() > deadline:
                    pytest.fail(f"instance {server.name} did not start: {(logs / f'{server.name}.log').read_text()}")
                time.sleep(0.2)
        yield started
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.process.kill()
    tracebacks = {s.name: (logs / f"{s.name}.log").read_text(encoding="utf-8") for s in started}
    assert not [name for name, text in tracebacks.items() if "Traceback" in text], tracebacks


class Browser:
    """One person's browser; each request goes to the instance named, as a proxy might send it."""

    def __init__(self):
        self.http = requests.Session()
        self.csrf = ""

    def get(self, server: Server, path: str, **kwargs) -> requests.Response:
        response = self.http.get(server.url + path, allow_redirects=False, timeout=20, **kwargs)
        match = CSRF_META.search(response.text)
        self.csrf = match.group(1) if match else self.csrf
        return response

    def post(self, server: Server, path: str, data: dict, **kwargs) -> requests.Response:
        return self.http.post(server.url + path, data={"csrf_token": self.csrf, **data}, allow_redirects=False,
                              timeout=20, **kwargs)

    def sign_in(self, server: Server, email: str, password: str = PASSWORD) -> requests.Response:
        page = self.http.get(server.url + "/login", timeout=20)
        token = CSRF_FIELD.search(page.text).group(1)
        return self.http.post(server.url + "/login", data={"email": email, "password": password, "csrf_token": token},
                              allow_redirects=False, timeout=20)

    def copy(self) -> Browser:
        """The same cookies in another browser (a copied session cookie)."""
        other = Browser()
        other.http.cookies.update(self.http.cookies)
        other.csrf = self.csrf
        return other


def test_a_session_started_on_one_instance_works_on_the_other(servers, world):
    a, b = servers
    _app, ids = world
    browser = Browser()
    assert browser.sign_in(a, ids["leader"]).status_code == 303
    page = browser.get(b, f"/skoler/{ids['school']}")
    assert page.status_code == 200, page.headers.get("Location")
    assert ids["school_name"] in page.text
    # A form of B's page is accepted by A: the CSRF token belongs to the session, not the process.
    response = browser.post(a, f"/tiltag/{ids['initiative2']}/status",
                            {f"status{ids['initiative2']}-status": "in_progress",
                             f"status{ids['initiative2']}-comment": "Gemt via A med B's formular"})
    assert response.status_code == 303, response.status_code


def test_logout_on_one_instance_ends_the_session_on_the_other(servers, world):
    a, b = servers
    _app, ids = world
    browser = Browser()
    assert browser.sign_in(b, ids["consultant"]).status_code == 303
    assert browser.get(b, "/mine-skoler").status_code == 200
    copied = browser.copy()  # the cookie as it was before the logout (another tab, a stolen copy)
    assert copied.get(a, "/mine-skoler").status_code == 200
    assert browser.post(a, "/logout", {}).status_code == 303
    for server in (a, b):
        response = copied.get(server, "/mine-skoler")
        assert response.status_code in (302, 303) and "/login" in response.headers["Location"], server.name


def test_failed_sign_ins_on_both_instances_count_together(servers, world):
    a, b = servers
    app, ids = world
    limit = app.config["LOGIN_MAX_FAILURES"]
    email = ids["reader"]
    browser = Browser()
    for attempt in range(limit):  # alternately: neither instance alone sees the limit reached
        assert browser.sign_in((a, b)[attempt % 2], email, "wrong password").status_code == 401, attempt
    for server in (a, b):  # locked on both, even with the right password
        assert browser.sign_in(server, email).status_code == 429, server.name


def _overview_cell_statuses(page: str) -> list[str]:
    table = page.split('class="matrix overview-matrix"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"(Ikke startet|I gang|På rette spor|Udfordret|Gennemført|Stoppet)", table)


def _overview_row(page: str, school: str) -> str:
    """The matrix row of one school, as text."""
    table = page.split('class="matrix overview-matrix"', 1)[1].split("</table>", 1)[0]
    row = next(tr for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S) if f">{school}<" in tr)
    return re.sub(r"<[^>]+>", " ", row)


def test_the_overview_cache_of_one_instance_never_hides_a_change_made_on_the_other(servers, world):
    a, b = servers
    _app, ids = world
    directorate, leader = Browser(), Browser()
    assert directorate.sign_in(b, ids["directorate"]).status_code == 303
    assert leader.sign_in(a, ids["leader"]).status_code == 303
    before = [directorate.get(b, "/overblik") for _ in range(2)]  # the second one from B's cache
    assert before[0].status_code == 200 and before[0].text.split("<main")[1] == before[1].text.split("<main")[1]
    assert "Udfordret" not in _overview_cell_statuses(before[1].text)

    leader.get(a, f"/skoler/{ids['school']}")
    initiative = ids["initiative"]
    response = leader.post(a, f"/tiltag/{initiative}/status",
                           {f"status{initiative}-status": "challenged", f"status{initiative}-comment": "Via A"})
    assert response.status_code == 303

    assert "Udfordret" in _overview_cell_statuses(directorate.get(b, "/overblik").text)


def test_the_overview_cache_never_hides_a_change_committed_after_a_later_one(servers, world):
    """Commits do not come in the order their transactions began: a change that took its audit id
    and its activity stamp first but commits last must still reach the cache of every instance."""
    a, b = servers
    app, ids = world
    directorate, leader = Browser(), Browser()
    assert directorate.sign_in(b, ids["directorate"]).status_code == 303
    assert leader.sign_in(a, ids["leader"]).status_code == 303
    leader.get(a, f"/skoler/{ids['school']}")
    with app.app_context():
        # School B's leader saves a status; the transaction is slow to commit (it stays open here).
        initiative_b = db.session.get(Initiative, ids["initiative_b"])
        actor = db.session.scalar(sa.select(User).where(User.email == ids["leader_other"]))
        service.set_status(initiative_b, Status.CHALLENGED, "Gemt sidst", actor)
        db.session.flush()
        # Meanwhile school A's leader saves through A (another school: no row in common)...
        initiative = ids["initiative"]
        response = leader.post(a, f"/tiltag/{initiative}/status",
                               {f"status{initiative}-status": "on_track", f"status{initiative}-comment": "Via A"})
        assert response.status_code == 303
        # ... and B's Overblik is built (and cached) from what is committed now.
        assert "Udfordret" not in _overview_row(directorate.get(b, "/overblik").text, "Skole B")
        db.session.commit()
        db.session.remove()
    assert "Udfordret" in _overview_row(directorate.get(b, "/overblik").text, "Skole B")


def test_an_edit_conflict_between_the_instances_is_a_409(servers, world):
    a, b = servers
    app, ids = world
    first, second = Browser(), Browser()
    assert first.sign_in(a, ids["leader"]).status_code == 303
    assert second.sign_in(b, ids["leader"]).status_code == 303  # the same leader in two tabs
    initiative = ids["initiative"]
    forms = [browser.get(server, f"/tiltag/{initiative}/rediger") for browser, server in ((first, a), (second, b))]
    versions = [VERSION_FIELD.search(form.text).group(1) for form in forms]
    assert versions[0] == versions[1]

    saved = first.post(a, f"/tiltag/{initiative}", {"version": versions[0], "title": "Gemt via A"})
    assert saved.status_code == 303
    refused = second.post(b, f"/tiltag/{initiative}", {"version": versions[1], "title": "Gemt via B"})
    assert refused.status_code == 409
    assert "Gemt via A" in refused.text  # B shows what A saved

    with app.app_context():
        assert db.session.scalar(sa.select(Initiative.title).where(Initiative.id == initiative)) == "Gemt via A"
        db.session.remove()
