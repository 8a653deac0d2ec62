"""`python -m bench.reminders`: `flask send-reminders` for 100 schools and 1,000 users, timed.

Builds the synthetic municipality of bench/municipality.py (100 schools) in a fresh SQLite file
(or the PostgreSQL database in DATABASE_URL, whose name must contain "bench" or "test"), adds
people until there are 1,000 users (leaders and staff of the schools, consultants), and runs
the scheduled job at Monday 07:00 in Copenhagen, delivering to a real SMTP server on 127.0.0.1
(aiosmtpd in its own process). Then runs it again in the same hour: nothing new may be created or sent.

Prints the figures and one line ``BENCH-REMINDERS {json}``. The target: under a minute.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--users", type=int, default=1000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tmp) / 'reminders.sqlite'}"
        if url.startswith("postgres") and not any(w in url.rsplit("/", 1)[-1] for w in ("bench", "test")):
            raise SystemExit("DATABASE_URL's database name must contain 'bench' or 'test' (its tables are dropped)")
        run(url, args.schools, args.users)


def run(url: str, schools: int, users: int) -> None:
    from bench import municipality
    from strategy import create_app
    from strategy.extensions import db
    from strategy.models import Goal, Notification, NotificationKind, OutgoingEmail, Role, School, Strategy, User
    from strategy.notifications import reminders
    from tests.smtp import free_port

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        began = time.perf_counter()
        municipality.build(schools)
        school_ids = list(db.session.scalars(sa.select(School.id).order_by(School.id)))
        have = db.session.scalar(sa.select(sa.func.count()).select_from(User))
        hashed = db.session.scalar(sa.select(User.password_hash).limit(1))
        now = datetime.now(UTC)
        extra = []
        for n in range(users - have):
            role = Role.LEADER if n % 3 == 0 else Role.READER
            extra.append({"email": f"person{n}@bench.dk", "name": f"Person {n}", "role": role,
                          "school_id": school_ids[n % len(school_ids)], "password_hash": hashed,
                          "created_at": now, "updated_at": now, "session_token": f"p-{n}", "locale": "da" if n % 5 else "en",
                          "active": True, "title": "", "is_demo": False})
        db.session.execute(sa.insert(User), extra)
        db.session.commit()
        # Everyone has had something this week (comments on their school's goals), so nearly
        # everyone gets a digest: the heavy case.
        people = db.session.execute(sa.select(User.id, User.school_id).where(User.school_id.is_not(None))).all()
        goal_of = dict(db.session.execute(sa.select(Strategy.school_id, sa.func.max(Goal.id))
                                          .join(Goal, Goal.strategy_id == Strategy.id).group_by(Strategy.school_id)).all())
        db.session.execute(sa.insert(Notification), [
            {"recipient_id": uid, "kind": NotificationKind.COMMENT, "school_id": sid, "object_type": "goal",
             "object_id": goal_of[sid], "params": {"school": f"Skole {sid}", "title": "Mål"},
             "created_at": now - timedelta(days=k + 1), "read_at": None, "dedupe_key": None}
            for uid, sid in people for k in range(3)
        ])
        db.session.commit()
        total_users = db.session.scalar(sa.select(sa.func.count()).select_from(User))
        print(f"built {len(school_ids)} schools, {total_users} users in {time.perf_counter() - began:.1f} s", flush=True)

        # The coming Monday at 07:00 in Copenhagen.
        local = datetime.now(reminders.zone())
        monday = (local + timedelta(days=(7 - local.weekday()) % 7)).replace(hour=7, minute=0, second=0, microsecond=0)
        # A real SMTP server in its own process (as a mail relay is), accepting and discarding.
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                                   "-c", "aiosmtpd.handlers.Sink"])
        try:
            wait_for(port)
            app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
            began = time.perf_counter()
            if os.environ.get("BENCH_PROFILE"):
                import cProfile
                import pstats

                profile = cProfile.Profile()
                first = profile.runcall(reminders.run, monday.astimezone(UTC))
                pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
            else:
                first = reminders.run(monday.astimezone(UTC))
            first_s = time.perf_counter() - began
            began = time.perf_counter()
            second = reminders.run(monday.astimezone(UTC) + timedelta(minutes=30))
            second_s = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(timeout=10)
        result = {
            "schools": len(school_ids), "users": total_users, "dialect": db.engine.dialect.name,
            "first_run_s": round(first_s, 2), "notifications": first.notifications, "digests": len(first.digests),
            "sent": first.sent, "failed": first.failed, "second_run_s": round(second_s, 2),
            "second_notifications": second.notifications, "second_digests": len(second.digests),
            "notification_rows": db.session.scalar(sa.select(sa.func.count()).select_from(Notification)),
            "email_rows": db.session.scalar(sa.select(sa.func.count()).select_from(OutgoingEmail)),
        }
    print(f"first run: {result['first_run_s']} s ({result['notifications']} notifications, {result['digests']} digests,"
          f" {result['sent']} sent); second run in the same hour: {result['second_run_s']} s"
          f" ({result['second_notifications']} notifications, {result['second_digests']} digests)")
    verdict = "ok  " if result["first_run_s"] < 60 and result["second_digests"] == 0 else "MISS"
    print(f"{verdict} send-reminders for {result['schools']} schools and {result['users']} users under a minute, once")
    print("BENCH-REMINDERS " + json.dumps(result))


def wait_for(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the SMTP server did not start on port {port}")


if __name__ == "__main__":
    main()
