"""One run of `engage init`, start to finish: offer to resume, interview, build the document,
refuse what engage itself would refuse, write it, run `engage config check`'s own checks on the
file, offer a test email, and say what to run next.

Why not in the click command: this is the part worth testing without a terminal, and it keeps
engage/cli/setup.py thin. Must not lose answers (the resume file is removed only after the config
is written), must not raise anything but EngageError (a flag that can't be used is a UsageError
naming the flag; an interruption is one that says how to resume), and never writes a secret.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engage.errors import ConfigError, EngageError, UsageError
from engage.setup.answers import AnswerError
from engage.setup.document import build_document, render_toml
from engage.setup.interview import EXTRA_PROFILE_LISTS, Interview, Terminal
from engage.setup.progress import Progress

#: Answer key -> the flag that gives it, for errors about a flag's value.
FLAG_OF = {
    "licensed_in": "--licensed-in", "specialties": "--specialty", "subreddits": "--subreddit",
    "feeds": "--feed", "mastodon_tags": "--mastodon-tag", "bluesky_terms": "--bluesky-term",
    "languages": "--language", "modalities": "--modality", "populations": "--population",
}  # fmt: skip


#: Flags that only count with another answer.
NEEDS = {
    "send_at": "--digest-to", "digest_from": "--digest-to", "email_provider": "--digest-to",
    "smtp_password_env": "--digest-to", "subreddits": "Reddit (not --reddit-mode off)",
    "reddit_username": "Reddit (not --reddit-mode off)",
}  # fmt: skip


def _flag(key: str) -> str:
    return FLAG_OF.get(key, "--" + key.replace("_", "-"))


class Interrupted(EngageError):
    """Ctrl-C or end of input during the questions; the message says how to resume."""


def run_init(
    path: Path,
    given: dict[str, str],
    terminal: Terminal | None,
    *,
    restart: bool = False,
    echo: Callable[[str], None] = print,
) -> None:
    from engage.config import Config, ProfileSettings, default_home, parse_settings
    from engage.setup.reach import feed_note

    home = default_home()
    progress = Progress(home, path) if terminal is not None else None
    saved = _offer_resume(progress, terminal, restart) if progress is not None else {}
    probe = Config(parse_settings({}, path), path, home)
    interview = Interview(
        terminal,
        progress,
        given=given,
        saved=saved,
        has_secret=lambda name: bool(probe.secret(name)),
        feed_note=feed_note,
        env_file=str(path.parent / ".env"),
    )
    if progress is not None and saved:
        progress.answers.update(saved)
    extra = frozenset(f for f, _ in EXTRA_PROFILE_LISTS) & frozenset(ProfileSettings.model_fields)
    try:
        answers = interview.run(extra)
    except AnswerError as exc:  # only a flag's value gets here: asked answers are asked again
        key = interview.current
        raise UsageError(f"{_flag(key)} {given.get(key, '')[:80]!r}: {exc}") from None
    except (KeyboardInterrupt, EOFError):
        raise Interrupted(_resume_note(progress)) from None
    if unused := [key for key in given if key not in answers]:
        flags = ", ".join(_flag(key) for key in unused)
        raise UsageError(
            f"{flags}: not used without {NEEDS.get(unused[0], 'the answer it goes with')}"
        )
    if progress is not None and progress.problem:
        echo(f"note: {progress.problem}")
    document = build_document(answers)
    settings = _valid(document, path)
    _write(path, render_toml(document))
    if progress is not None:
        progress.clear()
    echo(f"wrote {path}")
    _final_check(path, echo)
    config = Config(settings, path, home)
    digest = settings.digest
    password = config.secret(digest.smtp_password_env)
    if (
        terminal is not None
        and digest.enabled
        and password
        and interview.confirm(f"Send a test email to {digest.to} now?")
    ):
        from engage.setup.reach import send_test_email

        echo(send_test_email(digest, password))
    if digest.enabled and not password:
        env = digest.smtp_password_env
        echo(f"before the first digest: set {env} (in the environment, or a line {env}=... in "
             f"{path.parent / '.env'}); then {_command(path, 'digest --preview')}")  # fmt: skip
    echo(f"next: {_command(path, 'watch --once')}   (then: {_command(path, 'review')})")


def _offer_resume(progress: Progress, terminal: Terminal | None, restart: bool) -> dict[str, str]:
    saved = progress.load()
    if not saved or terminal is None:
        return {}
    if restart:
        progress.clear()
        return {}
    was_for = progress.saved_for()
    where = f" for {was_for}" if was_for and was_for != str(progress.target) else ""
    terminal.say(f"You stopped part-way last time ({len(saved)} answers saved{where}).")
    probe = Interview(terminal)
    if probe.confirm("Pick up where you left off?"):
        return saved
    progress.clear()
    return {}


def _resume_note(progress: Progress | None) -> str:
    if progress is None or progress.problem:
        why = f" ({progress.problem})" if progress is not None and progress.problem else ""
        return f"stopped; nothing was written{why}"
    if not progress.answers:
        return "stopped; nothing was written (no answers yet)"
    return (f"stopped; your {len(progress.answers)} answers are saved: run `engage init` again "
            "to pick up where you left off")  # fmt: skip


def _valid(document: dict[str, Any], path: Path) -> Any:
    """The settings `document` makes, checked as engage would load them (matcher included)."""
    from engage.config import Config, default_home, parse_settings
    from engage.match_rows import build_matcher

    settings = parse_settings(document, path)  # never write a file engage itself would refuse
    build_matcher(Config(settings, path, default_home()))
    return settings


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise UsageError(f"{path}: can't write the config there ({exc.strerror})") from None


def _final_check(path: Path, echo: Callable[[str], None]) -> None:
    from engage.setup.check import check_file

    try:
        check_file(path)
    except ConfigError as exc:
        raise ConfigError(f"wrote {path}, but engage config check finds:\n{exc}") from None
    echo(f"engage config check: {path}: ok")


def _command(path: Path, command: str) -> str:
    """`engage COMMAND`, with --config when engage wouldn't find `path` on its own."""
    from engage.config import find_config_path

    try:
        found = find_config_path(None)
    except EngageError:
        found = None
    if found is not None and found.resolve() == path.resolve():
        return f"engage {command}"
    return f"engage --config {path} {command}"
