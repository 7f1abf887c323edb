"""`engage review`: the approval desk, one draft at a time, one key at a time.

Why: nothing is published without the therapist approving its exact text, so the desk shows the
thread, the draft and the guard's warnings together and acts on one key (engage.cli.desk_screen
draws it: a full-screen card on a terminal, line by line with --plain), and on quitting says
what happens next to what was approved.

Must not query the database itself (engage.desk and engage.publishing do), approve a text the
therapist has not had on screen, or run without a terminal (scripts use `engage drafts …`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from engage.cli.app_context import AppContext
from engage.cli.drafts import actor, load_row, lowered_note
from engage.cli.output import console
from engage.errors import EngageError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from engage.app import Engage
    from engage.cli.desk_screen import Desk
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
    """The keys for this draft: a share goes elsewhere (t), a reply changes its move (m); an
    outline is approved, edited or rejected, never posted (no p) and has no thread (no o)."""
    unfit = {"blog_share": {"m", "o"}, "outline": {"m", "o", "p", "t"}}.get(str(row.get("kind")),
                                                                             {"t"})  # fmt: skip
    return {key: label for key, label in KEYS[str(row["status"])].items() if key not in unfit}


@click.command()
@click.option("--plain", is_flag=True, help="Line by line instead of a full-screen card (for "
              "screen readers): each draft printed below the last.")  # fmt: skip
@click.pass_obj
def review(app: AppContext, plain: bool) -> None:
    """The approval desk: go through pending drafts one key at a time.

    Pending drafts first (a approve · p approve and post it yourself · e edit in $EDITOR ·
    r reject with a reason · s skip · m change the move · o open the thread · q quit), then
    approved replies waiting for you to post them by hand (p), then replies whose outcome is
    unknown (p it is posted · n it is not). On a terminal each draft is a full-screen card,
    its thread scrolled with j/k, the arrows, PgUp/PgDn; --plain prints line by line.
    """
    import sys

    from engage.cli.desk_screen import desk_for
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
    done = {"approved": 0, "posted": 0, "rejected": 0, "skipped": 0}
    interrupted = False
    if queue:
        with desk_for(plain) as ui:
            try:
                for index, draft_id in enumerate(queue, start=1):
                    outcome = _desk(app, ui, draft_id, f"{index} of {len(queue)}")
                    if outcome == "quit":
                        break
                    done[outcome] += 1
            except (KeyboardInterrupt, EOFError, click.Abort):
                interrupted = True
        out.print(("interrupted; " if interrupted else "") + "this time: "
                  + ", ".join(f"{n} {what}" for what, n in done.items()))  # fmt: skip
    steps = next_steps(app.engage)
    if queue and not steps:
        steps = ["nothing else waits: engage drafts new replies after each watch"]
    for line in steps:
        out.print(line, markup=False)


def next_steps(engage: Engage) -> list[str]:
    """What happens next, in words, from publishing's dry run (what it would do now) and the
    approvals running out within a day; nothing when nothing waits."""
    from engage.desk import draft_rows
    from engage.publishing import expiring_approvals, publish_due
    from engage.types import Result

    plan = publish_due(engage, dry_run=True).items
    by = {result: [item for item in plan if item.result is result] for result in Result}
    lines = []
    if going := by[Result.WOULD_PUBLISH]:
        them = "them" if len(going) > 1 else "it"
        when = "on its next run (within a minute while `engage run` runs), or now: engage publish"
        lines.append(f"{len(going)} approved: the worker publishes {them} {when}")
    for item in by[Result.HELD]:
        lines.append(f"draft {item.draft_id} waits: {item.reason}")
    if hand := by[Result.BY_HAND]:
        ids = ", ".join(str(item.draft_id) for item in hand)
        them, one = ("them", "ID") if len(hand) > 1 else ("it", ids)
        lines.append(f"{len(hand)} approved for you to post yourself (draft {ids}): at the desk"
                     f" p shows the text to copy and asks for the link; or once {them} is up, "
                     f"engage mark-posted {one} URL")  # fmt: skip
    if unknown := by[Result.UNKNOWN]:
        ids = ", ".join(str(item.draft_id) for item in unknown)
        lines.append(f"{len(unknown)} may already be live (draft {ids}): look at the thread, then"
                     " engage review (p it is posted, n it is not)")  # fmt: skip
    for draft_id, until in expiring_approvals(engage):
        lines.append(f"the approval of draft {draft_id} runs out {until:%Y-%m-%d %H:%M} UTC: "
                     "it is not published after that")  # fmt: skip
    pending = len(draft_rows(engage.db, ["pending"]))
    if pending:
        lines.append(f"{pending} left pending: engage review when you have a moment")
    return lines


def _desk(app: AppContext, ui: Desk, draft_id: int, position: str) -> str:
    """One draft until the therapist acts on it, skips it or quits."""
    first = load_row(app.engage, draft_id)["status"]
    while True:
        row = load_row(app.engage, draft_id)
        if row["status"] != first or first not in KEYS:
            return "skipped"
        keys = keys_for(row)
        ui.show(row, position, keys)
        key = ui.read_key()
        if key not in keys:
            ui.unknown_key()
            continue
        if key in {"a", "p"} and row["status"] == "pending" and not ui.draft_seen():
            ui.show_draft()
            ui.say(f"this is the text you approve: read it, then press {key} again", "yellow")
            continue
        try:
            outcome = _act(app, ui, row, key)
        except EngageError as exc:
            ui.say(str(exc), "red")
            continue
        if outcome:
            return outcome


def _act(app: AppContext, ui: Desk, row: dict[str, object], key: str) -> str | None:
    from engage.desk import edit_draft
    from engage.desk import states as machine

    draft_id = int(str(row["id"]))
    if key == "p":
        if row["status"] == "pending" and _approve(app, ui, row, key) is None:
            return None
        return _post_by_hand(app, ui, row)
    if key == "n":
        from engage.publishing import resolve

        resolve(app.engage, draft_id, posted_url=None, not_posted=True, actor=actor())
        ui.say(f"draft {draft_id} is approved again: it goes out on the next publishing run")
        return "approved"
    if key == "a":
        return _approve(app, ui, row, key)
    if key == "e":
        with ui.suspended():
            edited = click.edit(str(row["text"]))
        if edited is not None and edited.strip() != str(row["text"]).strip():
            edit_draft(app.engage.db, app.engage.config, draft_id, edited.strip(), actor=actor())
            ui.say("edited: check it and approve it again")
        return None
    if key == "r":
        reason = ui.prompt("Why reject it (empty: cancel)", default="", show_default=False)
        if reason.strip():
            feedback = machine.reject(app.engage.db, draft_id, reason=reason.strip(),
                                      actor=actor())  # fmt: skip
            ui.say(f"rejected draft {draft_id}{lowered_note(feedback)}")
            return "rejected"
        return None
    if key == "s":
        return "skipped"
    if key == "q":
        return "quit"
    if key == "o":
        _open_thread(ui, row.get("thread"))
        return None
    if key == "t":
        _change_channel(app, ui, draft_id)
        return None
    _change_move(app, ui, draft_id)  # "m", the only key left
    return None


def _change_channel(app: AppContext, ui: Desk, draft_id: int) -> None:
    from engage.desk import retarget_share
    from engage.drafting.channels import CHANNELS

    ui.menu([channel.label for channel in CHANNELS])
    choice = ui.prompt("Share it on", type=click.IntRange(1, len(CHANNELS)))
    retarget_share(app.engage, draft_id, CHANNELS[choice - 1].name, actor=actor())


def _approve(app: AppContext, ui: Desk, row: dict[str, object], key: str) -> str | None:
    """Approve exactly the text shown, after checking it against the thread as it is now."""
    from engage.desk import recheck_draft
    from engage.desk import states as machine

    draft_id = int(str(row["id"]))
    override = None
    warnings = recheck_draft(app.engage, draft_id)  # the thread as it is now
    if warnings != row["warnings"]:  # stored now: the next a approves with them in view
        ui.show(load_row(app.engage, draft_id), "", keys_for(row))
        ui.say("the thread changed since it was drafted: new warnings; read them, then press "
               f"{key} again", "yellow")  # fmt: skip
        return None
    slugs = {str(w["slug"]) for w in warnings if w["blocking"]}
    if slugs & machine.NEVER_OVERRIDDEN:
        absolute = ", ".join(sorted(slugs & machine.NEVER_OVERRIDDEN))
        ui.say(f"edit it first: {absolute} can't be overridden, whatever the consent: rewrite "
               "the text (e)", "red")  # fmt: skip
        return None
    if slugs:
        override = ui.prompt("Blocking warnings. Reason to approve anyway (empty: cancel)",
                             default="", show_default=False)  # fmt: skip
        if not override.strip():
            return None
    machine.approve(
        app.engage.db, draft_id, seen_text=str(row["text"]), seen_target=str(row["target"]),
        actor=actor(), override_reason=override,
    )  # fmt: skip
    ui.say(f"approved draft {draft_id}", "green")
    return "approved"


def _post_by_hand(app: AppContext, ui: Desk, row: dict[str, object]) -> str | None:
    """The exact text to copy, the thread opened, and the link to the posted reply asked for.

    The worker holds the draft back meanwhile, so it can't also publish it by API."""
    from engage.publishing import hold_for_hand, mark_posted

    draft_id, text = int(str(row["id"])), str(row["text"])
    hold_for_hand(app.engage, draft_id)
    ui.hand_over(text)
    if _copy_to_clipboard(text):
        ui.say("copied to your clipboard (where your terminal allows it)")
    _open_thread(ui, row.get("thread"))
    answer = ui.prompt(
        "Paste the link to your reply, or type posted (empty: not yet)",
        default="", show_default=False,
    ).strip()  # fmt: skip
    if not answer:
        ui.say(f"not posted yet: draft {draft_id} stays approved; once it is up, "
               f"engage mark-posted {draft_id} URL")  # fmt: skip
        return "skipped"
    mark_posted(app.engage, draft_id, None if answer.lower() == "posted" else answer,
                actor=actor())  # fmt: skip
    ui.say(f"logged: draft {draft_id} is posted", "green")
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


