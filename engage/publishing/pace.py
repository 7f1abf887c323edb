"""The pace of publishing by API, so an account never looks like a bot: which communities may be
posted to, and when the next post on a platform may go out.

Pure: the publishing step hands it what went out lately; it must not read the database or the
clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engage.config import PublishingSettings

DAY = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Posted:
    """Something that went out on a platform (by API or by hand): it counts against the pace."""

    platform: str
    community: str
    at: datetime


def community_key(community: str) -> str:
    """ "r/MFT", "MFT" and "/r/mft" name one subreddit; "#EMDR" and "#emdr" one hashtag."""
    name = community.strip().casefold().lstrip("/")
    return name[2:] if name.startswith("r/") else name


def may_post_to(community: str, watched: bool, settings: PublishingSettings) -> bool:
    """Only the communities the therapist watches, and those they name in `post_to`."""
    return watched or community_key(community) in {community_key(c) for c in settings.post_to}


def hold_until(
    platform: str,
    community: str,
    recent: Sequence[Posted],
    settings: PublishingSettings,
    now: datetime,
) -> tuple[datetime | None, str]:
    """When a post to `community` on `platform` may go out (None: now), and why not yet."""
    if settings.max_posts_per_day == 0 or settings.max_posts_per_community_per_day == 0:
        return now + DAY, "publishing by API is off ([publishing] max_posts_per_day = 0)"
    today = sorted(p.at for p in recent if p.platform == platform and p.at > now - DAY)
    if len(today) >= settings.max_posts_per_day:
        return today[-settings.max_posts_per_day] + DAY, (
            f"{settings.max_posts_per_day} posts on {platform} in 24 hours already"
        )
    key = community_key(community)
    here = sorted(
        p.at
        for p in recent
        if p.platform == platform and p.at > now - DAY and community_key(p.community) == key
    )
    if len(here) >= settings.max_posts_per_community_per_day:
        return here[-settings.max_posts_per_community_per_day] + DAY, (
            f"{settings.max_posts_per_community_per_day} posts in {community} in 24 hours already"
        )
    gap = timedelta(minutes=settings.min_minutes_between_posts)
    if today and today[-1] + gap > now:
        return today[-1] + gap, (
            f"at most one post on {platform} every {settings.min_minutes_between_posts:g} minutes"
        )
    return None, ""
