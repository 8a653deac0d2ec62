"""`make bench`: build a synthetic municipality, serve it with gunicorn and measure the main pages.

    .venv/bin/python -m bench.run [--sizes 10,100,1000] [--only min_skole,goal] [--keep]

For each size (10, 100 and 1,000 schools by default) it builds a municipality and measures it:

1. Queries per request, in-process (Flask test client, a ``before_cursor_execute`` counter). They
   must be equal at every size (no N+1).
2. Latency, throughput and bytes over HTTP against ``gunicorn --workers 2 --threads 4`` on
   127.0.0.1 (a free port), after signing in through the login form: sequential requests from
   one client, then a fixed number of requests from 20 concurrent clients (threads with
   keep-alive ``http.client`` connections). /healthz is the floor. The server runs as in
   production, so the overview pages come from their fragment cache while the data is unchanged
   (strategy/overview/cache.py); the table's last column is the in-process time of a request
   that builds everything (cache off), for comparison.

Min skole is measured with the header's notification bell (templates/notifications/_bell.html: one
indexed count on notification(recipient_id, read_at)); the run checks that the bell is in the page.

The database is a fresh SQLite file in a temporary directory, or the PostgreSQL database in
DATABASE_URL (its tables are dropped and created: the database name must contain "bench" or
"test", or BENCH_ALLOW_DROP=1 must be set). The schema comes from ``db.create_all()``.

Prints a table per size and the checks of the targets (at 100 schools; and the median at 1,000
at most twice the 100's for every page but the export), writes them to bench/last_run.md
(bench/last_run_postgresql.md on PostgreSQL), and ends with one line ``BENCH {json}`` per size.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("overblik", "min_skole", "goal", "pipeline", "status_update", "export_xlsx", "search")
# (requests with 1 client, requests spread over 20 clients); the Excel export is slower by nature.
COUNTS = {"export_xlsx": (10, 40)}
DEFAULT_COUNTS = (30, 200)
CLIENTS = 20
HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}


# --- the databases ------------------------------------------------------------------------------------


def database_url(tmp: Path, name: str) -> tuple[str, str]:
    """(SQLAlchemy URL, dialect name) of the bench database."""
    if os.environ.get("DATABASE_URL"):
        from config import Config

        url = Config.SQLALCHEMY_DATABASE_URI
        dbname = sa.engine.make_url(url).database or ""
        if not ("bench" in dbname or "test" in dbname or os.environ.get("BENCH_ALLOW_DROP") == "1"):
            sys.exit(f"bench: refusing to drop the tables of database {dbname!r}; use a database named *bench* or *test*, or set BENCH_ALLOW_DROP=1")
        return url, "postgresql"
    return f"sqlite:///{tmp / name}", "sqlite"


def make_app(url: str):
    from strategy import create_app

    # CSRF off in-process only: the counter posts the status form without a browser session.
    return create_app("development", SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False, TESTING=True)


def build(url: str, schools: int):
    from bench import municipality
    from strategy.extensions import db

    app = make_app(url)
    with app.app_context():
        started = time.perf_counter()
        people = municipality.build(schools)
        rows = municipality.counts()
        # The bulk insert bypasses the ORM, so the search index is built afterwards, as `flask
        # search-index` would; every change through the app keeps it current from then on.
        from strategy.search.index import rebuild_all

        rows["search_document"] = sum(rebuild_all(db.session).values())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    print(f"  built {schools} schools in {time.perf_counter() - started:.1f} s: "
          + ", ".join(f"{n} {t}" for t, n in rows.items()), flush=True)
    return app, people


# --- the requests ---------------------------------------------------------------------------------------


@dataclass
class Target:
    """One measured request: a GET path, or the htmx status update (a POST)."""

    name: str
    role: str  # "directorate", "leader" or "anonymous"
    path: str | None = None
    post: Callable[[int], tuple[str, dict, str]] | None = None  # n -> (path, form data, ...) for POSTs
    skip: str | None = None
    result: dict = field(default_factory=dict)


def discover(app, people) -> dict[str, Target]:
    """URLs from the app's URL map; pages another feature has not built yet are skipped."""
    from flask import url_for

    endpoints = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    targets: dict[str, Target] = {}
    with app.test_request_context():
        targets["healthz"] = Target("healthz", "anonymous", url_for("main.healthz"))
        targets["overblik"] = Target("overblik", "directorate", url_for("overview.index"))
        if "schools.school" in endpoints:
            min_skole = url_for("schools.school", school_id=people.leader_school_id)
        elif "schools.my_school" in endpoints:
            min_skole = url_for("schools.my_school")
        else:
            min_skole = None
        targets["min_skole"] = Target("min_skole", "leader", min_skole, skip=None if min_skole else "no Min skole endpoint")
        targets["goal"] = Target(
            "goal", "directorate", url_for("overview.political_goal", political_goal_id=people.political_goal_id)
        )
        targets["pipeline"] = Target("pipeline", "directorate", url_for("overview.pipeline"))
        targets["export_xlsx"] = Target("export_xlsx", "directorate", url_for("overview.export_xlsx"))
        # The full results page for a word found at every school (search-as-you-type asks for
        # less: the header's suggestions).
        targets["search"] = Target("search", "leader", url_for("search.results", q="læsning"))

        status_rule = next(
            (
                r for r in app.url_map.iter_rules()
                if r.endpoint.startswith("schools.") and "POST" in r.methods and "status" in r.rule
                and r.arguments == {"initiative_id"}
            ),
            None,
        )
        if status_rule is None:
            targets["status_update"] = Target("status_update", "leader", skip="no status-update endpoint in strategy/schools yet")
        else:
            paths = {i: url_for(status_rule.endpoint, initiative_id=i) for i in people.initiative_ids}
            targets["status_update"] = Target("status_update", "leader", path=paths[people.initiative_ids[0]])
            targets["status_update"].post = lambda n, paths=paths: _status_post(people, paths, n)
    return targets


