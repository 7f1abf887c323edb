from __future__ import annotations

import shutil
from pathlib import Path

import click

from engage.cli.output import console

MARKER = ".engage-demo"


@click.command()
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=Path("var/demo"), show_default=True,
              help="A throw-away data directory for the demo (emptied first).")  # fmt: skip
def demo(folder: Path) -> None:
    """Run the daily job on fictional threads, offline: watch, match, rank, digest preview.

    Nothing leaves this machine: the demo's communities are feeds served on 127.0.0.1.
    """
    from engage.app import make_engage
    from engage.cli.drafts import load_row, print_draft
    from engage.cli.threads import print_threads
    from engage.config import Config, parse_settings_file
    from engage.demo import build_site, demo_threads, serve, write_config
    from engage.desk import draft_rows
    from engage.digest import write_preview
    from engage.jobs import run_watch
    from engage.threads import list_threads, own_blog_post_count

    _reset(folder)
    out = console()
    site = folder / "site"
    with serve(site) as base:
        feeds = build_site(site, base)
        config_path = write_config(folder / "engage.toml", base, feeds)
        out.print(f"[bold]1. Serving {len(demo_threads())} fictional threads[/bold] from "
                  f"{len(feeds) - 1} communities and your own blog on {base}")  # fmt: skip
        engage = make_engage(Config(parse_settings_file(config_path), config_path, folder))
        report = run_watch(engage, only_due=False)
        out.print(f"\n[bold]2. engage watch --once[/bold]: {report.summary()}")
    rows = [t.as_dict() for t in list_threads(engage.db, worth=True, limit=8)]
    out.print("\n[bold]3. engage threads list --worth[/bold]: the conversations worth joining")
    print_threads(rows, worth=True)
    blog_posts = own_blog_post_count(engage.db)
    out.print(f"\n   Your own blog: {blog_posts} posts found, each with a share drafted.")
    waiting = draft_rows(engage.db, ["pending"])
    out.print(f"\n[bold]4. Drafts waiting for your approval[/bold]: {len(waiting)} "
              "(engage review); the first one:")  # fmt: skip
    replies = [row for row in waiting if row["kind"] == "reply"]
    if replies:
        print_draft(load_row(engage, replies[0]["id"]))
    html, text = write_preview(engage, folder / "digest")
    out.print(f"\n[bold]5. engage digest --preview[/bold]: wrote {html} and {text}")
    example = f"ENGAGE_HOME={folder} engage --config {config_path} threads list --worth"
    out.print(f"\nEverything is in {folder}. Try: {example}", markup=False)
    engage.close()


def _reset(folder: Path) -> None:
    """Empty a previous demo directory, but never a folder the demo did not make."""
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            raise click.UsageError(f"{folder} is not empty and not a demo directory; choose --dir")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("made by engage demo; safe to delete\n")
