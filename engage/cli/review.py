from __future__ import annotations

import click

from engage.cli.app_context import AppContext
from engage.cli.drafts import actor, load_row, print_draft
from engage.cli.output import console
from engage.errors import EngageError

#: The keys for a draft in each state the desk shows.
KEYS = {
    "pending": {
        "a": "approve",
        "p": "approve and post it yourself",
        "e": "edit in $EDITOR",
        "r": "reject",
        "s": "skip",
        "m": "change move",
        "t": "send the share elsewhere",
        "o": "open thread",
        "q": "quit",
    },
    "approved": {
        "p": "post it yourself",
        "e": "edit in $EDITOR",
        "s": "skip",
        "o": "open thread",
        "q": "quit",
    },
    "unknown": {
        "p": "it is posted: give the link",
        "n": "not posted: send it again",
        "s": "skip",
        "o": "open thread",
        "q": "quit",
    },
}


def keys_for(row: dict[str, object]) -> dict[str, str]:
    """The keys for this draft: a share goes elsewhere (t), a reply changes its move (m)."""
    share = row.get("kind") == "blog_share"
    unfit = {"m", "o"} if share else {"t"}
    return {key: label for key, label in KEYS[str(row["status"])].items() if key not in unfit}


def keys_help(row: dict[str, object]) -> str:
    return "  ".join(f"[bold]{key}[/bold] {label}" for key, label in keys_for(row).items())


@click.command()
@click.pass_obj
def review(app: AppContext) -> None:
    """The approval desk: go through pending drafts one key at a time.

    Pending drafts first (a approve · p approve and post it yourself · e edit in $EDITOR ·
    r reject with a reason · s skip · m change the move · o open the thread · q quit), then
    approved replies waiting for you to post them by hand (p), then replies whose outcome is
    unknown (p it is posted · n it is not).
    """
    import sys

    from engage.errors import UsageError
    from engage.publishing import desk_queue

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("engage review needs a terminal; in scripts use engage drafts list/"
                         "show/approve/reject/edit/resolve and engage mark-posted")  # fmt: skip
    queue = desk_queue(app.engage)
    out = console()
    if not queue:
        out.print(
            "No drafts waiting. engage drafts a reply for the best new threads after each watch."
        )
        return
    done = {"approved": 0, "posted": 0, "rejected": 0, "skipped": 0}
    for index, draft_id in enumerate(queue, start=1):
        outcome = _desk(app, draft_id, f"{index} of {len(queue)}")
        if outcome == "quit":
            break
        done[outcome] += 1
    out.print(", ".join(f"{n} {what}" for what, n in done.items()))


def _desk(app: AppContext, draft_id: int, position: str) -> str:
    """One draft until the therapist acts on it, skips it or quits."""
    out = console()
    first = load_row(app.engage, draft_id)["status"]
    while True:
        row = load_row(app.engage, draft_id)
        if row["status"] != first or first not in KEYS:
            return "skipped"
        out.rule()
        print_draft(row, position)
        out.print(keys_help(row))
        key = click.getchar().lower()
        if key not in keys_for(row):
            out.print(f"keys: {keys_help(row)}")
            continue
        try:
            outcome = _act(app, row, key)
        except EngageError as exc:
            out.print(f"[red]{exc}[/red]")
            continue
        if outcome:
            return outcome


def _act(app: AppContext, row: dict[str, object], key: str) -> str | None:
    from engage.desk import edit_draft
    from engage.desk import states as machine

    draft_id = int(str(row["id"]))
    out = console()
    if key == "p":
        if row["status"] == "pending" and _approve(app, row) is None:
            return None
        return _post_by_hand(app, row)
    if key == "n":
        from engage.publishing import resolve

        resolve(app.engage, draft_id, posted_url=None, not_posted=True, actor=actor())
        out.print(f"draft {draft_id} is approved again: it goes out on the next publishing run")
        return "approved"
    if key == "a":
        return _approve(app, row)
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
    if key == "t":
        _change_channel(app, draft_id)
        return None
    _change_move(app, draft_id)  # "m", the only key left
    return None


def _change_channel(app: AppContext, draft_id: int) -> None:
    from engage.desk import retarget_share
    from engage.drafting.channels import CHANNELS

    for number, channel in enumerate(CHANNELS, start=1):
        console().print(f"  {number}. {channel.label}", markup=False)
    choice = click.prompt("Share it on", type=click.IntRange(1, len(CHANNELS)))
    retarget_share(app.engage, draft_id, CHANNELS[choice - 1].name, actor=actor())


def _approve(app: AppContext, row: dict[str, object]) -> str | None:
    """Approve exactly the text shown, after checking it against the thread as it is now."""
    from engage.desk import recheck_draft
    from engage.desk import states as machine

    draft_id = int(str(row["id"]))
    out = console()
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


def _post_by_hand(app: AppContext, row: dict[str, object]) -> str | None:
    """The exact text to copy, the thread opened, and the link to the posted reply asked for.

    The worker holds the draft back meanwhile, so it can't also publish it by API."""
    from rich.panel import Panel
    from rich.text import Text

    from engage.cli.output import visible
    from engage.publishing import hold_for_hand, mark_posted

    draft_id, text = int(str(row["id"])), str(row["text"])
    out = console()
    hold_for_hand(app.engage, draft_id)
    out.print(Panel(Text(visible(text)), title="post exactly this", title_align="left"))
    if _copy_to_clipboard(text):
        out.print("copied to your clipboard (where your terminal allows it)")
    _open_thread(row.get("thread"))
    answer = click.prompt(
        "Paste the link to your reply, or type posted (empty: not yet)",
        default="", show_default=False,
    ).strip()  # fmt: skip
    if not answer:
        out.print(f"not posted yet: draft {draft_id} stays approved; once it is up, "
                  f"engage mark-posted {draft_id} URL")  # fmt: skip
        return "skipped"
    mark_posted(app.engage, draft_id, None if answer.lower() == "posted" else answer,
                actor=actor())  # fmt: skip
    out.print(f"[green]logged: draft {draft_id} is posted[/green]")
    return "posted"


def _copy_to_clipboard(text: str) -> bool:
    """OSC 52: most terminals (iTerm2, kitty, WezTerm, Windows Terminal, tmux with
    set-clipboard) put this text on the clipboard; others ignore it silently."""
    import base64
    import os
    import sys

    if not sys.stdout.isatty() or os.environ.get("TERM") == "dumb":
        return False
    sys.stdout.write(f"\033]52;c;{base64.b64encode(text.encode()).decode()}\a")
    sys.stdout.flush()
    return True


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

    try:
        opened = webbrowser.open(url)
    except webbrowser.Error:
        opened = False
    console().print(("opened in your browser: " if opened else "open this in your browser: ")
                    + visible(url), markup=False)  # fmt: skip


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