STATUS_FIELDS: dict[str, str] = {}  # {"status": "status{id}-status", "comment": "status{id}-comment"}


def _status_post(people, paths: dict[int, str], n: int) -> tuple[str, dict]:
    initiative_id = people.initiative_ids[n % len(people.initiative_ids)]
    status = ("on_track", "in_progress")[n // len(people.initiative_ids) % 2]
    data = {
        STATUS_FIELDS.get("status", "status").format(id=initiative_id): status,
        STATUS_FIELDS.get("comment", "comment").format(id=initiative_id): "Benchmark",
    }
    return paths[initiative_id], data


def learn_status_fields(html: str, initiative_id: int) -> None:
    """The status form's field names (the strategy feature prefixes them per initiative)."""
    for kind in ("status", "comment"):
        match = re.search(r'name="([^"]*' + kind + r')"', html)
        if match:
            STATUS_FIELDS[kind] = match.group(1).replace(str(initiative_id), "{id}")


# --- in-process query counts -----------------------------------------------------------------------------


def count_queries(app, people, targets: dict[str, Target]) -> tuple[dict[str, int | None], dict[str, float]]:
    """Statements per request, counted on the engine, and the in-process time of that request.

    TESTING is on in this app, so the overview's fragment cache is off: these are the queries and
    the time of a request that builds everything. Requests run outside any app context of ours:
    Flask-Login caches the user in ``g``, which a shared app context would keep."""
    from strategy.extensions import db
    from strategy.models import User

    with app.app_context():
        engine = db.engine
        session_ids = {
            role: db.session.scalar(sa.select(User).where(User.email == email)).get_id()
            for role, email in (("directorate", people.directorate_email), ("leader", people.leader_email))
        }
        db.session.remove()
    counts: dict[str, int | None] = {}
    timings: dict[str, float] = {}
    for name, target in targets.items():
        if target.skip:
            counts[name] = None
            continue
        client = app.test_client()
        if target.role in session_ids:
            now = datetime.now(UTC).timestamp()
            with client.session_transaction() as session:
                session.update({"_user_id": session_ids[target.role], "_fresh": True, "started_at": now, "seen_at": now})

        def call(n: int, client=client, target=target):
            if target.post:
                if not STATUS_FIELDS:
                    edit = client.get(target.path + "?rediger=1", headers=HTMX)
                    learn_status_fields(edit.get_data(as_text=True), people.initiative_ids[0])
                path, data = target.post(n)
                return client.post(path, data=data, headers=HTMX)
            return client.get(target.path)

        call(0)  # warm up: first-request work is not what we measure
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany, statements=statements):
            statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", before)
        began = time.perf_counter()
        try:
            response = call(1)
        finally:
            timings[name] = round((time.perf_counter() - began) * 1000, 1)
            sa.event.remove(engine, "before_cursor_execute", before)
        if response.status_code >= 300:
            print(f"  ! {name}: in-process request answered {response.status_code}", flush=True)
        if name == "min_skole":
            bell = [s for s in statements if "FROM notification" in s]
            shown = 'id="notification-bell"' in response.get_data(as_text=True)
            print(f"  {name}: bell {'shown' if shown else 'MISSING'}, "
                  f"{len(bell)} of its {len(statements)} queries", flush=True)
        counts[name] = len(statements)
    engine.dispose()
    return counts, timings


