"""Replies to the therapist on Reddit, read back, so a colleague who answered is seen (and can be
answered) rather than lost in a notification.

Two readers, by what the config allows:

- `RedditInboxReader` (an approved app with the therapist's account): the inbox,
  `/message/inbox`, walked newest first down to the checkpoint like any listing
  (engage.platforms.reddit.listing): replies to their comments and posts ("comment_reply",
  "post_reply") and mentions of their username ("username_mention"). Private messages are
  skipped: they are not conversations in public.
- `RedditThreadRepliesReader` (no app, or no account: replies are posted by hand): Reddit's
  public Atom feed of each of the therapist's recent comments, `/r/{sub}/comments/{thread}/_/
  {comment}/.rss?depth=2`, which lists the comment and the replies under it. The feed has no
  parent field, so every comment in it other than ours counts as a reply to ours (`depth=2`
  asks for direct replies only; a server that ignored it would add replies to those replies).
  Its checkpoint keeps, per comment of ours, the newest reply seen (Reddit's ids grow).

Must not write to Reddit, decide who is a colleague (engage.relationships.replies does), nor
import database code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import praw
import requests
from praw.endpoints import API_PATH

from engage.errors import SourceError
from engage.platforms.reddit.api import _CONTEXT_THREAD, _GONE, _author, _child_id, _reddit_errors
from engage.platforms.reddit.client import WEB_URL, RedditCredentials, connect_reddit
from engage.platforms.reddit.listing import (
    PAGE_SIZE,
    FetchPage,
    community_name,
    id_number,
    walk_listing,
)
from engage.sources.base import Checkpoint, as_mapping, as_str, clean_text, from_timestamp, web_url
from engage.sources.feedtools import ACCEPT, entry_text, entry_time, parse
from engage.sources.http import DEFAULT_USER_AGENT, Limits, RetryPolicy, get, new_session
from engage.types import Platform
from engage.types.relationships import IncomingReply, OwnPost

if TYPE_CHECKING:
    from engage.config import Config

CHECKPOINT_VERSION = 1
INBOX = "/message/inbox"
#: Inbox pages one read may fetch: replies come a few a day, not hundreds.
DEFAULT_MAX_PAGES = 3
#: Comments of ours looked under per read (the newest first): each is one anonymous request.
MAX_LOOKED_UNDER = 25
#: Inbox `type`s that are a mention (the rest of the comments in it are replies).
_MENTION = "username_mention"


class RedditInboxReader:
    """Replies and mentions in the inbox of the therapist's account, through praw.

    Checkpoint: `{"version": 1, "inbox": listing state}` (engage.platforms.reddit.listing).
    Build one per process: it keeps its login between reads.
    """

    platform = Platform.REDDIT.value

    def __init__(
        self,
        credentials: RedditCredentials,
        *,
        api_url: str = "https://oauth.reddit.com",
        auth_url: str = WEB_URL,
        retry: RetryPolicy | None = None,
        limits: Limits | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        reddit: praw.Reddit | None = None,
    ) -> None:
        if not credentials.has_user:
            raise SourceError(
                "reading the Reddit inbox needs the therapist's account (ENGAGE_REDDIT_USERNAME"
                " and ENGAGE_REDDIT_PASSWORD, or ENGAGE_REDDIT_REFRESH_TOKEN)",
                retryable=False,
            )
        self._reddit = reddit or connect_reddit(
            credentials, api_url=api_url, auth_url=auth_url, retry=retry, limits=limits
        )
        self._max_pages = max_pages
        self.account: str | None = credentials.username

    def __repr__(self) -> str:
        return f"RedditInboxReader({self.account!r})"

    def read(
        self, checkpoint: Checkpoint, ours: Sequence[OwnPost] = ()
    ) -> tuple[list[IncomingReply], Checkpoint]:
        """What reached the inbox since `checkpoint`, newest first."""
        state = checkpoint.get("inbox")
        walk = walk_listing(
            self._pager(), state if isinstance(state, dict) else None,
            lambda child: _child_id(child, "t1"), self._max_pages,
        )  # fmt: skip
        if self.account is None:
            self.account = self._me()
        own = (self.account or "").casefold()
        replies = [
            reply
            for child in walk.items
            if (reply := inbox_reply(child["data"])) is not None and reply.author.casefold() != own
        ]
        return replies, {"version": CHECKPOINT_VERSION, "inbox": walk.state}

    def _pager(self) -> FetchPage[dict[str, Any]]:
        def fetch_page(after: str | None) -> tuple[list[dict[str, Any]], str | None]:
            params: dict[str, str | int] = {"limit": PAGE_SIZE}
            if after:
                params["after"] = after
            payload = self._get(INBOX, params)
            data = payload.get("data") if isinstance(payload, dict) else None
            children = data.get("children") if isinstance(data, dict) else None
            if not isinstance(data, dict) or not isinstance(children, list):
                raise SourceError(f"Reddit GET {INBOX}: the answer is not a listing")
            valid = [c for c in children if isinstance(c, dict) and isinstance(c.get("data"), dict)]
            cursor = data.get("after")
            return valid, cursor if isinstance(cursor, str) and cursor else None

        return fetch_page

    def _me(self) -> str | None:
        """The account's name, asked of Reddit when the login (a refresh token) does not say."""
        return as_str(as_mapping(self._get(API_PATH["me"], {})).get("name")) or None

    def _get(self, path: str, params: dict[str, str | int]) -> Any:
        with _reddit_errors(f"Reddit GET {path}"):
            return self._reddit.request(method="GET", path=path, params=params)


