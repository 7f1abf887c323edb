"""`engage demo`: the daily job on fictional threads, offline; `engage demo --publish` then
publishes what the user approved to the demo's local Reddit. Thin: the servers, the config and
reading replies back are engage.demo's; the steps are the real ones."""

from __future__ import annotations

import contextlib
import shlex
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from engage.cli.output import console, visible
from engage.cli.publish import print_items, print_log

if TYPE_CHECKING:
    from engage.types import EngagementView

MARKER = ".engage-demo"


@click.command()
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("var/demo"), show_default=True,
              help="A throw-away data directory for the demo (emptied first, but not by "
                   "--publish).")  # fmt: skip
@click.option("--publish", is_flag=True,
              help="Publish the drafts you approved to the demo's local Reddit and show the "
                   "log (after `engage demo`; approves nothing by itself).")  # fmt: skip
def demo(folder: Path, publish: bool) -> None:
    """Run the daily job on fictional threads, offline: watch, match, rank, draft, digest preview.

    Nothing leaves this machine: the demo's Reddit and feeds are served on 127.0.0.1. With
    --publish, what you approved (engage review, key a) goes out to the demo's Reddit.
    """
    if publish:
        _publish(folder)
    else:
        _watch(folder)


def _watch(folder: Path) -> None:
    """The first run: a fresh directory, the daily job, then how to approve and publish one."""
    from engage.app import make_engage
    from engage.cli.drafts import load_row, print_draft
    from engage.cli.threads import print_threads
    from engage.demo import build_site, demo_config, demo_environment, serve, write_config
    from engage.demo_reddit import demo_posts, local_reddit, subreddits
    from engage.desk import draft_rows
    from engage.digest import write_preview
    from engage.jobs import run_watch
    from engage.threads import list_threads, own_blog_post_count

    _reset(folder)
    out = console()
    with demo_environment(), local_reddit(folder) as reddit, serve(folder / "site") as base:
        feeds = build_site(folder / "site", base)
        write_config(folder / "engage.toml", base, feeds, reddit)
        posts = demo_posts()
        on_reddit = sum(post["community"].startswith("r/") for post in posts)
        out.print(f"[bold]1. Serving {len(posts)} fictional threads[/bold]: {on_reddit} in "
                  f"{len(subreddits())} subreddits on a local Reddit at {reddit}, "
                  f"{len(posts) - on_reddit} in {len(feeds) - 1} community feeds and your own "
                  f"blog on {base}")  # fmt: skip
        engage = make_engage(demo_config(folder))
        report = run_watch(engage, only_due=False)
        out.print(f"\n[bold]2. engage watch --once[/bold]: {report.summary()}")
    try:
        rows = [t.as_dict() for t in list_threads(engage.db, worth=True, limit=8)]
        out.print("\n[bold]3. engage threads list --worth[/bold]: the conversations worth joining")
        print_threads(rows, worth=True)
        blog_posts = own_blog_post_count(engage.db)
        out.print(f"\n   Your own blog: {blog_posts} posts found, each with a share drafted.")
        waiting = draft_rows(engage.db, ["pending"])
        shown = _reply_to_show(waiting)
        out.print(f"\n[bold]4. Drafts waiting for your approval[/bold]: {len(waiting)} "
                  "(engage review)" + (f"; draft {shown}:" if shown else ""))  # fmt: skip
        if shown:
            print_draft(load_row(engage, shown))
        html, text = write_preview(engage, folder / "digest")
        out.print(f"\n[bold]5. engage digest --preview[/bold]: wrote {html} and {text}")
    finally:
        engage.close()
    out.print("\n[bold]6. Publish a reply[/bold]: nothing goes out until you approve it.")
    _how_to_approve(folder)
    out.print(f"\nEverything is in {folder}. Try: {_engage_in(folder)} threads list --worth",
              markup=False, soft_wrap=True)  # fmt: skip