def _open_thread(ui: Desk, thread: object) -> None:
    """Open the thread in the browser: only an http(s) address, never `javascript:` or `file:`."""
    from engage.cli.output import visible
    from engage.sources.base import web_url

    url = web_url(thread.get("url")) if isinstance(thread, dict) else None
    if url is None:
        shown = visible(str(thread.get("url") or "")) if isinstance(thread, dict) else ""
        ui.say(f"not opened: {shown!r} is not a web address")
        return
    import webbrowser

    try:
        with ui.suspended() if _browser_in_terminal() else _nothing():
            opened = webbrowser.open(url)
    except webbrowser.Error:
        opened = False
    ui.say(("opened in your browser: " if opened else "open this in your browser: ")
           + visible(url))  # fmt: skip


def _browser_in_terminal() -> bool:
    """Without a display, Python's webbrowser may start lynx or w3m in this very terminal."""
    import os
    import sys

    graphical = sys.platform in ("darwin", "win32") or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY")
    )
    return not graphical


def _nothing() -> AbstractContextManager[None]:
    from contextlib import nullcontext

    return nullcontext()


def _change_move(app: AppContext, ui: Desk, draft_id: int) -> None:
    from engage.desk import moves_for, redraft

    moves = moves_for(app.engage, draft_id)
    if len(moves) < 2:
        ui.say("this thread allows no other move")
        return
    ui.menu([move.value for move in moves])
    choice = ui.prompt("Move", type=click.IntRange(1, len(moves)))
    redraft(app.engage, draft_id, moves[choice - 1], actor=actor())
