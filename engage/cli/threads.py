from __future__ import annotations

import shutil
from datetime import UTC, datetime
from typing import Any

import click

from engage.cli.app_context import AppContext
from engage.cli.output import console, emit_json, json_option, visible


def screenful() -> int:
    return max(10, shutil.get_terminal_size((100, 30)).lines - 6)


@click.group("threads")
def threads_group() -> None:
    """Threads engage has seen: list, show, or add one by URL."""


@threads_group.command("list")
@click.option("--worth", is_flag=True, help="Only matched threads, best first, with why.")
@click.option("--limit", type=click.IntRange(min=0), default=None,
              help="How many (default: a screenful; 0 for all).")  # fmt: skip
@click.option("--community", help="Only this community, e.g. r/therapists.")
@json_option
@click.pass_obj
def list_threads(
    app: AppContext, worth: bool, limit: int | None, community: str | None, as_json: bool
) -> None:
    """Newest threads first; with --worth, the ones worth joining, ranked, with reasons."""
    from engage.threads import list_threads as query
    from engage.threads import why

    limit = screenful() if limit is None else limit
    threads = query(app.engage.db, worth=worth, community=community, limit=limit)
    rows = [thread.as_dict() for thread in threads]
    if worth:
        matcher = app.engage.matcher.matcher
        for thread, row in zip(threads, rows, strict=True):
            if thread.match is not None:
                row["why"] = why(thread.match, matcher)
    if as_json:
        emit_json(rows)
    else:
        print_threads(rows, worth, community)


@threads_group.command("show")
@click.argument("thread_id", type=int)
@json_option
@click.pass_obj
def show(app: AppContext, thread_id: int, as_json: bool) -> None:
    """One thread in full, with why it matched."""
    from engage.threads import show_thread

    row = show_thread(app.engage.db, thread_id).as_dict()
    if as_json:
        emit_json(row)
        return
    out = console()
    out.print(f"[bold]{_escape(row['title'])}[/bold]")
    out.print(visible(f"{row['community']} · {author_label(row)} · {age(row['created_at'])} · "
                      f"{row['num_comments']} replies{' · locked' if row['locked'] else ''}"),
              markup=False)  # fmt: skip
    out.print(visible(row["url"]), markup=False, soft_wrap=True)
    out.print()
    out.print(visible(row["body"]) or "(no text)", markup=False)
    if row["match"]:
        out.print()
        _print_match(row["match"])


@threads_group.command("add")
@click.argument("url")
@click.option("--title", help="The thread's title (asked for when it can't be fetched).")
@click.option("--text", "body", help="The thread's text, pasted.")
@click.option("--community", help="Where it is, e.g. 'Facebook: Therapists in Private Practice'.")
@json_option
@click.pass_obj
def add(
    app: AppContext, url: str, title: str | None, body: str | None, community: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Add a thread by URL, for places with no API (Facebook groups, LinkedIn posts, listservs)."""
    from engage.threads import add_thread

    added = add_thread(app.engage, url, title=title, body=body, community=community)
    if added.warning:
        click.echo(f"warning: {added.warning}; storing what you gave", err=True)
    if as_json:
        emit_json({"id": added.id, "new": added.new, "url": added.url})
    elif added.new:
        click.echo(f"added thread {added.id}: {visible(added.title)}")
    else:
        updated = " (updated)" if added.updated else ""
        click.echo(f"that thread was already stored as thread {added.id}{updated}")


def author_label(row: dict[str, Any]) -> str:
    """Who wrote it: on Reddit a missing author was deleted; elsewhere (a feed without author
    names, a thread added by hand) it simply isn't known."""
    if row["author"]:
        return str(row["author"])
    return "[deleted]" if row["platform"] == "reddit" else "unknown author"


def age(iso: str) -> str:
    seconds = (datetime.now(UTC) - datetime.fromisoformat(iso)).total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return "just now"


def print_threads(rows: list[dict[str, Any]], worth: bool, community: str | None = None) -> None:
    from rich.table import Table

    if not rows:
        what = "no matched threads" if worth else "no threads"
        if community:
            message = f"{what} in {visible(community)} (engage threads list shows every community)"
        else:
            message = f"{what} yet" if worth else f"{what} yet (engage watch --once)"
        console().print(message, markup=False)
        return
    table = Table(show_edge=False, expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    if worth:
        table.add_column("score", justify="right", no_wrap=True)
    table.add_column("community", no_wrap=True, max_width=18, overflow="ellipsis")
    table.add_column("age", no_wrap=True)
    table.add_column("replies", justify="right", no_wrap=True)
    table.add_column("title", overflow="ellipsis", no_wrap=True, ratio=2)
    if worth:
        table.add_column("why", overflow="fold", ratio=3)
    for row in rows:
        cells = [str(row["id"])]
        if worth:
            cells.append(f"{row['match'].get('ranked_score', row['match']['score']):.2f}")
        cells += [_escape(row["community"]), age(row["created_at"]), str(row["num_comments"]),
                  _escape(row["title"])]  # fmt: skip
        if worth:
            lowered = row["match"].get("lowered")
            why = row.get("why") or _why(row["match"])
            cells.append(_escape(f"{why} ({lowered})" if lowered else why))
        table.add_row(*cells)
    console().print(table)


def _why(match: dict[str, Any]) -> str:
    """Without a profile's sentence: the words that matched, what the author wants, flags."""
    phrases = list(dict.fromkeys(str(r.get("text") or "") for r in match["reasons"]))
    flags = [f"[{flag}]" for flag in match["flags"]]
    return " · ".join([", ".join(p for p in phrases[:3] if p), match["intent"], *flags])


def _print_match(match: dict[str, Any]) -> None:
    out = console()
    flags = f" flags: {', '.join(match['flags'])}" if match["flags"] else ""
    out.print(f"score {match['score']:.2f} · {match['intent']}{flags}", markup=False)
    for reason in match["reasons"]:
        out.print(f"  · {_reason_text(reason)}", markup=False)


def _reason_text(reason: dict[str, Any]) -> str:
    return ", ".join(f"{key}: {value}" for key, value in reason.items())


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(visible(text))