def _publish(folder: Path) -> None:
    """A later run: what was approved goes out to the local Reddit through the real publishing
    job, and is shown as the local Reddit now holds it, then in the engagement log."""
    from engage.demo import publish_approved

    if not (folder / MARKER).exists() or not (folder / "engage.toml").exists():
        raise click.UsageError(f"{folder} holds no demo: run `engage demo --dir {folder}` first")
    out = console()
    done = publish_approved(folder)
    if done.report is None:
        again = "new " if done.log else ""
        so_far = f" Published so far: {len(done.log)} (engage log)." if done.log else ""
        out.print(f"Nothing {again}is approved, so nothing was published: engage publishes "
                  f"only what you approve.{so_far}")  # fmt: skip
        _how_to_approve(folder)
        return
    out.print(f"[bold]engage publish[/bold] to the demo's local Reddit at {done.reddit}:")
    print_items(done.report.items, indent="   ")
    for reply in done.replies:
        out.print("\n[bold]On the demo's Reddit now[/bold]:")
        out.print(visible(f"   {reply.subreddit} · {reply.thread_title}\n   u/{reply.author}: "
                          f"{reply.body}"), markup=False)  # fmt: skip
        out.print(f"   {reply.permalink}", markup=False, soft_wrap=True)
    _print_log(done.log)
    out.print(f"\nSee it any time: {_engage_in(folder)} log", markup=False, soft_wrap=True)


def _print_log(rows: list[EngagementView]) -> None:
    """The engagement log as `engage log` prints it."""
    out = console()
    out.print(f"\n[bold]The engagement log[/bold] (engage log): {len(rows)} so far")
    print_log(rows, indent="   ")
    if any(row.platform == "reddit" for row in rows):
        out.print("   (the log keeps the address the reply would have on reddit.com; the demo's "
                  "replies live only on its local Reddit)")  # fmt: skip


def _how_to_approve(folder: Path) -> None:
    """The two commands that publish one reply, as they can be typed in this shell (never
    wrapped: each is one line to copy)."""
    out = console()
    out.print("   Approve a Reddit reply at the desk (key a; a draft with a [bracketed] part "
              "needs e to fill it in first):", markup=False)  # fmt: skip
    out.print(f"     {_engage_in(folder)} review", markup=False, soft_wrap=True)
    out.print("   then publish it to the demo's local Reddit and see the log:")
    out.print(f"     {_engage()} demo --publish --dir {_shown(folder)}", markup=False,
              soft_wrap=True)  # fmt: skip


def _reply_to_show(waiting: list[dict[str, Any]]) -> int | None:
    """The draft to show first: a Reddit reply that can be approved as it is, if any."""
    replies = [row for row in waiting if row["kind"] == "reply"]
    ready = [row for row in replies if row["platform"] == "reddit"
             and not any(w.get("blocking") for w in row["warnings"])]  # fmt: skip
    first = (ready or replies)[:1]
    return int(first[0]["id"]) if first else None


def _engage_in(folder: Path) -> str:
    """engage on the demo's data directory and config, as the user types it."""
    return f"ENGAGE_HOME={_shown(folder)} {_engage()} --config {_shown(folder / 'engage.toml')}"


def _engage() -> str:
    """How to run engage from this shell: `engage` when that is this one on the PATH, else the
    script beside this Python (`.venv/bin/engage` after `python3 dev.py demo`)."""
    script = Path(sys.executable).parent / "engage"
    if not script.is_file():
        return "engage"
    on_path = shutil.which("engage")
    return "engage" if on_path and Path(on_path).resolve() == script.resolve() else _shown(script)


def _shown(path: Path) -> str:
    """A path as short as it can be typed here: relative to the current directory if inside it."""
    with contextlib.suppress(OSError, ValueError):
        path = path.resolve().relative_to(Path.cwd().resolve())
    return shlex.quote(str(path))


def _reset(folder: Path) -> None:
    """Empty a previous demo directory, but never a folder the demo did not make."""
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            raise click.UsageError(f"{folder} is not empty and not a demo directory; choose --dir")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("made by engage demo; safe to delete\n")
