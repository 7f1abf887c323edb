"""`engage init` (write the config, asking in a therapist's words) and `engage config check`.

Thin: the questions, their parsers, the resume file and the document live in engage.setup;
this module wires them to the terminal and the flags, writes the file, and runs the same check
`engage config check` runs on what it wrote. No input may end in a traceback: a bad answer is
asked again, a bad flag is a one-line usage error (exit 2), Ctrl-C says how to resume (exit 1).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from engage.cli.app_context import AppContext
from engage.cli.output import emit_json, json_option
from engage.errors import ConfigError, UsageError
from engage.setup.document import render_toml

__all__ = ["check", "config_group", "init", "render_toml"]


@click.group("config")
def config_group() -> None:
    """Check the configuration."""


@config_group.command("check")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@json_option
@click.pass_obj
def check(app: AppContext, path: str | None, as_json: bool) -> None:
    """Validate a config file (default: the one engage would use). Exit 2 if it is invalid.

    Also checks what it can outside the file without the network: ENGAGE_DATABASE_URL's shape,
    and the credentials the chosen modes need (a Reddit client id for mode = "api").
    """
    from engage.config import find_config_path
    from engage.setup.check import check_file

    chosen = Path(path) if path else find_config_path(app.config_path)
    if chosen is None:
        raise ConfigError("no config file found: run engage init, or name one with --config")
    try:
        check_file(chosen)
    except ConfigError as exc:
        if as_json:
            emit_json({"ok": False, "path": str(chosen), "errors": str(exc).splitlines()})
            sys.exit(exc.exit_code)
        raise
    if as_json:
        emit_json({"ok": True, "path": str(chosen), "errors": []})
    else:
        click.echo(f"{chosen}: ok")


class ClickTerminal:
    """The interview's terminal: click's prompt (Ctrl-C and Ctrl-D raise click.Abort)."""

    def ask(self, prompt: str, default: str) -> str:
        try:
            answer: str = click.prompt(prompt, default=default, show_default=bool(default))
        except click.Abort:
            raise KeyboardInterrupt from None
        return answer

    def say(self, text: str) -> None:
        click.echo(text)


#: flag parameter -> the interview's answer key (multiple flags are joined with ", ").
FLAG_ANSWERS = {
    "name": "name", "credentials": "credentials", "location": "location",
    "licensed_in": "licensed_in", "specialties": "specialties", "delivery": "delivery",
    "practice": "practice", "faith": "faith", "cultural_focus": "cultural_focus",
    "website": "website", "own_feed": "own_feed", "reddit_mode": "reddit_mode",
    "subreddits": "subreddits", "reddit_username": "reddit_username", "feeds": "feeds",
    "mastodon_tags": "mastodon_tags", "bluesky_terms": "bluesky_terms",
    "digest_to": "digest_to", "digest_from": "digest_from", "email_provider": "email_provider",
    "smtp_password_env": "smtp_password_env", "send_at": "send_at", "timezone": "timezone",
    "llm_model": "llm_model", "languages": "languages", "insurance": "insurance",
    "modalities": "modalities", "populations": "populations",
}  # fmt: skip


@click.command()
@click.option("--path", "target", type=click.Path(dir_okay=False), help="Where to write it.")
@click.option("--name", help="Your name as colleagues know you.")
@click.option("--credentials", help="e.g. LMFT, CSAT")
@click.option("--location", help="Where you see clients, e.g. 'Southern California'.")
@click.option("--licensed-in", multiple=True, help="State/province, name or code (repeat).")
@click.option(
    "--specialty",
    "specialties",
    multiple=True,
    help="A specialty by name ('sex addiction', 'EMDR') or SLUG=WEIGHT (repeat).",
)
@click.option("--delivery", help="in person, telehealth, or both.")
@click.option("--practice", help="solo, group, or your words.")
@click.option("--faith", help="A faith focus, if any.")
@click.option("--cultural-focus", help="A cultural focus, if any.")
@click.option("--language", "languages", multiple=True, help="A language besides English (repeat).")
@click.option("--insurance", multiple=True, help="An insurance panel you are on (repeat).")
@click.option("--modality", "modalities", multiple=True, help="A modality you use (repeat).")
@click.option("--population", "populations", multiple=True, help="Who you see (repeat).")
@click.option("--website", help="Your practice or blog website.")
@click.option("--own-feed", help="Your own blog's feed URL (its posts become shares).")
@click.option("--reddit-mode", help="rss (default), api (an approved app) or off.")
@click.option("--subreddit", "subreddits", multiple=True, help="A community to watch (repeat).")
@click.option("--reddit-username", help="Your Reddit name, to recognise replies posted by hand.")
@click.option("--feed", "feeds", multiple=True, help="A colleague's blog feed URL (repeat).")
@click.option("--mastodon-tag", "mastodon_tags", multiple=True, help="A hashtag (repeat).")
@click.option("--bluesky-term", "bluesky_terms", multiple=True, help="A search term (repeat).")
@click.option("--digest-to", help="Email address for the daily digest.")
@click.option("--digest-from", help="The address it is sent from (default: --digest-to).")
@click.option("--email-provider", help="gmail, outlook, icloud, fastmail or other.")
@click.option("--smtp-password-env", help="The NAME of the variable holding the mail password.")
@click.option("--send-at", help="When the digest goes, e.g. 7:30 or 7am.")
@click.option("--timezone", help="A city, Pacific/Eastern..., or an IANA name.")
@click.option("--llm-model", help="An LLM for drafts (default: offline templates).")
@click.option("--restart", is_flag=True, help="Ignore answers saved from an interrupted run.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--no-input", is_flag=True, help="Never prompt; use flags and defaults.")
@click.pass_obj
def init(
    app: AppContext, /, target: str | None, restart: bool, force: bool, no_input: bool, **flags: Any
) -> None:
    """Write your config file, asking in plain words for what the flags leave out.

    A bad answer is asked again; every answer is saved as you go, so after Ctrl-C `engage init`
    picks up where you stopped. Passwords are never asked for: you name the environment
    variable that holds each one (set it, or put it in a .env file beside the config).
    """
    from engage.config import CONFIG_ENV, user_config_path

    path = Path(target or app.config_path or os.environ.get(CONFIG_ENV) or user_config_path())
    ask = not no_input and sys.stdin.isatty()
    if path.exists() and not force and not (ask and _overwrite(path)):
        raise UsageError(f"{path} already exists (use --force to overwrite)")
    given = _given(flags)
    from engage.setup.init_run import run_init

    run_init(path, given, ClickTerminal() if ask else None, restart=restart, echo=click.echo)


def _overwrite(path: Path) -> bool:
    try:
        return click.confirm(f"{path} already exists. Replace it when the questions are done?")
    except click.Abort:
        return False


def _given(flags: dict[str, Any]) -> dict[str, str]:
    given: dict[str, str] = {}
    for option, key in FLAG_ANSWERS.items():
        value = flags.get(option)
        if isinstance(value, tuple):
            if value:
                given[key] = ", ".join(value)
        elif value is not None:
            given[key] = str(value)
    return given
