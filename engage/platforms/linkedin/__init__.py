"""LinkedIn: no feed or group can be read through its API, so its threads enter by URL
(`engage thread add`), with the title and text the therapist pastes. Publishing shares and
comments joins this package when it lands.

This module must not import any HTTP library at module level, nor any database code.
"""

from __future__ import annotations

from engage.platforms.manual import titled
from engage.platforms.spec import Pasted, PlatformSpec
from engage.types import FetchedPost, Platform


def thread_from_url(pasted: Pasted) -> FetchedPost | None:
    if not pasted.host.endswith("linkedin.com"):
        return None
    return titled(pasted, Platform.LINKEDIN, pasted.community or "linkedin")


PLATFORM = PlatformSpec(
    name=Platform.LINKEDIN.value, section="linkedin", thread_from_url=thread_from_url
)
