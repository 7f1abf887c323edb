"""What a platform declares, and the plain values it trades with the rest of engage.

A platform package fills in one `PlatformSpec` and the registry (engage/platforms/__init__.py)
lists it. The watch cycle, `engage sources add` and `engage thread add` ask the registry, never a
platform by name.

This module must not import a platform library (praw, feedparser, requests) or any database
code: the values here are what the database-side steps and the platform packages exchange.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from engage.config import Config, Settings
    from engage.sources.base import Checkpoint, Source
    from engage.types import FetchedPost, PublishedRef
    from engage.types.relationships import IncomingReply, OwnPost


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


@dataclass(frozen=True, slots=True)
class Outgoing:
    """An approved draft as its publisher sees it: exactly the approved text and where it goes.

    - `key`: the same on every attempt to publish this approval of this text (an idempotency
      key, a record key we choose), different once the text is edited and approved again.
    - `target`: what the reply answers: Reddit's fullname ("t3_abc", "t1_def"); elsewhere the
      URL or id of the post; for a share, its channel ("linkedin:share").
    - `thread_external_id`: the thread's id on its platform (a Mastodon status URI, a Bluesky
      at:// URI, a Reddit base-36 id); None for shares.
    """

    draft_id: int
    attempt_id: str
    key: str
    platform: str
    kind: str
    text: str
    target: str
    thread_url: str
    thread_external_id: str | None
    community: str
    approved_at: datetime


class Outcome(StrEnum):
    """What a failed publish means for the draft."""

    #: Proven never sent (connection refused, DNS, a rate limit answered before anything was
    #: created): safe to try again after `retry_after`.
    NOT_SENT = "not_sent"
    #: The platform answered no and nothing was posted (locked, deleted, archived, banned, 403):
    #: the draft fails with the reason shown.
    REFUSED = "refused"
    #: It may be live (a timeout, a 5xx after the request went out): reconcile, never retry.
    UNKNOWN = "unknown"


class PublishError(Exception):
    """A publish (or a look for an earlier one) that did not end in a post we can point to.

    `reason` is shown to the therapist as is: it must never hold a secret."""

    def __init__(self, outcome: Outcome, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason
        self.retry_after = retry_after


class Publisher(Protocol):
    """A platform's publishing side.

    `by_api` False means publishing is by hand (copy, post, `engage mark-posted`): `publish` is
    never called, and `find_existing` recognises a reply the therapist posted without telling
    engage. `find_existing` returns None when it looked and found nothing (which, with listing
    lag, is not proof), and raises PublishError(UNKNOWN) when it could not look at all.
    `reads_back` False: the platform offers no way to look (LinkedIn), so nothing is looked for
    before sending, and an unknown outcome stays unknown for the therapist.
    """

    by_api: bool
    reads_back: bool

    def publish(self, outgoing: Outgoing) -> PublishedRef: ...

    def find_existing(self, outgoing: Outgoing) -> PublishedRef | None: ...


class RepliesReader(Protocol):
    """A platform's replies side: replies to the therapist and mentions of them, read back.

    `read(checkpoint, ours)` returns what arrived since `checkpoint` (a JSON-able dict this
    reader made; `{}` the first time) and the checkpoint that covers it: nothing it covers is
    returned again, and a failed read (a SourceError, `retryable` when a later try may work)
    leaves the old checkpoint in force, so nothing is lost. `ours` lists the therapist's recent
    published replies on this platform, for a reader that can only look under each of them
    (Reddit without an account); readers of an inbox or notifications ignore it.

    Never returns the therapist's own posts; `account` is their handle on the platform once a
    read has learned it (None before, or when the platform does not say).
    """

    platform: str
    account: str | None

    def read(
        self, checkpoint: Checkpoint, ours: Sequence[OwnPost] = ()
    ) -> tuple[list[IncomingReply], Checkpoint]: ...


_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")
_NOT_WORD = re.compile(r"[\W_]+")


def comparable(text: str) -> str:
    """A text reduced to what survives every platform's rendering (markdown, link targets,
    punctuation, whitespace, case), for recognising our own reply among an account's posts.
    Give it text: strip HTML (and unescape entities) first."""
    return _NOT_WORD.sub("", _LINK_TARGET.sub("]", text).casefold())


def over_limit(length: int, limit: int, where: str) -> str | None:
    """The reason a text of `length` characters is refused where at most `limit` fit."""
    return f"longer than {where}'s {limit:,} characters ({length:,})" if length > limit else None


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

    - `posted_id(url)`: the platform's id of a post from its URL (a reply the therapist posted by
      hand and gave the link of), so replies to it can be linked to it.
    - `too_long(text)`: why the platform would refuse `text` for its length (None: it fits), so
      the desk says so before approval rather than the platform after it.
    - `publisher(config)`: its publishing side for this config (by API when credentials allow,
      else a by-hand finder, or None: published by hand and logged with `engage mark-posted`).
    - `replies(config)`: its replies reader for this config (an inbox or notifications with the
      therapist's account, else the public replies under their published replies where the
      platform serves them), or None when this config can't read replies there.
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
    posted_id: Callable[[str], str | None] | None = None
    too_long: Callable[[str], str | None] | None = None
    publisher: Callable[[Config], Publisher | None] | None = None
    replies: Callable[[Config], RepliesReader | None] | None = None
