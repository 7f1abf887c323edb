"""Where a share of the therapist's own article can go, and how long it may be there.

A share draft's `target` names its channel ("linkedin:share"); its `platform` is the channel's
platform, whose publisher posts it (or the therapist, by hand). Pure data: no IO.
"""

from __future__ import annotations

from dataclasses import dataclass

from engage.types import Platform

SHARE = ":share"


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    platform: str
    label: str
    #: What the share drafter writes within (the platform's own length check decides).
    max_chars: int | None

    @property
    def target(self) -> str:
        return self.name + SHARE


CHANNELS = (
    Channel("linkedin", Platform.LINKEDIN.value, "LinkedIn", 3000),
    Channel("mastodon", Platform.MASTODON.value, "Mastodon", 500),
    Channel("bluesky", Platform.BLUESKY.value, "Bluesky", 300),
    Channel(
        "hand", Platform.MANUAL.value, "by hand (a Facebook group, a listserv, a newsletter)", None
    ),
)
CHANNEL_NAMES = tuple(channel.name for channel in CHANNELS)


def channel_named(name: str) -> Channel:
    for channel in CHANNELS:
        if channel.name == name:
            return channel
    raise KeyError(name)


def channel_of(target: str) -> Channel | None:
    """The channel a share's target names; None for a reply's target."""
    if not target.endswith(SHARE):
        return None
    try:
        return channel_named(target.removesuffix(SHARE))
    except KeyError:
        return None
