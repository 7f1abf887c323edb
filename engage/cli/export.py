"""`engage export DIR`: the therapist's own records as files (one CSV per table, or one JSON
document), never a secret. Thin: calls engage.relationships.export and prints."""

from __future__ import annotations

import click

from engage.cli.app_context import AppContext
from engage.cli.output import emit_json, json_option


@click.command("export")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="One CSV file per table, or one JSON document.")  # fmt: skip
@json_option
@click.pass_obj
def export(app: AppContext, directory: str, fmt: str, as_json: bool) -> None:
    """Write your records into DIR (made if missing; files of the same names are replaced):
    engagements, people with their handles, interactions, referrals. Your data is yours: no
    config, no token, no password is ever included."""
    from engage.relationships.export import export_records

    result = export_records(app.engage.db, directory, format=fmt)
    if as_json:
        emit_json(result.as_dict())
        return
    counts = ", ".join(f"{n} {table}" for table, n in result.counts.items())
    click.echo(f"exported {counts} into {result.directory}")
    for path in result.files:
        click.echo(f"  {path}")
