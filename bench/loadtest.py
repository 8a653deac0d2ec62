"""`make loadtest`: the main journeys under load, with PostgreSQL restarted half-way.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/maalpil_loadtest \\
        .venv/bin/python -m bench.loadtest [--users 50] [--duration 120] [--restart-at 60] [--instances 2]

1. Drops and creates the tables of the PostgreSQL database in DATABASE_URL (its name must
   contain "load", "bench" or "test", or LOADTEST_ALLOW_RESET=1 must be set), loads the
   reference data and the demo municipality.
2. Serves the app with gunicorn on 127.0.0.1 (production configuration, a random key); with
   ``--instances 2``, two gunicorn instances on two ports over the one database, and in front of
   them Debian's nginx (/usr/sbin/nginx, run unprivileged from a temporary directory) with the
   repository's deploy/nginx.conf, TLS with a throw-away certificate and TRUSTED_PROXY_COUNT=1.
   Without nginx (or with ``--no-nginx``) every locust user sends each request to the next instance.
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
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GRACE_SECONDS = 3.0  # after the database is back, for the pool's pre-ping to replace dead connections
ACCEPTED = {200, 201, 204, 303}
NGINX = Path("/usr/sbin/nginx")
NGINX_SITE = ROOT / "deploy" / "nginx.conf"



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


def wait_for(url: str, seconds: float, context=None) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    fail(f"{url} did not answer within {seconds:.0f} s")


def nginx_site(ports: list[int], https_port: int, http_port: int, certificate: Path, key: Path) -> str:
    """deploy/nginx.conf with this run's instances, ports, certificate and static folder. Every
    line replaced must be there: the test runs the repository's file, not a copy of it."""
    site = NGINX_SITE.read_text(encoding="utf-8")
    upstream = re.search(r"^upstream maalpil \{\n(.*?)^\}", site, re.M | re.S)
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+(.*);$", upstream.group(1) if upstream else "", re.M)
    if not servers:
        fail(f"{NGINX_SITE.relative_to(ROOT)}: no 'server 127.0.0.1:<port> ...;' lines in 'upstream maalpil'")
    block = upstream.group(1)
    lines = "".join(f"    server 127.0.0.1:{port}{servers[0]};\n" for port in ports)
    block = re.sub(r"^\s*server 127\.0\.0\.1:\d+.*;\n", "", block, flags=re.M)
    site = site.replace(upstream.group(1), lines + block.lstrip("\n"))
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;\n", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;\n", ""),
        ("/etc/ssl/certs/maalpil.pem", str(certificate)),
        ("/etc/ssl/private/maalpil.key", str(key)),
        ("alias /srv/maalpil/static/;", f"alias {ROOT / 'static'}/;"),
    ):
        if old not in site:
            fail(f"{NGINX_SITE.relative_to(ROOT)} has no {old.strip()!r} any more: update bench/loadtest.py")
        site = site.replace(old, new)
    return site


