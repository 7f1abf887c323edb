"""A stored thread as a drafter sees it: its text, where it is, and what matching made of it,
with the crisis detector ORed in, so a stale or missing match never drafts networking for a
crisis.

Reads only what it is given (a thread row and its match): must not query or write.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from engage import crisis
from engage.models import Thread
from engage.types import DraftInput


def draft_input(thread: Thread) -> DraftInput:
    match = thread.match
    stored: dict[str, Any] = {} if match is None else {
        "intent": match.intent, "specialties": match.specialties, "reasons": match.reasons,
        "flags": match.flags, "crisis": match.crisis, "client_side": match.client_side,
    }  # fmt: skip
    facts = DraftInput.from_stored(
        stored, title=thread.title, body=thread.body, community=thread.community,
        url=thread.url, platform=thread.platform,
    )  # fmt: skip
    # Matching's flag OR the crisis detector: a stale or missing match never drafts networking.
    if not facts.crisis and crisis.is_crisis(f"{thread.title}\n{thread.body}", thread.community):
        return dataclasses.replace(facts, crisis=True)
    return facts
