"""What the desk learns from the therapist: edits kept (before and after) and rejections that
lower a kind of thread. Plain values: no IO."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class ThreadKind:
    """A kind of thread as a therapist recognises it: what its author wants (a match's intent)
    and what it is mainly about (the match's leading specialty slug; None when it names none)."""

    intent: str
    specialty: str | None


@dataclass(frozen=True, slots=True)
class Rejection:
    """One rejection with a reason, kept as feedback until undone."""

    id: int
    kind: ThreadKind
    reason: str
    draft_id: int | None
    thread_id: int | None
    at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "reason": self.reason, "draft_id": self.draft_id,
                "thread_id": self.thread_id, "at": self.at.isoformat()}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Lowering:
    """A kind of thread ranked lower: its name in words, the factor its scores are multiplied
    by, and the active rejections behind it (newest first)."""

    kind: ThreadKind
    label: str
    factor: float
    rejections: tuple[Rejection, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "intent": self.kind.intent, "specialty": self.kind.specialty, "label": self.label,
            "factor": round(self.factor, 4), "count": len(self.rejections),
            "rejections": [rejection.as_dict() for rejection in self.rejections],
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class DraftEdit:
    """The therapist's own edit of a draft: the text before and after, when, on which thread."""

    draft_id: int
    before: str
    after: str
    at: datetime
    thread_id: int | None
    thread_title: str
    status: str

    def as_dict(self) -> dict[str, Any]:
        return {"draft_id": self.draft_id, "before": self.before, "after": self.after,
                "at": self.at.isoformat(), "thread_id": self.thread_id,
                "thread_title": self.thread_title, "status": self.status}  # fmt: skip
