"""Any thread by URL, for places with no API (Facebook groups, listservs): the last platform
the registry asks, so it takes every URL no other platform recognised. Publishing to it is by
hand (copy, post, `engage mark-posted`).

Pure: no network, no database. Pasted text has already been through the same sanitiser as
fetched text (clean_text).
"""

from __future__ import annotations

from engage.errors import UsageError
from engage.platforms.spec import Pasted, PlatformSpec
from engage.types import FetchedPost, Platform


def titled(pasted: Pasted, platform: Platform, community: str) -> FetchedPost:
    """A thread engage can't fetch: it needs the title the therapist gives."""
    if not pasted.title:
        raise UsageError(
            f"engage can't fetch {pasted.host}: give the thread's --title (and --text)"
        )
    return FetchedPost(
        platform=platform,
        external_id=pasted.url,
        community=community,
        title=pasted.title,
        body=pasted.body or "",
        url=pasted.url,
        created_at=pasted.now,
    )


def thread_from_url(pasted: Pasted) -> FetchedPost | None:
    return titled(pasted, Platform.MANUAL, pasted.community or pasted.host)


PLATFORM = PlatformSpec(name=Platform.MANUAL.value, section="", thread_from_url=thread_from_url)
