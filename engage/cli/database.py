from __future__ import annotations

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
