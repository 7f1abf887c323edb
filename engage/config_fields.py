"""The field types and the base class every config section is built from.

Each type checks one value and says, in words a therapist can act on, what it expected; the
sections themselves live beside what they configure (engage/config.py for the core,
engage/platforms/<name>/settings.py for each platform). No IO here, and nothing that imports
a platform or the database.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field


class Section(BaseModel):
    """One table of the config file: unknown keys are errors, values are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _parse_time(value: object) -> object:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
        if match:
            return time(int(match[1]), int(match[2]))
    raise ValueError("is not a time (HH:MM)")


def _check_timezone(value: str) -> str:
    """An IANA name that names a zone: "Pacific" is a folder of zones, not one (ZoneInfo would
    read the folder and fail with IsADirectoryError)."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            "is not a time zone (an IANA name such as America/Los_Angeles; `engage init` "
            "takes a city or a name like Pacific)"
        ) from None
    return value


def _check_env_name(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        raise ValueError("is not an environment variable name (letters, digits, _)")
    return value


def _check_url(value: str) -> str:
    from engage.sources.base import web_url

    url = web_url(value, credentials=True)
    if url is None or url != value:
        raise ValueError("is not an http(s) URL")
    return url.rstrip("/")


def _check_email(value: str) -> str:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise ValueError("is not an email address")
    return value


HHMM = Annotated[time, BeforeValidator(_parse_time)]
TimeZoneName = Annotated[str, AfterValidator(_check_timezone)]
EnvName = Annotated[str, AfterValidator(_check_env_name)]
HttpUrl = Annotated[str, AfterValidator(_check_url)]
Email = Annotated[str, AfterValidator(_check_email)]
Weight = Annotated[float, Field(ge=0.0, le=1.0)]
