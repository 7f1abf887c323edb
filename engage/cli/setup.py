from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from engage.cli.app_context import AppContext
from engage.cli.output import emit_json, json_option
from engage.errors import ConfigError, UsageError


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
    from engage.config import Config, default_home, find_config_path, parse_settings_file
    from engage.config_problems import environment_problems, feed_problems
    from engage.match_rows import build_matcher

    chosen = Path(path) if path else find_config_path(app.config_path)
    if chosen is None:
        raise ConfigError("no config file found: run engage init, or name one with --config")
    if not chosen.is_file():
        raise ConfigError(f"{chosen}: config file not found")
    try:
        config = Config(parse_settings_file(chosen), chosen, default_home())
        build_matcher(config)
        in_file = [f"{chosen}: {problem}" for problem in feed_problems(config.settings)]
        if problems := in_file + environment_problems(config):
            raise ConfigError("\n".join(problems))
    except ConfigError as exc:
        if as_json:
            emit_json({"ok": False, "path": str(chosen), "errors": str(exc).splitlines()})
            sys.exit(exc.exit_code)
        raise
    if as_json:
        emit_json({"ok": True, "path": str(chosen), "errors": []})
    else:
        click.echo(f"{chosen}: ok")


def _parse_specialty(value: str) -> tuple[str, float]:
    slug, _, weight = value.partition("=")
    try:
        return slug.strip(), float(weight) if weight else 1.0
    except ValueError:
        raise UsageError(f"--specialty {value!r}: expected SLUG=WEIGHT, e.g. couples=0.6") from None


@click.command()
@click.option("--path", "target", type=click.Path(dir_okay=False), help="Where to write it.")
@click.option("--name", help="Your name as colleagues know you.")
@click.option("--credentials", help="e.g. LMFT, CSAT")
@click.option("--location", help="Where you see clients, e.g. 'Southern California'.")
@click.option("--licensed-in", multiple=True, help="State/province you are licensed in (repeat).")
@click.option("--specialty", "specialties", multiple=True, help="SLUG=WEIGHT (repeat).")
@click.option("--website", help="Your practice or blog website.")
@click.option("--subreddit", "subreddits", multiple=True, help="A community to watch (repeat).")
@click.option("--feed", "feeds", multiple=True, help="A colleague's blog feed URL (repeat).")
@click.option("--own-feed", help="Your own blog's feed URL (its posts become shares).")
@click.option("--digest-to", help="Email address for the daily digest.")
@click.option("--timezone", default=None, help="IANA time zone, e.g. America/Los_Angeles.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--no-input", is_flag=True, help="Never prompt; use flags and defaults.")
@click.pass_obj
def init(
    app: AppContext,
    target: str | None,
    name: str | None,
    credentials: str | None,
    location: str | None,
    licensed_in: tuple[str, ...],
    specialties: tuple[str, ...],
    website: str | None,
    subreddits: tuple[str, ...],
    feeds: tuple[str, ...],
    own_feed: str | None,
    digest_to: str | None,
    timezone: str | None,
    force: bool,
    no_input: bool,
) -> None:
    """Write your config file. Prompts for what the flags leave out (unless --no-input).

    Secrets are never written: set ENGAGE_REDDIT_CLIENT_ID, ENGAGE_SMTP_PASSWORD and the like
    in your environment or a .env file beside the config.
    """
    from engage.config import CONFIG_ENV, parse_settings, user_config_path

    path = Path(target or app.config_path or os.environ.get(CONFIG_ENV) or user_config_path())
    if path.exists() and not force:
        raise UsageError(f"{path} already exists (use --force to overwrite)")
    ask = not no_input and sys.stdin.isatty()

    def value(given: str | None, prompt: str, default: str = "") -> str:
        if given is not None or not ask:
            return given or default
        answer: str = click.prompt(prompt, default=default, show_default=bool(default))
        return answer

    def values(given: tuple[str, ...], prompt: str, example: str) -> list[str]:
        if given or not ask:
            return list(given)
        answer: str = click.prompt(f"{prompt} (comma-separated, e.g. {example})", default="")
        return [part.strip() for part in answer.split(",") if part.strip()]

    specialty_items = values(
        specialties, "Specialties as slug=weight", "sex_addiction=1,couples=0.6"
    )
    document = {
        "profile": {
            "name": value(name, "Your name"),
            "credentials": value(credentials, "Credentials"),
            "location": value(location, "Where you see clients"),
            "licensed_in": values(licensed_in, "Licensed in", "CA"),
            **({"website": website} if website else {}),
            "specialties": dict(_parse_specialty(item) for item in specialty_items),
        },
        "reddit": {"subreddits": values(subreddits, "Reddit communities to watch", "therapists")},
        "feeds": [{"url": url, "own": False} for url in feeds]
        + ([{"url": own_feed, "own": True}] if own_feed else []),
        "digest": {
            "enabled": bool(digest_to),
            **({"to": digest_to, "sender": digest_to} if digest_to else {}),
            "timezone": value(timezone, "Your time zone", "UTC"),
        },
    }
    parse_settings(document, path)  # never write a file that engage itself would refuse
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_toml(document), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: can't write the config there ({exc.strerror})") from None
    click.echo(f"wrote {path}")
    click.echo("next: engage config check, then engage status")


def render_toml(document: dict[str, object]) -> str:
    """A small TOML writer for the shapes init produces (tables, arrays of tables, scalars)."""
    lines = [
        "# engage configuration, written by `engage init`.",
        "# Every key is explained in config/engage.example.toml. Secrets never go here.",
    ]
    for table, content in document.items():
        if isinstance(content, list):
            for item in content:
                lines += ["", f"[[{table}]]", *_pairs(item)]
            continue
        assert isinstance(content, dict)
        scalars = {k: v for k, v in content.items() if not isinstance(v, dict)}
        lines += ["", f"[{table}]", *_pairs(scalars)]
        for key, sub in content.items():
            if isinstance(sub, dict):
                lines += ["", f"[{table}.{key}]", *_pairs(sub)]
    return "\n".join(lines) + "\n"


def _pairs(table: dict[str, object]) -> list[str]:
    return [
        f"{_key(key)} = {json.dumps(value, ensure_ascii=False)}" for key, value in table.items()
    ]


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() else json.dumps(key)
