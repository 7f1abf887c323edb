"""What `engage ideas` reads and shows: threads in which colleagues asked something, grouped into
ideas for a short article of the therapist's own. Plain values: no IO."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engage.types.drafting import DraftInput


@dataclass(frozen=True, slots=True)
class AskedThread:
    """A stored, matched thread as the ideas step reads it: `thread` carries its text and what
    matching stored (intent, specialties, client-side, crisis); `excluded` when the profile's
    exclusions matched it."""

    id: int
    created_at: datetime
    thread: DraftInput
    excluded: bool = False


@dataclass(frozen=True, slots=True)
class IdeaThread:
    """One thread behind an idea, with the question it asked (as the colleague wrote it)."""

    id: int
    title: str
    url: str
    community: str
    asked_at: datetime
    question: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "url": self.url, "community": self.community,
            "date": self.asked_at.date().isoformat(), "question": self.question,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class ArticleIdea:
    """A question colleagues keep asking in one of the therapist's specialties: `title` is the
    working title (the question as one of them phrased it), `threads` newest first, `score`
    how often and how recently it came up (engage.ideas.grouping.rank)."""

    number: int
    title: str
    specialty: str
    specialty_name: str
    score: float
    threads: tuple[IdeaThread, ...]

    @property
    def count(self) -> int:
        return len(self.threads)

    @property
    def communities(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.community for t in self.threads))

    @property
    def last_asked(self) -> datetime:
        return max(t.asked_at for t in self.threads)

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number, "title": self.title, "specialty": self.specialty,
            "specialty_name": self.specialty_name, "score": round(self.score, 3),
            "count": self.count, "communities": list(self.communities),
            "last_asked": self.last_asked.date().isoformat(),
            "threads": [t.as_dict() for t in self.threads],
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class ArticleIdeas:
    """The ideas of the last `weeks` weeks, best first, up to the limit asked for; `questions`:
    how many threads asked something in the therapist's specialties, `found`: how many ideas
    they make (both before the limit)."""

    weeks: int
    questions: int
    found: int
    ideas: tuple[ArticleIdea, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"weeks": self.weeks, "questions": self.questions, "found": self.found,
                "ideas": [idea.as_dict() for idea in self.ideas]}  # fmt: skip
