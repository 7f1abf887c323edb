"""The config's [[feeds]]: blogs read as discussions, or (own = true) the therapist's own."""

from __future__ import annotations

from pydantic import Field

from engage.config_fields import HttpUrl, Section


class FeedSettings(Section):
    url: HttpUrl
    own: bool = False
    poll_minutes: float = Field(default=60, gt=0)
