"""Learning from the desk, the pure part: a rejected draft's thread has a kind (what its author
wants and what it is mainly about), and every active rejection of a kind ranks threads of that
kind lower, by a factor applied at read time to matching's score, so an undo is immediate.

The numbers: each active rejection multiplies the score by 0.7 (one: x0.7, two: x0.49, three:
x0.34), never below x0.3, so a kind turned down again and again still shows, at the bottom, in
`engage threads list --worth`. The lowered score is what the digest and the drafting step
compare with their thresholds too.

Must not read the database (engage.desk.feedback does) nor change matching's score itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from engage.types.feedback import Lowering, Rejection, ThreadKind

#: What one active rejection of a kind multiplies its threads' scores by.
FACTOR = 0.7
#: The lowest the multiplier goes, however many rejections.
FLOOR = 0.3

#: A match's intent as a therapist says it, in the plural.
INTENT_WORDS = {
    "referral_request": "referral requests",
    "consult_question": "consultation questions",
    "discussion": "discussions",
    "article_share": "shared articles",
    "business": "practice questions",
    "vent": "colleagues venting",
    "client_seeking_help": "posts by people looking for help",
    "spam": "advertisements",
}


def kind_of(intent: str, specialties: Sequence[str]) -> ThreadKind:
    """A matched thread's kind: its intent and its leading specialty (a match row stores its
    specialties strongest first)."""
    return ThreadKind(intent, str(specialties[0]) if specialties else None)


def factor(count: int) -> float:
    """The multiplier for `count` active rejections of a kind."""
    return max(FLOOR, FACTOR**count) if count > 0 else 1.0


def label(kind: ThreadKind, short_names: Mapping[str, str]) -> str:
    """The kind in words, with the taxonomy's short names: "referral requests about couples
    work"."""
    what = INTENT_WORDS.get(kind.intent, "threads")
    if kind.specialty is None:
        return what
    topic = short_names.get(kind.specialty, kind.specialty.replace("_", " "))
    return f"{what} about {topic}"


def lowerings(
    rejections: Iterable[Rejection], short_names: Mapping[str, str]
) -> dict[ThreadKind, Lowering]:
    """The active rejections grouped by kind, each kind with its factor (newest first)."""
    grouped: dict[ThreadKind, list[Rejection]] = defaultdict(list)
    for rejection in rejections:
        grouped[rejection.kind].append(rejection)
    return {
        kind: Lowering(kind, label(kind, short_names), factor(len(rows)),
                       tuple(sorted(rows, key=lambda r: (r.at, r.id), reverse=True)))
        for kind, rows in grouped.items()
    }  # fmt: skip


def lowered(
    score: float, kind: ThreadKind, by_kind: Mapping[ThreadKind, Lowering]
) -> tuple[float, Lowering | None]:
    """A thread's score as ranked for the therapist, and the lowering applied (if any)."""
    lowering = by_kind.get(kind)
    return (score, None) if lowering is None else (score * lowering.factor, lowering)


def note(lowering: Lowering) -> str:
    """Why a thread shows lower, in words: "ranked lower: you turned down 2 drafts on referral
    requests about couples work — 'not my population'"."""
    count = len(lowering.rejections)
    drafts = "a draft" if count == 1 else f"{count} drafts"
    reasons = list(dict.fromkeys(r.reason.strip() for r in lowering.rejections if r.reason.strip()))
    quoted = "; ".join(f"'{reason}'" for reason in reasons[:2])
    return f"ranked lower: you turned down {drafts} on {lowering.label}" + (
        f" — {quoted}" if quoted else ""
    )
