"""Fixtures: a fresh database per test, a client, signing in as any role, small data factories.

Runs on SQLite in memory by default and on PostgreSQL when DATABASE_URL points there
(`.ci/run` does both).
"""

import contextlib
import itertools
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from strategy import create_app
from strategy.extensions import db
from strategy.models import (
    Cluster,
    Goal,
    Initiative,
    Period,
    Role,
    School,
    Status,
    StatusUpdate,
    Strategy,
    User,
)
from strategy.passwords import hash_password

PASSWORD = "correct-horse-battery"
PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: Argon2 is slow on purpose
_tables_created = False


def _reset_database() -> None:
    """Empty every table. SQLite in memory starts empty; PostgreSQL is truncated."""
    global _tables_created
    engine = db.engine
    if engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:"):
        db.create_all()
        return
    if not _tables_created:
        db.drop_all()
        db.create_all()
        _tables_created = True
        return
    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


class FreshContextClient(FlaskClient):
    """Each request runs in its own application context, as it does in production: its own
    ``g`` and its own database session, so nothing one request caches leaks into the next and
    objects the test holds are not silently shared with the app (use ``reload(obj)``)."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app():
    app = create_app("test")
    app.test_client_class = FreshContextClient
    with app.app_context():
        _reset_database()
        yield app
        db.session.remove()
        # Close this app's pooled connections now, not at garbage collection: thousands of
        # tests would otherwise exhaust PostgreSQL's max_connections.
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def seeded(app):
    """The reference data of seed/ (Learning Pipeline, political goals, periods, tools)."""
    from strategy.seeding import seed_reference_data

    seed_reference_data()
    db.session.commit()
    return app


class Factory:
    """Small, explicit builders for test data. Everything is committed so requests see it."""

    def __init__(self):
        self._n = itertools.count(1)

    def _commit(self, obj):
        db.session.add(obj)
        db.session.commit()
        return obj

    def cluster(self, name: str | None = None) -> Cluster:
        return self._commit(Cluster(name=name or f"Klynge {next(self._n)}"))

    def school(self, name: str | None = None, cluster: Cluster | None = None) -> School:
        return self._commit(School(name=name or f"Skole {next(self._n)}", cluster=cluster))

    def user(self, role: Role | str, school: School | None = None, assigned=(), **values) -> User:
        n = next(self._n)
        role = Role(role)
        if role in (Role.LEADER, Role.READER) and school is None:
            school = self.school()
        user = User(
            email=values.pop("email", f"{role.value}{n}@example.dk"),
            name=values.pop("name", f"{role.value.title()} {n}"),
            role=role,
            school=school,
            password_hash=values.pop("password_hash", PASSWORD_HASH),
            **values,
        )
        user.assigned_schools = list(assigned)
        return self._commit(user)

    def period(self, start_year: int = 2025, end_year: int = 2027) -> Period:
        key = f"{start_year}-{end_year}"
        existing = db.session.scalar(sa.select(Period).where(Period.key == key))
        return existing or self._commit(
            Period(key=key, name=key, start_year=start_year, end_year=end_year)
        )

    def strategy(self, school: School | None = None, period: Period | None = None) -> Strategy:
        period = period or self.period()
        return self._commit(
            Strategy(school=school or self.school(), period=period, current_year=period.start_year)
        )

    def goal(self, strategy: Strategy | None = None, **values) -> Goal:
        strategy = strategy or self.strategy()
        values.setdefault("title", f"Mål {next(self._n)}")
        values.setdefault("position", len(strategy.goals))
        return self._commit(Goal(strategy=strategy, **values))

    def initiative(self, goal: Goal | None = None, status: Status = Status.NOT_STARTED, **values) -> Initiative:
        goal = goal or self.goal()
        values.setdefault("title", f"Tiltag {next(self._n)}")
        values.setdefault("position", len(goal.initiatives))
        initiative = Initiative(goal=goal, status=status, **values)
        if status != Status.NOT_STARTED:
            initiative.status_changed_at = datetime.now(UTC)
            initiative.status_updates.append(StatusUpdate(status=status, comment=""))
        return self._commit(initiative)


@pytest.fixture
def make(app) -> Factory:
    return Factory()


@pytest.fixture
def login_as(client):
    """Sign a user in by writing the session, as the login form would (fast: no password hash)."""

    def sign_in(user: User) -> User:
        now = datetime.now(UTC).timestamp()
        with client.session_transaction() as session:
            session.clear()
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session["started_at"] = now
            session["seen_at"] = now
        return user

    return sign_in


@pytest.fixture
def smtp(app):
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that the app sends to; yields its Inbox."""
    from tests.smtp import smtp_server

    with smtp_server() as (inbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        yield inbox
    app.config.update(MAIL_SERVER="", MAIL_PORT=25)


@pytest.fixture
def count_queries(app):
    """Context manager counting the SQL statements a block runs: ``with count_queries() as q``."""

    @contextlib.contextmanager
    def counting():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def smtp(app):
    """A real SMTP server on 127.0.0.1 (tests/smtp.py) that the app sends to; yields its inbox."""
    from tests.smtp import smtp_server

    with smtp_server() as (inbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        yield inbox
    app.config.update(MAIL_SERVER="", MAIL_PORT=25)
