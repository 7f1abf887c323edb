"""What publishing reports and what the engagement log holds, as the CLI, the digest and the
worker show them. Plain values: no IO."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Result(StrEnum):
    """What one publishing run did with one draft."""

    PUBLISHED = "published"  # posted by API just now
    FOUND = "found"  # found on the platform: posted by hand, or an earlier attempt that landed
    HELD = "held"  # not sent: waits for the platform's rate limit, the pace, a refused connection
    FAILED = "failed"  # the platform refused it; the reason says why
    UNKNOWN = "unknown"  # may be live: shown for the therapist to resolve, never retried
    WOULD_PUBLISH = "would_publish"  # --dry-run
    BY_HAND = "by_hand"  # approved, waiting for the therapist to post it (no API here)


@dataclass(frozen=True, slots=True)
class PublishItem:
    draft_id: int
    platform: str
    community: str
    result: Result
    reason: str = ""
    url: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "draft_id": self.draft_id, "platform": self.platform, "community": self.community,
            "result": self.result.value, "reason": self.reason, "url": self.url,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class PublishReport:
    items: list[PublishItem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        tally = Counter(item.result.value for item in self.items)
        return {result.value: tally[result.value] for result in Result if tally[result.value]}

    def as_dict(self) -> dict[str, Any]:
        return {"counts": self.counts(), "drafts": [item.as_dict() for item in self.items]}


@dataclass(frozen=True, slots=True)
class EngagementView:
    """One line of the engagement log: something the therapist put out into a conversation."""

    id: int
    at: datetime
    platform: str
    community: str
    kind: str
    move: str | None
    via: str
    url: str | None
    external_id: str | None
    draft_id: int | None
    thread_id: int | None
    thread_title: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "at": self.at.isoformat(), "platform": self.platform,
            "community": self.community, "kind": self.kind, "move": self.move, "via": self.via,
            "url": self.url, "external_id": self.external_id, "draft_id": self.draft_id,
            "thread_id": self.thread_id, "thread_title": self.thread_title,
        }  # fmt: skip
