"""`flask` commands: seed, demo, create-user."""

import click
import sqlalchemy as sa
from flask import Flask

from strategy import datasafety
from strategy.extensions import db
from strategy.models import Role, School


@click.command("seed")
def seed_command() -> None:
    """Load the reference data of seed/ (idempotent: a second run changes nothing)."""
    from strategy.seeding import seed_reference_data

    from strategy.search.index import is_empty, rebuild_all

    counter = seed_reference_data()
    db.session.commit()
    click.echo(f"Reference data: {counter}.")
    if is_empty(db.session):  # a database from before the search, or restored without it
        built = rebuild_all(db.session)
        db.session.commit()
        click.echo(f"Search index built: {sum(built.values())} documents.")


@click.command("search-index")
def search_index_command() -> None:
    """Rebuild the search index from the database (after changes made outside the app)."""
    from strategy.search.index import rebuild_all

    built = rebuild_all(db.session)
    db.session.commit()
    click.echo("Search index rebuilt: " + ", ".join(f"{n} {kind}" for kind, n in built.items()) + ".")


@click.command("demo")
@click.option("--force", is_flag=True, help="Load even if demo data is already there.")
def demo_command(force: bool) -> None:
    """Load the demo municipality (schools, users, strategies, follow-up). Never part of `seed`."""
    from strategy.demo import demo_loaded, load_demo
    from strategy.seeding import seed_reference_data

    if demo_loaded() and not force:
        click.echo("Demo data is already loaded; nothing changed.")
        return
    seed_reference_data()
    summary = load_demo()
    db.session.commit()
    click.echo(f"Demo data loaded: {summary}.")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--school", "school_name", default=None, help="The school of a leader, reader or school board member.")
@click.option("--title", default="")
@click.option("--set-password", "set_password", is_flag=True,
              help="Ask for a password now instead of sending an invitation (the break-glass administrator).")
@click.option("--password", default=None, hidden=True, help="The password (scripts; prefer --set-password).")
def create_user_command(email, name, role, school_name, title, set_password, password) -> None:
    """Create a local account. It gets an invitation by e-mail (printed to the log without
    MAIL_SERVER) with which the person chooses a password; with --set-password you type it."""
    from strategy import mail
    from strategy.auth.accounts import create_user, send_invitation

    if set_password and password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    school = None
    if school_name:
        school = db.session.scalar(sa.select(School).where(School.name == school_name))
        if school is None:
            raise click.BadParameter(f"no school named {school_name!r}", param_hint="--school")
    try:
        user = create_user(email, name, Role(role), password, school=school, title=title)
        db.session.flush()
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    except sa.exc.IntegrityError as error:
        raise click.ClickException(f"a user with e-mail {email} exists already") from error
    messages = [] if password is not None else [send_invitation(user, None)]
    db.session.commit()
    mail.deliver(messages)
    how = "with a password" if password is not None else "invitation e-mailed"
    click.echo(f"Created {user.email} ({user.role.value}), {how}.")


@click.command("send-mail")
def send_mail_command() -> None:
    """Deliver the e-mails still waiting (an SMTP server that was down, a crash after commit)."""
    from strategy.mail import deliver

    sent, failed = deliver()
    click.echo(f"E-mails sent: {sent}, not sent (kept for the next run): {failed}.")


@click.command("send-reminders")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; change nothing.")
@click.option("--now", "now_text", default=None, metavar="ISO-TIME",
              help="The moment to run as (default: the clock), e.g. 2026-12-07T07:00+01:00.")
def send_reminders_command(dry_run: bool, now_text: str | None) -> None:
    """The scheduled entry point (cron, systemd timer; hourly): due notifications and digests.

    Safe to run as often and from as many instances as you like: nobody gets anything twice."""
    from datetime import UTC, datetime

    from strategy.notifications import reminders

    now = datetime.fromisoformat(now_text) if now_text else datetime.now(UTC)
    if now.tzinfo is None:
        raise click.BadParameter("give a time zone, e.g. +01:00 or Z", param_hint="--now")
    report = reminders.run(now, dry_run=dry_run)
    if dry_run:
        for message in report.digests:
            click.echo(f"--- to {message.to_address}: {message.subject}\n{message.body_text}")
        click.echo(f"Dry run: {report.notifications} notifications and {len(report.digests)} e-mails "
                   "would be created; nothing was kept.")
        return
    click.echo(f"Notifications: {report.notifications}, digests queued: {len(report.digests)}, "
               f"e-mails sent: {report.sent}, not sent (kept for the next run): {report.failed}.")


def init_app(app: Flask) -> None:
    for command in (seed_command, demo_command, create_user_command, send_mail_command, send_reminders_command,
                    search_index_command):
        app.cli.add_command(command)
    datasafety.init_app(app)  # backup, restore, export-person, anonymise-person
    from strategy.api.cli import api_key
    from strategy.imports.cli import import_measurements_command

    app.cli.add_command(api_key)  # api-key create|list|revoke
    app.cli.add_command(import_measurements_command)