def inbox_reply(data: Mapping[str, Any]) -> IncomingReply | None:
    """An inbox comment's JSON as an IncomingReply; None for a deleted one or its author.

    The inbox shape has no `link_id` or `permalink`: the thread is in `context`
    (`/r/sub/comments/{thread}/{slug}/{comment}/?context=3`)."""
    id36, created = as_str(data.get("id")), from_timestamp(data.get("created_utc"))
    author, body = _author(data.get("author")), as_str(data.get("body"))
    if not id36 or created is None or author is None or body in _GONE:
        return None
    context = as_str(data.get("context")).partition("?")[0]
    found = _CONTEXT_THREAD.search(context)
    thread = found.group(1) if found else as_str(data.get("link_id")).rpartition("_")[2]
    return IncomingReply(
        platform=Platform.REDDIT.value,
        external_id=id36,
        author=author,
        author_name=None,  # Reddit has no display names
        text=clean_text(body),
        url=web_url(f"{WEB_URL}{context}") if context.startswith("/") else None,
        created_at=created,
        parent_external_id=as_str(data.get("parent_id")).rpartition("_")[2] or None,
        thread_external_id=thread or None,
        kind="mention" if data.get("type") == _MENTION else "reply",
        community=community_name(as_str(data.get("subreddit"))),
    )


