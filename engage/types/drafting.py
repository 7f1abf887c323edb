"""What a drafter reads about a thread, and what it writes (engage.drafting). Plain values: no
IO."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from engage.types.flow import DraftKind, Move, Platform
from engage.types.matching import Intent, MatchFlag, MatchResult, ReasonKind

# Evidence worth echoing in a reply: topic words, never the crisis or help-seeking cues.
_TOPIC_REASONS = frozenset({ReasonKind.SPECIALTY.value, ReasonKind.EXTRA_TERM.value})


_MAX_PHRASES = 5


@dataclass(frozen=True, slots=True)
class DraftInput:
    """A thread as a drafter sees it: its text, where it is, and what matching made of it.

    `specialties` are taxonomy slugs, strongest first; `phrases` are the thread's own topic
    words that matched (strongest first, at most five), so a draft can name what was discussed.
    `comments` are the thread's first top-level comments and `past_replies` the therapist's most
    recent approved replies to other threads (their real voice), both read by the drafting
    step for a model drafter (empty for crisis and help-seekers' threads: the templates answer).
    """

    title: str
    body: str
    community: str = ""
    url: str = ""
    platform: Platform = Platform.MANUAL
    intent: Intent = Intent.OTHER
    specialties: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    client_side: bool = False
    crisis: bool = False
    comments: tuple[str, ...] = ()
    past_replies: tuple[str, ...] = ()

    @classmethod
    def from_match(
        cls,
        result: MatchResult,
        *,
        title: str,
        body: str,
        community: str = "",
        url: str = "",
        platform: Platform | str = Platform.MANUAL,
    ) -> DraftInput:
        """From a fresh MatchResult (the matcher's output for this thread)."""
        return cls(
            title=title,
            body=body,
            community=community,
            url=url,
            platform=Platform(platform),
            intent=result.intent,
            specialties=tuple(sorted(result.specialties, key=lambda s: -result.specialties[s])),
            phrases=_topic_phrases((r.kind.value, r.text, r.weight) for r in result.reasons),
            client_side=result.client_side,
            crisis=result.crisis,
        )

    @classmethod
    def from_stored(
        cls,
        match: Mapping[str, Any],
        *,
        title: str,
        body: str,
        community: str = "",
        url: str = "",
        platform: Platform | str = Platform.MANUAL,
    ) -> DraftInput:
        """From a match row's JSON values: "intent" (str), "specialties" (slugs, strongest
        first), "reasons" (dicts with "kind", "text", "weight"), "flags" (list of str), and
        optionally the "crisis"/"client_side" columns. Unknown intents read as OTHER."""
        flags = {str(f) for f in match.get("flags") or ()}
        reasons = [r for r in match.get("reasons") or () if isinstance(r, Mapping)]
        return cls(
            title=title,
            body=body,
            community=community,
            url=url,
            platform=Platform(platform),
            intent=_intent(str(match.get("intent") or "")),
            specialties=tuple(str(s) for s in match.get("specialties") or ()),
            phrases=_topic_phrases(
                (
                    str(r.get("kind") or ReasonKind.SPECIALTY.value),
                    str(r.get("text") or ""),
                    float(r.get("weight") or 0.0),
                )
                for r in reasons
            ),
            client_side=bool(match.get("client_side")) or MatchFlag.CLIENT_SIDE.value in flags,
            crisis=bool(match.get("crisis")) or MatchFlag.CRISIS.value in flags,
        )

    @property
    def text(self) -> str:
        """Title and body as one text (what the guard reads as the thread)."""
        return f"{self.title}\n\n{self.body}".strip()


def _intent(value: str) -> Intent:
    try:
        return Intent(value)
    except ValueError:
        return Intent.OTHER


def _topic_phrases(reasons: Iterable[tuple[str, str, float]]) -> tuple[str, ...]:
    """Distinct topic phrases (case-insensitive), heaviest first, ties in the matcher's order."""
    ranked = sorted(
        ((kind, text.strip(), weight) for kind, text, weight in reasons),
        key=lambda r: -r[2],
    )
    seen: dict[str, str] = {}
    for kind, text, _ in ranked:
        if kind in _TOPIC_REASONS and text:
            seen.setdefault(text.lower(), text)
    return tuple(seen.values())[:_MAX_PHRASES]


@dataclass(frozen=True, slots=True)
class BlogArticle:
    """One of the therapist's own articles. `specialties` (taxonomy slugs, optional) are what
    the article is about, as matching found them; they pick hashtags and matching threads."""

    url: str
    title: str
    summary: str = ""
    specialties: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DraftText:
    """A drafter's output, before the guard and the therapist see it.

    `cites` are the URLs the text links (the therapist's own article, at most); `drafter` says
    what wrote it ("template:<template name>" or "llm:<model id>"), for the review desk and logs.
    """

    text: str
    move: Move
    kind: DraftKind
    cites: tuple[str, ...] = ()
    drafter: str = ""
