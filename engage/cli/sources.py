from __future__ import annotations

from dataclasses import asdict

import click

from engage.cli.app_context import AppContext
from engage.cli.output import console, emit_json, json_option, visible
from engage.errors import UsageError
from engage.platforms import addable_kinds, addable_platforms
from engage.redact import redact


@click.group("sources")
def sources_group() -> None:
    """The communities and blogs engage watches (besides those in the config file)."""


def _add_help() -> str:
    usages = ", ".join(f"`{p.kind} {p.target_help}`" for p in addable_platforms())
    return f"Watch more: {usages}."


@sources_group.command("add", help=_add_help())
@click.argument("kind", type=click.Choice(addable_kinds()))
@click.argument("targets", nargs=-1, required=True)
@click.option("--own", is_flag=True, help="feed: this is YOUR blog (its posts become shares).")
@click.option("--instance", help="mastodon: the instance URL.")
@json_option
@click.pass_obj
def add(
    app: AppContext, kind: str, targets: tuple[str, ...], own: bool, instance: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    from engage.platforms import watching
    from engage.platforms.spec import AddFlags
    from engage.watch.source_rows import add_sources

    platform = watching(kind)
    if own and "own" not in platform.add_flags:
        raise UsageError("--own is for feeds (your own blog)")
    if instance is not None and "instance" not in platform.add_flags:
        raise UsageError("--instance is for mastodon tags")
    assert platform.new_sources is not None  # addable_kinds() offers only those that have it
    wanted = platform.new_sources(app.config.settings, targets, AddFlags(own, instance))
    # A feed's URL may carry its password: shown masked, as everywhere (engage.redact).
    added = [{**asdict(row), "target": redact(row.target)}
             for row in add_sources(app.engage.db, wanted)]  # fmt: skip
    if as_json:
        emit_json(added)
    else:
        for row in added:
            click.echo(f"watching {row['kind']} {row['target']} (source {row['id']})")


@sources_group.command("list")
@json_option
@click.pass_obj
def list_sources(app: AppContext, as_json: bool) -> None:
    """Every source with its state: last poll, last error, next poll."""
    from engage.status import collect_status
    from engage.watch.source_rows import sync_sources

    sync_sources(app.engage.db, app.config.settings)  # those declared in the config file too
    sources = collect_status(app.config)["sources"]
    if as_json:
        emit_json(sources)
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(show_edge=False)
    for column in ("id", "kind", "target", "on", "last poll", "next poll", "last error"):
        table.add_column(column)
    for s in sources:
        table.add_row(
            str(s["id"]), s["kind"] + (" (own)" if s["own"] else ""), escape(visible(s["target"])),
            "yes" if s["enabled"] else "no", s["last_poll_at"] or "never",
            s["next_poll_at"] or "now", escape(visible(s["last_error"] or "")),
        )  # fmt: skip
    console().print(table)


@sources_group.command("remove")
@click.argument("source_ids", nargs=-1, type=int, required=True)
@click.pass_obj
def remove(app: AppContext, source_ids: tuple[int, ...]) -> None:
    """Stop watching sources (by id, see `engage sources list`). Their threads are kept."""
    from engage.watch.source_rows import remove_sources

    removed = remove_sources(app.engage.db, source_ids, app.config.path)
    for row in removed:  # only once it is committed
        click.echo(f"stopped watching {row.kind} {redact(row.target)}")
