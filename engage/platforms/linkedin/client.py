"""A small client of LinkedIn's REST API, of our own: who the member is, a post on their feed,
a comment on a post.

Every request carries the token in an `Authorization: Bearer` header (never in the URL, where
python-linkedin-v2's request helper puts it: URLs end up in logs and proxies), the
`LinkedIn-Version` header (YYYYMM, from [linkedin] version) and `X-Restli-Protocol-Version:
2.0.0`. Writes go through engage.platforms.writes: sent once, never retried, and whatever went
wrong is a PublishError saying what may have happened. LinkedIn's own answers that mean
something particular are read here: a 401 (the token expired or was revoked: nothing was
sent, try again once the therapist has renewed it), a 426 (the configured version is retired),
and a 422 naming the post our text duplicates (it is already live: that post is ours).

A post's text is "little text": LinkedIn drops everything from the first unescaped reserved
character on, so the approved text is escaped here and arrives as approved.

Must not retry a write, import database code, nor put the token into a reason, a log line or
a URL.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from engage.platforms.spec import Outcome, PublishError
from engage.platforms.writes import failure, json_of, plain, post_once, read, server_said
from engage.sources.base import as_str
from engage.sources.http import DEFAULT_USER_AGENT, Limits, RetryPolicy, new_session

log = logging.getLogger(__name__)

POSTS = "/rest/posts"
USERINFO = "/v2/userinfo"
RESTLI_VERSION = "2.0.0"
#: How long publishing waits after LinkedIn refused the token (seconds): it needs renewing,
#: and approved drafts go out once it is, with no new approval.
TOKEN_WAIT = 3600.0
RENEW = "run engage auth linkedin"
_AUTH_HINT = (
    "the app needs the Share on LinkedIn product (w_member_social), and the post must allow"
    " comments"
)
#: A post (or comment) LinkedIn names in an answer or a message.
URN = re.compile(r"urn:li:(?:activity|share|ugcPost|comment):[\w(),:%-]+")
_DUPLICATE = re.compile(r"duplicate", re.IGNORECASE)
#: Little text's reserved characters, each escaped with a backslash in a post's commentary.
_RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")


@dataclass(frozen=True, slots=True)
class Created:
    """What a write made: the URN LinkedIn gave it, and whether it already existed (a 422
    duplicate: our text was posted before)."""

    urn: str
    duplicate: bool = False


class LinkedInClient:
    """The REST calls engage makes as the therapist, with their access token."""

    def __init__(
        self,
        api_url: str,
        access_token: str,
        version: str,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.version = version
        self._retry = retry or RetryPolicy()
        self._session = session or new_session(user_agent, "application/json", limits)
        self._headers = {
            "Authorization": f"Bearer {access_token}",
            "LinkedIn-Version": version,
            "X-Restli-Protocol-Version": RESTLI_VERSION,
        }

    def __repr__(self) -> str:
        return f"LinkedInClient({self.api_url!r}, version={self.version!r})"

    def member_urn(self) -> str:
        """urn:li:person:{sub} of the token's member, from OpenID Connect's userinfo."""
        doing = "asking LinkedIn who the account is"
        response = read(
            self._session, self._retry, self.api_url + USERINFO, doing, headers=self._headers
        )
        if not response.ok:
            raise self._failure(response, doing, wrote=False)
        sub = as_str(json_of(response, doing, wrote=False).get("sub")).strip()
        if not sub or not re.fullmatch(r"[\w-]+", sub):
            raise PublishError(Outcome.NOT_SENT, f"{doing}: the answer named no member")
        return f"urn:li:person:{sub}"

    def create_post(self, author: str, text: str, doing: str) -> Created:
        """A public post on the member's feed: 201 and its URN in `x-restli-id`."""
        body = {
            "author": author,
            "commentary": little_text(text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        log.debug("creating a LinkedIn post as %s", author)
        return self._create(self.api_url + POSTS, body, doing)

    def comment(self, post_urn: str, actor: str, text: str, doing: str) -> Created:
        """A comment by the member on `post_urn` (an activity, share or ugcPost URN)."""
        url = f"{self.api_url}/rest/socialActions/{quote(post_urn, safe='')}/comments"
        body = {"actor": actor, "object": post_urn, "message": {"text": text}}
        log.debug("commenting on LinkedIn post %s as %s", post_urn, actor)
        return self._create(url, body, doing)

    def _create(self, url: str, body: Mapping[str, Any], doing: str) -> Created:
        response = post_once(
            self._session, url, doing, json=body, headers=self._headers,
            timeout=self._retry.timeout,
        )  # fmt: skip
        if response.status_code == 422 and _DUPLICATE.search(server_said(response)):
            existing = URN.search(server_said(response))
            if existing is None:
                raise PublishError(Outcome.UNKNOWN, plain(
                    f"{doing}: LinkedIn says this text is already posted but names no post;"
                    " look on LinkedIn"
                ))  # fmt: skip
            return Created(existing.group(0), duplicate=True)
        if not response.ok:
            raise self._failure(response, doing, wrote=True)
        urn = response.headers.get("x-restli-id", "").strip()
        if not URN.fullmatch(urn):
            urn = _urn_in_body(response)
        if not urn:
            raise PublishError(Outcome.UNKNOWN, f"{doing}: LinkedIn's answer named no post")
        return Created(urn)

    def _failure(self, response: requests.Response, doing: str, *, wrote: bool) -> PublishError:
        status = response.status_code
        if status == 401:
            said = server_said(response)
            detail = f"HTTP 401{': ' + said if said else ''}"
            return PublishError(
                Outcome.NOT_SENT,
                plain(f"{doing}: LinkedIn refused the access token ({detail}), expired or "
                      f"revoked: {RENEW}; nothing was sent, tried again in an hour"),
                retry_after=TOKEN_WAIT,
            )  # fmt: skip
        if status == 426:
            return PublishError(Outcome.REFUSED, plain(
                f"{doing}: the LinkedIn-Version {self.version} is too old: set [linkedin]"
                " version to a recent month (YYYYMM)"
            ))  # fmt: skip
        return failure(response, doing, wrote=wrote, auth_hint=_AUTH_HINT)


def little_text(text: str) -> str:
    """`text` as a post's commentary: every reserved character of LinkedIn's little text
    format escaped, so it is shown, not read as markup (or cut off there)."""
    return _RESERVED.sub(r"\\\1", text)


def _urn_in_body(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    for key in ("$URN", "commentUrn", "id"):
        value = as_str(body.get(key)).strip()
        if URN.fullmatch(value):
            return value
    return ""
