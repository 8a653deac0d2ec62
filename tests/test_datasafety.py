"""Data safety: backup and restore lose nothing, a person can be exported and anonymised,
and a request that fails half-way leaves nothing behind."""

import json
import os
import sqlite3

import pytest
import sqlalchemy as sa

from strategy import create_app
from strategy.datasafety import export_person, pseudonym
from strategy.extensions import db
from strategy.models import (
    Agreement,
    AuditEvent,
    Evaluation,
    Goal,
    LoginAttempt,
    Meeting,
    SparringNote,
    StatusUpdate,
    User,
)
from tests.conftest import PASSWORD
from tests.helpers import sign_in
from tests.world import build_world, own_app

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql"))


def everything() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: what a backup must give back."""
    tables = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows = db.session.execute(sa.select(table).order_by(*order)).all()
        tables[table.name] = [tuple(row) for row in rows]
    return tables


def damage(world) -> None:
    """What a bad day does after the backup: deletions, edits, new rows."""
    db.session.execute(sa.delete(Agreement))
    db.session.execute(sa.update(Goal).values(title="overskrevet"))
    db.session.execute(sa.delete(StatusUpdate))
    db.session.add(LoginAttempt(email="someone@example.dk", ip_address="10.0.0.1", success=False))
    db.session.commit()


@pytest.fixture
def file_app(tmp_path):
    """The app on an SQLite file (backups of an in-memory database make no sense)."""
    app = create_app(
        "test",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'maalpil.sqlite'}",
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_sqlite_backup_and_restore_round_trip_loses_nothing(file_app, tmp_path):
    world = build_world()
    goal_id = world["goal"].id
    before = everything()
    assert sum(len(rows) for rows in before.values()) > 60  # a real world, not an empty one
    runner = file_app.test_cli_runner()

    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    backups = list((tmp_path / "backups").glob("maalpil-*.sqlite"))
    assert len(backups) == 1 and str(backups[0]) in result.output

    damage(world)
    assert everything() != before

    result = runner.invoke(args=["restore", str(backups[0]), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    after = everything()
    for name, rows in before.items():
        assert len(after[name]) == len(rows), name
        assert after[name] == rows, name
    assert db.session.scalar(sa.select(Goal.title).where(Goal.id == goal_id)) == "goal.title"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Agreement)) == 4
    # The state that was replaced is kept too, in case the wrong file was restored.
    kept = list((tmp_path / "backups").glob("before-restore-*.sqlite"))
    assert len(kept) == 1
    with sqlite3.connect(kept[0]) as conn:
        assert conn.execute("SELECT count(*) FROM agreement").fetchone()[0] == 0


def test_a_backup_is_a_consistent_snapshot_without_uncommitted_writes(file_app, tmp_path):
    build_world()
    committed = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    # Another connection is half-way through a write while the backup runs.
    writer = sqlite3.connect(db.engine.url.database, timeout=10)
    writer.execute("BEGIN")
    writer.execute(
        "INSERT INTO user (email, name, title, password_hash, role, locale, active, session_token, is_demo,"
        " created_at, updated_at) VALUES ('x@example.dk', 'X', '', '', 'reader', 'da', 1, 't', 0, '2025-01-01', '2025-01-01')"
    )
    try:
        result = file_app.test_cli_runner().invoke(args=["backup"])
    finally:
        writer.rollback()
        writer.close()
    assert result.exit_code == 0, result.output
    (backup,) = (tmp_path / "backups").glob("maalpil-*.sqlite")
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM user").fetchone()[0] == committed


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(file_app, tmp_path):
    build_world()
    before = everything()
    bogus = tmp_path / "not-a-backup.sqlite"
    bogus.write_bytes(b"this is not a database" * 100)
    result = file_app.test_cli_runner().invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code != 0
    assert "not an SQLite backup" in result.output
    db.session.remove()
    assert everything() == before

    result = file_app.test_cli_runner().invoke(args=["restore", str(tmp_path / "missing.sqlite"), "--yes"])
    assert result.exit_code != 0 and "No backup file" in result.output


def test_restore_asks_before_replacing_everything(file_app, tmp_path):
    build_world()
    runner = file_app.test_cli_runner()
    runner.invoke(args=["backup"])
    (backup,) = (tmp_path / "backups").glob("maalpil-*.sqlite")
    db.session.execute(sa.delete(Agreement))
    db.session.commit()
    result = runner.invoke(args=["restore", str(backup)], input="n\n")
    assert result.exit_code != 0
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Agreement)) == 0


@pytest.mark.skipif(ON_POSTGRES, reason="the in-memory case exists only on SQLite")
def test_an_in_memory_database_cannot_be_backed_up(app):
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code != 0 and "in-memory" in result.output


@pytest.mark.skipif(not ON_POSTGRES, reason="needs DATABASE_URL pointing at PostgreSQL (pg_dump/pg_restore)")
@pytest.mark.committing  # pg_dump reads through its own connection
def test_postgres_backup_and_restore_round_trip_loses_nothing(app, tmp_path):
    app.config["BACKUP_DIR"] = str(tmp_path / "backups")
    world = build_world()
    before = everything()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    (backup,) = (tmp_path / "backups").glob("maalpil-*.dump")

    damage(world)
    assert everything() != before
    result = runner.invoke(args=["restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    after = everything()
    for name, rows in before.items():
        assert after[name] == rows, name
    # Sequences come back too: a new row after the restore does not collide with a restored one.
    db.session.add(LoginAttempt(email="after@example.dk", ip_address="", success=False))
    db.session.commit()
    assert list((tmp_path / "backups").glob("before-restore-*.dump"))


# --- export of one person --------------------------------------------------------------------


def _export(app, email, tmp_path) -> dict:
    target = tmp_path / "export.json"
    result = app.test_cli_runner().invoke(args=["export-person", email, "--output", str(target)])
    assert result.exit_code == 0, result.output
    return json.loads(target.read_text(encoding="utf-8"))


def test_export_holds_everything_about_a_leader_and_never_the_password(app, tmp_path):
    world = build_world()
    leader = world.user("leader")
    db.session.add_all([
        LoginAttempt(email=leader.email, ip_address="10.1.1.1", success=False),
        LoginAttempt(email=leader.email, ip_address="10.1.1.1", success=True),
        LoginAttempt(email="someone-else@example.dk", ip_address="10.1.1.1", success=False),
    ])
    db.session.commit()

    data = _export(app, "LEADER@example.dk", tmp_path)

    raw = json.dumps(data)
    assert "password_hash" not in raw and leader.password_hash not in raw
    assert "session_token" not in raw and leader.session_token not in raw
    account = data["account"]
    assert (account["id"], account["email"], account["name"], account["role"]) == (
        leader.id, leader.email, "user.name", "leader")
    assert [n["id"] for n in data["notes_about_them"]] == [world["note"].id]
    assert data["notes_about_them"][0]["observation"] == "note.observation"
    assert [m["id"] for m in data["meetings_about_them"]] == [world["meeting"].id]
    assert [a["id"] for a in data["agenda_items"]] == [world["agenda_item"].id]
    assert [a["id"] for a in data["agreements_owned"]] == [world["agreement"].id]
    assert [s["comment"] for s in data["status_updates"]] == ["status_update.comment"]
    assert {e["id"] for e in data["evaluations"]} == {world["evaluation"].id, world["goal_evaluation"].id}
    assert [e["summary"] for e in data["audit_events_by_them"]] == ["audit.summary"]
    assert [a["success"] for a in data["login_attempts"]] == [False, True]
    assert data["strategy_years_closed"][0]["year"] == 2024


def test_export_of_a_consultant_includes_their_drafts_comments_and_assignments(app, tmp_path):
    world = build_world()
    data = _export(app, "consultant@example.dk", tmp_path)
    assert {n["id"] for n in data["notes_authored"]} == {
        world["note"].id, world["note_draft"].id, world["note_internal"].id}
    assert {m["id"] for m in data["meetings_organised"]} == {world["meeting"].id, world["meeting_draft"].id}
    assert {c["id"] for c in data["comments"]} == {world["comment"].id, world["goal_comment"].id}
    assert {a["id"] for a in data["agreements_created"]} == {
        world["agreement"].id, world["meeting_agreement"].id, world["agreement_draft"].id}
    assert [s["school_id"] for s in data["assigned_schools"]] == [world["school"].id]
    # Someone else's notes are not theirs to receive.
    assert world["note_b"].id not in {n["id"] for n in data["notes_authored"]}


def test_every_reference_to_a_person_in_the_schema_is_exported(app):
    """A column pointing at user.id added later is exported without anyone remembering to."""
    from strategy.datasafety import REFERENCE_NAMES, _user_references

    world = build_world()
    for role in ("consultant", "leader", "directorate"):
        user = world.user(role)
        data = export_person(user)
        for table, column in _user_references():
            key = REFERENCE_NAMES.get((table.name, column.name), f"{table.name}.{column.name}")
            expected = db.session.scalar(sa.select(sa.func.count()).select_from(table).where(column == user.id))
            assert len(data[key]) == expected, (role, key)
    assert len(_user_references()) >= 14


def test_exporting_is_recorded_and_an_unknown_email_is_an_error(app, tmp_path):
    world = build_world()
    _export(app, "reader@example.dk", tmp_path)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.object_type == "User" and event.object_id == world.user("reader").id
    result = app.test_cli_runner().invoke(args=["export-person", "nobody@example.dk"])
    assert result.exit_code != 0 and "No user" in result.output


# --- anonymisation -----------------------------------------------------------------------------


def _string_values() -> list[str]:
    values = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).mappings():
            values.extend(json.dumps(v, default=str) for v in row.values() if v is not None)
    return values


def test_anonymising_a_leader_replaces_identity_and_keeps_notes_and_history(app, client, tmp_path):
    world = build_world()
    leader = world.user("leader")
    leader_id, old_email = leader.id, leader.email
    old_name = "Anne Birgitte Leder"
    leader.name = old_name
    world["agreement"].owner_name = f"{old_name} og teamet"
    world["note"].participants = f"{old_name}, konsulent"
    db.session.add(LoginAttempt(email=old_email, ip_address="10.0.0.9", success=True))
    db.session.add(AuditEvent(actor_id=world.user("admin").id, action="update", object_type="User",
                              object_id=leader_id, summary=f"Rettede {old_name}",
                              changes={"email": ["gammel@example.dk", old_email]}))
    db.session.commit()
    counts_before = {m: db.session.scalar(sa.select(sa.func.count()).select_from(m))
                     for m in (SparringNote, Meeting, Agreement, StatusUpdate, Evaluation)}
    # The leader is signed in somewhere when they are anonymised.
    client.post("/login", data={"email": old_email, "password": PASSWORD})
    assert client.get("/").status_code == 302 and "/login" not in client.get("/").headers["Location"]

    result = app.test_cli_runner().invoke(args=["anonymise-person", old_email, "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()

    person = db.session.get(User, leader_id)
    assert person.name == f"Tidligere medarbejder #{leader_id}" == pseudonym(person)
    assert person.email != old_email and person.email.endswith(".invalid")
    assert person.title == "" and person.password_hash == "" and person.active is False
    assert person.anonymised_at is not None
    # Their notes, meetings and history stay, linked to the pseudonym.
    assert {m: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in counts_before} == counts_before
    assert db.session.get(SparringNote, world["note"].id).subject_id == leader_id
    assert db.session.get(StatusUpdate, world["status_update"].id).author_id == leader_id
    assert db.session.get(Agreement, world["agreement"].id).owner_name == f"{person.name} og teamet"
    # Nothing anywhere in the database names them any more.
    values = _string_values()
    assert not [v for v in values if old_email in v]
    assert not [v for v in values if old_name in v]
    # Their session ended, and they cannot sign in again.
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.post("/login", data={"email": old_email, "password": PASSWORD})
    assert response.status_code == 401
    assert db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "anonymise", AuditEvent.object_id == leader_id)
    ) is not None


def test_anonymising_a_consultant_ends_assignments_and_keeps_their_notes(app):
    world = build_world()
    consultant_id = world.user("consultant").id
    note_ids = {world[k].id for k in ("note", "note_draft", "note_internal")}
    result = app.test_cli_runner().invoke(args=["anonymise-person", "consultant@example.dk", "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    person = db.session.get(User, consultant_id)
    assert person.assigned_schools == [] and not person.active
    notes = db.session.scalars(sa.select(SparringNote).where(SparringNote.author_id == consultant_id)).all()
    assert {n.id for n in notes} == note_ids
    assert all(n.observation == "note.observation" for n in notes)


def test_anonymise_asks_first_and_refuses_an_unknown_person(app):
    build_world()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["anonymise-person", "reader@example.dk"], input="n\n")
    assert result.exit_code != 0
    db.session.expire_all()
    assert db.session.scalar(sa.select(User.name).where(User.email == "reader@example.dk")) == "Reader"
    result = runner.invoke(args=["anonymise-person", "nobody@example.dk", "--yes"])
    assert result.exit_code != 0 and "No user" in result.output


# --- one transaction per request ---------------------------------------------------------------


@pytest.fixture
def failing_app():
    """An app that answers an unexpected exception with a 500 page (as in production)."""
    with own_app(PROPAGATE_EXCEPTIONS=False) as app:
        yield app


def test_a_request_that_fails_half_way_keeps_nothing(failing_app):
    """A domain write, its audit event and a flush happen, then the request fails: all gone."""
    from strategy import audit
    from strategy.htmx import redirect_to

    world = build_world()
    goal_id, leader_session = world["goal"].id, world.user("leader").get_id()

    def write_then_fail():
        goal = db.session.get(Goal, goal_id)
        goal.title = "halvt gemt"
        audit.record("update", goal, {"title": ["goal.title", "halvt gemt"]})
        db.session.add(Goal(strategy_id=goal.strategy_id, title="nyt mål"))
        db.session.flush()  # the rows are in the database's transaction now
        raise RuntimeError("the disk is full")
        return redirect_to("/")  # pragma: no cover

    failing_app.add_url_rule("/test-write-then-fail", "write_then_fail", write_then_fail, methods=["POST"])
    before = everything()
    client = failing_app.test_client()
    sign_in(client, leader_session)
    response = client.post("/test-write-then-fail")
    assert response.status_code == 500
    assert "Intet er gemt" in response.get_data(as_text=True)
    db.session.remove()
    assert everything() == before


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_saving_an_initiative_that_fails_after_the_write_keeps_nothing(failing_app, monkeypatch, htmx):
    """The real route: the domain write and its audit event are flushed, then the request fails."""
    from strategy.schools import service
    from tests.helpers import htmx_headers

    world = build_world()
    initiative_id, leader_session = world["initiative"].id, world.user("leader").get_id()
    real_update = service.update_initiative

    def update_then_fail(initiative, values, actor):
        changes = real_update(initiative, values, actor)
        db.session.flush()
        assert changes  # the write really happened in the transaction
        raise RuntimeError("the database connection dropped")

    monkeypatch.setattr(service, "update_initiative", update_then_fail)
    before = everything()
    client = failing_app.test_client()
    sign_in(client, leader_session)
    response = client.post(f"/tiltag/{initiative_id}", data={"version": "1", "title": "Nyt navn"},
                           headers=htmx_headers() if htmx else {})
    assert response.status_code == 500
    db.session.remove()
    assert everything() == before


# --- a database that restarts ------------------------------------------------------------------


def _flaky_connect(engine, monkeypatch, failures: int | None) -> list[int]:
    """Make the driver refuse ``failures`` connections (None: all of them), as a restarting server does."""
    real_connect = engine.dialect.connect
    attempts: list[int] = []

    def connect(*args, **kwargs):
        attempts.append(1)
        if failures is None or len(attempts) <= failures:
            raise engine.dialect.loaded_dbapi.OperationalError("the database system is starting up")
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(engine.dialect, "connect", connect)
    return attempts


@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL=postgresql+psycopg://...)")
def test_a_request_waits_for_a_database_that_is_starting_again(monkeypatch):
    from config import _database_url
    from strategy.extensions import retry_connections

    engine = sa.create_engine(_database_url(""), poolclass=sa.pool.NullPool)
    retry_connections(engine, seconds=10)
    attempts = _flaky_connect(engine, monkeypatch, failures=2)
    with engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT 1")) == 1
    assert len(attempts) == 3
    engine.dispose()


def test_a_database_that_stays_away_is_given_up_on(monkeypatch):
    from strategy.extensions import retry_connections

    # Nothing listens here; the driver is never really called.
    engine = sa.create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none", poolclass=sa.pool.NullPool)
    retry_connections(engine, seconds=0.5)
    attempts = _flaky_connect(engine, monkeypatch, failures=None)
    with pytest.raises(sa.exc.OperationalError, match="starting up"):
        engine.connect()
    assert 2 <= len(attempts) <= 6  # 0.1 + 0.2 s of waiting fit in the half second, the next does not


def test_sqlite_connections_are_not_retried(monkeypatch):
    from strategy.extensions import retry_connections

    engine = sa.create_engine("sqlite://", poolclass=sa.pool.NullPool)
    retry_connections(engine, seconds=10)
    attempts = _flaky_connect(engine, monkeypatch, failures=None)
    with pytest.raises(sa.exc.OperationalError):
        engine.connect()
    assert len(attempts) == 1


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_lost_database_is_a_503_that_keeps_nothing(failing_app, htmx):
    from tests.helpers import htmx_headers

    world = build_world()
    goal_id, leader_session = world["goal"].id, world.user("leader").get_id()

    database_gone = []

    def refuse_statements(*_args):
        if database_gone:
            raise sa.exc.OperationalError("SELECT ...", {}, Exception("connection refused"))

    def write_then_lose_the_database():
        db.session.get(Goal, goal_id).title = "halvt gemt"
        db.session.flush()
        database_gone.append(True)  # from here on, every statement fails, as with a server that is down
        raise sa.exc.OperationalError("UPDATE goal ...", {}, Exception("server closed the connection unexpectedly"))

    failing_app.add_url_rule("/test-lost-database", "lost_database", write_then_lose_the_database, methods=["POST"])
    before = everything()
    client = failing_app.test_client()
    sign_in(client, leader_session)
    sa.event.listen(db.engine, "before_cursor_execute", refuse_statements)
    try:
        response = client.post("/test-lost-database", headers=htmx_headers() if htmx else {})
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", refuse_statements)
    assert database_gone
    assert response.status_code == 503
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert "Databasen svarer ikke lige nu" in page and "Intet er gemt" in page
    assert ("<html" in page) is not htmx
    db.session.remove()
    assert everything() == before
