"""`engage replies`: what colleagues wrote back (who, where, an excerpt, which of your replies it
answers); `engage replies read` reads the platforms now (the worker does it on its own);
`engage replies draft ID` drafts an answer, which waits at the desk like any draft. Thin: each
calls one step (engage.relationships.replies, engage.jobs.run_replies) and prints."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from engage.cli.app_context import AppContext
from engage.cli.drafts import MOVE_CHOICES, actor, load_row, print_draft
from engage.cli.output import console, emit_json, json_option, visible
from engage.cli.publish import parse_since

if TYPE_CHECKING:
    from engage.types.relationships import RepliesReport, ReplyView


@click.group("replies", invoke_without_command=True)
@click.option(
    "--since",
    default="7d",
    show_default=True,
    help="Only since this date (2026-11-30) or age (7d, 12h, 2w); all: every one.",
)
@json_option
@click.pass_context
def replies_group(ctx: click.Context, since: str, as_json: bool) -> None:
    """Replies and mentions colleagues wrote you, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    from engage.relationships import list_replies

    app: AppContext = ctx.obj
    rows = list_replies(app.engage.db, None if since == "all" else parse_since(since))
    if as_json:
        emit_json([row.as_dict() for row in rows])
        return
    if not rows:
        click.echo("no replies yet" + ("" if since == "all" else f" in the last {since}"))
        return
    print_replies(rows)


def print_replies(rows: list[ReplyView]) -> None:
    """One reply a few lines: who and where, what they said, the links, how to answer it."""
    out = console()
    for row in rows:
        who = row.who.label if row.display_name is None else f"{row.display_name} ({row.who.label})"
        what = "mentioned you" if row.kind == "mention" else "replied to you"
        where = f" in {row.community}" if row.community else f" on {row.platform}"
        out.print(visible(f"{row.at:%Y-%m-%d %H:%M} {who} {what}{where} · reply {row.id}"),
                  markup=False, style="bold")  # fmt: skip
        if row.thread_title:
            out.print(visible(f"    thread: {row.thread_title}"), markup=False)
        out.print(visible(f"    “{row.excerpt}”"), markup=False)
        if row.url:
            out.print(visible(f"    {row.url}"), markup=False, soft_wrap=True)
        if row.answers_url:
            out.print(visible(f"    answers your reply {row.answers_url}"), markup=False,
                      soft_wrap=True, style="dim")  # fmt: skip
        if row.answer_draft_id is not None:
            out.print(f"    answered by draft {row.answer_draft_id} (engage review)", style="dim")
        elif row.thread_id is not None:
            out.print(f"    answer it: engage replies draft {row.id}", style="dim")


@replies_group.command("read")
@json_option
@click.pass_obj
def read(app: AppContext, as_json: bool) -> None:
    """Read replies from every platform your config can read now."""
    from engage.jobs import run_replies

    report = run_replies(app.engage, force=True)
    if as_json:
        emit_json(report.as_dict())
        return
    print_report(report)


def print_report(report: RepliesReport) -> None:
    if not report.platforms:
        click.echo(
            "no platform's replies can be read with this config (Reddit needs mode api or rss;"
            " Mastodon an access token; Bluesky a handle and app password)"
        )
        return
    for read in report.platforms:
        if read.error:
            click.echo(visible(f"{read.platform}: failed, tried again later: {read.error}"))
            continue
        counts = ((read.own, "yours"), (read.help_seekers, "on help-seekers' or crisis threads"))
        left = [f"{n} {why}, not kept" for n, why in counts if n]
        extra = f" ({', '.join(left)})" if left else ""
        click.echo(f"{read.platform}: {read.stored} new of {read.read} read{extra}")


@replies_group.command("draft")
@click.argument("reply_id", type=int)
@click.option("--move", type=click.Choice(MOVE_CHOICES), help="The dialogue move (default: "
              "chosen from the thread's intent).")  # fmt: skip
@json_option
@click.pass_obj
def draft(app: AppContext, reply_id: int, move: str | None, as_json: bool) -> None:
    """Draft an answer to one reply (it waits for your approval like any draft)."""
    from engage.relationships import draft_answer
    from engage.types import Move

    made = draft_answer(app.engage, reply_id, Move(move) if move else None, actor=actor())
    row = load_row(app.engage, made.id)
    if as_json:
        emit_json(row)
        return
    print_draft(row)
    click.echo(f"draft {row['id']} is waiting for approval: engage review")
