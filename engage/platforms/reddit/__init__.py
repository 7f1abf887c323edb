"""Reddit: subreddits watched through the API (praw, with an approved app) or public RSS, threads
added by their Reddit URL keep Reddit's id, a thread added by URL is completed from the API,
replies are published through the API (an app with the therapist's account) or by hand, and
colleagues' replies to the therapist are read back (the inbox, or the public feed of each of
their comments: replies.py).

All watched subreddits form one group read by one multireddit listing, so they are claimed
together. This module must not import praw or any HTTP library at module level (the registry
is imported by light commands), nor any database code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from engage.errors import UsageError
from engage.platforms.budget import limits, pages
from engage.platforms.reddit.listing import normalise_subreddits, subreddit_problem
from engage.platforms.spec import (
    AddFlags,
    FetchGroup,
    NewSource,
    Pasted,
    PlatformSpec,
    Publisher,
    RepliesReader,
    Watched,
    over_limit,
)
from engage.sources.base import visible
from engage.types import FetchedPost, Platform, SourceKind

if TYPE_CHECKING:
    from engage.config import Config, Settings
    from engage.sources.base import Source

#: Reddit refuses a comment longer than this (TOO_LONG).
COMMENT_LIMIT = 10_000

#: A comment's permalink: /r/{sub}/comments/{thread}/{slug}/{comment}/
COMMENT_PATH = re.compile(r"^/r/[^/]+/comments/[a-z0-9]+/[^/]*/([a-z0-9]+)/?$", re.IGNORECASE)

THREAD_PATH = re.compile(r"^/r/([^/]+)/comments/([a-z0-9]+)(?:/([^/]*))?", re.IGNORECASE)


def declared(settings: Settings) -> list[NewSource]:
    kind, minutes = SourceKind.REDDIT.value, settings.reddit.poll_minutes
    return [NewSource(kind, name, minutes) for name in settings.reddit.subreddits]


def new_sources(settings: Settings, targets: Sequence[str], flags: AddFlags) -> list[NewSource]:
    names: list[str] = []
    for raw in targets:
        if problem := subreddit_problem(raw):
            raise UsageError(f"{visible(raw)!r} {problem}")
        names += normalise_subreddits([raw])
    minutes = settings.reddit.poll_minutes
    return [NewSource(SourceKind.REDDIT.value, name, minutes) for name in dict.fromkeys(names)]


def groups(rows: Sequence[Watched], config: Config) -> list[FetchGroup]:
    mode = config.settings.reddit.mode
    if not rows or mode == "off":
        return []
    names = [row.target for row in rows]
    return [
        FetchGroup(
            label=f"reddit ({len(names)} communities)",
            key=f"reddit:{mode}:{'+'.join(sorted(names))}",
            platform=Platform.REDDIT.value,
            source_ids=tuple(row.id for row in rows),
            build=builder(names, config),
        )
    ]


def builder(names: list[str], config: Config) -> Callable[[], Source]:
    """Builds the fetcher the config's `[reddit] mode` asks for (API or RSS) when called."""
    reddit = config.settings.reddit

    def build() -> Source:
        from engage.platforms.reddit.listing import PAGE_SIZE

        if reddit.mode == "rss":
            from engage.platforms.reddit.rss import DEFAULT_MAX_PAGES as RSS_PAGES
            from engage.platforms.reddit.rss import RedditRssSource

            return RedditRssSource(
                names, base_url=reddit.rss_url, user_agent=reddit.user_agent,
                limits=limits(config), max_pages=pages(config, PAGE_SIZE, RSS_PAGES, 2),
            )  # fmt: skip
        from engage.platforms.reddit.api import DEFAULT_MAX_PAGES, RedditSource

        return RedditSource.from_settings(
            {
                **_app_secrets(config),
                "user_agent": reddit.user_agent,
                "api_url": reddit.api_url,
                "auth_url": reddit.auth_url,
                "max_pages": pages(config, PAGE_SIZE, DEFAULT_MAX_PAGES, 2),
            },
            names,
            limits=limits(config),
        )

    return build


