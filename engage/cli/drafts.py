from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from engage.cli.app_context import AppContext
from engage.cli.output import console, emit_json, json_option
from engage.errors import UsageError

if TYPE_CHECKING:
    from engage.app import Engage

STATUSES = ["pending", "approved", "publishing", "published", "rejected", "failed", "unknown",
            "expired"]  # fmt: skip


@click.group("drafts")
def drafts_group() -> None:
    """Drafts for scripts: list, show, approve, reject, edit, resolve (`engage review` for
    people)."""


@drafts_group.command("list")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Only drafts in this state (repeat; default: all).")  # fmt: skip
@json_option
@click.pass_obj
def list_drafts(app: AppContext, statuses: tuple[str, ...], as_json: bool) -> None:
    """Drafts, oldest first."""
    from engage.desk import draft_rows

    rows = draft_rows(app.engage.db, list(statuses))
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("no drafts" + (f" {'/'.join(statuses)}" if statuses else ""))
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(show_edge=False, expand=True)
    for column, options in (
        ("id", {"justify": "right"}),
        ("status", {}),
        ("move", {}),
        ("warnings", {}),
        ("thread", {"ratio": 1}),
        ("text", {"ratio": 2}),
    ):
        table.add_column(column, no_wrap=True, overflow="ellipsis", **options)
    for row in rows:
        thread = row.get("thread") or {}
        table.add_row(
            str(row["id"]), row["status"], row["move"] or row["kind"],
            ", ".join(sorted({w["slug"] for w in row["warnings"]})) or "-",
            escape(thread.get("title", "")), escape(" ".join(row["text"].split())),
        )  # fmt: skip
    console().print(table)


@drafts_group.command("show")
@click.argument("draft_id", type=int)
@json_option
@click.pass_obj
def show(app: AppContext, draft_id: int, as_json: bool) -> None:
    """One draft in full, with the thread it answers and the guard's warnings."""
    row = load_row(app.engage, draft_id)
    if as_json:
        emit_json(row)
    else:
        print_draft(row)


@drafts_group.command("approve")
@click.argument("draft_id", type=int)
@click.option("--hash", "expected_hash", help="Approve only if the text still has this "
              "approval_hash (from drafts show --json).")  # fmt: skip
