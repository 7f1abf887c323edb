"""Mastodon: hashtags watched on an instance (several instances may watch the same tag), one
group per instance reading up to five tags per request; replies published through the
therapist's account when an access token is configured (publish.py), and replies and
mentions read back from its notifications (replies.py).

This module must not import any HTTP library at module level, nor any database code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from engage.errors import UsageError
from engage.platforms.budget import limits, pages
from engage.platforms.spec import (
    AddFlags,
    FetchGroup,
    NewSource,
    PlatformSpec,
    Publisher,
    RepliesReader,
    Watched,
    over_limit,
)
from engage.sources.base import visible, web_url
from engage.types import Platform, SourceKind

if TYPE_CHECKING:
    from engage.config import Config, Settings
    from engage.sources.base import Source

#: A hashtag as Mastodon reads one: letters (any script), digits and _.
HASHTAG = re.compile(r"\w+")


def declared(settings: Settings) -> list[NewSource]:
    mastodon = settings.mastodon
    return [
        NewSource(SourceKind.MASTODON.value, tag.lstrip("#").lower(), mastodon.poll_minutes,
                  options={"instance": mastodon.instance})
        for tag in mastodon.tags
    ]  # fmt: skip


def new_sources(settings: Settings, targets: Sequence[str], flags: AddFlags) -> list[NewSource]:
    tags: list[str] = []
    for raw in targets:
        tag = raw.strip().lstrip("#").lower()
        if not HASHTAG.fullmatch(tag):
            raise UsageError(
                f"{visible(raw)!r} is not a hashtag (letters, digits and _, e.g. EMDR)"
            )
        tags.append(tag)
    chosen = flags.instance if flags.instance is not None else settings.mastodon.instance
    url = web_url(chosen, credentials=True)
    if url is None:
        raise UsageError(f"--instance {visible(chosen)!r} is not a web address (https://...)")
    options = {"instance": url.rstrip("/")}
    minutes = settings.mastodon.poll_minutes
    kind = SourceKind.MASTODON.value
    return [NewSource(kind, tag, minutes, options=options) for tag in dict.fromkeys(tags)]


def row_target(tag: str, options: Mapping[str, Any], taken: Sequence[Watched]) -> str:
    """The row target for `tag` on an instance: the tag itself for its first instance, then
    `tag@host` for each other one, so one tag can be watched on several instances."""
    instance = str(options.get("instance") or "")
    if not instance:
        return tag
    same_tag = [row for row in taken if tag_of(row) == tag]
    for row in same_tag:
        if str((row.options or {}).get("instance") or "").rstrip("/") == instance.rstrip("/"):
            return row.target
    names = {row.target for row in same_tag}
    for candidate in (tag, f"{tag}@{urlsplit(instance).netloc}", f"{tag}@{instance}"):
        if candidate not in names:
            return candidate
    raise UsageError(f"#{tag} on {instance}: every name for that row is taken (see sources list)")


def tag_of(row: Watched) -> str:
    """The hashtag a Mastodon row watches (its target, less any `@instance`)."""
    return row.target.partition("@")[0]


def groups(rows: Sequence[Watched], config: Config) -> list[FetchGroup]:
    by_instance: dict[str, list[Watched]] = {}
    for row in rows:
        instance = str(row.options.get("instance") or config.settings.mastodon.instance)
        by_instance.setdefault(instance, []).append(row)
    found = []
    for instance, members in by_instance.items():
        tags = sorted({tag_of(row) for row in members})
        found.append(
            FetchGroup(
                label=f"mastodon {instance} ({len(tags)} tags)",
                key=f"mastodon:{instance}:{tags}",
                platform=Platform.MASTODON.value,
                source_ids=tuple(row.id for row in members),
                build=builder(instance, tags, config),
            )
        )
    return found


def builder(instance: str, tags: list[str], config: Config) -> Callable[[], Source]:
    def build() -> Source:
        from engage.platforms.mastodon.source import DEFAULT_MAX_PAGES, PAGE_SIZE, MastodonSource

        token = config.secret(config.settings.mastodon.access_token_env)
        return MastodonSource(
            instance, tags, access_token=token, limits=limits(config),
            max_pages=pages(config, PAGE_SIZE, DEFAULT_MAX_PAGES),
        )  # fmt: skip

    return build


def publisher(config: Config) -> Publisher | None:
    """Replies by API through the configured instance when an access token is set; else None
    (published by hand)."""
    settings = config.settings.mastodon
    token = config.secret(settings.access_token_env)
    if not token:
        return None
    from engage.platforms.mastodon.publish import MastodonPublisher

    return MastodonPublisher(settings.instance, token, limits=limits(config))


#: mastodon.social's limit, and most instances'; a link counts as 23 characters, however long.
STATUS_LIMIT = 500
_LINK = re.compile(r"https?://\S+", re.IGNORECASE)


def too_long(text: str) -> str | None:
    length = len(_LINK.sub("x" * 23, text))
    return over_limit(length, STATUS_LIMIT, "a Mastodon post")


def replies(config: Config) -> RepliesReader | None:
    """Replies read back from the therapist's notifications when their account is configured
    (engage.platforms.mastodon.replies); else None."""
    from engage.platforms.mastodon.replies import reader

    return reader(config)


PLATFORM = PlatformSpec(
    name=Platform.MASTODON.value,
    section="mastodon",
    kind=SourceKind.MASTODON.value,
    target_help="TAG [--instance URL]",
    declared=declared,
    new_sources=new_sources,
    add_flags=frozenset({"instance"}),
    row_target=row_target,
    groups=groups,
    too_long=too_long,
    publisher=publisher,
    replies=replies,
)
