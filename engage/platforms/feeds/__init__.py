"""Feeds: other therapists' blogs read as discussions, and the therapist's own blog (own = true)
read as the source of blog shares. Each feed is its own group.

This module must not import feedparser or any HTTP library at module level, nor any database
code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from engage.errors import UsageError
from engage.platforms.budget import limits
from engage.platforms.spec import AddFlags, FetchGroup, NewSource, PlatformSpec, Watched
from engage.redact import redact
from engage.sources.base import visible, web_url
from engage.types import Platform, SourceKind

if TYPE_CHECKING:
    from engage.config import Config, Settings
    from engage.sources.base import Source

#: How often a feed added by hand is read (a feed in the config file says its own).
POLL_MINUTES = 60.0


def declared(settings: Settings) -> list[NewSource]:
    return [
        NewSource(SourceKind.FEED.value, feed.url, feed.poll_minutes, own=feed.own)
        for feed in settings.feeds
    ]


def new_sources(settings: Settings, targets: Sequence[str], flags: AddFlags) -> list[NewSource]:
    urls: list[str] = []
    for raw in targets:
        if web_url(raw, credentials=True) is None:
            raise UsageError(f"{visible(raw)!r} is not a feed URL (http:// or https://)")
        urls.append(raw.strip())
    kind = SourceKind.FEED.value
    return [NewSource(kind, url, POLL_MINUTES, own=flags.own) for url in dict.fromkeys(urls)]


def groups(rows: Sequence[Watched], config: Config) -> list[FetchGroup]:
    return [
        FetchGroup(
            label=redact(row.target),  # a private feed's password never reaches output
            key=f"feed:{row.target}",
            platform=Platform.FEED.value,
            source_ids=(row.id,),
            build=builder(row.target, row.own, config),
            own=row.own,
        )
        for row in rows
    ]


def builder(url: str, own: bool, config: Config) -> Callable[[], Source]:
    def build() -> Source:
        from engage.platforms.feeds.source import FeedSource

        return FeedSource(
            url, own=own, limits=limits(config),
            max_items=config.settings.network.max_items_per_poll,
        )  # fmt: skip

    return build


PLATFORM = PlatformSpec(
    name=Platform.FEED.value,
    section="feeds",
    kind=SourceKind.FEED.value,
    target_help="URL [--own]",
    declared=declared,
    new_sources=new_sources,
    add_flags=frozenset({"own"}),
    groups=groups,
)
