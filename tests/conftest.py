"""Fixtures: one app for the whole run, a clean database per test, a client, signing in as any
role, small data factories.

Runs on SQLite in memory by default and on PostgreSQL when DATABASE_URL points there
(`.ci/run` does both). Building an app (113 routes, the templates, the schema) costs more than
most tests, so the run builds one (``_session_app``) and hands every test a clean database:

- on SQLite in memory, the empty schema is kept as a copy and put back with SQLite's backup API
  after a test that wrote anything (a millisecond);
- on PostgreSQL, each test runs inside a transaction on one connection that is rolled back
  afterwards (the app's own commits become savepoints), as Indico's test fixtures do, and the id
  sequences are restarted, so every test sees ids from 1.

A test whose commits must be seen by another connection (pg_dump, another process, a thread)
is marked ``@pytest.mark.committing``: on PostgreSQL it commits for real and the tables are
truncated afterwards. Tests that need an app of their own (other configuration, concurrency)
build one, as tests/test_concurrency_pg.py does.
"""

import contextlib
import copy
import itertools
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa


def _database_of_this_worker() -> None:
    """`make test` runs the suite in parallel (pytest-xdist, one process per CPU). On PostgreSQL
    each worker gets a database of its own, beside the one in DATABASE_URL (test -> test_gw0), so
    the workers never meet; set before the configuration reads DATABASE_URL. SQLite in memory
    needs nothing: every process has its own."""
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("DATABASE_URL", "")
    if not worker or not url.startswith("postgres"):
        return
    shared = sa.engine.make_url(url)
    own = shared.set(database=f"{shared.database}_{worker}")
    engine = sa.create_engine(shared, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database}) is None:
            conn.execute(sa.text(f'CREATE DATABASE "{own.database}"'))
    engine.dispose()
    os.environ["DATABASE_URL"] = own.render_as_string(hide_password=False)


_database_of_this_worker()
# The imports below read the configuration, so they come after the worker's database is chosen.
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession

from strategy import create_app
from strategy.extensions import db
from strategy.models import (
    Agreement,
    Cluster,
    Expectation,
    Goal,
    Initiative,
    Measurement,
    Meeting,
    MeetingState,
    MeetingType,
    Period,
    PoliticalGoal,
    ProfileLevel,
    Role,
    School,
    SparringNote,
    Stance,
    Status,
    StatusUpdate,
    Strategy,
    User,
    Visibility,
)
from strategy.passwords import hash_password
from tests.helpers import by_key, sign_in

PASSWORD = "correct-horse-battery"
PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: Argon2 is slow on purpose
_tables_created = False
_committed_elsewhere = False  # another app (a module's own) committed rows to the shared PostgreSQL


def _in_memory(engine: sa.engine.Engine) -> bool:
    return engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")


def _reset_database() -> None:
    """Empty every table, for an app of its own: SQLite in memory starts empty; PostgreSQL is
    truncated (with its ids restarted)."""
    global _tables_created, _committed_elsewhere
    engine = db.engine
    if _in_memory(engine):
        db.create_all()
        return
    _committed_elsewhere = True
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


class SnapshotDatabase:
    """SQLite in memory: named states of the one shared connection, put back with the backup API.

    ``state`` names the state the database is known to be in, or is None once anything wrote to
    it (SQLite counts the rows a connection changed).
    """

    def __init__(self):
        self._states: dict[str, sqlite3.Connection] = {}
        self._state: str | None = None
        self._changes_then = -1

    def _changes(self) -> int:
        raw = db.engine.raw_connection()
        try:
            return raw.driver_connection.total_changes
        finally:
            raw.close()

    @property
    def state(self) -> str | None:
        return self._state if self._changes() == self._changes_then else None

    def keep(self, name: str) -> None:
        db.session.remove()
        kept = sqlite3.connect(":memory:")
        raw = db.engine.raw_connection()
        try:
            raw.driver_connection.backup(kept)
        finally:
            raw.close()
        self._states[name] = kept
        self._state, self._changes_then = name, self._changes()

    def restore(self, name: str) -> None:
        db.session.remove()
        raw = db.engine.raw_connection()
        try:
            self._states[name].backup(raw.driver_connection)
        finally:
            raw.close()
        self._state, self._changes_then = name, self._changes()

    def seeded(self, seed) -> None:
        """The reference data: from the kept copy when nothing else was written yet."""
        if self.state == "empty" and "seeded" in self._states:
            self.restore("seeded")
            return
        was_empty = self.state == "empty"
        seed()
        if was_empty:
            self.keep("seeded")

    def begin_test(self, committing: bool = False) -> None:
        if self.state != "empty":
            self.restore("empty")

    def end_test(self) -> None:
        if self.state != "empty":
            self.restore("empty")


