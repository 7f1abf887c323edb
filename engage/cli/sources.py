from __future__ import annotations

import click

from engage.cli.context import AppContext
from engage.cli.output import console, emit_json, json_option, visible
from engage.errors import UsageError
from engage.sources.base import clean_text, web_url
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
    from engage.watching import add_source

    settings = app.config.settings
    source_kind = SourceKind(kind)
    if own and source_kind != SourceKind.FEED:
        raise UsageError("--own is for feeds (your own blog)")
    if instance is not None and source_kind != SourceKind.MASTODON:
        raise UsageError("--instance is for mastodon tags")
    names = _targets(source_kind, targets)
    options: dict[str, str] = {}
    if source_kind == SourceKind.MASTODON:
        chosen = instance if instance is not None else settings.mastodon.instance
        url = web_url(chosen, credentials=True)
        if url is None:
            raise UsageError(f"--instance {visible(chosen)!r} is not a web address (https://...)")
        options = {"instance": url.rstrip("/")}
    minutes = {
        SourceKind.REDDIT: settings.reddit.poll_minutes,
        SourceKind.MASTODON: settings.mastodon.poll_minutes,
        SourceKind.BLUESKY: settings.bluesky.poll_minutes,
    }.get(source_kind, 60.0)
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


def _targets(kind: SourceKind, targets: tuple[str, ...]) -> list[str]:
    """The targets as stored, each checked; the first bad one is a usage error (exit 2)."""
    from engage.sources.listing import normalise_subreddits, subreddit_problem
    from engage.sources.mastodon import HASHTAG

    names: list[str] = []
    for raw in targets:
        shown = repr(visible(raw))
        if kind == SourceKind.REDDIT:
            if problem := subreddit_problem(raw):
                raise UsageError(f"{shown} {problem}")
            names += normalise_subreddits([raw])
        elif kind == SourceKind.FEED:
            if web_url(raw, credentials=True) is None:
                raise UsageError(f"{shown} is not a feed URL (http:// or https://)")
            names.append(raw.strip())
        elif kind == SourceKind.MASTODON:
            tag = raw.strip().lstrip("#").lower()
            if not HASHTAG.fullmatch(tag):
                raise UsageError(f"{shown} is not a hashtag (letters, digits and _, e.g. EMDR)")
            names.append(tag)
        else:
            term = " ".join(clean_text(raw, 300).split())
            if not term:
                raise UsageError("a Bluesky search term can't be empty")
            names.append(term)
    return list(dict.fromkeys(names))


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
    from engage.errors import NotFoundError
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
