"""Many people saving the same initiative at the same moment, through the app, on PostgreSQL:
every accepted save is in the history, every other one gets 409, nothing gets a 5xx."""

from __future__ import annotations

import os
import threading
from collections import Counter

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import AuditEvent, Initiative
from tests.helpers import htmx_headers, sign_in
from tests.world import build_world, own_app

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")),
    reason="real concurrency needs PostgreSQL (DATABASE_URL=postgresql+psycopg://...); SQLite serialises writers",
)

THREADS = 8
ROUNDS = 5
ENDPOINT = "schools.update_initiative"


@pytest.fixture
def app():
    with own_app() as app:
        yield app


def test_simultaneous_saves_of_one_initiative(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint == ENDPOINT]
    assert rules, f"{ENDPOINT} is gone: point this test at the route that saves an initiative"
    world = build_world()
    initiative_id = world["initiative"].id
    leader = world.user("leader")
    leader_id, leader_session = leader.id, leader.get_id()
    url = f"/tiltag/{initiative_id}"
    start_version = world["initiative"].version
    db.session.remove()

    results: list[tuple[int, str, int]] = []  # (status, title, version sent)
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def current_version() -> int:
        with app.app_context():
            version = db.session.scalar(sa.select(Initiative.version).where(Initiative.id == initiative_id))
            db.session.remove()
            return version

    def person(n: int) -> None:
        client = app.test_client()  # one browser each
        sign_in(client, leader_session)
        try:
            for attempt in range(ROUNDS):
                barrier.wait(timeout=60)
                version = current_version()  # everyone starts this round from the same version
                barrier.wait(timeout=60)
                title = f"Tiltag gemt af {n} i runde {attempt}"
                headers = htmx_headers() if n % 2 else {}
                response = client.post(url, data={"version": str(version), "title": title}, headers=headers)
                with lock:
                    results.append((response.status_code, title, version))
        except BaseException as error:  # reported below, with the barrier broken
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=person, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert len(results) == THREADS * ROUNDS

    statuses = Counter(status for status, _title, _version in results)
    assert not [s for s in statuses if s >= 500], statuses
    accepted = [title for status, title, _v in results if status in (200, 204, 303)]
    assert set(statuses) <= {200, 204, 303, 409}, statuses
    # All of a round start from one version: exactly one save per round wins, the rest are told.
    assert len(accepted) == ROUNDS, statuses
    assert statuses[409] == THREADS * ROUNDS - ROUNDS

    db.session.expire_all()
    initiative = db.session.get(Initiative, initiative_id)
    assert initiative.version == start_version + ROUNDS
    assert initiative.title in accepted
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == "Initiative", AuditEvent.object_id == initiative_id,
               AuditEvent.action == "update")
        .order_by(AuditEvent.id)
    ).all()
    saved_titles = [e.changes["title"][1] for e in events if "title" in e.changes]
    assert sorted(saved_titles) == sorted(accepted)  # every accepted save is in the history, once
    assert all(e.actor_id == leader_id for e in events)