def _bound_session_first(self, mapper=None, clause=None, bind=None, **kwargs):
    """Flask-SQLAlchemy picks the app's engine; a test's session bound to one connection keeps it."""
    if bind is None and self.bind is not None:
        return self.bind
    return _flask_get_bind(self, mapper=mapper, clause=clause, bind=bind, **kwargs)


_flask_get_bind = FlaskSession.get_bind


class RollbackDatabase:
    """PostgreSQL: each test inside one transaction, rolled back afterwards."""

    def __init__(self):
        self.connection = self.transaction = None
        self.committing = False
        FlaskSession.get_bind = _bound_session_first
        with db.engine.connect() as conn:
            self._sequences = conn.scalars(sa.text(
                "SELECT sequence_schema || '.' || sequence_name FROM information_schema.sequences "
                "WHERE sequence_schema = current_schema()"
            )).all()

    def seeded(self, seed) -> None:
        seed()

    def _truncate(self) -> None:
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))

    def begin_test(self, committing: bool = False) -> None:
        global _committed_elsewhere
        db.session.remove()
        if _committed_elsewhere:  # a module's own app left its world behind
            self._truncate()
            _committed_elsewhere = False
        self.committing = committing
        if committing:
            return
        self.connection = db.engine.connect()
        self.transaction = self.connection.begin()
        db.session.session_factory.kw.update(bind=self.connection, join_transaction_mode="create_savepoint")

    def end_test(self) -> None:
        db.session.remove()
        if self.committing:
            self._truncate()
            return
        db.session.session_factory.kw.pop("bind", None)
        db.session.session_factory.kw.pop("join_transaction_mode", None)
        self.transaction.rollback()
        if self._sequences:  # sequences are not transactional: restart them, so ids begin at 1
            restarts = ", ".join(f"setval('{name}', 1, false)" for name in self._sequences)
            self.connection.execute(sa.text(f"SELECT {restarts}"))
            self.connection.commit()
        self.connection.close()
        self.connection = self.transaction = None


@pytest.fixture(scope="session")
def _session_app():
    """The one app of the run, with its schema built once."""
    global _tables_created
    app = create_app("test")
    app.test_client_class = FreshContextClient
    with app.app_context():
        if _in_memory(db.engine):
            db.create_all()
            database = SnapshotDatabase()
            database.keep("empty")
        else:
            db.drop_all()
            db.create_all()
            _tables_created = True
            database = RollbackDatabase()
        app.extensions["test_database"] = database
        app.extensions["test_config"] = copy.copy(dict(app.config))
    yield app
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def app(_session_app, request):
    """The run's app in a fresh application context over a clean database; the configuration a
    test changes is put back afterwards."""
    from strategy.overview import cache

    app = _session_app
    database = app.extensions["test_database"]
    with app.app_context():
        database.begin_test(committing=request.node.get_closest_marker("committing") is not None)
        try:
            yield app
        finally:
            database.end_test()
            app.config.clear()
            app.config.update(app.extensions["test_config"])
            cache.clear()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def seeded(app):
    """The reference data of seed/ (Learning Pipeline, political goals, periods, tools)."""
    from strategy.seeding import seed_reference_data

    def seed() -> None:
        seed_reference_data()
        db.session.commit()

    app.extensions["test_database"].seeded(seed)
    return app