def start_nginx(directory: Path, results: Path, ports: list[int]) -> tuple[subprocess.Popen, str, Path, str]:
    """nginx in front of the instances, from a temporary directory; returns it, its https URL, the
    certificate clients are to trust and its plain http URL."""
    directory.chmod(0o755)  # run as root, the workers are nobody
    certificate, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True)
    https_port, http_port = free_port(), free_port()
    conf = directory / "nginx.conf"
    conf.write_text(f"""worker_processes 2;
pid {directory}/nginx.pid;
error_log {results}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    log_format upstream '$remote_addr [$time_local] "$request" $status $body_bytes_sent $request_time '
                        'upstream=$upstream_addr $upstream_status';
    access_log {results}/nginx-access.log upstream;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;

{nginx_site(ports, https_port, http_port, certificate, key)}
}}
""", encoding="utf-8")
    shutil.copy(conf, results / "nginx.conf")
    check = subprocess.run([str(NGINX), "-t", "-p", str(directory), "-c", str(conf)], capture_output=True, text=True)
    if check.returncode != 0:
        fail(f"nginx -t refused the configuration:\n{check.stderr}")
    process = subprocess.Popen([str(NGINX), "-p", str(directory), "-c", str(conf), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    return process, f"https://127.0.0.1:{https_port}", certificate, f"http://127.0.0.1:{http_port}"


def check_nginx(base: str, plain: str, context) -> list[str]:
    """What the configuration promises, asked of it before the load: https to the app (the app
    sees it: HSTS), http redirected, static files from nginx with caching and gzip."""
    problems = []

    def get(url: str, headers: dict | None = None):
        request = urllib.request.Request(url, headers=headers or {})
        try:
            return urllib.request.urlopen(request, timeout=10, context=context)
        except urllib.error.HTTPError as error:
            return error

    login = get(f"{base}/login")
    if login.status != 200 or "max-age" not in (login.headers.get("Strict-Transport-Security") or ""):
        problems.append(f"/login through nginx: {login.status}, no HSTS (X-Forwarded-Proto not trusted?)")
    css = get(f"{base}/static/css/app.css", {"Accept-Encoding": "gzip"})
    caching = ", ".join(css.headers.get_all("Cache-Control") or [])
    if css.status != 200 or css.headers.get("Content-Encoding") != "gzip" or "max-age" not in caching:
        problems.append(f"/static/css/app.css: {css.status}, {css.headers.get('Content-Encoding')}, {caching}")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        answer = urllib.request.build_opener(NoRedirect).open(f"{plain}/login", timeout=10)
    except urllib.error.HTTPError as error:
        answer = error
    if answer.status != 301 or not (answer.headers.get("Location") or "").startswith("https://"):
        problems.append(f"http:// answered {answer.status}, not a redirect to https")
    return problems


def served_per_instance(results: Path, names: list[str]) -> dict[str, int]:
    return {name: sum(1 for _line in open(results / f"access-{name}.log", encoding="utf-8")) for name in names}


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


def start_instances(count: int, workers: int, results: Path, env: dict) -> list[tuple[str, int, subprocess.Popen]]:
    """``count`` gunicorn instances on their own ports, each with its log and access log."""
    instances = []
    for n in range(count):
        name, port = "AB"[n] if count == 2 else str(n + 1), free_port()
        log = open(results / f"gunicorn-{name}.log", "w", encoding="utf-8")
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             "--threads", "4", "--timeout", "60", "--graceful-timeout", "5",
             # Longer than the users' think time: otherwise gunicorn closes an idle keep-alive
             # connection just as the client reuses it (a reset no browser would show).
             "--keep-alive", "15", "--access-logfile", str(results / f"access-{name}.log"), "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        instances.append((name, port, process))
    return instances


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=120, help="seconds")
    parser.add_argument("--restart-at", type=float, default=None, help="seconds (default: half-way)")
    parser.add_argument("--instances", type=int, default=1, help="gunicorn instances on one database")
    parser.add_argument("--workers", type=int, default=4, help="per instance")
    parser.add_argument("--no-nginx", action="store_true", help="with several instances: no nginx in front")
    parser.add_argument("--no-restart", action="store_true", help="a trial run without restarting PostgreSQL")
    args = parser.parse_args()
    url = database_url()
    restart_at = args.duration / 2 if args.restart_at is None else args.restart_at
    use_nginx = args.instances > 1 and not args.no_nginx and NGINX.exists()

    results = ROOT / "bench-results" / f"loadtest-{datetime.now(UTC):%Y%m%dT%H%M%S}"
    results.mkdir(parents=True, exist_ok=True)
    accounts = prepare_database()
    accounts_file = results / "accounts.json"
    accounts_file.write_text(json.dumps(accounts), encoding="utf-8")
    log = results / "requests.jsonl"

    env = {
        **os.environ,
        "MAALPIL_CONFIG": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),  # one key for every instance
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    # Behind nginx the app is reached over https, as in production; directly, plain http.
    env.update({"TRUSTED_PROXY_COUNT": "1"} if use_nginx else {"SESSION_COOKIE_SECURE": "0"})
    locust_env = {**os.environ, "LOADTEST_ACCOUNTS": str(accounts_file), "LOADTEST_LOG": str(log)}
    instances = start_instances(args.instances, args.workers, results, env)
    names = [name for name, _port, _process in instances]
    nginx = None
    setup: list[str] = []
    with tempfile.TemporaryDirectory(prefix="maalpil-nginx-") as scratch:
        try:
            for _name, port, _process in instances:
                wait_for(f"http://127.0.0.1:{port}/healthz", 60)
            if use_nginx:
                import ssl

                nginx, base, certificate, plain = start_nginx(Path(scratch), results, [p for _n, p, _pr in instances])
                context = ssl.create_default_context(cafile=str(certificate))
                wait_for(f"{base}/healthz", 30, context)
                problems = check_nginx(base, plain, context)
                for problem in problems:
                    print(f"nginx: {problem}", file=sys.stderr)
                if problems:
                    fail("deploy/nginx.conf does not do what it promises")
                locust_env["LOADTEST_CA_BUNDLE"] = str(certificate)
                setup.append(f"- set-up: {len(instances)} gunicorn instances x {args.workers} workers x 4 threads "
                             f"behind nginx ({NGINX_SITE.relative_to(ROOT)}, https, TRUSTED_PROXY_COUNT=1)")
            else:
                base = f"http://127.0.0.1:{instances[0][1]}"
                if len(instances) > 1:
                    locust_env["LOADTEST_HOSTS"] = " ".join(f"http://127.0.0.1:{p}" for _n, p, _pr in instances)
                setup.append(f"- set-up: {len(instances)} gunicorn instance(s) x {args.workers} workers x 4 threads, "
                             + ("each user's requests in turn to every instance" if len(instances) > 1 else "direct"))
            print(f"{setup[0][2:]}; locust: {args.users} users for {args.duration} s on {base}, "
                  f"PostgreSQL restart at {restart_at:.0f} s")
            locust = subprocess.Popen(
                [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                 "-u", str(args.users), "-r", str(max(1, args.users // 10)), "-t", f"{args.duration}s",
                 "--host", base, "--only-summary", "--stop-timeout", "10",
                 "--csv", str(results / "locust"), "--loglevel", "WARNING"],
                cwd=ROOT, env=locust_env,
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
            if nginx is not None:
                stop(nginx)
            for _name, _port, process in instances:
                stop(process)

    lines, ok = analyse(log, window, url)
    served = served_per_instance(results, names)
    tracebacks = sum((results / f"gunicorn-{name}.log").read_text(encoding="utf-8", errors="replace").count("Traceback")
                     for name in names)
    lines[2:2] = setup
    if len(instances) > 1:
        lines.insert(-2, "- requests served per instance: " + ", ".join(f"{n} {c}" for n, c in served.items()))
        if min(served.values()) == 0:
            lines[-1] = "RESULT: FAIL (an instance served nothing)"
            ok = False
    lines.insert(-2, f"- server tracebacks in the gunicorn logs: {tracebacks}")
    summary = "\n".join(line for line in lines if line is not None)
    (results / "summary.md").write_text(summary + "\n", encoding="utf-8")
    print(summary)
    print(f"(details in {results.relative_to(ROOT)})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
