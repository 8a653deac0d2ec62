"""`flask api-key create|list|revoke`: keys for the read-only API."""

from datetime import date

import click
import sqlalchemy as sa

from strategy.api import keys
from strategy.extensions import db
from strategy.models import ApiClient, Role, School


def _school(value: str) -> School:
    school = db.session.scalar(
        sa.select(School).where(sa.or_(School.name == value, School.institution_number == value))
    )
    if school is None:
        raise click.BadParameter(f"no school named or numbered {value!r}", param_hint="--school")
    return school


api_key = click.Group("api-key", help="Keys for the read-only API (/api/v1/).")


@api_key.command("create")
@click.option("--name", required=True, help="Who or what uses the key, e.g. 'Power BI, forvaltningen'.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]),
              help="The key sees exactly what a person with this role sees.")
@click.option("--school", "schools", multiple=True,
              help="School name or institutionsnummer: one for leader/reader, one or more for consultant.")
@click.option("--expires", "expires", default=None, help="Expiry date YYYY-MM-DD (default: one year).")
def create_command(name, role, schools, expires):
    """Issue a key and print it (it is shown only this once)."""
    try:
        expires_on = date.fromisoformat(expires) if expires else None
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--expires") from None
    try:
        client, secret = keys.create_key(name, Role(role), [_school(s) for s in schools], None, expires_on)
    except keys.ApiKeyError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Key {client.id} '{client.name}' ({client.role.value}), expires {client.expires_on.isoformat()}:")
    click.echo(secret)
    click.echo("Store it now: only its hash is kept.")


@api_key.command("list")
def list_command():
    """Every key: id, name, role, schools, expiry, revoked, last used (never the key)."""
    for client in db.session.scalars(sa.select(ApiClient).order_by(ApiClient.id)):
        state = "revoked" if client.revoked_at else f"expires {client.expires_on.isoformat()}"
        schools = ", ".join(s.name for s in client.schools) or "-"
        used = client.last_used_at.isoformat(timespec="minutes") if client.last_used_at else "never"
        click.echo(f"{client.id}\t{client.prefix}…\t{client.name}\t{client.role.value}\t{schools}\t{state}\tused {used}")


@api_key.command("revoke")
@click.argument("key_id", type=click.IntRange(1, 2**31 - 1))
def revoke_command(key_id):
    """Revoke a key at once."""
    client = db.session.get(ApiClient, key_id)
    if client is None:
        raise click.ClickException(f"no key {key_id}")
    changed = keys.revoke_key(client, None)
    db.session.commit()
    click.echo(f"Key {key_id} revoked." if changed else f"Key {key_id} was already revoked.")
