"""LinkedIn's publishing side: an approved share of the therapist's blog post goes out as a post
on their feed, and an approved reply to a LinkedIn thread (added by URL) as a comment on the
post that URL names.

LinkedIn can't be read back: an ordinary app may not list the member's own posts or comments,
so `find_existing` can never look. It says so (PublishError UNKNOWN): a publish whose outcome is
unknown stays unknown until the therapist looks on LinkedIn and resolves it, and is never sent
again. What LinkedIn itself tells us is used instead: a 422 naming the post our text duplicates
means it is live (that post is recorded); a refused token means nothing was sent, and the draft
waits for `engage auth linkedin` (no new approval needed).

The token is read afresh for every publish (engage/platforms/linkedin/token.py), so a worker
that has been running for weeks uses the one the therapist renewed this morning.

Must not import database code, retry a write, nor put the token into a reason or a log line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import quote

import requests

from engage.platforms.linkedin import COMMENT_LIMIT, POST_LIMIT
from engage.platforms.linkedin.client import RENEW, TOKEN_WAIT, Created, LinkedInClient
from engage.platforms.linkedin.token import LinkedInToken
from engage.platforms.linkedin.urns import post_urn
from engage.platforms.spec import Outcome, Outgoing, PublishError, over_limit
from engage.redact import remember_secrets
from engage.sources.http import DEFAULT_USER_AGENT, Limits, RetryPolicy, new_session
from engage.types import DraftKind, Platform, PublishedRef

log = logging.getLogger(__name__)

SHARE_TARGET = "linkedin:share"
CANT_LOOK = (
    "LinkedIn can't be read back: an app may not list your own posts, so engage can't tell "
    "whether it went out; look on LinkedIn"
)
_SHARING = "posting the share to LinkedIn"
_COMMENTING = "posting the comment to LinkedIn"


class LinkedInPublisher:
    """Shares and comments through the therapist's LinkedIn account (scope w_member_social).

    `tokens` gives the current token each time (None: there is none any more)."""

    by_api = True
    #: An app can't list the member's posts: `find_existing` never finds anything.
    reads_back = False

    def __init__(
        self,
        tokens: Callable[[], LinkedInToken | None],
        *,
        api_url: str = "https://api.linkedin.com",
        web_url: str = "https://www.linkedin.com",
        version: str = "202511",
        user_agent: str = DEFAULT_USER_AGENT,
        retry: RetryPolicy | None = None,
        limits: Limits | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._tokens = tokens
        self._api_url = api_url
        self._web_url = web_url.rstrip("/")
        self._version = version
        self._retry = retry or RetryPolicy()
        self._session: requests.Session = new_session(user_agent, "application/json", limits)
        self._now = now
        self._members: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"LinkedInPublisher({self._api_url!r})"

    def publish(self, outgoing: Outgoing) -> PublishedRef:
        """A share → a post on the member's feed; a reply → a comment on the thread's post."""
        share = outgoing.kind == DraftKind.BLOG_SHARE or outgoing.target == SHARE_TARGET
        doing = _SHARING if share else _COMMENTING
        limit, what = (POST_LIMIT, "a LinkedIn post") if share else (COMMENT_LIMIT, "a comment")
        if (why := over_limit(len(outgoing.text), limit, what)) is not None:
            raise PublishError(
                Outcome.REFUSED, f"{doing}: the text is {why}: shorten it and approve it again"
            )
        parent = None if share else self._parent(outgoing)
        client, member = self._client(doing)
        if parent is None:
            created = client.create_post(member, outgoing.text, doing)
            return self._ref(created, created.urn)
        created = client.comment(parent, member, outgoing.text, doing)
        return self._ref(created, parent)

    def find_existing(self, outgoing: Outgoing) -> PublishedRef | None:
        """Never possible on LinkedIn (see the module docstring)."""
        raise PublishError(Outcome.UNKNOWN, CANT_LOOK)

    def _parent(self, outgoing: Outgoing) -> str:
        for address in (outgoing.target, outgoing.thread_url, outgoing.thread_external_id or ""):
            if urn := post_urn(address):
                return urn
        raise PublishError(
            Outcome.REFUSED,
            f"{_COMMENTING}: the thread's address names no LinkedIn post (add it by a link such"
            " as https://www.linkedin.com/feed/update/urn:li:activity:…)",
        )

    def _client(self, doing: str) -> tuple[LinkedInClient, str]:
        """A client with the current token, and the member it posts as."""
        token = self._tokens()
        if token is None:
            raise _renew(f"{doing}: there is no LinkedIn token any more")
        remember_secrets([token.access_token])
        if token.expires_at is not None and token.expires_at <= self._now():
            raise _renew(f"{doing}: the LinkedIn token has expired")
        client = LinkedInClient(
            self._api_url, token.access_token, self._version,
            retry=self._retry, session=self._session,
        )  # fmt: skip
        member = token.member_urn or self._members.get(token.access_token)
        if member is None:
            member = self._members[token.access_token] = client.member_urn()
        return client, member

    def _ref(self, created: Created, post: str) -> PublishedRef:
        """Where it now lives: the post's page (a comment's, with the comment picked out)."""
        url = f"{self._web_url}/feed/update/{post}/"
        if created.urn != post:
            url += f"?commentUrn={quote(created.urn, safe='')}"
        if created.duplicate:
            log.info("LinkedIn already had this text as %s: recorded, not posted again", post)
        return PublishedRef(Platform.LINKEDIN, created.urn, url)


def _renew(reason: str) -> PublishError:
    return PublishError(
        Outcome.NOT_SENT, f"{reason}: {RENEW}; nothing was sent, tried again in an hour",
        retry_after=TOKEN_WAIT,
    )  # fmt: skip
