from __future__ import annotations

import re

import click

from engage.cli.context import AppContext
from engage.cli.output import console, emit_json, json_option
from engage.types import SourceKind


@click.group("sources")
def sources_group() -> None:
    """The communities and blogs engage watches (besides those in the config file)."""


@sources_group.command("add")
@click.argument("kind", type=click.Choice(["reddit", "feed", "mastodon", "bluesky"]))
@click.argument("targets", nargs=-1, required=True)
@click.option("--own", is_flag=True, help="feed: this is YOUR blog (its posts become shares).")
@click.option("--instance", help="mastodon: the instance URL.")
@json_option
@click.pass_obj
def add(
    app: AppContext, kind: str, targets: tuple[str, ...], own: bool, instance: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Watch more: `reddit SUBREDDIT...`, `feed URL [--own]`, `mastodon TAG`, `bluesky TERM`."""
    from engage.sources.listing import normalise_subreddits
    from engage.watching import add_source

    settings = app.config.settings
    source_kind = SourceKind(kind)
    names = list(targets)
    options: dict[str, str] = {}
    if source_kind == SourceKind.REDDIT:
        names = normalise_subreddits(targets)
    elif source_kind == SourceKind.MASTODON:
        names = [name.lstrip("#").lower() for name in targets]
        options = {"instance": (instance or settings.mastodon.instance).rstrip("/")}
    minutes = {
        SourceKind.REDDIT: settings.reddit.poll_minutes,
        SourceKind.MASTODON: settings.mastodon.poll_minutes,
        SourceKind.BLUESKY: settings.bluesky.poll_minutes,
    }.get(source_kind, 60.0)
    if own and source_kind != SourceKind.FEED:
        raise click.UsageError("--own is for feeds (your own blog)")
    if source_kind == SourceKind.FEED:
        bad = [name for name in names if not re.match(r"^https?://[^\s/]+", name)]
        if bad:
            raise click.UsageError(f"{bad[0]!r} is not a feed URL (http:// or https://)")
    with app.engage.db.write() as session:
        rows = [
            add_source(session, source_kind, name, own=own, poll_minutes=minutes, options=options)
            for name in names
        ]
        added = [{"id": row.id, "kind": row.kind, "target": row.target} for row in rows]
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
    from engage.watching import sync_config_sources

    with app.engage.db.write() as session:  # those declared in the config file too
        sync_config_sources(session, app.config.settings)
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
            str(s["id"]), s["kind"] + (" (own)" if s["own"] else ""), escape(s["target"]),
            "yes" if s["enabled"] else "no", s["last_poll_at"] or "never",
            s["next_poll_at"] or "now", escape(s["last_error"] or ""),
        )  # fmt: skip
    console().print(table)


@sources_group.command("remove")
@click.argument("source_ids", nargs=-1, type=int, required=True)
@click.pass_obj
def remove(app: AppContext, source_ids: tuple[int, ...]) -> None:
    """Stop watching sources (by id, see `engage sources list`). Their threads are kept."""
    from engage.errors import NotFoundError, UsageError
    from engage.models import Source

    removed = []
    with app.engage.db.write() as session:
        for source_id in source_ids:
            row = session.get(Source, source_id)
            if row is None:
                raise NotFoundError(f"source {source_id} does not exist (see engage sources list)")
            if row.from_config:
                raise UsageError(f"source {source_id} ({row.target}) comes from the config file "
                                 f"{app.config.path}: remove it there")  # fmt: skip
            session.delete(row)
            removed.append(f"stopped watching {row.kind} {row.target}")
    for message in removed:  # only once it is committed
        click.echo(message)
