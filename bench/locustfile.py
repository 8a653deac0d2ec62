"""The main journeys under load (run by `make loadtest`, see bench/loadtest.py).

- a school leader opens "Min skole" and sets the status of one of the school's initiatives;
- a consultant opens "Mine skoler" and writes a sparring note at an assigned school;
- the directorate opens "Overblik" and exports it to Excel.

Every request is appended to the JSON-lines file in LOADTEST_LOG (start, end, status, and for
a write the unique token it saved), so that bench/loadtest.py can tell requests during the
database restart from the others and check that every accepted write is in the database.
The accounts come from the JSON file in LOADTEST_ACCOUNTS ({"leader": [...], ...}).

With several app instances and no proxy in front, LOADTEST_HOSTS lists them ("http://... http://...")
and each user sends every request to the next one in turn: a session started on one instance is
used on all of them, as behind a load balancer without sticky sessions.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time
import uuid
from datetime import date

from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(open(os.environ["LOADTEST_ACCOUNTS"], encoding="utf-8").read())
PASSWORD = ACCOUNTS["password"]
_LOG = open(os.environ.get("LOADTEST_LOG", os.devnull), "a", buffering=1, encoding="utf-8")
_LOG_LOCK = threading.Lock()
_NEXT = {role: itertools.cycle(emails) for role, emails in ACCOUNTS.items() if role != "password"}
HOSTS = os.environ.get("LOADTEST_HOSTS", "").split()

CSRF_META = re.compile(r'data-csrf-token="([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}
STATUSES = ["in_progress", "on_track", "challenged", "completed", "not_started"]


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, context=None,
            exception=None, start_time=None, **_kwargs):
    status = getattr(response, "status_code", 0) or 0
    entry = {
        "start": start_time,
        "end": (start_time or time.time()) + (response_time or 0) / 1000,
        "method": request_type,
        "name": name,
        "status": status,
        "error": None if exception is None else type(exception).__name__,
    }
    if context and context.get("token"):
        entry["token"] = context["token"]
        entry["kind"] = context["kind"]
    with _LOG_LOCK:
        _LOG.write(json.dumps(entry) + "\n")


class Journey(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self):
        self.csrf = ""
        # Behind nginx: https with the run's own certificate.
        self.client.verify = os.environ.get("LOADTEST_CA_BUNDLE") or True
        # A browser's same-origin Referer, which Flask-WTF asks of every https form.
        self.client.headers["Referer"] = f"{self.host}/"
        self._hosts = itertools.islice(itertools.cycle(HOSTS), random.randrange(len(HOSTS) or 1), None)
        email = next(_NEXT[self.role])
        page = self.client.get(self.url("/login"), name="login page")
        token = CSRF_FIELD.search(page.text or "")
        self.client.post(
            self.url("/login"),
            data={"email": email, "password": PASSWORD, "csrf_token": token.group(1) if token else ""},
            name="login", allow_redirects=False,
        )

    def url(self, path: str) -> str:
        """The path on the next instance of LOADTEST_HOSTS, or on the one --host."""
        return next(self._hosts) + path if HOSTS else path

    def remember_token(self, response) -> None:
        match = CSRF_META.search(response.text or "")
        if match:
            self.csrf = match.group(1)


class Leader(Journey):
    weight = 2
    role = "leader"
    initiatives: list[str]

    def on_start(self):
        super().on_start()
        self.initiatives = []

    @task(3)
    def open_my_school(self):
        response = self.client.get(self.url("/min-skole"), name="Min skole")
        self.remember_token(response)
        self.initiatives = sorted(set(re.findall(r'/tiltag/(\d+)(?=["#?])', response.text or ""))) or self.initiatives

    @task(2)
    def update_a_status(self):
        if not self.initiatives or not self.csrf:
            return self.open_my_school()
        initiative = random.choice(self.initiatives)
        self.client.get(self.url(f"/tiltag/{initiative}/status?rediger=1"), headers=HTMX, name="status form")
        token = f"lt-{uuid.uuid4().hex}"
        prefix = f"status{initiative}"
        self.client.post(
            self.url(f"/tiltag/{initiative}/status"),
            data={f"{prefix}-status": random.choice(STATUSES), f"{prefix}-comment": token},
            headers={**HTMX, "X-CSRFToken": self.csrf},
            name="set status", context={"token": token, "kind": "status"},
        )


class Consultant(Journey):
    weight = 2
    role = "consultant"
    schools: list[str]

    def on_start(self):
        super().on_start()
        self.schools = []

    @task(3)
    def open_my_schools(self):
        response = self.client.get(self.url("/mine-skoler"), name="Mine skoler")
        self.remember_token(response)
        self.schools = sorted(set(re.findall(r'/skoler/(\d+)/notater/ny', response.text or ""))) or self.schools

    @task(2)
    def write_a_note(self):
        if not self.schools:
            return self.open_my_schools()
        school = random.choice(self.schools)
        form = self.client.get(self.url(f"/skoler/{school}/notater/ny"), name="note form")
        self.remember_token(form)
        token = f"lt-{uuid.uuid4().hex}"
        self.client.post(
            self.url(f"/skoler/{school}/notater/ny"),
            data={
                "school_id": school, "held_on": date.today().isoformat(), "visibility": "shared",
                "stances": "supportive", "participants": "Belastningstest",
                "observation": token, "csrf_token": self.csrf, "version": "",
            },
            name="write note", allow_redirects=False, context={"token": token, "kind": "note"},
        )


class Directorate(Journey):
    weight = 1
    role = "directorate"

    @task(3)
    def open_overview(self):
        self.remember_token(self.client.get(self.url("/overblik"), name="Overblik"))

    @task(1)
    def export(self):
        self.client.get(self.url("/overblik/eksport.xlsx"), name="export xlsx")