class RedditThreadRepliesReader:
    """Replies under the therapist's own comments, from each comment's public Atom feed (no app
    or login). `username` (the config's `[reddit] username`) keeps the therapist's own later
    comments out; without it, only the comment looked under is known to be theirs.

    Checkpoint: `{"version": 1, "under": {our comment's id36: the newest reply's id36}}`,
    covering only the comments still looked under.
    """

    platform = Platform.REDDIT.value

    def __init__(
        self,
        username: str | None = None,
        *,
        base_url: str = WEB_URL,
        user_agent: str = DEFAULT_USER_AGENT,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        limits: Limits | None = None,
        max_looked_under: int = MAX_LOOKED_UNDER,
    ) -> None:
        self.account = username or None
        self._base_url = base_url.rstrip("/")
        self._retry = retry or RetryPolicy()
        self._session = session or new_session(user_agent, ACCEPT, limits)
        self._max = max_looked_under

    def __repr__(self) -> str:
        return f"RedditThreadRepliesReader({self.account!r})"

    def read(
        self, checkpoint: Checkpoint, ours: Sequence[OwnPost] = ()
    ) -> tuple[list[IncomingReply], Checkpoint]:
        """Replies newer than the checkpoint under each of `ours` (the first `max_looked_under`).

        A comment Reddit no longer serves (deleted, the thread removed or private) is passed
        over; a failure that may pass (429, 5xx, no answer) fails the whole read, so it is tried
        again with the old checkpoint."""
        states = as_mapping(checkpoint.get("under"))
        new_states: dict[str, str | None] = {}
        replies: list[IncomingReply] = []
        for own in ours[: self._max]:
            newest = states.get(own.external_id)
            newest = newest if isinstance(newest, str) else None
            try:
                found = self._under(own)
            except SourceError as exc:
                if exc.retryable:
                    raise
                new_states[own.external_id] = newest
                continue
            fresh = [r for r in found if _newer(r.external_id, newest)]
            replies += fresh
            top = max((r.external_id for r in fresh), key=lambda i: id_number(i) or 0, default=None)
            new_states[own.external_id] = top or newest
        return replies, {"version": CHECKPOINT_VERSION, "under": new_states}

    def _under(self, own: OwnPost) -> list[IncomingReply]:
        """Every comment in the feed of `own` that is neither it nor the therapist's."""
        sub = own.community.removeprefix("r/")
        where = f"/r/{sub}" if sub else ""
        url = f"{self._base_url}{where}/comments/{own.thread_external_id}/_/{own.external_id}/.rss"
        params = {"depth": "2", "limit": str(PAGE_SIZE)}
        entries = parse(get(self._session, self._retry, url, params=params), url).entries
        account = (self.account or "").casefold()
        return [
            reply
            for entry in entries
            if (reply := _feed_reply(entry, own)) is not None
            and reply.external_id != own.external_id.lower()
            and not (account and reply.author.casefold() == account)
        ]


def _feed_reply(entry: Any, own: OwnPost) -> IncomingReply | None:
    """A comment entry of a comment's feed as a reply to `own`; None for the thread's own entry,
    a deleted comment, or one without a time."""
    kind, _, id36 = as_str(entry.get("id")).partition("_")
    created = entry_time(entry)
    author = _author(as_str(entry.get("author")).removeprefix("/u/").strip())
    text = entry_text(entry)
    if kind != "t1" or not id36 or created is None or author is None or text in _GONE:
        return None
    return IncomingReply(
        platform=Platform.REDDIT.value,
        external_id=id36.lower(),
        author=author,
        author_name=None,
        text=text,
        url=web_url(entry.get("link")),
        created_at=created,
        parent_external_id=own.external_id,
        thread_external_id=own.thread_external_id,
        kind="reply",
        community=own.community,
    )


def _newer(id36: str, than: str | None) -> bool:
    if than is None:
        return True
    number, floor = id_number(id36), id_number(than)
    return number is not None and (floor is None or number > floor)


def reader(config: Config) -> RedditInboxReader | RedditThreadRepliesReader | None:
    """The inbox when `[reddit] mode = "api"` has an app and the therapist's account; else, unless
    Reddit is off, the public replies under their published comments."""
    from engage.platforms.budget import limits
    from engage.platforms.reddit import _app_secrets

    settings = config.settings.reddit
    if settings.mode == "off":
        return None
    secrets = _app_secrets(config)
    client_id = secrets.pop("client_id")
    if settings.mode == "api" and client_id:
        credentials = RedditCredentials(client_id, user_agent=settings.user_agent, **secrets)
        if credentials.has_user:
            return RedditInboxReader(
                credentials, api_url=settings.api_url, auth_url=settings.auth_url,
                limits=limits(config),
            )  # fmt: skip
    return RedditThreadRepliesReader(
        settings.username or None, base_url=settings.rss_url, user_agent=settings.user_agent,
        limits=limits(config),
    )  # fmt: skip
