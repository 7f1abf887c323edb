"""The LinkedIn access token: where it is kept, and how long it has left.

`engage auth linkedin` stores {access_token, expires_at, member_urn} as JSON in the data
directory, in a file created with mode 0600 (written beside it and renamed over it, so a
half-written file is never read and no moment exists when others may read it). A token made
elsewhere can come from the environment variable `[linkedin] access_token_env` instead; that
one wins when set, and its expiry is unknown, so nothing warns about it.

LinkedIn's member tokens last 60 days and an ordinary app gets no refresh token, so
`expiry_warning` is what `engage status` and the digest show `token_warn_days` before the end.

Standard library only (status reads this and must start instantly). Must not log, print or
put into any message the token itself, nor import database code.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from engage.errors import ConfigError

if TYPE_CHECKING:
    from engage.config import Config

TOKEN_FILE = "linkedin-token.json"
#: How long LinkedIn's member access tokens last.
LIFETIME = timedelta(days=60)
RENEW = "run engage auth linkedin"
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class LinkedInToken:
    """An access token and what is known about it (`expires_at` None: unknown, from the
    environment; `member_urn` None: to be asked of /v2/userinfo). The token is left out of
    its repr."""

    access_token: str = field(repr=False)
    expires_at: datetime | None
    member_urn: str | None
    source: Literal["file", "environment"]


def token_path(config: Config) -> Path:
    return config.home / TOKEN_FILE


def load_token(config: Config) -> LinkedInToken | None:
    """The token engage publishes with: the environment's when set, else the stored one, else
    None. A stored file that can't be read is a ConfigError saying how to fix it."""
    from_env = config.secret(config.settings.linkedin.access_token_env)
    if from_env:
        return LinkedInToken(from_env.strip(), None, None, "environment")
    return read_token(token_path(config))


def read_token(path: Path) -> LinkedInToken | None:
    """The token stored at `path`; None when there is no file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"{path}: the LinkedIn token can't be read ({reason}); {RENEW}") from None
    try:
        stored: Any = json.loads(raw)
    except ValueError:
        stored = None
    token = stored.get("access_token") if isinstance(stored, dict) else None
    if not isinstance(token, str) or not token.strip():
        raise ConfigError(f"{path}: not a LinkedIn token file; {RENEW}")
    expires = stored.get("expires_at")
    urn = stored.get("member_urn")
    return LinkedInToken(
        token.strip(),
        _parse_time(expires) if isinstance(expires, str) else None,
        urn if isinstance(urn, str) and urn.startswith("urn:li:person:") else None,
        "file",
    )


def save_token(path: Path, access_token: str, expires_at: datetime, member_urn: str) -> None:
    """Store the token at `path`, readable by its owner only from the first byte on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(
        {"access_token": access_token, "expires_at": _iso(expires_at), "member_urn": member_urn},
        indent=2,
    )
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()  # a leftover of a run that died: never written into as it is
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(body + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def expiry_warning(
    expires_at: datetime | None, now: datetime, warn_days: int
) -> str | None:  # fmt: skip
    """What to tell the therapist about a token expiring at `expires_at`: None while more than
    `warn_days` days are left (or the expiry is unknown)."""
    if expires_at is None:
        return None
    left = expires_at - now
    if left <= timedelta(0):
        return f"LinkedIn token has expired: {RENEW}"
    if left > timedelta(days=warn_days):
        return None
    days = left // _DAY
    if days < 1:
        return f"LinkedIn token expires within a day: {RENEW}"
    return f"LinkedIn token expires in {days} day{'s' if days != 1 else ''}: {RENEW}"


def token_status(config: Config, now: datetime | None = None) -> dict[str, Any]:
    """The token as `engage status` shows it: where it comes from, when it expires, the
    warning if one is due, or the problem with its file. Never the token."""
    now = now or datetime.now(UTC)
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    try:
        token = load_token(config)
    except ConfigError as exc:
        return {"connected": False, "source": "file", "expires_at": None, "days_left": None,
                "member_urn": None, "warning": str(exc)}  # fmt: skip
    if token is None:
        return {"connected": False, "source": None, "expires_at": None, "days_left": None,
                "member_urn": None, "warning": None}  # fmt: skip
    expires = token.expires_at
    return {
        "connected": True,
        "source": token.source,
        "expires_at": _iso(expires) if expires else None,
        "days_left": max(0, (expires - now) // _DAY) if expires else None,
        "member_urn": token.member_urn,
        "warning": expiry_warning(expires, now, config.settings.linkedin.token_warn_days),
    }


def token_warning(config: Config, now: datetime | None = None) -> str | None:
    """The one line the digest shows about the LinkedIn token, if any."""
    warning: str | None = token_status(config, now)["warning"]
    return warning


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_time(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