@click.option(
    "--override", "override_reason", help="Reason for approving despite blocking warnings."
)
@json_option
@click.pass_obj
def approve(
    app: AppContext, draft_id: int, expected_hash: str | None, override_reason: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Approve a draft's current text (exactly that text: any later edit needs a new approval).

    Scripts should pass --hash (every draft in `drafts list/show --json` has its
    approval_hash): then a text edited since it was read can't be approved by mistake.
    """
    from engage.desk import recheck_draft, states

    recheck_draft(app.engage, draft_id)
    row = load_row(app.engage, draft_id)
    if expected_hash and expected_hash != row["approval_hash"]:
        raise UsageError(f"draft {draft_id} changed since you saw it: show it again")
    states.approve(app.engage.db, draft_id, seen_text=row["text"], seen_target=row["target"],
                   actor=actor(), override_reason=override_reason)  # fmt: skip
    report(as_json, {"id": draft_id, "status": "approved", "approval_hash": row["approval_hash"]},
           f"approved draft {draft_id}")  # fmt: skip


@drafts_group.command("reject")
@click.argument("draft_id", type=int)
@click.option("--reason", help="Why (kept in the audit log).")
@json_option
@click.pass_obj
def reject(app: AppContext, draft_id: int, reason: str | None, as_json: bool) -> None:
    """Reject a draft; it will never be published."""
    from engage.desk import states

    if not reason:
        if not sys.stdin.isatty():
            raise UsageError("give a --reason (it is kept in the audit log)")
        reason = str(click.prompt("Why reject it"))
    feedback = states.reject(app.engage.db, draft_id, reason=reason, actor=actor())
    report(as_json, {"id": draft_id, "status": "rejected", "feedback": feedback},
           f"rejected draft {draft_id}" + lowered_note(feedback))  # fmt: skip


def lowered_note(feedback: int | None) -> str:
    """What a rejection taught the desk, said where it happened."""
    if feedback is None:
        return ""
    return (f"; threads of its kind rank lower now (engage feedback; "
            f"engage feedback undo {feedback} takes it back)")  # fmt: skip


@drafts_group.command("edits")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="How many, newest first (0 for all).")  # fmt: skip
@json_option
@click.pass_obj
def edits(app: AppContext, limit: int, as_json: bool) -> None:
    """Your own edits of drafts, newest first: the text before and after, and the thread."""
    from engage.cli.output import visible
    from engage.desk import draft_edits

    found = draft_edits(app.engage.db, limit)
    if as_json:
        emit_json([edit.as_dict() for edit in found])
        return
    if not found:
        click.echo("no edits yet: drafts you edit (engage review, e) are kept before and after")
        return
    out = console()
    for edit in found:
        about = f" on '{edit.thread_title}'" if edit.thread_title else ""
        out.print(visible(f"draft {edit.draft_id}{about}, {edit.at:%Y-%m-%d %H:%M} UTC "
                          f"({edit.status}):"), markup=False, soft_wrap=True)  # fmt: skip
        out.print(visible(f"  before: {' '.join(edit.before.split())}"), markup=False,
                  soft_wrap=True)  # fmt: skip
        out.print(visible(f"  after:  {' '.join(edit.after.split())}"), markup=False,
                  soft_wrap=True)  # fmt: skip


@drafts_group.command("edit")
@click.argument("draft_id", type=int)
@click.option("--text", help="The new text (default: open it in $EDITOR).")
@json_option
@click.pass_obj
def edit(app: AppContext, draft_id: int, text: str | None, as_json: bool) -> None:
    """Replace a draft's text; it is checked again and needs (re)approval."""
    from engage.desk import edit_draft

    if text is None:
        current = load_row(app.engage, draft_id)["text"]
        try:
            text = click.edit(current)
        except UnicodeDecodeError:
            raise UsageError("the editor saved text that is not UTF-8: the draft is unchanged "
                             "(save it as UTF-8)") from None  # fmt: skip
        if text is None or text.strip() == current.strip():
            report(as_json, {"id": draft_id, "changed": False}, "no change")
            return
    warnings = edit_draft(app.engage.db, app.engage.config, draft_id, text.strip(), actor=actor())
    flagged = f" ({len(warnings)} guard warning(s))" if warnings else ""
    report(as_json, {"id": draft_id, "changed": True, "status": "pending", "warnings": warnings},
           f"draft {draft_id} edited: pending approval{flagged}")  # fmt: skip


@drafts_group.command("share-to")
@click.argument("draft_id", type=int)
@click.argument("channel", type=click.Choice(["linkedin", "mastodon", "bluesky", "hand"]))
@json_option
@click.pass_obj
def share_to(app: AppContext, draft_id: int, channel: str, as_json: bool) -> None:
    """Send a share of your article to another channel (it needs approval again)."""
    from engage.desk import retarget_share

    warnings = retarget_share(app.engage, draft_id, channel, actor=actor())
    flagged = f" ({len(warnings)} guard warning(s))" if warnings else ""
    report(as_json, {"id": draft_id, "channel": channel, "status": "pending",
                     "warnings": warnings},
           f"draft {draft_id} goes to {channel}: pending approval{flagged}")  # fmt: skip


@drafts_group.command("resolve")
@click.argument("draft_id", type=int)
@click.option("--posted", "posted_url", metavar="URL", help="It is live: the link to it.")
@click.option("--not-posted", is_flag=True, help="It is not there: publish it again.")
@json_option
@click.pass_obj
def resolve(
    app: AppContext, draft_id: int, posted_url: str | None, not_posted: bool, as_json: bool
) -> None:
    """Settle a draft whose outcome is unknown (a timeout or crash while publishing).

    Look at the thread first: engage never sends such a draft again on its own.
    """
    from engage.publishing import resolve as settle

    done = settle(app.engage, draft_id, posted_url=posted_url, not_posted=not_posted,
                  actor=actor())  # fmt: skip
    report(
        as_json,
        done,
        f"draft {draft_id} is {done['status']}"
        + (": it goes out on the next publishing run" if done["status"] == "approved" else ""),
    )


MOVE_CHOICES = ["ask", "agree_example", "disagree_example", "share_article", "crisis_resources",
                "find_a_professional"]  # fmt: skip


@click.command("draft")
@click.argument("thread_id", type=int)
@click.option("--move", type=click.Choice(MOVE_CHOICES), help="The dialogue move (default: "
              "chosen from the thread's intent).")  # fmt: skip
@json_option
@click.pass_obj
def draft(app: AppContext, thread_id: int, move: str | None, as_json: bool) -> None:
    """Draft a reply to any stored thread now (it waits for your approval like the others)."""
    from engage.desk import draft_on_demand
    from engage.types import Move

    made = draft_on_demand(app.engage, thread_id, Move(move) if move else None, actor=actor())
    row = load_row(app.engage, made.id)
    if as_json:
        emit_json(row)
    else:
        print_draft(row)
        click.echo(f"draft {row['id']} is waiting for approval: engage review")


def load_row(engage: Engage, draft_id: int) -> dict[str, Any]:
    """A draft with its thread, match and approval hash, as the desk shows it."""
    from engage.desk import draft_view

    return draft_view(engage.db, draft_id)


def print_draft(row: dict[str, Any], position: str = "") -> None:
    """A draft line by line (`drafts show`, `draft`, `review --plain`): the same parts as the
    desk's card (engage.cli.desk_screen.card), the thread whole, warnings in words."""
    from engage.cli.desk_screen import card

    out = console()
    head = f"[bold]draft {row['id']}[/bold] · {row['status']} · {row['move'] or row['kind']}"
    out.print(f"{head}{' · ' + position if position else ''}")
    for _, part in card(row):
        out.print(part)


def report(as_json: bool, value: dict[str, Any], message: str) -> None:
    if as_json:
        emit_json(value)
    else:
        click.echo(message)


def actor() -> str:
    """Who acted, for the audit log: the login name and that it came from the CLI."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"
