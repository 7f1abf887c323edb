"""Reddit through praw: new threads of many subreddits in one multireddit walk per poll, new
comments on threads we watch, replies in the inbox, and refreshes of known threads.

praw is the authenticated transport (OAuth, token refresh, rate-limit pacing from Reddit's
headers); the JSON is parsed here, from raw dicts, because praw's lazy objects would silently
fetch a thread again whenever an older payload lacks a field. The client itself (credentials,
transport, retries) is engage.platforms.reddit.client. Must not write to Reddit (no replies are
posted from a source) nor import database code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import praw
import prawcore

from engage.errors import ConfigError, SourceError
from engage.platforms.reddit.client import (
    WEB_URL,
    RedditCredentials,
    connect_reddit,
)
from engage.platforms.reddit.listing import (
    MAX_PATH_LENGTH,
    PAGE_SIZE,
    FetchPage,
    chunk_subreddits,
    community_name,
    normalise_subreddits,
    walk_listing,
)
from engage.sources.base import Checkpoint, as_int, as_str, clean_text, from_timestamp, web_url
from engage.sources.http import DEFAULT_USER_AGENT, Limits, RetryPolicy
from engage.types import FetchedComment, FetchedPost, Platform, SourceKind

#: Listing pages one poll may fetch per listing; 10 pages is as deep as Reddit's listings go.
DEFAULT_MAX_PAGES = 10
CHECKPOINT_VERSION = 1

_GONE = frozenset({"[deleted]", "[removed]"})
_CONTEXT_THREAD = re.compile(r"/comments/([0-9a-z]+)/")

Child = dict[str, Any]


class RedditSource:
    """New threads, watched comments, inbox replies and refreshes for a list of subreddits.

    Requests per poll: one per 100 new items per multireddit chunk (plus one page that shows the
    checkpoint was reached), whatever the number of subreddits; see engage.platforms.reddit.listing.
    """

    kind = SourceKind.REDDIT

    def __init__(
        self,
        subreddits: Iterable[str],
        reddit: praw.Reddit,
        *,
        has_user: bool = False,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_path_length: int = MAX_PATH_LENGTH,
        web_url: str = WEB_URL,
    ) -> None:
        names = normalise_subreddits(subreddits)
        if not names:
            raise ConfigError("a Reddit source needs at least one subreddit")
        if max_pages < 2:
            raise ConfigError("reddit max_pages must be at least 2")
        self.subreddits = names
        self.chunks = chunk_subreddits(names, max_path_length)
        self.has_user = has_user
        self._reddit = reddit
        self._max_pages = max_pages
        self._web_url = web_url.rstrip("/")

    @classmethod
    def from_settings(
        cls,
        settings: Mapping[str, Any] | object,
        subreddits: Iterable[str],
        *,
        retry: RetryPolicy | None = None,
        limits: Limits | None = None,
    ) -> RedditSource:
        """Build from a plain dict or settings object (the config's [reddit] table + env vars)."""
        get = _getter(settings)
        client_id = get("client_id")
        if not client_id:
            raise ConfigError("reddit.client_id is missing (set ENGAGE_REDDIT_CLIENT_ID)")
        credentials = RedditCredentials(
            client_id=client_id,
            client_secret=get("client_secret"),
            username=get("username"),
            password=get("password"),
            refresh_token=get("refresh_token"),
            user_agent=get("user_agent") or DEFAULT_USER_AGENT,
        )
        reddit = connect_reddit(
            credentials,
            api_url=get("api_url") or "https://oauth.reddit.com",
            auth_url=get("auth_url") or WEB_URL,
            short_url=get("short_url") or "https://redd.it",
            retry=retry,
            limits=limits,
        )
        return cls(
            subreddits,
            reddit,
            has_user=credentials.has_user,
            max_pages=int(get("max_pages") or DEFAULT_MAX_PAGES),
        )

    def fetch(self, checkpoint: Checkpoint) -> tuple[list[FetchedPost], Checkpoint]:
        """New threads since `checkpoint`, newest first, from `/r/a+b+c/new`."""
        paths = [f"/r/{chunk}/new" for chunk in self.chunks]
        children, new_checkpoint = self._walk(paths, checkpoint, "t3")
        posts = [post for child in children if (post := self.post(child["data"])) is not None]
        return posts, new_checkpoint

    def fetch_comments(
        self, thread_ids: Collection[str], checkpoint: Checkpoint
    ) -> tuple[list[FetchedComment], Checkpoint]:
        """New comments on the watched threads (ids as in FetchedPost.external_id), newest first,
        from `/r/a+b+c/comments`; the checkpoint is separate from fetch()'s."""
        if not thread_ids:
            return [], checkpoint
        watched = {thread_id.rpartition("_")[2] for thread_id in thread_ids}
        paths = [f"/r/{chunk}/comments" for chunk in self.chunks]
        children, new_checkpoint = self._walk(paths, checkpoint, "t1")
        comments = [c for child in children if (c := self.comment(child["data"])) is not None]
        return [c for c in comments if c.thread_external_id in watched], new_checkpoint

    def fetch_inbox(self, checkpoint: Checkpoint) -> tuple[list[FetchedComment], Checkpoint]:
        """Replies to the user's posts and comments (private messages are skipped)."""
        if not self.has_user:
            raise SourceError(
                "reading Reddit replies needs a user account: set ENGAGE_REDDIT_USERNAME and"
                " ENGAGE_REDDIT_PASSWORD, or ENGAGE_REDDIT_REFRESH_TOKEN",
                retryable=False,
            )
        children, new_checkpoint = self._walk(["/message/inbox"], checkpoint, "t1")
        comments = [c for child in children if (c := self.comment(child["data"])) is not None]
        return comments, new_checkpoint

    def refresh(self, thread_ids: Iterable[str]) -> list[FetchedPost]:
        """Current state (locked, removed, num_comments, deleted author) of known threads, 100 per
        request via `/api/info`. A thread Reddit no longer returns is missing from the result."""
        fullnames = list(
            dict.fromkeys(f"t3_{thread_id.rpartition('_')[2]}" for thread_id in thread_ids)
        )
        posts: list[FetchedPost] = []
        for start in range(0, len(fullnames), PAGE_SIZE):
            batch = fullnames[start : start + PAGE_SIZE]
            children, _ = self._page("/api/info", {"id": ",".join(batch)})
            posts.extend(
                post
                for child in children
                if child.get("kind") == "t3" and (post := self.post(child["data"])) is not None
            )
        return posts

    def post(self, data: Mapping[str, Any]) -> FetchedPost | None:
        """A submission's JSON as a FetchedPost; None when it lacks an id or a creation time."""
        id36, created = data.get("id"), from_timestamp(data.get("created_utc"))
        if not isinstance(id36, str) or not id36 or created is None:
            return None
        selftext = as_str(data.get("selftext"))
        crossposts = data.get("crosspost_parent_list")
        original = crossposts[0] if isinstance(crossposts, list) and crossposts else {}
        body = selftext or (
            as_str(original.get("selftext")) if isinstance(original, Mapping) else ""
        )
        permalink = as_str(data.get("permalink")) or f"/comments/{id36}/"
        target = self._absolute(as_str(data.get("url")))
        # Older payloads lack is_self: a self post's url is its own comments page.
        is_self = data.get("is_self", not target or f"/comments/{id36}/" in target)
        return FetchedPost(
            platform=Platform.REDDIT,
            external_id=id36,
            community=community_name(
                as_str(data.get("subreddit")) or as_str(data.get("subreddit_name_prefixed"))
            ),
            title=clean_text(data.get("title"), 1000),
            body="" if body in _GONE else clean_text(body),
            url=web_url(self._absolute(permalink)) or f"{self._web_url}/comments/{id36}/",
            created_at=created,
            author=_author(data.get("author")),
            num_comments=as_int(data.get("num_comments")),
            score=as_int(data.get("score")),
            locked=bool(data.get("locked")),
            removed=bool(data.get("removed_by_category")) or selftext in _GONE,
            link_url=None if is_self else web_url(target),
        )

    def comment(self, data: Mapping[str, Any]) -> FetchedComment | None:
        """A comment's JSON (listing or inbox shape) as a FetchedComment.

        `parent_id` is the id36 of what it answers: the thread's own id for a top-level comment.
        """
        id36, created = data.get("id"), from_timestamp(data.get("created_utc"))
        link = as_str(data.get("link_id")).rpartition("_")[2]
        if not link and (match := _CONTEXT_THREAD.search(as_str(data.get("context")))):
            link = match.group(1)
        if not isinstance(id36, str) or not id36 or created is None or not link:
            return None
        body = as_str(data.get("body"))
        permalink = (
            as_str(data.get("permalink"))
            or as_str(data.get("context")).partition("?")[0]
            or f"/comments/{link}/_/{id36}/"
        )
        return FetchedComment(
            external_id=id36,
            thread_external_id=link,
            author=_author(data.get("author")),
            body="" if body in _GONE else clean_text(body),
            created_at=created,
            url=web_url(self._absolute(permalink)) or f"{self._web_url}/comments/{link}/_/{id36}/",
            parent_id=as_str(data.get("parent_id")).rpartition("_")[2] or link,
            removed=body in _GONE,
        )

    def _walk(
        self, paths: list[str], checkpoint: Checkpoint, kind: str
    ) -> tuple[list[Child], Checkpoint]:
        """Walk each listing from its checkpoint state; the checkpoint is only built once all
        walks succeeded, and only covers the listings still configured."""
        states: Mapping[str, Any] = checkpoint.get("listings", {})
        children: list[Child] = []
        new_states: dict[str, Any] = {}
        for path in paths:
            walk = walk_listing(
                self._pager(path),
                states.get(path),
                lambda child: _child_id(child, kind),
                self._max_pages,
            )
            children.extend(walk.items)
            new_states[path] = walk.state
        return children, {"version": CHECKPOINT_VERSION, "listings": new_states}

    def _pager(self, path: str) -> FetchPage[Child]:
        def fetch_page(after: str | None) -> tuple[list[Child], str | None]:
            params: dict[str, str | int] = {"limit": PAGE_SIZE}
            if after:
                params["after"] = after
            return self._page(path, params)

        return fetch_page

    def _page(self, path: str, params: dict[str, str | int]) -> tuple[list[Child], str | None]:
        """One listing request: its children and its `after` cursor."""
        with _reddit_errors(f"Reddit GET {path}"):
            payload = self._reddit.request(method="GET", path=path, params=params)
        data = payload.get("data") if isinstance(payload, dict) else None
        children = data.get("children") if isinstance(data, dict) else None
        if not isinstance(children, list):
            raise SourceError(f"Reddit GET {path}: the answer is not a listing")
        valid = [c for c in children if isinstance(c, dict) and isinstance(c.get("data"), dict)]
        after = data.get("after") if isinstance(data, dict) else None
        return valid, after if isinstance(after, str) and after else None

    def _absolute(self, url: str) -> str:
        return f"{self._web_url}{url}" if url.startswith("/") else url


@contextmanager
def _reddit_errors(what: str) -> Iterator[None]:
    """praw/prawcore failures as SourceError; `retryable` says whether a later poll may succeed."""
    try:
        yield
    except prawcore.exceptions.BadJSON as exc:
        raise SourceError(f"{what}: Reddit sent malformed JSON") from exc
    except prawcore.exceptions.ResponseException as exc:
        status = exc.response.status_code
        hint = {
            302: " (the subreddit does not exist)",
            401: " (check the Reddit credentials)",
            403: " (private or quarantined subreddit, or missing permission)",
            404: " (banned or unknown subreddit)",
        }.get(status, "")
        raise SourceError(
            f"{what}: HTTP {status}{hint}", retryable=status >= 500 or status == 429
        ) from exc
    except prawcore.exceptions.OAuthException as exc:
        raise SourceError(
            f"{what}: Reddit refused the credentials: {exc}", retryable=False
        ) from exc
    except (prawcore.exceptions.PrawcoreException, praw.exceptions.PRAWException) as exc:
        raise SourceError(f"{what}: {exc}") from exc


def _child_id(child: Child, kind: str) -> str | None:
    id36 = child["data"].get("id")
    return id36 if child.get("kind") == kind and isinstance(id36, str) and id36 else None


def _getter(settings: Mapping[str, Any] | object) -> Callable[[str], Any]:
    if isinstance(settings, Mapping):
        return settings.get
    return lambda name: getattr(settings, name, None)


def _author(value: object) -> str | None:
    return value if isinstance(value, str) and value and value not in _GONE else None
