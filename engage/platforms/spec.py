"""What a platform declares, and the plain values it trades with the rest of engage.

A platform package fills in one `PlatformSpec` and the registry (engage/platforms/__init__.py)
lists it. The watch cycle, `engage sources add` and `engage thread add` ask the registry, never a
platform by name.

This module must not import a platform library (praw, feedparser, requests) or any database
code: the values here are what the database-side steps and the platform packages exchange.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engage.config import Config, Settings
    from engage.sources.base import Source
    from engage.types import FetchedPost


@dataclass(frozen=True, slots=True)
class Watched:
    """A stored source row as its platform sees it (no database types)."""

    id: int
    kind: str
    target: str
    own: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NewSource:
    """A source to watch, as the config file or `engage sources add` declares it."""

    kind: str
    target: str
    poll_minutes: float
    own: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AddFlags:
    """The options `engage sources add` was given besides the targets."""

    own: bool = False
    instance: str | None = None


@dataclass(frozen=True, slots=True)
class FetchGroup:
    """Source rows read by one fetcher: all the watched subreddits, one feed, one instance.

    `key` names the fetcher a long-running worker keeps between polls (a Reddit client keeps
    its OAuth token); `platform` is whose threads a conversational fetcher follows.
    """

    label: str
    key: str
    platform: str
    source_ids: tuple[int, ...]
    build: Callable[[], Source]
    own: bool = False


@dataclass(frozen=True, slots=True)
class Pasted:
    """A thread the therapist adds by URL: the URL (normalised) and what they typed (cleaned)."""

    url: str
    host: str
    path: str
    title: str
    body: str
    community: str
    now: datetime


def _declares_nothing(settings: Settings) -> list[NewSource]:
    return []


def _groups_nothing(rows: Sequence[Watched], config: Config) -> list[FetchGroup]:
    return []


def _same_target(target: str, options: Mapping[str, Any], taken: Sequence[Watched]) -> str:
    return target


@dataclass(frozen=True, slots=True)
class PlatformSpec:
    """Everything engage knows about one platform, by what it offers.

    - `name`: the platform (`Platform` value) its threads are stored under.
    - `section`: its table in the config file (a field of `engage.config.Settings`).
    - `kind`: the `sources.kind` of the rows it watches; None when it offers no source.
    - `declared(settings)`: the sources its config section declares.
    - `new_sources(settings, targets, flags)`: `engage sources add KIND TARGET...`, each target
      checked and normalised (a UsageError for the first bad one); None: not addable by hand.
    - `add_flags`: which `sources add` options it takes ("own", "instance").
    - `row_target(target, options, taken)`: the row's target given the rows of this kind
      already stored (Mastodon names the same tag on a second instance `tag@host`).
    - `groups(rows, config)`: its enabled rows grouped by fetcher, each with a builder that
      imports the platform library only when called.
    - `claimed_together`: one listing reads all its rows, so a due row claims them all.
    - `thread_from_url(pasted)`: a thread added by URL, when the URL is this platform's.
    - `complete_thread(config, post)`: fill in a thread added by URL from the platform's API.

    A publisher (publish, find_existing) and a replies reader join this list when publishing
    lands; a platform without them is watched (or added by URL) and published to by hand.
    """

    name: str
    section: str
    kind: str | None = None
    target_help: str = ""
    declared: Callable[[Settings], list[NewSource]] = _declares_nothing
    new_sources: Callable[[Settings, Sequence[str], AddFlags], list[NewSource]] | None = None
    add_flags: frozenset[str] = frozenset()
    row_target: Callable[[str, Mapping[str, Any], Sequence[Watched]], str] = _same_target
    groups: Callable[[Sequence[Watched], Config], list[FetchGroup]] = _groups_nothing
    claimed_together: bool = False
    thread_from_url: Callable[[Pasted], FetchedPost | None] | None = None
    complete_thread: Callable[[Config, FetchedPost], FetchedPost] | None = None
