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
@click.option("--school", "school_name", default=None, help="The school of a leader or reader.")
@click.option("--title", default="")
@click.password_option(help="At least PASSWORD_MIN_LENGTH characters.")
def create_user_command(email, name, role, school_name, title, password) -> None:
    """Create a local account."""
    from strategy.auth.accounts import create_user

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
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role.value}).")


@click.command("send-mail")
def send_mail_command() -> None:
    """Deliver the e-mails still waiting (an SMTP server that was down, a crash after commit)."""
    from strategy.mail import deliver

    sent, failed = deliver()
    click.echo(f"E-mails sent: {sent}, not sent (kept for the next run): {failed}.")


def init_app(app: Flask) -> None:
    for command in (seed_command, demo_command, create_user_command, send_mail_command, search_index_command):
        app.cli.add_command(command)
    datasafety.init_app(app)  # backup, restore, export-person, anonymise-person
