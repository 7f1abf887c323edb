"""`engage auth linkedin`: connect the therapist's LinkedIn account (OAuth in their browser),
so approved shares and comments go out by API. Thin: calls the dance in
engage/platforms/linkedin/oauth.py and prints who is connected until when, never the token.
Instructions go to stderr, the result to stdout (JSON with --json)."""

from __future__ import annotations

import click

from engage.cli.app_context import AppContext
from engage.cli.output import emit_json, json_option


@click.group("auth")
def auth_group() -> None:
    """Connect an account that needs your consent in a browser (LinkedIn)."""


@auth_group.command("linkedin")
@click.option(
    "--no-browser", is_flag=True, help="Only print the address to open; start no browser."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    help="Seconds to wait for LinkedIn to send you back.",
)
@json_option
@click.pass_obj
def linkedin(app: AppContext, no_browser: bool, timeout: float, as_json: bool) -> None:
    """Allow engage to post as you on LinkedIn (shares of your blog posts, your comments).

    Opens LinkedIn's consent page; LinkedIn then sends your browser back to engage on this
    computer (http://127.0.0.1:PORT/callback, which your LinkedIn app must list). The token
    lasts 60 days and is kept in engage's data directory, readable by you only; engage status
    and the digest remind you before it runs out.
    """
    from engage.platforms.linkedin.oauth import authorize

    done = authorize(
        app.config,
        say=lambda text: click.echo(text, err=True),
        open_browser=not no_browser,
        timeout=timeout,
    )
    expires = done.expires_at.isoformat().replace("+00:00", "Z")
    if as_json:
        emit_json({"member_urn": done.member_urn, "expires_at": expires})
        return
    click.echo(
        f"LinkedIn connected as {done.member_urn} until {done.expires_at:%Y-%m-%d} "
        f"(token kept in {done.path}, readable by you only)"
    )