# --- HTTP measurements -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Http:
    """One keep-alive connection with its own cookie jar (just the session cookie)."""

    def __init__(self, port: int, cookie: str = ""):
        self.port = port
        self.cookie = cookie
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None):
        body = urlencode(data) if data is not None else None
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("maalpil_session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, payload, dict(response.getheaders())


def sign_in(port: int, email: str) -> str:
    from bench.municipality import PASSWORD

    client = Http(port)
    _status, page, _h = client.request("GET", "/login")
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        rb'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    status, _body, headers = client.request(
        "POST", "/login", {"email": email, "password": PASSWORD, "csrf_token": token.group(1).decode(), "next": ""}
    )
    if status != 303:
        sys.exit(f"bench: signing in as {email} failed ({status})")
    return client.cookie


def csrf_token(port: int, cookie: str, path: str) -> tuple[str, str]:
    """The page's CSRF token and the session cookie that now holds its secret."""
    client = Http(port, cookie)
    _s, page, _h = client.request("GET", path)
    match = re.search(rb'data-csrf-token="([^"]+)"', page)
    return (match.group(1).decode() if match else ""), client.cookie


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def run_load(port: int, cookie: str, target: Target, token: str, clients: int, total: int, start_n: int):
    """``total`` requests spread over ``clients`` threads; returns (latencies in ms, wall seconds, errors, bytes)."""
    latencies: list[float] = []
    errors: list[int] = []
    sizes: list[int] = []
    lock = threading.Lock()
    per_client = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]

    def worker(index: int, count: int):
        conn = Http(port, cookie)
        mine, bad, size = [], [], 0
        barrier.wait()
        for k in range(count):
            # Concurrent clients work on different initiatives (as different leaders would).
            n = start_n + k * clients + index
            if target.post:
                path, data = target.post(n)
                headers = {**HTMX, "X-CSRFToken": token}
                began = time.perf_counter()
                status, body, _h = conn.request("POST", path, data, headers)
            else:
                began = time.perf_counter()
                status, body, _h = conn.request("GET", target.path)
            mine.append((time.perf_counter() - began) * 1000)
            size = len(body)
            if status >= 400:
                bad.append(status)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)
            sizes.append(size)

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(per_client) if c]
    barrier = threading.Barrier(len(threads) + 1)
    for t in threads:
        t.start()
    barrier.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - began, errors, max(sizes) if sizes else 0


