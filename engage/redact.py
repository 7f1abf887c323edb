"""Redaction in one place: passwords in URLs and the secrets engage knows never reach a log,
a terminal or a stored error message.

`redact(text)` masks the password of every URL in the text (`scheme://user:***@host`), libpq
style `password=...` pairs, and every value engage knows to be secret: the values of the
environment variables (or .env entries) named by the config's `*_env` keys and the database
URL's password (`remember_secrets`). `RedactingFilter` applies it to every log record; the CLI
installs it on each handler it writes to (and on logging's last-resort handler), prints its
one-line errors through it, and the stored error of a source, job or digest goes through it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from pydantic import BaseModel

    from engage.config import Config

MASK = "***"
#: Known secrets shorter than this are masked only where they sit in a URL: masking a short
#: value everywhere would mangle ordinary words (a password "engage" in every logger name).
MIN_SECRET_LENGTH = 8

# scheme://user:PASSWORD@ — the mask runs from "user:" to the last "@" of the URL-like run of
# text (never across a space): an unencoded "@", "/" or "#" in a password happens, and must not
# end the mask early. A URL with a port and an "@" in its path loses a little more than its
# password ("https://host:***@alice"): too much masked is the safe side.
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.\-]*://[^\s/?#@:]*:)\S*@", re.I)
_KEYWORD_PASSWORD = re.compile(r"(?P<head>\bpassword=)(?:'[^']*'|\"[^\"]*\"|[^\s&;,]+)", re.I)

_secrets: set[str] = set()


def redact(text: str) -> str:
    """The text with URL passwords, `password=` values and known secrets masked."""
    if not text:
        return text
    text = _URL_PASSWORD.sub(lambda m: f"{m.group('head')}{MASK}@", text)
    text = _KEYWORD_PASSWORD.sub(lambda m: f"{m.group('head')}{MASK}", text)
    for secret in sorted(_secrets, key=len, reverse=True):  # longest first: no partial leftovers
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def remember_secrets(values: Iterable[str | None]) -> None:
    """Add values to mask wherever they appear (too short ones only ever inside URLs)."""
    for value in values:
        if value and len(value.strip()) >= MIN_SECRET_LENGTH:
            _secrets.add(value.strip())


def forget_secrets() -> None:
    _secrets.clear()


def secrets_of(config: Config) -> list[str]:
    """The config's secret values: every `*_env` key's variable, and the database password."""
    values = [config.secret(name) for name in _env_names(config.settings)]
    try:
        password = urlsplit(config.database_url).password
    except ValueError:  # a malformed URL: refused with its own message where it is used
        password = None
    if password:
        values += [password, unquote(password)]
    return [value for value in values if value]


def _env_names(model: BaseModel) -> list[str]:
    from pydantic import BaseModel

    names: list[str] = []
    for field, value in model:
        if field.endswith("_env") and isinstance(value, str):
            names.append(value)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, BaseModel):
                names += _env_names(item)
    return names


class RedactingFilter(logging.Filter):
    """Masks secrets in a record's message, arguments and traceback before any handler
    formats it. Attached to handlers (not loggers), so records from every logger pass it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: let the handler report it as logging does
            return True
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install(handler: logging.Handler) -> logging.Handler:
    """Attach the one redacting filter to a handler (once)."""
    if not any(isinstance(f, RedactingFilter) for f in handler.filters):
        handler.addFilter(RedactingFilter())
    return handler


def install_everywhere() -> None:
    """Redact on every handler the root logger has, and on logging's last resort (what prints
    a warning when no handler is configured, as in most CLI commands)."""
    for handler in logging.getLogger().handlers:
        install(handler)
    if logging.lastResort is not None:
        install(logging.lastResort)
