"""The bounds every platform's fetcher is built with, from the config's [network] section.

Must not import a platform library at module level (the registry is imported by the CLI's
light commands): `limits` loads the HTTP layer only when a fetcher is being built.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engage.config import Config
    from engage.sources.http import Limits


def limits(config: Config) -> Limits:
    """The deadline and byte cap of every request, from the config's [network] section."""
    from engage.sources.http import Limits

    network = config.settings.network
    return Limits(
        deadline=network.request_deadline_seconds,
        max_bytes=int(network.max_response_mb * 1_000_000),
    )


def pages(config: Config, page_size: int, default: int, least: int = 1) -> int:
    """A source's page budget per listing, so one poll reads at most max_items_per_poll posts
    from it (paged sources continue where they stopped on the next poll)."""
    wanted = math.ceil(config.settings.network.max_items_per_poll / page_size)
    return max(least, min(default, wanted))
