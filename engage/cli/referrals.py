"""`engage referrals`: new clients counted by where they came from, by month; `engage referrals
add` counts one. Thin: each command calls one step in engage.relationships.referrals and prints.

There is no field for a client's name or any detail, and anything typed beyond the accepted
values is refused (exit 2) before anything is stored, without being repeated back."""

from __future__ import annotations

import click

from engage.cli.app_context import AppContext
from engage.cli.output import console, emit_json, json_option

SOURCE_HELP = (
    "Where the client came from: therapist, pastor, physician, directory, website, insurance, "
    "word_of_mouth or other."
)


@click.group("referrals", invoke_without_command=True)
@json_option
@click.pass_context
def referrals_group(ctx: click.Context, as_json: bool) -> None:
    """New clients by month and by where they came from (never a name or a detail)."""
    if ctx.invoked_subcommand is not None:
        return
    from engage.relationships.referrals import list_referrals

    app: AppContext = ctx.obj
    months = list_referrals(app.engage.db)
    if as_json:
        emit_json([month.as_dict() for month in months])
        return
    if not months:
        click.echo("no referrals recorded yet: engage referrals add --source therapist")
        return
    out = console()
    for month in months:
        share = month.by_source.get("therapist", 0) / month.total if month.total else 0.0
        sources = ", ".join(f"{source} {n}" for source, n in month.by_source.items())
        line = f"{month.month}: {month.total} new ({sources}) · {share:.0%} from therapists"
        if month.from_colleagues:
            line += f" · {month.from_colleagues} from colleagues met through engage"
        out.print(line, markup=False, soft_wrap=True)


@referrals_group.command(
    "add", context_settings={"ignore_unknown_options": True, "allow_extra_args": False}
)
@click.option("--source", default="", help=SOURCE_HELP)
@click.option(
    "--from",
    "referrer",
    metavar="HANDLE",
    help="The colleague who referred them, if engage knows them (see engage people).",
)
@click.option(
    "--date", "date_text", metavar="YYYY-MM-DD", help="The day they came (default: today)."
)
@click.argument("extra", nargs=-1, type=click.UNPROCESSED, metavar="")
@json_option
@click.pass_obj
def add(
    app: AppContext, source: str, referrer: str | None, date_text: str | None,
    extra: tuple[str, ...], as_json: bool,
) -> None:  # fmt: skip
    """Count one new client by how they were referred: the source only, never a name or a
    detail (anything else is refused and nothing is stored)."""
    from engage.relationships.referrals import add_referral

    added = add_referral(app.engage.db, source, extra=extra, referrer=referrer,
                         date_text=date_text)  # fmt: skip
    if as_json:
        emit_json(added.as_dict())
        return
    by = f" (referred by {added.referrer})" if added.referrer else ""
    click.echo(f"counted: a new client on {added.received_on} from {added.source}{by}")
