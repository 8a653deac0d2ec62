"""Data safety: backup and restore, and the data-protection commands (export, anonymise).

`flask backup` / `flask restore FILE` copy the whole database consistently: SQLite through its
online backup API (safe while the app is running), PostgreSQL through pg_dump / pg_restore.
`flask export-person EMAIL` writes everything the product holds about one person as JSON;
`flask anonymise-person EMAIL` replaces the identity of a person who has left with a pseudonym
and keeps their notes and history.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import Flask, current_app

from strategy import audit
from strategy.extensions import db
from strategy.models import (
    AgendaItem,
    Agreement,
    AuditEvent,
    Initiative,
    AccountToken,
    LoginAttempt,
    ResetRequest,
    UserSession,
    Meeting,
    SparringNote,
    User,
)

# Never part of an export: secrets, not personal data the person could use.
SECRET_COLUMNS = {"password_hash", "session_token"}

# Readable names for the places a person is referenced; any other reference to user.id is
# still exported under "<table>.<column>" (so a column added later is never forgotten).
REFERENCE_NAMES = {
    ("sparring_note", "author_id"): "notes_authored",
    ("sparring_note", "subject_id"): "notes_about_them",
    ("meeting", "organiser_id"): "meetings_organised",
    ("meeting", "subject_id"): "meetings_about_them",
    ("agreement", "owner_id"): "agreements_owned",
    ("agreement", "created_by_id"): "agreements_created",
    ("status_update", "author_id"): "status_updates",
    ("evaluation", "author_id"): "evaluations",
    ("comment", "author_id"): "comments",
    ("audit_event", "actor_id"): "audit_events_by_them",
    ("consultant_school", "user_id"): "assigned_schools",
    ("watchlist_entry", "created_by_id"): "watchlist_entries_created",
    ("watchlist_entry", "removed_by_id"): "watchlist_entries_removed",
    ("strategy_snapshot", "closed_by_id"): "strategy_years_closed",
}

# Free-text fields where a person's full name is typed by others (participants, owners).
NAME_TEXT_FIELDS = (
    (SparringNote, "participants"),
    (Meeting, "participants"),
    (Meeting, "roles"),
    (AgendaItem, "responsible"),
    (Agreement, "owner_name"),
    (Initiative, "responsible"),
)


class DataSafetyError(Exception):
    """A backup, restore or data-protection step that cannot be done; the message says why."""


# --- backup and restore ------------------------------------------------------------------------


def _dialect() -> str:
    return db.engine.dialect.name


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise DataSafetyError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def _libpq_target() -> tuple[str, dict[str, str]]:
    """The database URL for pg_dump/pg_restore (no SQLAlchemy driver) and an env with the password."""
    url = db.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # not on the command line, where `ps` shows it
    target = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return target, env


def _backup_name(directory: Path, suffix: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"maalpil-{stamp}{suffix}"
    n = 2
    while path.exists():
        path = directory / f"maalpil-{stamp}-{n}{suffix}"
        n += 1
    return path


def backup_database(directory: str | Path | None = None, prefix: str = "") -> Path:
    """Write a consistent copy of the whole database into ``directory`` and return its path."""
    directory = Path(directory or current_app.config["BACKUP_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    dialect = _dialect()
    if dialect == "sqlite":
        path = _backup_name(directory, ".sqlite")
        if prefix:
            path = path.with_name(prefix + path.name)
        source = sqlite3.connect(_sqlite_path())
        target = sqlite3.connect(path)
        try:
            with target:
                source.backup(target)  # a consistent snapshot even while others write
        finally:
            target.close()
            source.close()
        return path
    if dialect == "postgresql":
        path = _backup_name(directory, ".dump")
        if prefix:
            path = path.with_name(prefix + path.name)
        url, env = _libpq_target()
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}", f"--dbname={url}"], env)
        return path
    raise DataSafetyError(f"Backups of {dialect} databases are not supported.")


def restore_database(path: str | Path) -> None:
    """Replace the whole database with the backup at ``path`` (made by backup_database)."""
    path = Path(path)
    if not path.is_file():
        raise DataSafetyError(f"No backup file at {path}.")
    dialect = _dialect()
    # Every pooled connection is closed first: they would hold locks or see the old data.
    db.session.remove()
    db.engine.dispose()
    if dialect == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            try:
                problem = source.execute("PRAGMA quick_check").fetchone()[0]
            except sqlite3.DatabaseError as error:
                raise DataSafetyError(f"{path} is not an SQLite backup: {error}") from error
            if problem != "ok":
                raise DataSafetyError(f"{path} is damaged: {problem}")
            target = sqlite3.connect(_sqlite_path())
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    elif dialect == "postgresql":
        url, env = _libpq_target()
        # One transaction: a backup that fails half-way leaves the database as it was.
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             f"--dbname={url}", str(path)],
            env,
        )
    else:
        raise DataSafetyError(f"Restoring {dialect} databases is not supported.")
    db.engine.dispose()


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise DataSafetyError(f"{command[0]} is not installed on this machine.") from error
    if result.returncode != 0:
        raise DataSafetyError(f"{command[0]} failed: {result.stderr.strip()}")


# --- data protection -------------------------------------------------------------------------


def find_person(email: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise DataSafetyError(f"No user with e-mail {email}.")
    return user


def _json_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _row(table: sa.Table, row) -> dict[str, Any]:
    return {
        column.name: _json_value(row._mapping[column])
        for column in table.columns
        if column.name not in SECRET_COLUMNS
    }


def _rows(table: sa.Table, where) -> list[dict[str, Any]]:
    order = list(table.primary_key.columns)
    return [_row(table, r) for r in db.session.execute(sa.select(table).where(where).order_by(*order))]


def _user_references() -> list[tuple[sa.Table, sa.Column]]:
    """Every column in the schema that points at a user."""
    user_table = User.__table__
    found = []
    for table in db.metadata.sorted_tables:
        if table is user_table:
            continue
        for column in table.columns:
            if any(fk.column.table is user_table for fk in column.foreign_keys):
                found.append((table, column))
    return found


def export_person(user: User) -> dict[str, Any]:
    """Everything the product holds about ``user``, as JSON-ready data (never the password hash)."""
    user_table = User.__table__
    account = _rows(user_table, user_table.c.id == user.id)[0]
    data: dict[str, Any] = {
        "exported_at": datetime.now(UTC).isoformat(),
        "account": account,
    }
    for table, column in _user_references():
        key = REFERENCE_NAMES.get((table.name, column.name), f"{table.name}.{column.name}")
        data[key] = _rows(table, column == user.id)
    # Agenda items and agreements of the meetings and notes about them carry their data too.
    meeting_ids = [m["id"] for m in data["meetings_organised"] + data["meetings_about_them"]]
    data["agenda_items"] = _rows(AgendaItem.__table__, AgendaItem.__table__.c.meeting_id.in_(meeting_ids))
    audit_table = AuditEvent.__table__
    data["audit_events_about_them"] = _rows(
        audit_table, (audit_table.c.object_type == "User") & (audit_table.c.object_id == user.id)
    )
    attempts = LoginAttempt.__table__
    data["login_attempts"] = _rows(attempts, attempts.c.email == user.email)
    resets = ResetRequest.__table__
    data["password_reset_requests"] = _rows(resets, resets.c.email == user.email)
    return data


def pseudonym(user: User) -> str:
    return f"Tidligere medarbejder #{user.id}"


def anonymise_person(user: User) -> dict[str, int]:
    """Replace the identity of a person who has left; keep their notes and history.

    Name, e-mail and title become a pseudonym, the password hash goes, the account is
    deactivated and every session ends. Their full name is replaced where others typed it
    (participants, owners, responsible), and in the history of their own account.
    Returns how many rows of each kind were changed. The caller commits.
    """
    old_name, old_email, old_title = user.name, user.email, user.title
    new_name = pseudonym(user)
    new_email = f"tidligere-medarbejder-{user.id}@anonymiseret.invalid"
    counts: dict[str, int] = {}

    user.name = new_name
    user.email = new_email
    user.title = ""
    user.password_hash = ""
    user.active = False
    user.assigned_schools = []
    user.anonymised_at = datetime.now(UTC)
    user.end_all_sessions()

    db.session.flush()
    if " " in old_name.strip():  # a full name; a lone first name would hit other people's names
        for model, field in NAME_TEXT_FIELDS:
            column = getattr(model, field)
            result = db.session.execute(
                sa.update(model)
                .where(column.contains(old_name, autoescape=True))
                .values({field: sa.func.replace(column, old_name, new_name)})
                .execution_options(synchronize_session=False)
            )
            counts[f"{model.__tablename__}.{field}"] = result.rowcount

    result = db.session.execute(
        sa.update(LoginAttempt).where(LoginAttempt.email == old_email).values(email=new_email)
    )
    counts["login_attempt"] = result.rowcount
    # Single sign-on and sessions: the provider's identity, where they signed in from, their links.
    user.oidc_subject = None
    counts["reset_request"] = db.session.execute(
        sa.update(ResetRequest).where(ResetRequest.email == old_email).values(email=new_email)
    ).rowcount
    counts["user_session"] = db.session.execute(
        sa.update(UserSession).where(UserSession.user_id == user.id)
        .values(ip_address="", user_agent="", id_token="", ended_at=sa.func.coalesce(UserSession.ended_at, sa.func.now()))
    ).rowcount
    counts["account_token"] = db.session.execute(
        sa.update(AccountToken).where(AccountToken.user_id == user.id, AccountToken.used_at.is_(None),
                                      AccountToken.revoked_at.is_(None)).values(revoked_at=datetime.now(UTC))
    ).rowcount
    # What the bell told them, and their e-mail settings, are theirs alone: they go.
    from strategy.models import Notification, NotificationSetting

    counts["notification"] = db.session.execute(
        sa.delete(Notification).where(Notification.recipient_id == user.id)).rowcount
    db.session.execute(sa.delete(NotificationSetting).where(NotificationSetting.user_id == user.id))

    # The history of their own account keeps what changed, not who they were.
    replacements = {v: r for v, r in ((old_name, new_name), (old_email, new_email), (old_title, "")) if v}
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "User", AuditEvent.object_id == user.id)
    ).all()
    for event in events:
        event.changes = _scrub(event.changes, replacements)
        event.summary = _scrub(event.summary, replacements)
    counts["audit_event"] = len(events)

    audit.record("anonymise", user, summary=new_name)
    db.session.flush()
    db.session.expire_all()  # the bulk updates above bypassed the objects in the session
    # ... and the search index, which would otherwise still find the old name.
    from strategy.search.index import refresh

    for kind in ("note", "meeting", "initiative"):
        refresh(db.session, kind, None)
    return counts


def _scrub(value: Any, replacements: dict[str, str]) -> Any:
    if isinstance(value, str):
        for old, new in replacements.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_scrub(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, replacements) for k, v in value.items()}
    return value


# --- the commands ------------------------------------------------------------------------------


@click.command("backup")
@click.option("--dir", "directory", default=None, help="Where to write it (default: BACKUP_DIR).")
def backup_command(directory: str | None) -> None:
    """Write a consistent backup of the whole database."""
    try:
        path = backup_database(directory)
    except DataSafetyError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {path}")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: str, yes: bool) -> None:
    """Replace the whole database with a backup. The current state is backed up first."""
    if not yes:
        click.confirm(f"Replace ALL data in the database with {path}?", abort=True)
    try:
        safety = backup_database(prefix="before-restore-")
        restore_database(path)
    except DataSafetyError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {path} (the previous state is kept in {safety}).")


@click.command("export-person")
@click.argument("email")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default="-",
              help="File to write the JSON to (default: standard output).")
def export_person_command(email: str, output: str) -> None:
    """Write everything the product holds about one person as JSON (data subject access)."""
    try:
        user = find_person(email)
    except DataSafetyError as error:
        raise click.ClickException(str(error)) from error
    data = export_person(user)
    audit.record("export", user, summary="export-person")
    db.session.commit()
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    if output == "-":
        click.echo(text)
    else:
        Path(output).write_text(text + "\n", encoding="utf-8")
        click.echo(f"Exported {email} to {output}", err=True)


@click.command("anonymise-person")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def anonymise_person_command(email: str, yes: bool) -> None:
    """Anonymise a person who has left: pseudonym, no password, no sessions; notes kept."""
    try:
        user = find_person(email)
    except DataSafetyError as error:
        raise click.ClickException(str(error)) from error
    if not yes:
        click.confirm(f"Anonymise {user.name} <{user.email}>? This cannot be undone.", abort=True)
    user_id = user.id
    anonymise_person(user)
    db.session.commit()
    click.echo(f"Anonymised user #{user_id}.")


def init_app(app: Flask) -> None:
    for command in (backup_command, restore_command, export_person_command, anonymise_person_command):
        app.cli.add_command(command)
