from __future__ import annotations

import click

from engage.cli.app_context import AppContext
from engage.cli.drafts import actor, load_row, print_draft
from engage.cli.output import console
from engage.errors import EngageError

KEYS = {
    "a": "approve",
    "e": "edit in $EDITOR",
    "r": "reject",
    "s": "skip",
    "m": "change move",
    "o": "open thread",
    "q": "quit",
}
HELP = "  ".join(f"[bold]{key}[/bold] {label}" for key, label in KEYS.items())


@click.command()
@click.pass_obj
def review(app: AppContext) -> None:
    """The approval desk: go through pending drafts one key at a time.

    a approve · e edit in $EDITOR · r reject with a reason · s skip · m change the move ·
    o open the thread in your browser · q quit. Publishing approved drafts is not built yet:
    copy an approved reply from `engage drafts show ID` and post it yourself.
    """
    import sys

    from engage.desk import draft_rows
    from engage.errors import UsageError

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("engage review needs a terminal; in scripts use engage drafts list/"
                         "show/approve/reject/edit")  # fmt: skip
    pending = [row["id"] for row in draft_rows(app.engage.db, ["pending"])]
    out = console()
    if not pending:
        out.print(
            "No drafts waiting. engage drafts a reply for the best new threads after each watch."
        )
        return
    done = {"approved": 0, "rejected": 0, "skipped": 0}
    for index, draft_id in enumerate(pending, start=1):
        outcome = _desk(app, draft_id, f"{index} of {len(pending)}")
        if outcome == "quit":
            break
        done[outcome] += 1
    out.print(", ".join(f"{n} {what}" for what, n in done.items()))


def _desk(app: AppContext, draft_id: int, position: str) -> str:
    """One draft until the therapist approves, rejects, skips or quits."""
    out = console()
    while True:
        row = load_row(app.engage, draft_id)
        if row["status"] != "pending":
            return "skipped"
        out.rule()
        print_draft(row, position)
        out.print(HELP)
        key = click.getchar().lower()
        try:
            outcome = _act(app, row, key)
        except EngageError as exc:
            out.print(f"[red]{exc}[/red]")
            continue
        if outcome:
            return outcome


def _act(app: AppContext, row: dict[str, object], key: str) -> str | None:
    from engage.desk import edit_draft, recheck_draft
    from engage.desk import states as machine

    draft_id = int(str(row["id"]))
    out = console()
    if key == "a":
        override = None
        warnings = recheck_draft(app.engage, draft_id)  # the thread as it is now
        if warnings != row["warnings"]:
            out.print("[yellow]the thread changed since it was drafted: new warnings[/yellow]")
            print_draft(load_row(app.engage, draft_id))
        slugs = {str(w["slug"]) for w in warnings if w["blocking"]}
        if slugs & machine.NEVER_OVERRIDDEN:
            absolute = ", ".join(sorted(slugs & machine.NEVER_OVERRIDDEN))
            out.print(f"[red]edit it first: {absolute} can't be overridden, whatever the "
                      "consent: rewrite the text (e)[/red]")  # fmt: skip
            return None
        if slugs:
            override = click.prompt("Blocking warnings. Reason to approve anyway (empty: cancel)",
                                    default="", show_default=False)  # fmt: skip
            if not override.strip():
                return None
        machine.approve(
            app.engage.db, draft_id, seen_text=str(row["text"]), seen_target=str(row["target"]),
            actor=actor(), override_reason=override,
        )  # fmt: skip
        out.print(f"[green]approved draft {draft_id}[/green]")
        return "approved"
    if key == "e":
        edited = click.edit(str(row["text"]))
        if edited is not None and edited.strip() != str(row["text"]).strip():
            edit_draft(app.engage.db, app.engage.config, draft_id, edited.strip(), actor=actor())
            out.print("edited: check it and approve it again")
        return None
    if key == "r":
        reason = click.prompt("Why reject it (empty: cancel)", default="", show_default=False)
        if reason.strip():
            machine.reject(app.engage.db, draft_id, reason=reason.strip(), actor=actor())
            out.print(f"rejected draft {draft_id}")
            return "rejected"
        return None
    if key == "s":
        return "skipped"
    if key == "q":
        return "quit"
    if key == "o":
        _open_thread(row.get("thread"))
        return None
    if key == "m":
        _change_move(app, draft_id)
        return None
    out.print(f"keys: {HELP}")
    return None


def _open_thread(thread: object) -> None:
    """Open the thread in the browser: only an http(s) address, never `javascript:` or `file:`."""
    from engage.cli.output import visible
    from engage.sources.base import web_url

    url = web_url(thread.get("url")) if isinstance(thread, dict) else None
    if url is None:
        shown = visible(str(thread.get("url") or "")) if isinstance(thread, dict) else ""
        console().print(f"not opened: {shown!r} is not a web address", markup=False)
        return
    import webbrowser

    webbrowser.open(url)


def _change_move(app: AppContext, draft_id: int) -> None:
    from engage.desk import moves_for, redraft

    moves = moves_for(app.engage, draft_id)
    if len(moves) < 2:
        console().print("this thread allows no other move")
        return
    for number, move in enumerate(moves, start=1):
        console().print(f"  {number}. {move.value}")
    choice = click.prompt("Move", type=click.IntRange(1, len(moves)))
    redraft(app.engage, draft_id, moves[choice - 1], actor=actor())