@dataclass
class SchoolWorld:
    """``make.school_world()``: one school with a strategy, another school, a user per role."""

    school: School
    other_school: School
    period: Period
    strategy: Strategy
    goal: Goal
    initiative: Initiative
    users: dict[str, User]


@dataclass
class Town:
    """``make.town()``: the municipality of the overview tests (see Factory.town)."""

    period: Period
    other_period: Period
    pg_learning: PoliticalGoal  # dygtigere-hver-dag (Læring)
    pg_friend: PoliticalGoal  # en-ven-i-skolen (Trivsel)
    a: School
    b: School
    c: School
    goal_a: Goal
    goal_b: Goal
    goal_c: Goal
    a1: Initiative
    a2: Initiative
    b1: Initiative
    b2: Initiative
    c1: Initiative
    employee: ProfileLevel
    leader_of_employees: ProfileLevel
    admin: User
    directorate: User
    consultant: User  # assigned to Aaskolen and Cedervej
    leader_b: User
    reader_a: User


class Factory:
    """Small, explicit builders for test data, the one way tests create records.

    Everything is committed so requests see it; ``Factory(commit=False)`` only adds to the
    session, for a builder that commits a whole world once (tests/world.py).
    """

    def __init__(self, commit: bool = True):
        self._n = itertools.count(1)
        self._commits = commit

    def _save(self, obj):
        db.session.add(obj)
        if self._commits:
            db.session.commit()
        return obj

    def cluster(self, name: str | None = None) -> Cluster:
        return self._save(Cluster(name=name or f"Klynge {next(self._n)}"))

    def school(self, name: str | None = None, cluster: Cluster | None = None, **values) -> School:
        return self._save(School(name=name or f"Skole {next(self._n)}", cluster=cluster, **values))

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
        return self._save(user)

    def period(self, start_year: int = 2025, end_year: int = 2027) -> Period:
        key = f"{start_year}-{end_year}"
        existing = db.session.scalar(sa.select(Period).where(Period.key == key))
        return existing or self._save(
            Period(key=key, name=key, start_year=start_year, end_year=end_year)
        )

    def strategy(self, school: School | None = None, period: Period | None = None) -> Strategy:
        period = period or self.period()
        return self._save(
            Strategy(school=school or self.school(), period=period, current_year=period.start_year)
        )

    def goal(self, strategy: Strategy | None = None, **values) -> Goal:
        strategy = strategy or self.strategy()
        values.setdefault("title", f"Mål {next(self._n)}")
        values.setdefault("position", len(strategy.goals))
        return self._save(Goal(strategy=strategy, **values))

    def initiative(self, goal: Goal | None = None, status: Status = Status.NOT_STARTED, **values) -> Initiative:
        goal = goal or self.goal()
        values.setdefault("title", f"Tiltag {next(self._n)}")
        values.setdefault("position", len(goal.initiatives))
        initiative = Initiative(goal=goal, status=status, **values)
        if status != Status.NOT_STARTED:
            initiative.status_changed_at = datetime.now(UTC)
            initiative.status_updates.append(StatusUpdate(status=status, comment=""))
        return self._save(initiative)

    # --- follow-up: sparring notes, meetings, agreements -----------------------------------------

    def note(self, school: School, author: User, visibility=Visibility.SHARED, held_on: date | None = None,
             **values) -> SparringNote:
        return self._save(SparringNote(
            school=school, author=author, held_on=held_on or date.today(), visibility=visibility,
            stances=values.pop("stances", [Stance.SUPPORTIVE.value]), **values,
        ))

    def meeting(self, school: School, organiser: User | None, meeting_type=MeetingType.ONE_TO_ONE,
                state=MeetingState.HELD, starts_at: datetime | None = None, visibility=Visibility.SHARED,
                **values) -> Meeting:
        return self._save(Meeting(
            school=school, organiser=organiser, meeting_type=meeting_type, state=state,
            starts_at=starts_at or datetime.now(UTC), visibility=visibility,
            title=values.pop("title", meeting_type.value), **values,
        ))

    def agreement(self, parent: SparringNote | Meeting, text: str = "Aftale", owner: User | None = None,
                  due_on: date | None = None, done: bool = False, **values) -> Agreement:
        """An agreement made in a note or a meeting (at the parent's school)."""
        values.setdefault("owner_name", owner.name if owner else "")
        agreement = Agreement(
            school=parent.school, text=text, owner=owner, due_on=due_on,
            done_at=datetime.now(UTC) if done else None, **values,
        )
        if isinstance(parent, SparringNote):
            agreement.note = parent
        else:
            agreement.meeting = parent
        return self._save(agreement)

    # --- whole small worlds ------------------------------------------------------------------------

    def school_world(self) -> SchoolWorld:
        """A small municipality for the strategy-page tests (test_schools_*.py): one school with a
        strategy for 2025-2027 (a goal with an initiative), another school, and a user per role
        (the roles of test_schools_permissions.ROLES)."""
        cluster = self.cluster("Klynge Nord")
        school = self.school("Skovvangskolen", cluster)
        other = self.school("Bakkeskolen", cluster)
        period = self.period(2025, 2027)
        strategy = self.strategy(school, period)
        goal = self.goal(strategy, title="Flere elever læser alderssvarende")
        initiative = self.initiative(goal, title="Læsebånd hver morgen")
        users = {
            "leader of the school": self.user(Role.LEADER, school=school, name="Lene Leder"),
            "leader of another school": self.user(Role.LEADER, school=other),
            "reader of the school": self.user(Role.READER, school=school),
            "reader of another school": self.user(Role.READER, school=other),
            "consultant assigned": self.user(Role.CONSULTANT, assigned=[school], name="Karin Konsulent"),
            "consultant not assigned": self.user(Role.CONSULTANT, assigned=[other]),
            "directorate": self.user(Role.DIRECTORATE),
            "admin": self.user(Role.ADMIN),
        }
        return SchoolWorld(school, other, period, strategy, goal, initiative, users)

    def reference_data(self) -> None:
        """The reference data of seed/, as the ``seeded`` fixture loads it (from its kept copy
        when nothing else was written yet)."""
        from flask import current_app

        from strategy.seeding import seed_reference_data

        def seed() -> None:
            seed_reference_data()
            db.session.commit()

        database = current_app.extensions.get("test_database")
        if database is None:
            seed()
        else:
            database.seeded(seed)

    def town(self) -> Town:
        """A small municipality for the overview tests (tests/test_overview_*.py), on seed/.

        Two clusters, three schools, one strategy period; initiatives chosen so that every cell
        of the matrix has a known roll-up:

            school (cluster)   political goal        initiatives (status, level)
            Aaskolen (Nord)    dygtigere-hver-dag    a1 Udfordret (Medarbejder), a2 På rette spor (Leder af medarbejdere)  <- via goal gA
                               en-ven-i-skolen       a2 (its own link)
            Bøgeskolen (Nord)  en-ven-i-skolen       b1, b2 Gennemført                                                     <- via goal gB
            Cedervej (Syd)     dygtigere-hver-dag    c1 I gang (its own link; goal gC has no political goal)
        """
        self.reference_data()
        period = by_key(Period, "2021-2023")
        other_period = by_key(Period, "2018-2020")
        pg_learning = by_key(PoliticalGoal, "dygtigere-hver-dag")
        pg_friend = by_key(PoliticalGoal, "en-ven-i-skolen")
        employee, leader_level = (
            db.session.scalar(sa.select(ProfileLevel).where(ProfileLevel.key == key, ProfileLevel.school_id.is_(None)))
            for key in ("medarbejder", "leder-af-medarbejdere")
        )

        nord, syd = self.cluster("Nord"), self.cluster("Syd")
        a, b, c = self.school("Aaskolen", nord), self.school("Bøgeskolen", nord), self.school("Cedervej Skole", syd)

        goal_a = self.goal(
            self.strategy(a, period), title="Flere elever læser sikkert", indicator="Andel sikre læsere", unit="%",
            baseline_value=60.0, baseline_year=2021, target_value=80.0, target_year=2023,
        )
        goal_a.political_goals = [pg_learning]
        goal_a.measurements = [Measurement(year=2022, value=65.0), Measurement(year=2023, value=70.0)]
        goal_b = self.goal(self.strategy(b, period), title="Alle har en ven", baseline_value=3.0, target_value=4.0)
        goal_b.political_goals = [pg_friend]
        goal_b.measurements = [Measurement(year=2023, value=4.2)]
        goal_c = self.goal(self.strategy(c, period), title="Mere bevægelse")
        db.session.commit()

        a1 = self.initiative(goal_a, status=Status.CHALLENGED, title="Læsebånd", owner_level=employee)
        a2 = self.initiative(goal_a, status=Status.ON_TRACK, title="Legepatruljer", owner_level=leader_level,
                             responsible="Viceskoleleder", start_date=date(2022, 8, 1))
        a2.political_goals = [pg_friend]
        b1 = self.initiative(goal_b, status=Status.COMPLETED, title="Venskabsklasser")
        b2 = self.initiative(goal_b, status=Status.COMPLETED, title="Fælles frikvarter")
        c1 = self.initiative(goal_c, status=Status.IN_PROGRESS, title="Læsemakkere")
        c1.political_goals = [pg_learning]
        first_expectation = db.session.scalar(
            sa.select(Expectation).where(Expectation.level_id == employee.id).order_by(Expectation.position).limit(1)
        )
        a1.expectations = [first_expectation]
        c1.expectations = [first_expectation]
        db.session.commit()

        return Town(
            period=period, other_period=other_period, pg_learning=pg_learning, pg_friend=pg_friend,
            a=a, b=b, c=c, goal_a=goal_a, goal_b=goal_b, goal_c=goal_c, a1=a1, a2=a2, b1=b1, b2=b2, c1=c1,
            employee=employee, leader_of_employees=leader_level,
            admin=self.user("admin"), directorate=self.user("directorate"),
            consultant=self.user("consultant", assigned=[a, c]),
            leader_b=self.user("leader", school=b), reader_a=self.user("reader", school=a),
        )

    def more_schools(self, town: Town, count: int) -> None:
        """More schools like Aaskolen (for the query-count tests): a goal, two initiatives each."""
        cluster = town.a.cluster
        for n in range(count):
            school = self.school(f"Ekstra skole {n}", cluster)
            goal = self.goal(self.strategy(school, town.period), title=f"Mål {n}", baseline_value=1.0, target_value=2.0)
            goal.political_goals = [town.pg_learning, town.pg_friend]
            goal.measurements = [Measurement(year=2023, value=1.5)]
            db.session.commit()
            first = self.initiative(goal, status=Status.ON_TRACK, owner_level=town.employee)
            first.political_goals = [town.pg_friend]
            first.expectations = list(town.a1.expectations)
            self.initiative(goal, status=Status.CHALLENGED)
            db.session.commit()


@pytest.fixture
def make(app) -> Factory:
    return Factory()


@pytest.fixture
def login_as(client):
    """``login_as(user)``: tests.helpers.sign_in on the test's client; returns the user."""

    def signed_in(user: User) -> User:
        sign_in(client, user)
        return user

    return signed_in


@pytest.fixture
def smtp(app):
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that the app sends to; yields its Inbox."""
    from tests.smtp import smtp_server

    with smtp_server() as (inbox, port):
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        yield inbox
    app.config.update(MAIL_SERVER="", MAIL_PORT=25)


_SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@pytest.fixture
def count_queries(app):
    """Context manager counting the SQL statements a block runs: ``with count_queries() as q``."""

    @contextlib.contextmanager
    def counting():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.startswith(_SAVEPOINTS):  # the test's own transaction, not the app's work
                statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before)

    return counting
