"""Bluesky: search terms, read through the public API or (with a handle and app password) the
user's own server; all terms form one group. With the handle and app password, replies are
published through the therapist's account (publish.py), and replies and mentions are read
back from its notifications (replies.py).

This module must not import any HTTP library at module level, nor any database code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from engage.errors import UsageError
from engage.platforms.bluesky.richtext import too_long
from engage.platforms.budget import limits, pages
from engage.platforms.spec import (
    AddFlags,
    FetchGroup,
    NewSource,
    PlatformSpec,
    Publisher,
    RepliesReader,
    Watched,
)
from engage.sources.base import clean_text
from engage.types import Platform, SourceKind

if TYPE_CHECKING:
    from engage.config import Config, Settings
    from engage.sources.base import Source


def declared(settings: Settings) -> list[NewSource]:
    minutes = settings.bluesky.poll_minutes
    return [NewSource(SourceKind.BLUESKY.value, term, minutes) for term in settings.bluesky.terms]


def new_sources(settings: Settings, targets: Sequence[str], flags: AddFlags) -> list[NewSource]:
    terms: list[str] = []
    for raw in targets:
        term = " ".join(clean_text(raw, 300).split())
        if not term:
            raise UsageError("a Bluesky search term can't be empty")
        terms.append(term)
    minutes = settings.bluesky.poll_minutes
    return [NewSource(SourceKind.BLUESKY.value, term, minutes) for term in dict.fromkeys(terms)]


def groups(rows: Sequence[Watched], config: Config) -> list[FetchGroup]:
    if not rows:
        return []
    terms = sorted(row.target for row in rows)
    return [
        FetchGroup(
            label=f"bluesky ({len(terms)} searches)",
            key=f"bluesky:{terms}",
            platform=Platform.BLUESKY.value,
            source_ids=tuple(row.id for row in rows),
            build=builder(terms, config),
        )
    ]


def builder(terms: list[str], config: Config) -> Callable[[], Source]:
    settings = config.settings.bluesky

    def build() -> Source:
        from engage.platforms.bluesky.source import DEFAULT_MAX_PAGES, PAGE_SIZE, BlueskySource

        return BlueskySource(
            terms, handle=config.secret(settings.handle_env),
            app_password=config.secret(settings.app_password_env),
            api_url=settings.api_url, auth_url=settings.auth_url, limits=limits(config),
            max_pages=pages(config, PAGE_SIZE, DEFAULT_MAX_PAGES),
        )  # fmt: skip

    return build


def publisher(config: Config) -> Publisher | None:
    """Replies by API through the therapist's account when a handle and app password are set;
    else None (published by hand)."""
    settings = config.settings.bluesky
    handle = config.secret(settings.handle_env)
    app_password = config.secret(settings.app_password_env)
    if not handle or not app_password:
        return None
    from engage.platforms.bluesky.publish import BlueskyPublisher

    return BlueskyPublisher(
        handle, app_password, api_url=settings.api_url, auth_url=settings.auth_url,
        limits=limits(config),
    )  # fmt: skip


def replies(config: Config) -> RepliesReader | None:
    """Replies read back from the therapist's notifications when their account is configured
    (engage.platforms.bluesky.replies); else None."""
    from engage.platforms.bluesky.replies import reader

    return reader(config)


PLATFORM = PlatformSpec(
    name=Platform.BLUESKY.value,
    section="bluesky",
    kind=SourceKind.BLUESKY.value,
    target_help="TERM",
    declared=declared,
    new_sources=new_sources,
    groups=groups,
    too_long=too_long,
    publisher=publisher,
    replies=replies,
)
