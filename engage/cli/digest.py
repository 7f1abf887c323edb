from __future__ import annotations

import sys
from pathlib import Path

import click

from engage.cli.app_context import AppContext
from engage.cli.output import emit_json, json_option
from engage.errors import UsageError


@click.command()
@click.option("--preview", is_flag=True, help="Write digest.html and digest.txt; send nothing.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where --preview writes (default: <data dir>/digests/<date>).")  # fmt: skip
@click.option("--open", "open_browser", is_flag=True, help="With --preview: open the HTML.")
@click.option("--send-now", is_flag=True, help="Send today's digest now, unless already sent.")
@click.option("--force", is_flag=True, help="With --send-now: send again even if already sent.")
@json_option
@click.pass_obj
def digest(
    app: AppContext, preview: bool, out_dir: Path | None, open_browser: bool, send_now: bool,
    force: bool, as_json: bool,
) -> None:  # fmt: skip
    """The daily digest: preview it, or send today's now (the worker sends it at send_at)."""
    from engage.digest import local_today, send_today, write_preview

    engage = app.engage
    if preview == send_now:
        raise click.UsageError("choose one of --preview or --send-now")
    if preview:
        folder = out_dir or engage.home / "digests" / local_today(engage).isoformat()
        try:
            html, text = write_preview(engage, folder)
        except OSError as exc:
            raise UsageError(f"{folder}: can't write the preview there ({exc.strerror})") from None
        if as_json:
            emit_json({"html": str(html), "text": str(text)})
        else:
            click.echo(f"wrote {html}\nwrote {text}")
        if open_browser:
            import webbrowser

            webbrowser.open(html.resolve().as_uri())
        return
    outcome = send_today(engage, force=force)
    if as_json:
        emit_json({"status": outcome.status, "date": outcome.local_date.isoformat(),
                   "message": outcome.message, "message_id": outcome.message_id})  # fmt: skip
    else:
        click.echo(outcome.message)
    if outcome.status in ("gave_up", "busy"):
        sys.exit(1)
