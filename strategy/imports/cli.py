"""`flask import-measurements FILE --indicator … [--dry-run]`: the wizard from the command line."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app

from strategy.extensions import db
from strategy.imports import engine
from strategy.imports.reader import FileRefused, read_table
from strategy.models import Goal, MunicipalIndicator, Role, Strategy, User


class _System:
    """The command line acts as the administration (it is run by whoever runs the server)."""

    id = None
    role = Role.ADMIN
    school_id = None
    assigned_schools: list = []
    is_authenticated = True
    is_active = True


def target_for(indicator: str) -> engine.Target:
    """A fælles indikator by name; else at each school the active goal whose indicator has this name."""
    municipal = db.session.scalar(sa.select(MunicipalIndicator).where(MunicipalIndicator.name == indicator))
    if municipal is not None:
        return engine.Target(municipal=municipal)
    by_school: dict[int, int] = {}
    for goal_id, school_id in db.session.execute(
        sa.select(Goal.id, Strategy.school_id).join(Strategy, Goal.strategy_id == Strategy.id)
        .where(Goal.archived_at.is_(None), sa.func.lower(Goal.indicator) == indicator.strip().lower())
        .order_by(Strategy.period_id.desc(), Goal.id)
    ):
        by_school.setdefault(school_id, goal_id)
    if not by_school:
        raise click.ClickException(f"no fælles indikator and no goal with the indicator {indicator!r}")
    return engine.Target(goal_by_school=by_school)


@click.command("import-measurements")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--indicator", required=True, help="The fælles indikator's name, or the indicator text of each school's goal.")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option("--column", "columns", multiple=True, metavar="FIELD=HEADER",
              help="Which header is which: school, year, value or pupils, e.g. --column 'value=Social trivsel'.")
@click.option("--by", "by_email", default=None, help="E-mail of the user the import is recorded for (default: the system).")
def import_measurements_command(file: Path, indicator: str, dry_run: bool, columns: tuple[str, ...], by_email: str | None):
    """Import measurements from an xlsx or csv file keyed by institutionsnummer."""
    config = current_app.config
    try:
        table = read_table(file.read_bytes(), file.name, config["IMPORT_MAX_BYTES"], config["IMPORT_MAX_ROWS"])
    except FileRefused as error:
        raise click.ClickException(str(error)) from error
    target = target_for(indicator)
    actor = db.session.scalar(sa.select(User).where(User.email == by_email)) if by_email else None
    if by_email and actor is None:
        raise click.BadParameter(f"no user {by_email!r}", param_hint="--by")
    remembered = target.municipal.mapping if target.municipal else None
    chosen = dict(remembered or {})
    for item in columns:
        field, _sep, header = item.partition("=")
        if field not in engine.FIELDS or header.strip().lower() not in [h.lower() for h in table.header]:
            raise click.BadParameter(f"{item!r}: use FIELD=HEADER with a field of {engine.FIELDS} and a header of the file",
                                     param_hint="--column")
        chosen[field] = header
    mapping = engine.guess_mapping(table.header, chosen)
    missing = [name for name in ("school", "year", "value") if mapping[name] is None]
    if missing:
        raise click.ClickException(f"cannot tell which column is {', '.join(missing)} (headers: {table.header})")
    result = engine.plan(table, mapping, target, actor or _System())
    click.echo(f"{file.name}: {len(table.rows)} rows -> new {result.count('new')}, changed {result.count('changed')}, "
               f"unchanged {result.count('unchanged')}, unusable {result.count('unusable')}")
    for row in result.unusable[:50]:
        click.echo(f"  row {row.line}: {row.reason} ({row.raw_school})")
    if dry_run:
        click.echo("Dry run: nothing changed.")
        db.session.rollback()
        return
    batch = engine.apply(result, target, file.name, actor)
    if target.municipal is not None:
        target.municipal.mapping = engine.mapping_names(table.header, mapping)
    db.session.commit()
    click.echo(f"Import {batch.id} saved." if batch else "Nothing to import: every value is already there.")
