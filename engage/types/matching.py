"""What engage.matching produces: why a thread was surfaced, with spans into its text, and what
the scorer reads from a thread. Plain values: no IO."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from engage.types.flow import FetchedPost
from engage.types.guard import CrisisAssessment


class Intent(StrEnum):
    """What a thread's author wants; decides how much a reply can do for the therapist."""

    CONSULT_QUESTION = "consult_question"
    REFERRAL_REQUEST = "referral_request"
    DISCUSSION = "discussion"
    ARTICLE_SHARE = "article_share"
    BUSINESS = "business"
    VENT = "vent"
    CLIENT_SEEKING_HELP = "client_seeking_help"
    SPAM = "spam"
    OTHER = "other"


class TextField(StrEnum):
    """Which text of a post a span points into."""

    TITLE = "title"
    BODY = "body"


class ReasonKind(StrEnum):
    SPECIALTY = "specialty"
    EXTRA_TERM = "extra_term"
    EXCLUSION = "exclusion"
    LOCATION = "location"
    CRISIS = "crisis"
    CLIENT_SIDE = "client_side"
    FIT = "fit"  # a referral's requirement, met (weight 1) or not (weight 0)


class MatchFlag(StrEnum):
    """Facts about a thread that change what engage may do with it, whatever its score."""

    CLIENT_SIDE = "client_side"
    CRISIS = "crisis"
    EXCLUDED = "excluded"
    FILLED = "filled"


@dataclass(frozen=True, slots=True)
class Span:
    """`text[start:end]` of the post's `field`, in Python string indices."""

    field: TextField
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Reason:
    """One piece of evidence: `text` is exactly what `span` covers; `label` is a slug or place."""

    kind: ReasonKind
    label: str
    text: str
    span: Span
    weight: float


@dataclass(frozen=True, slots=True)
class FitCheck:
    """One requirement a referral request names, checked against the profile.

    `kind`: language, insurance, population, delivery, modality, faith or place; `need`: what is
    asked for, in plain words ("Mandarin", "Medicaid", "children", "in person", "EMDR",
    "Christian counseling", "New Jersey"); `met`: True, False, or None when the profile doesn't
    say (its insurance, say)."""

    kind: str
    need: str
    met: bool | None


@dataclass(frozen=True, slots=True)
class ScoringInput:
    """What the scorer reads from a thread; the optional fields feed the opportunity factors.

    `triage` is the crisis detector's answer when it was read once, at ingest (it doesn't
    depend on who reads the thread); None: the scorer asks the detector itself."""

    title: str
    body: str
    community: str = ""
    created_at: datetime | None = None
    num_comments: int | None = None
    locked: bool = False
    removed: bool = False
    triage: CrisisAssessment | None = None

    @classmethod
    def of(cls, post: FetchedPost) -> ScoringInput:
        return cls(
            title=post.title,
            body=post.body,
            community=post.community,
            created_at=post.created_at,
            num_comments=post.num_comments,
            locked=post.locked,
            removed=post.removed,
        )


@dataclass(frozen=True, slots=True)
class MatchResult:
    """A thread scored for one profile. Higher `score` ranks first; `factors` explain it."""

    score: float
    relevance: float
    intent: Intent
    specialties: dict[str, float]
    reasons: tuple[Reason, ...]
    flags: frozenset[MatchFlag]
    factors: dict[str, float]
    fit: tuple[FitCheck, ...] = ()

    @property
    def mismatches(self) -> tuple[FitCheck, ...]:
        """The referral's requirements the therapist clearly doesn't meet."""
        return tuple(check for check in self.fit if check.met is False)

    @property
    def client_side(self) -> bool:
        return MatchFlag.CLIENT_SIDE in self.flags

    @property
    def crisis(self) -> bool:
        return MatchFlag.CRISIS in self.flags
