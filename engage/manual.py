"""Threads added by hand (`engage thread add URL`): places with no API, or no approved app.

Pure: turns what the therapist pasted into a FetchedPost. A Reddit URL keeps Reddit's own
id, so the same thread seen later by the watcher is the same row, not a duplicate. Pasted text
goes through the same sanitiser as fetched text (clean_text): a title copied with escape
sequences is stored, and echoed, without them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from engage.errors import UsageError
from engage.sources.base import clean_text, web_url
from engage.types import FetchedPost, Platform

REDDIT_THREAD = re.compile(r"^/r/([^/]+)/comments/([a-z0-9]+)(?:/([^/]*))?", re.IGNORECASE)
TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|mc_|ref$|ref_src$|trk)", re.IGNORECASE)


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


def manual_post(
    url: str,
    *,
    title: str | None = None,
    body: str | None = None,
    community: str | None = None,
    now: datetime | None = None,
) -> FetchedPost:
    clean = normalize_url(url)
    parts = urlsplit(clean)
    title, body = clean_text(title, 1000).strip(), clean_text(body).strip()
    community = clean_text(community, 300).strip()
    host = parts.netloc.removeprefix("www.").removeprefix("old.")
    created = now or datetime.now(UTC)
    reddit = REDDIT_THREAD.match(parts.path) if host == "reddit.com" else None
    if reddit:
        subreddit, id36, slug = reddit.groups()
        return FetchedPost(
            platform=Platform.REDDIT,
            external_id=id36.lower(),
            community=community or f"r/{subreddit}",
            title=title or (slug or "").replace("_", " ").strip() or f"Reddit thread {id36}",
            body=body or "",
            url=f"https://www.reddit.com/r/{subreddit}/comments/{id36}/",
            created_at=created,
        )
    if not title:
        raise UsageError(f"engage can't fetch {host}: give the thread's --title (and --text)")
    platform = Platform.LINKEDIN if host.endswith("linkedin.com") else Platform.MANUAL
    return FetchedPost(
        platform=platform,
        external_id=clean,
        community=community or ("linkedin" if platform is Platform.LINKEDIN else host),
        title=title,
        body=body or "",
        url=clean,
        created_at=created,
    )