def _app_secrets(config: Config) -> dict[str, str | None]:
    """The API app's credentials, from the environment variables the config names."""
    reddit = config.settings.reddit
    return {
        "client_id": config.secret(reddit.client_id_env),
        "client_secret": config.secret(reddit.client_secret_env),
        "username": config.secret(reddit.username_env),
        "password": config.secret(reddit.password_env),
        "refresh_token": config.secret(reddit.refresh_token_env),
    }


def publisher(config: Config) -> Publisher | None:
    """Replies through the API when `[reddit] mode = "api"` has an app and the therapist's
    account; else, with `[reddit] username`, a finder for replies posted by hand; else None."""
    reddit = config.settings.reddit
    secrets = _app_secrets(config)
    client_id = secrets.pop("client_id")
    if reddit.mode == "api" and client_id:
        from engage.platforms.reddit.client import RedditCredentials
        from engage.platforms.reddit.publish import RedditPublisher

        credentials = RedditCredentials(client_id, user_agent=reddit.user_agent, **secrets)
        if credentials.has_user:
            return RedditPublisher(
                credentials, api_url=reddit.api_url, auth_url=reddit.auth_url, limits=limits(config)
            )
    if reddit.username:
        from engage.platforms.reddit.publish import RedditHandFinder

        return RedditHandFinder(
            reddit.username,
            base_url=reddit.rss_url,
            user_agent=reddit.user_agent,
            limits=limits(config),
        )
    return None


def replies(config: Config) -> RepliesReader | None:
    """Replies read back: the inbox with an app and the therapist's account, else the public
    replies under their published comments (engage.platforms.reddit.replies)."""
    from engage.platforms.reddit.replies import reader

    return reader(config)


def posted_id(url: str) -> str | None:
    """A Reddit comment's id (base 36, as the API and the engagement log spell it) from its
    permalink; None for any other URL."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not (parts.hostname or "").endswith("reddit.com"):
        return None
    found = COMMENT_PATH.match(parts.path)
    return found.group(1).lower() if found else None


def thread_from_url(pasted: Pasted) -> FetchedPost | None:
    """A Reddit thread by its URL keeps Reddit's id, so the watcher later finds the same row."""
    found = THREAD_PATH.match(pasted.path) if pasted.host == "reddit.com" else None
    if found is None:
        return None
    subreddit, id36, slug = found.groups()
    return FetchedPost(
        platform=Platform.REDDIT,
        external_id=id36.lower(),
        community=pasted.community or f"r/{subreddit}",
        title=pasted.title or (slug or "").replace("_", " ").strip() or f"Reddit thread {id36}",
        body=pasted.body or "",
        url=f"https://www.reddit.com/r/{subreddit}/comments/{id36}/",
        created_at=pasted.now,
    )


def complete_thread(config: Config, post: FetchedPost) -> FetchedPost:
    """A Reddit thread added by URL, completed from the API when an app is configured."""
    from engage.sources.base import Conversational

    reddit = config.settings.reddit
    if reddit.mode != "api" or not config.secret(reddit.client_id_env):
        return post
    fetcher = builder([post.community.removeprefix("r/")], config)()
    if not isinstance(fetcher, Conversational):
        return post
    found = fetcher.refresh([post.external_id])
    return found[0] if found else post


PLATFORM = PlatformSpec(
    name=Platform.REDDIT.value,
    section="reddit",
    kind=SourceKind.REDDIT.value,
    target_help="SUBREDDIT...",
    declared=declared,
    new_sources=new_sources,
    groups=groups,
    claimed_together=True,
    thread_from_url=thread_from_url,
    complete_thread=complete_thread,
    posted_id=posted_id,
    too_long=lambda text: over_limit(len(text), COMMENT_LIMIT, "a Reddit comment"),
    publisher=publisher,
    replies=replies,
)
