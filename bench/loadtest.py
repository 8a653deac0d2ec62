"""`make loadtest`: the main journeys under load, with PostgreSQL restarted half-way.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/maalpil_loadtest \\
        .venv/bin/python -m bench.loadtest [--users 50] [--duration 120] [--restart-at 60]

1. Drops and creates the tables of the PostgreSQL database in DATABASE_URL (its name must
   contain "load", "bench" or "test", or LOADTEST_ALLOW_RESET=1 must be set), loads the
   reference data and the demo municipality.
2. Serves the app with gunicorn on 127.0.0.1 (production configuration, a random key).
3. Runs locust headless (bench/locustfile.py): 50 users for 2 minutes - leaders set statuses,
   consultants write sparring notes, the directorate opens the overview and exports it.
4. Restarts PostgreSQL half-way (`pg_ctlcluster --skip-systemctl-redirect <version> main restart`).
5. Checks: no 5xx outside the restart window (requests in flight during the restart, plus a
   short grace for the pool to notice), and no lost write: every write answered 2xx/303 is in
   the database. Prints a summary and writes it to bench-results/loadtest-<time>/summary.md.

Exits non-zero when a check fails. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GRACE_SECONDS = 3.0  # after the database is back, for the pool's pre-ping to replace dead connections
ACCEPTED = {200, 201, 204, 303}



def ms(entries: list[dict]) -> list[float]:
    """Durations of logged requests in milliseconds."""
    return [(e["end"] - e["start"]) * 1000 for e in entries]

def fail(message: str) -> None:
    print(f"loadtest: {message}", file=sys.stderr)
    sys.exit(2)


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql")):
        fail("set DATABASE_URL to a PostgreSQL database, e.g. "
             "postgresql+psycopg://postgres@127.0.0.1:5432/maalpil_loadtest")
    name = url.rsplit("/", 1)[-1].split("?")[0]
    if not any(word in name for word in ("load", "bench", "test")) and os.environ.get("LOADTEST_ALLOW_RESET") != "1":
        fail(f"the database {name!r} would be emptied; use one whose name contains 'load', 'bench' or 'test', "
             "or set LOADTEST_ALLOW_RESET=1")
    return url


def libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://").replace("postgres://", "postgresql://")


def prepare_database() -> dict[str, list[str]]:
    """Fresh tables, reference data and the demo municipality; the accounts the users sign in with."""
    import sqlalchemy as sa

    from strategy import create_app
    from strategy.demo import load_demo
    from strategy.demo.catalogue import PASSWORD
    from strategy.extensions import db
    from strategy.models import Role, User
    from strategy.seeding import seed_reference_data

    app = create_app("development")
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed_reference_data()
        summary = load_demo()
        db.session.commit()
        print(f"database ready: {summary}")
        accounts: dict[str, list[str]] = {"password": PASSWORD}
        for role, key in ((Role.LEADER, "leader"), (Role.CONSULTANT, "consultant"), (Role.DIRECTORATE, "directorate")):
            emails = db.session.scalars(
                sa.select(User.email).where(User.role == role, User.active.is_(True), User.is_demo.is_(True))
                .order_by(User.email)
            ).all()
            if role == Role.LEADER:
                emails = [e for e in emails if db.session.scalar(
                    sa.select(User.school_id).where(User.email == e)) is not None]
            accounts[key] = list(emails)
        db.session.remove()
        db.engine.dispose()
    return accounts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    fail(f"{url} did not answer within {seconds:.0f} s")


def postgres_cluster() -> tuple[str, str]:
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir()) if Path("/etc/postgresql").is_dir() else []
    if not versions or not shutil.which("pg_ctlcluster"):
        fail("pg_ctlcluster and /etc/postgresql/<version> are needed to restart PostgreSQL")
    return versions[-1], "main"


def restart_postgres(url: str) -> tuple[float, float]:
    """Restart the cluster; return when it went down and when it accepted connections again."""
    import psycopg

    version, cluster = postgres_cluster()
    began = time.time()
    result = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        print(f"restart failed: {result.stderr.strip()}", file=sys.stderr)
    while True:
        try:
            psycopg.connect(libpq_url(url), connect_timeout=2).close()
            break
        except psycopg.OperationalError:
            if time.time() - began > 120:
                fail("PostgreSQL did not come back within 2 minutes")
            time.sleep(0.2)
    return began, time.time()


def saved_tokens(url: str) -> set[str]:
    import psycopg

    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT comment FROM status_update WHERE comment LIKE 'lt-%' "
            "UNION ALL SELECT observation FROM sparring_note WHERE observation LIKE 'lt-%'"
        ).fetchall()
    return {row[0].strip() for row in rows}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def analyse(log: Path, window: tuple[float, float], url: str) -> tuple[list[str], bool]:
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    down, up = window
    window_end = up + GRACE_SECONDS

    def in_window(e) -> bool:
        return e["start"] <= window_end and e["end"] >= down

    outside = [e for e in entries if not in_window(e)]
    inside = [e for e in entries if in_window(e)]
    errors_outside = [e for e in outside if e["status"] >= 500 or e["status"] == 0]
    errors_inside = [e for e in inside if e["status"] >= 500 or e["status"] == 0]
    writes = [e for e in entries if e.get("token")]
    accepted = [e for e in writes if e["status"] in ACCEPTED]
    saved = saved_tokens(url)
    lost = [e for e in accepted if e["token"] not in saved]
    after = [e for e in entries if e["start"] >= up and 200 <= e["status"] < 400]
    recovered = min((e["end"] for e in after), default=None)

    by_name: dict[str, list[dict]] = {}
    for e in entries:
        by_name.setdefault(e["name"], []).append(e)

    lines = [
        f"# Load test {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"- requests: {len(entries)} ({len(entries) / max(1.0, entries[-1]['end'] - entries[0]['start']):.1f}/s)"
        if entries else "- requests: 0",
        (f"- PostgreSQL restart: down at +{down - entries[0]['start']:.1f} s, back after {up - down:.1f} s; "
         f"first success {((recovered or up) - up):.1f} s after it was back")
        if entries and down != float("inf") else "- PostgreSQL was not restarted (trial run)",
        f"- 5xx/connection errors outside the restart window: {len(errors_outside)}",
        f"- 5xx/connection errors in the restart window ({up - down + GRACE_SECONDS:.1f} s incl. "
        f"{GRACE_SECONDS:.0f} s grace): {len(errors_inside)} of {len(inside)} requests",
        f"- writes: {len(writes)} sent, {len(accepted)} accepted (2xx/303), {len(lost)} lost "
        f"(accepted but not in the database)",
        f"- status codes: {dict(sorted(Counter(e['status'] for e in entries).items()))}",
        "",
        "| request | n | p50 ms | p95 ms | max ms | 4xx | 5xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, es in sorted(by_name.items()):
        times = ms(es)
        lines.append(
            f"| {name} | {len(es)} | {statistics.median(times):.0f} | {percentile(times, 95):.0f} | "
            f"{max(times):.0f} | {sum(400 <= e['status'] < 500 for e in es)} | "
            f"{sum(e['status'] >= 500 or e['status'] == 0 for e in es)} |"
        )
    for e in errors_outside[:10]:
        lines.append(f"- error outside the window: {e['method']} {e['name']} -> {e['status']} {e.get('error') or ''}")
    for e in lost[:10]:
        lines.append(f"- lost write: {e['kind']} {e['token']}")
    ok = not errors_outside and not lost and bool(accepted)
    lines.append("")
    lines.append("RESULT: " + ("PASS" if ok else "FAIL"))
    return lines, ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=120, help="seconds")
    parser.add_argument("--restart-at", type=float, default=None, help="seconds (default: half-way)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-restart", action="store_true", help="a trial run without restarting PostgreSQL")
    args = parser.parse_args()
    url = database_url()
    restart_at = args.duration / 2 if args.restart_at is None else args.restart_at

    results = ROOT / "bench-results" / f"loadtest-{datetime.now(UTC):%Y%m%dT%H%M%S}"
    results.mkdir(parents=True, exist_ok=True)
    accounts = prepare_database()
    accounts_file = results / "accounts.json"
    accounts_file.write_text(json.dumps(accounts), encoding="utf-8")
    log = results / "requests.jsonl"

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "MAALPIL_CONFIG": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SESSION_COOKIE_SECURE": "0",  # plain http on 127.0.0.1
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    with open(results / "gunicorn.log", "w", encoding="utf-8") as gunicorn_log:
        gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--threads", "4", "--timeout", "60", "--graceful-timeout", "5",
             # Longer than the users' think time: otherwise gunicorn closes an idle keep-alive
             # connection just as the client reuses it (a reset no browser would show).
             "--keep-alive", "15", "wsgi:app"],
            cwd=ROOT, env=env, stdout=gunicorn_log, stderr=subprocess.STDOUT,
        )
        try:
            wait_for(f"{base}/healthz", 60)
            print(f"gunicorn on {base}; locust: {args.users} users for {args.duration} s, "
                  f"PostgreSQL restart at {restart_at:.0f} s")
            locust = subprocess.Popen(
                [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                 "-u", str(args.users), "-r", str(max(1, args.users // 10)), "-t", f"{args.duration}s",
                 "--host", base, "--only-summary", "--stop-timeout", "10",
                 "--csv", str(results / "locust"), "--loglevel", "WARNING"],
                cwd=ROOT, env={**os.environ, "LOADTEST_ACCOUNTS": str(accounts_file), "LOADTEST_LOG": str(log)},
            )
            started = time.time()
            time.sleep(max(0.0, started + restart_at - time.time()))
            if args.no_restart:
                window = (float("inf"), float("inf"))
            else:
                print("restarting PostgreSQL ...")
                window = restart_postgres(url)
                print(f"PostgreSQL back after {window[1] - window[0]:.1f} s")
            locust.wait(timeout=args.duration + 120)
        finally:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()

    lines, ok = analyse(log, window, url)
    tracebacks = (results / "gunicorn.log").read_text(encoding="utf-8", errors="replace").count("Traceback")
    lines.insert(-2, f"- server tracebacks in gunicorn.log: {tracebacks}")
    summary = "\n".join(line for line in lines if line is not None)
    (results / "summary.md").write_text(summary + "\n", encoding="utf-8")
    print(summary)
    print(f"(details in {results.relative_to(ROOT)})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
