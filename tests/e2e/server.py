"""Serve the app over a fresh demo database: used by the browser tests and `make screenshots`."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(workdir: Path) -> str:
    """An empty database for the served app: a SQLite file in workdir by default; with a
    PostgreSQL DATABASE_URL, a database of its own beside that one ("<name>_e2e"), made anew,
    so the browser journeys run on PostgreSQL too without touching the suite's database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql")):
        return f"sqlite:///{Path(workdir) / 'e2e.sqlite'}"
    import psycopg

    from config import _database_url

    server, _sep, name = _database_url(url).rpartition("/")
    name, _sep, query = name.partition("?")
    e2e_name = f"{name}_e2e"
    libpq = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{libpq}/{name}", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{e2e_name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{e2e_name}"')
    return f"{server}/{e2e_name}" + (f"?{query}" if query else "")


@contextmanager
def demo_server(workdir: Path, port: int | None = None, env: dict[str, str] | None = None) -> Iterator[str]:
    """Migrate, seed and load the demo into a fresh database (see fresh_database), serve it with
    gunicorn on 127.0.0.1 and yield its base URL; the server stops when the block ends.
    ``port`` and ``env`` (extra settings, e.g. an identity provider or a mail server) are optional."""
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database(workdir),
        "FLASK_APP": "wsgi.py",
        "MAALPIL_CONFIG": "development",
        **(env or {}),
    }
    flask = [sys.executable, "-m", "flask"]
    for command in (["db", "upgrade"], ["seed"], ["demo"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)
    port = port or _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base_url + "/healthz", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the app did not start")
                time.sleep(0.2)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)
