"""Two instances running `flask send-reminders` at the same moment against PostgreSQL: every
notification and every e-mail exists exactly once, and each person receives one digest."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.followup import service as followup
from strategy.models import MailState, Notification, OutgoingEmail, Role, Visibility
from tests.smtp import smtp_server
from tests.test_notifications import new_agreement, note_input
from tests.world import own_app

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")),
    reason="two processes at once need PostgreSQL (DATABASE_URL=postgresql+psycopg://...); SQLite serialises writers",
)

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 40


@pytest.fixture
def app():
    with own_app() as app:
        yield app


def test_two_simultaneous_runs_send_each_email_exactly_once(app, make):
    schools = [make.school(f"Skole {n}") for n in range(4)]
    consultant = make.user(Role.CONSULTANT, assigned=schools, email="karen@kommune.dk")
    leaders = [make.user(Role.LEADER, school=schools[n % 4], email=f"leder{n}@skole.dk") for n in range(PEOPLE)]
    for school in schools:
        followup.create_note(consultant, school, note_input(Visibility.SHARED, [
            new_agreement(leader, due=date(2026, 12, 3)) for leader in leaders if leader.school_id == school.id]))
    db.session.commit()
    db.session.remove()

    with smtp_server() as (inbox, port):
        env = {**os.environ, "FLASK_APP": "wsgi.py", "MAALPIL_CONFIG": "development", "MAIL_SERVER": "127.0.0.1",
               "MAIL_PORT": str(port), "DATABASE_URL": os.environ["DATABASE_URL"]}
        command = [sys.executable, "-m", "flask", "send-reminders", "--now", "2026-12-07T07:05+01:00"]
        runs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 text=True) for _ in range(2)]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        received = Counter(m["To"] for m in inbox.messages)

    expected = {f"leder{n}@skole.dk" for n in range(PEOPLE)}
    assert expected <= set(received)
    assert all(count == 1 for count in received.values()), received.most_common(3)
    rows = db.session.execute(sa.select(OutgoingEmail.to_address, OutgoingEmail.state)).all()
    assert Counter(address for address, _state in rows) == received  # one row per e-mail, each sent once
    assert {state for _address, state in rows} == {MailState.SENT}
    keys = db.session.scalars(sa.select(Notification.dedupe_key).where(Notification.dedupe_key.is_not(None))).all()
    assert len(keys) == len(set(keys)) and any(k.startswith("agreement_overdue:") for k in keys)
    assert sum("digests queued: 0" in out for out in outputs) >= 1, outputs  # the second found it all done
