"""Stored rows as the CLI and the demo show them, read by the steps (engage.threads,
engage.watch.source_rows) so no command queries the database itself. Plain values: no IO."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class MatchView:
    """Why a stored thread matched: its score, intent, specialties, flags and evidence."""

    score: float
    intent: str
    specialties: list[str]
    flags: list[str]
    reasons: list[dict[str, Any]]
    #: The score as ranked for the therapist: matching's, lowered by their rejections of this
    #: kind of thread (engage.feedback); None where no ranking was asked for.
    ranked_score: float | None = None
    #: Why it ranks lower, in words, and the feedback ids behind it (engage feedback undo ID).
    lowered: str | None = None
    feedback: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "score": round(self.score, 4),
            "intent": self.intent,
            "specialties": self.specialties,
            "flags": self.flags,
            "reasons": self.reasons,
        }
        if self.ranked_score is not None:
            row.update(ranked_score=round(self.ranked_score, 4), lowered=self.lowered,
                       feedback=list(self.feedback))  # fmt: skip
        return row


@dataclass(frozen=True, slots=True)
class ThreadView:
    """A stored thread; `body`, `link_url` and `comments_stored` only when shown in full."""

    id: int
    platform: str
    community: str
    title: str
    author: str | None
    url: str
    created_at: datetime
    num_comments: int
    locked: bool
    removed: bool
    match: MatchView | None = None
    body: str | None = None
    link_url: str | None = None
    comments_stored: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON `engage threads list/show --json` prints (the full fields when present)."""
        row: dict[str, Any] = {
            "id": self.id, "platform": self.platform, "community": self.community,
            "title": self.title, "author": self.author, "url": self.url,
            "created_at": self.created_at.isoformat(), "num_comments": self.num_comments,
            "locked": self.locked, "removed": self.removed,
            "match": None if self.match is None else self.match.as_dict(),
        }  # fmt: skip
        if self.body is not None:
            row.update(body=self.body, link_url=self.link_url)
        if self.comments_stored is not None:
            row["comments_stored"] = self.comments_stored
        return row


@dataclass(frozen=True, slots=True)
class ThreadAdded:
    """`engage thread add`: the stored thread's id, whether it is new or was updated."""

    id: int
    new: bool
    updated: bool
    url: str
    title: str
    #: Why the thread could not be completed from its platform (what was given is stored).
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A watched source as `engage sources add/remove` report it."""

    id: int
    kind: str
    target: str
