"""The platform registry: every platform engage talks to, in one table, and the questions the
rest of engage asks of them (what the config declares, how rows are fetched, whose URL this is).

Each platform is one package here declaring what it offers in a `PlatformSpec`
(engage/platforms/spec.py): a source, URL recognition for `engage thread add`, its config
section, and later a publisher and a replies reader. Adding one is a package, a config section
and a line in PLATFORMS (see "Adding a platform" in docs/DESIGN.md).

Importing this package loads no platform library (praw, feedparser, requests) and no database
code: fetchers are built, and their libraries imported, only when a watch cycle polls them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from engage.errors import UsageError
from engage.platforms import bluesky, feeds, linkedin, manual, mastodon, reddit
from engage.platforms.spec import FetchGroup, NewSource, Pasted, PlatformSpec, Watched
from engage.sources.base import clean_text, web_url
from engage.types import FetchedPost

if TYPE_CHECKING:
    from engage.config import Config, Settings

#: Every platform, in the order URLs are tried and sources grouped; manual last (it takes any URL).
PLATFORMS: tuple[PlatformSpec, ...] = (
    reddit.PLATFORM,
    feeds.PLATFORM,
    mastodon.PLATFORM,
    bluesky.PLATFORM,
    linkedin.PLATFORM,
    manual.PLATFORM,
)

TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|mc_|ref$|ref_src$|trk)", re.IGNORECASE)


def named(name: str) -> PlatformSpec:
    """The platform called `name` (a `Platform` value)."""
    for platform in PLATFORMS:
        if platform.name == name:
            return platform
    raise KeyError(name)


def watching(kind: str) -> PlatformSpec:
    """The platform whose source rows have `kind` (`sources.kind`)."""
    for platform in PLATFORMS:
        if platform.kind == kind:
            return platform
    raise KeyError(kind)


def addable_platforms() -> list[PlatformSpec]:
    """The platforms `engage sources add` takes, in the registry's order."""
    return [p for p in PLATFORMS if p.kind is not None and p.new_sources is not None]


def addable_kinds() -> list[str]:
    """The kinds `engage sources add` takes (`sources.kind`)."""
    return [str(p.kind) for p in addable_platforms()]


def declared_sources(settings: Settings) -> list[NewSource]:
    """The sources the config file declares, every platform's section in turn."""
    return [row for platform in PLATFORMS for row in platform.declared(settings)]


def fetch_groups(rows: Sequence[Watched], config: Config) -> list[FetchGroup]:
    """The enabled rows grouped by fetcher, platform by platform (rows of no platform skipped)."""
    return [
        group
        for platform in PLATFORMS
        if platform.kind is not None
        for group in platform.groups([row for row in rows if row.kind == platform.kind], config)
    ]


def claimed_together(kind: str) -> bool:
    """Whether one due row of `kind` claims every row of it (they are read by one listing)."""
    try:
        return watching(kind).claimed_together
    except KeyError:
        return False


def normalize_url(url: str) -> str:
    """One spelling per page: https, lower-case host, no fragment, no tracking parameters."""
    problem = UsageError(f"{url!r} is not a web address (http:// or https://)")
    if web_url(url) is None:
        raise problem
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not TRACKING.match(k)])
    clean = urlunsplit(("https", parts.netloc.lower(), parts.path or "/", query, ""))
    if web_url(clean) is None:
        raise problem
    return clean


def thread_from_url(
    url: str,
    *,
    title: str | None = None,
    body: str | None = None,
    community: str | None = None,
    now: datetime | None = None,
) -> FetchedPost:
    """A thread added by URL (`engage thread add`), as the first platform that knows the URL
    makes it. Pasted text goes through the same sanitiser as fetched text."""
    clean = normalize_url(url)
    parts = urlsplit(clean)
    pasted = Pasted(
        url=clean,
        host=parts.netloc.removeprefix("www.").removeprefix("old."),
        path=parts.path,
        title=clean_text(title, 1000).strip(),
        body=clean_text(body).strip(),
        community=clean_text(community, 300).strip(),
        now=now or datetime.now(UTC),
    )
    for platform in PLATFORMS:
        if platform.thread_from_url and (post := platform.thread_from_url(pasted)) is not None:
            return post
    raise AssertionError("the manual platform takes every URL")


def complete_thread(config: Config, post: FetchedPost) -> FetchedPost:
    """A thread added by URL, filled in from its platform's API where it offers that."""
    complete = named(post.platform.value).complete_thread
    return post if complete is None else complete(config, post)
