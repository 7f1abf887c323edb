"""The config's [bluesky] section: search terms, read through the public API or your account."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from engage.config_fields import EnvName, HttpUrl, Section


def _check_term(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty (a search term needs at least one word)")
    return value


SearchTerm = Annotated[str, AfterValidator(_check_term)]


class BlueskySettings(Section):
    terms: tuple[SearchTerm, ...] = ()
    api_url: HttpUrl = "https://public.api.bsky.app"
    auth_url: HttpUrl = "https://bsky.social"
    poll_minutes: float = Field(default=30, gt=0)
    handle_env: EnvName = "ENGAGE_BLUESKY_HANDLE"
    app_password_env: EnvName = "ENGAGE_BLUESKY_APP_PASSWORD"
