from __future__ import annotations

import shutil
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from engage.cli.context import AppContext
from engage.cli.output import console, emit_json, json_option, visible
from engage.errors import EngageError, NotFoundError

if TYPE_CHECKING:
    from engage.models import Thread


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
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    from engage.models import Match, Thread

    query = select(Thread).options(joinedload(Thread.match))
    if worth:  # a crisis is never a thread worth joining: it gets crisis resources, apart
        query = query.join(Match).where(Match.crisis.is_(False))
        query = query.order_by(Match.score.desc(), Thread.id)
    else:
        query = query.order_by(Thread.created_at.desc(), Thread.id.desc())
    if community:
        query = query.where(Thread.community == community)
    limit = screenful() if limit is None else limit
    if limit:
        query = query.limit(limit)
    with app.engage.db.read() as session:
        rows = [thread_dict(thread) for thread in session.scalars(query).unique()]
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
    from sqlalchemy import func, select

    from engage.models import Comment, Thread

    with app.engage.db.read() as session:
        thread = session.get(Thread, thread_id)
        if thread is None:
            raise NotFoundError(f"thread {thread_id} does not exist (see engage threads list)")
        row = thread_dict(thread, full=True)
        row["comments_stored"] = session.scalar(
            select(func.count()).where(Comment.thread_id == thread_id)
        )
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
    from sqlalchemy import select

    from engage.ingest import store_posts
    from engage.matches import score_threads
    from engage.models import Thread
    from engage.platforms import complete_thread, thread_from_url

    post = thread_from_url(url, title=title, body=body, community=community)
    if not (title and body):
        try:
            post = complete_thread(app.config, post)
        except EngageError as exc:
            click.echo(f"warning: could not fetch it from {post.platform.value.title()} ({exc}); "
                       "storing what you gave", err=True)  # fmt: skip
    scorer = app.engage.matcher
    with app.engage.db.write() as session:
        result = store_posts(session, [post])
        if scorer is not None:  # matched (and triaged for crisis) like any watched thread
            score_threads(session, scorer, result.new + result.updated)
        thread_id = session.scalar(
            select(Thread.id).where(
                Thread.platform == post.platform.value, Thread.external_id == post.external_id
            )
        )
    outcome = {"id": thread_id, "new": bool(result.new), "url": post.url}
    if as_json:
        emit_json(outcome)
    elif result.new:
        click.echo(f"added thread {outcome['id']}: {visible(post.title)}")
    else:
        updated = " (updated)" if result.updated else ""
        click.echo(f"that thread was already stored as thread {thread_id}{updated}")


def thread_dict(thread: Thread, full: bool = False) -> dict[str, Any]:
    match = thread.match
    row: dict[str, Any] = {
        "id": thread.id,
        "platform": thread.platform,
        "community": thread.community,
        "title": thread.title,
        "author": thread.author,
        "url": thread.url,
        "created_at": thread.created_at.isoformat(),
        "num_comments": thread.num_comments,
        "locked": thread.locked,
        "removed": thread.removed,
        "match": None
        if match is None
        else {
            "score": round(match.score, 4),
            "intent": match.intent,
            "specialties": match.specialties,
            "flags": match.flags,
            "reasons": match.reasons,
        },
    }
    if full:
        row["body"] = thread.body
        row["link_url"] = thread.link_url
    return row


def author_label(row: dict[str, Any]) -> str:
    """Who wrote it: on Reddit a missing author was deleted; elsewhere (a feed without author
    names, a thread added by hand) it simply isn't known."""
    if row["author"]:
        return str(row["author"])
    return "[deleted]" if row["platform"] == "reddit" else "unknown author"


def age(iso: str) -> str:
    from engage.models import utcnow

    seconds = (utcnow() - datetime.fromisoformat(iso)).total_seconds()
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
    table.add_column("title", overflow="ellipsis", no_wrap=True, ratio=3)
    if worth:
        table.add_column("why", overflow="ellipsis", no_wrap=True, ratio=2)
    for row in rows:
        cells = [str(row["id"])]
        if worth:
            cells.append(f"{row['match']['score']:.2f}")
        cells += [_escape(row["community"]), age(row["created_at"]), str(row["num_comments"]),
                  _escape(row["title"])]  # fmt: skip
        if worth:
            cells.append(_escape(_why(row["match"])))
        table.add_row(*cells)
    console().print(table)


def _why(match: dict[str, Any]) -> str:
    """The words that matched first, then what the author wants, then any flags."""
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
