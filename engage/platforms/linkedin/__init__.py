"""LinkedIn, publishing only: LinkedIn offers an ordinary app no API to read feeds or groups,
so its threads enter by URL (`engage thread add`, with the title and text the therapist pastes),
and what engage does there is post: shares of the therapist's blog posts on their feed, and
comments on posts they chose (publish.py, through a small REST client of ours, client.py).

The therapist connects their account once every 60 days with `engage auth linkedin` (oauth.py,
the token kept by token.py); without a token, shares and comments are posted by hand and logged
with `engage mark-posted`.

This module must not import any HTTP library at module level, nor any database code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engage.platforms.budget import limits
from engage.platforms.linkedin.urns import is_linkedin_host
from engage.platforms.manual import titled
from engage.platforms.spec import Pasted, PlatformSpec, Publisher, over_limit
from engage.types import FetchedPost, Platform

if TYPE_CHECKING:
    from engage.config import Config

#: The longest post LinkedIn takes, and the longest comment.
POST_LIMIT = 3000
COMMENT_LIMIT = 1250


def thread_from_url(pasted: Pasted) -> FetchedPost | None:
    if not is_linkedin_host(pasted.host):
        return None
    return titled(pasted, Platform.LINKEDIN, pasted.community or "linkedin")


def publisher(config: Config) -> Publisher | None:
    """Posts and comments by API when a token is stored (or named by [linkedin]
    access_token_env); else None (published by hand). The token is read again at each publish,
    so a renewed one is used without a restart."""
    from engage.platforms.linkedin.token import load_token

    if load_token(config) is None:
        return None
    from engage.platforms.linkedin.publish import LinkedInPublisher

    settings = config.settings.linkedin
    return LinkedInPublisher(
        lambda: load_token(config), api_url=settings.api_url, web_url=settings.auth_url,
        version=settings.version, limits=limits(config),
    )  # fmt: skip


def too_long(text: str) -> str | None:
    """A post's limit: a comment's (COMMENT_LIMIT) is checked when it is sent, since the desk
    asks by text alone."""
    return over_limit(len(text), POST_LIMIT, "a LinkedIn post")


PLATFORM = PlatformSpec(
    name=Platform.LINKEDIN.value,
    section="linkedin",
    thread_from_url=thread_from_url,
    too_long=too_long,
    publisher=publisher,
)
