"""The post a LinkedIn URL names, as the URN its API wants.

A post's page is /feed/update/urn:li:activity:123/ (or share:, ugcPost:, sometimes
percent-encoded, also under /embed/); a shared link to it is
/posts/{member}_{slug}-activity-123-AbCd.
Comments go to the post so named (`POST /rest/socialActions/{urn}/comments`).

Pure: no network, no database.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

#: A post's URN: what a comment's `object` and the socialActions path take.
POST_URN = re.compile(r"urn:li:(activity|share|ugcPost):(\d+)")
_SLUG = re.compile(r"-(activity|share|ugcPost)-(\d+)(?:-|$)")


def is_linkedin_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host == "linkedin.com" or host.endswith(".linkedin.com")


def post_urn(address: str) -> str | None:
    """The post `address` names: a post URN itself, or a LinkedIn URL of a post; None when it
    names none (a profile, a group, a search, another site)."""
    address = address.strip()
    if POST_URN.fullmatch(address):
        return address
    try:
        parts = urlsplit(address)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not is_linkedin_host(parts.hostname or ""):
        return None
    path = unquote(parts.path)
    if found := POST_URN.search(path):
        return f"urn:li:{found.group(1)}:{found.group(2)}"
    if path.startswith("/posts/") and (found := _SLUG.search(path.rstrip("/"))):
        return f"urn:li:{found.group(1)}:{found.group(2)}"
    return None
