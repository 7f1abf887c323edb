"""What the guard and the crisis detector say about a text, and what the guard knows besides it.
Plain values: no IO."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class GuardSlug(StrEnum):
    """What a guard warning is about; the first six are the evaluated ethics/privacy kinds."""

    CLIENT_IDENTIFYING = "client_identifying"
    INDIVIDUAL_CLINICAL_ADVICE = "individual_clinical_advice"
    SOLICITATION = "solicitation"
    TESTIMONIAL = "testimonial"
    CRISIS_MISHANDLED = "crisis_mishandled"
    UNDISCLOSED_PROMOTION = "undisclosed_promotion"
    LINK_NOT_ALLOWED = "link_not_allowed"
    SELF_PROMOTION_FREQUENCY = "self_promotion_frequency"
    COMMUNITY_RULES = "community_rules"


@dataclass(frozen=True, slots=True)
class GuardWarning:
    """One problem in a draft. `span` is (start, end) into the checked text; a `blocking` warning
    needs an explicit override with a reason before the draft can be approved."""

    slug: GuardSlug
    message: str
    span: tuple[int, int]
    blocking: bool


@dataclass(frozen=True, slots=True)
class CrisisCue:
    """Words that read as a crisis of `kind` (the evaluation's taxonomy): `text[start:end]`."""

    kind: str
    start: int
    end: int
    strength: int


@dataclass(frozen=True, slots=True)
class CrisisAssessment:
    """The crisis detector's answer for one text: the cues and safe contexts it read, and the
    learned second opinion's log-odds (`by_model` when only the model saw a crisis)."""

    crisis: bool
    score: float = 0.0
    kinds: tuple[str, ...] = ()
    cues: tuple[CrisisCue, ...] = ()
    safe_contexts: tuple[str, ...] = ()
    learned_score: float | None = None
    by_model: bool = False


@dataclass(frozen=True, slots=True)
class GuardContext:
    """What the guard knows besides the draft text.

    `thread` is the thread (or a description of it) the draft answers. `crisis` and `client_side`
    are matching's verdicts (None: the guard infers them from `thread`). `own_names` and
    `own_domains` identify the therapist's own content; `allowed_domains` is the link allow-list
    (None: no allow-list check); `recent_items` are the therapist's last approved/published texts,
    newest first; `community_forbids_promotion` comes from the community's rules.
    """

    thread: str = ""
    crisis: bool | None = None
    client_side: bool | None = None
    own_names: tuple[str, ...] = ()
    own_domains: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] | None = None
    recent_items: tuple[str, ...] = ()
    community_forbids_promotion: bool = False