def measure(port: int, cookies: dict[str, str], target: Target, token_page: str) -> dict:
    """Sequential requests, then concurrent ones; a POST carries the CSRF token of ``token_page``."""
    cookie = cookies.get(target.role, "")
    token = ""
    if target.post:
        token, cookie = csrf_token(port, cookie, token_page)
    n1, n20 = COUNTS.get(target.name, DEFAULT_COUNTS)
    run_load(port, cookie, target, token, 1, 3, 0)  # warm-up
    one, _wall, errors1, size = run_load(port, cookie, target, token, 1, n1, 10_000)
    many, wall, errors20, _size = run_load(port, cookie, target, token, CLIENTS, n20, 100_000)
    if errors1 or errors20:
        print(f"  ! {target.name}: {len(errors1) + len(errors20)} error responses {sorted(set(errors1 + errors20))}", flush=True)
    return {
        "median_ms_1": round(statistics.median(one), 1),
        "p95_ms_1": round(percentile(one, 95), 1),
        "median_ms_20": round(statistics.median(many), 1),
        "p95_ms_20": round(percentile(many, 95), 1),
        "rps_20": round(n20 / wall, 1),
        "bytes": size,
        "errors": len(errors1) + len(errors20),
    }


def serve(url: str, port: int, tmp: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MAALPIL_CONFIG": "development",
        "SECRET_KEY": os.urandom(16).hex(),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    # Kept open for the server's lifetime; closed together with the process.
    log = open(tmp / "gunicorn.log", "wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", "4", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"bench: gunicorn exited; see {tmp / 'gunicorn.log'}")
        try:
            status, _b, _h = Http(port).request("GET", "/healthz")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    sys.exit("bench: gunicorn did not answer /healthz within 60 s")


# --- report ------------------------------------------------------------------------------------------------


def table(results: dict[str, dict], skipped: dict[str, str]) -> str:
    head = (
        "| request | median 1 (ms) | p95 1 (ms) | median 20 (ms) | p95 20 (ms) | rps 20 | % of healthz | queries "
        "| bytes | uncached, in-process (ms) |"
    )
    lines = [head, "|" + " --- |" * 10]
    floor = results.get("healthz", {}).get("rps_20") or 0
    for name in ("healthz", *PAGES):
        r = results.get(name)
        if r is None:
            lines.append(f"| {name} | skipped: {skipped.get(name, '')} |  |  |  |  |  |  |  |  |")
            continue
        share = f"{r['rps_20'] / floor:.1%}" if floor else ""
        lines.append(
            f"| {name} | {r['median_ms_1']} | {r['p95_ms_1']} | {r['median_ms_20']} | {r['p95_ms_20']} | {r['rps_20']} "
            f"| {share} | {r['queries']} | {r['bytes']} | {r['uncached_ms']} |"
        )
    return "\n".join(lines)


# The targets at 100 schools (one client, medians of one run), and of the curve to 1,000.
LIMIT_MS = {"status_update": 10, "export_xlsx": 300}
PAGE_LIMIT_MS = 25
UNCACHED_LIMIT_MS = {"overblik": 30}
SHARE_OF_HEALTHZ = 0.05
GROWTH_LIMIT = 2.0
EXPORTS = {"export_xlsx"}


def verdicts(runs: dict[int, dict[str, dict]], at: int = 100) -> list[str]:
    """The checks of one run: the targets at ``at`` schools and the curve across every size."""
    out = []
    at = at if at in runs else max(runs)
    base = runs[at]
    sizes = sorted(runs)

    def line(ok: bool, text: str) -> None:
        out.append(f"{'ok  ' if ok else 'MISS'} {text}")

    floor = base["healthz"]["rps_20"]
    for name in PAGES:
        r = base.get(name)
        if r is None:
            continue
        limit = LIMIT_MS.get(name, PAGE_LIMIT_MS)
        line(r["median_ms_1"] <= limit, f"{name}: median {r['median_ms_1']} ms at {at} schools (<= {limit})")
        share = r["rps_20"] / floor if floor else 0
        line(share >= SHARE_OF_HEALTHZ, f"{name}: {share:.1%} of /healthz's throughput under {CLIENTS} clients (>= 5 %)")
        if name in UNCACHED_LIMIT_MS:
            line(r["uncached_ms"] <= UNCACHED_LIMIT_MS[name],
                 f"{name}: {r['uncached_ms']} ms uncached, in-process (<= {UNCACHED_LIMIT_MS[name]})")
        queries = {n: runs[n][name]["queries"] for n in sizes if name in runs[n]}
        line(len(set(queries.values())) == 1,
             f"{name}: queries per request " + ", ".join(f"{q} at {n}" for n, q in queries.items()))
        if name not in EXPORTS and max(sizes) > at and name in runs[max(sizes)]:
            top = runs[max(sizes)][name]["median_ms_1"]
            line(top <= GROWTH_LIMIT * r["median_ms_1"],
                 f"{name}: median {top} ms at {max(sizes)} schools, {top / r['median_ms_1']:.2f}× the {at}'s (<= 2×)")
    return out


BENCH_KEYS = ("median_ms_1", "p95_ms_1", "median_ms_20", "p95_ms_20", "rps_20", "queries", "bytes", "uncached_ms")


def _shaped(result: dict) -> dict:
    return {key: result[key] for key in BENCH_KEYS}


def run_size(schools: int, tmp: Path, only: list[str]) -> tuple[dict[str, dict], dict[str, str], str]:
    """Build a municipality of ``schools``, count its queries in-process, serve it and measure."""
    url, dialect = database_url(tmp, f"bench-{schools}.sqlite")
    app, people = build(url, schools)
    targets = discover(app, people)
    counts, uncached = count_queries(app, people, targets)
    skipped = {n: t.skip for n, t in targets.items() if t.skip}
    for name, why in skipped.items():
        print(f"  - {name} skipped: {why}", flush=True)
    port = free_port()
    server = serve(url, port, tmp)
    results: dict[str, dict] = {}
    try:
        cookies = {
            "directorate": sign_in(port, people.directorate_email),
            "leader": sign_in(port, people.leader_email),
        }
        for name in ("healthz", *PAGES):
            target = targets[name]
            if target.skip or (only and name not in only and name != "healthz"):
                continue
            print(f"  measuring {name} at {schools} schools ...", flush=True)
            result = measure(port, cookies, target, targets["min_skole"].path or "/")
            result["queries"] = counts.get(name)
            result["uncached_ms"] = uncached.get(name)
            results[name] = result
    finally:
        server.terminate()
        server.wait(timeout=30)
    if any(r["errors"] for r in results.values()):
        log = (tmp / "gunicorn.log").read_text(errors="replace").splitlines()
        print("bench: error responses; the end of the server log:\n  " + "\n  ".join(log[-25:]), flush=True)
    if dialect == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    return results, skipped, dialect


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="municipality sizes in schools (default 10,100,1000)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--only", default="", help="comma-separated requests to measure (default: all)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    sizes = sorted(int(n) for n in args.sizes.split(","))
    only = [n for n in args.only.split(",") if n]

    tmp = Path(tempfile.mkdtemp(prefix="maalpil-bench-"))
    try:
        runs: dict[int, dict[str, dict]] = {}
        lines: list[str] = []
        reports: list[str] = []
        dialect = ""
        for schools in sizes:
            print(f"bench: {schools} schools (schema by db.create_all(), not migrations)", flush=True)
            results, skipped, dialect = run_size(schools, tmp, only)
            runs[schools] = results
            reports.append(f"### {schools} schools\n\n{table(results, skipped)}")
            line = {
                "schools": schools,
                "database": dialect,
                "healthz": _shaped(results["healthz"]),
                "pages": {n: _shaped(results[n]) for n in PAGES if n in results},
            }
            lines.append(f"BENCH {json.dumps(line)}")
            print(lines[-1], flush=True)
        checks = verdicts(runs)
        print()
        print("\n\n".join(reports))
        print()
        print("\n".join(checks))
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        (ROOT / "bench" / f"last_run{'' if dialect == 'sqlite' else '_' + dialect}.md").write_text(
            f"# Last `make bench` ({stamp}, {dialect}, {os.cpu_count()} CPUs, load average {load} at the end)\n\n"
            + "\n\n".join(reports) + "\n\n```\n" + "\n".join(checks) + "\n```\n\n```\n" + "\n".join(lines) + "\n```\n",
            encoding="utf-8",
        )
        for text in lines:
            print(text, flush=True)
        return 0 if all(c.startswith("ok") for c in checks) else 1
    finally:
        if args.keep:
            print(f"bench: kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
