from __future__ import annotations

from pathlib import Path

import click

from engage.cli.app_context import AppContext
from engage.cli.output import emit_json, json_option


@click.group("db")
def db_group() -> None:
    """The database schema (engage also upgrades it by itself on start)."""


@db_group.command("upgrade")
@json_option
@click.pass_obj
def upgrade(app: AppContext, as_json: bool) -> None:
    """Bring the database schema up to this version of engage."""
    from engage.db import Database, display_url, head_revision

    database = Database(app.config.database_url)
    before = database.revision()
    database.upgrade()
    result = {
        "database": display_url(database.url),
        "from": before,
        "to": head_revision(),
        "changed": before != head_revision(),
    }
    database.dispose()
    if as_json:
        emit_json(result)
    elif result["changed"]:
        click.echo(f"upgraded {result['database']} from {before or 'empty'} to {result['to']}")
    else:
        click.echo(f"{result['database']} is already at {result['to']}")


@db_group.command("tidy")
@json_option
@click.pass_obj
def tidy(app: AppContext, as_json: bool) -> None:
    """Housekeeping now (the worker does it daily): purge what was removed at its source,
    forget threads that never matched, prune old job runs, keep the SQLite file small."""
    from engage.housekeeping import tidy as run

    done = run(app.engage.db, app.config.settings.housekeeping).as_dict()
    if as_json:
        emit_json(done)
    else:
        click.echo(", ".join(f"{name.replace('_', ' ')}: {value}" for name, value in done.items()))


@db_group.command("vacuum")
@click.pass_obj
def vacuum(app: AppContext) -> None:
    """Give the free space inside the SQLite file back to the disk (stop `engage run` first
    on a large database: it waits while this runs)."""
    from engage.housekeeping import vacuum as run

    run(app.engage.db)
    click.echo("vacuumed")


@db_group.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def backup(app: AppContext, path: Path) -> None:
    """Copy the SQLite database to PATH while engage keeps running (a consistent snapshot)."""
    from engage.housekeeping import backup as run

    click.echo(f"backed up to {run(app.engage.db, path)}")
