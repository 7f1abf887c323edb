"""The config's [mastodon] section: hashtags watched on one instance."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from engage.config_fields import EnvName, HttpUrl, Section


def _check_hashtag(value: str) -> str:
    if not re.fullmatch(r"\w+", value.strip().lstrip("#")):
        raise ValueError("is not a hashtag (letters, digits and _, without spaces)")
    return value


Hashtag = Annotated[str, AfterValidator(_check_hashtag)]


class MastodonSettings(Section):
    instance: HttpUrl = "https://mastodon.social"
    tags: tuple[Hashtag, ...] = ()
    poll_minutes: float = Field(default=30, gt=0)
    access_token_env: EnvName = "ENGAGE_MASTODON_ACCESS_TOKEN"
