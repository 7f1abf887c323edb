"""The guard's entry point: runs every rule module on a draft and merges their warnings."""

from __future__ import annotations

from engage.guard import advice, client, crisis, promotion, solicit
from engage.guard.context import crisis_disclosed, professional_audience, resolve
from engage.types import GuardContext, GuardWarning


def check(text: str, context: GuardContext | str | None = None) -> list[GuardWarning]:
    """All warnings for a draft, ordered by position; overlapping ones of a kind are merged.

    `context` is a GuardContext, or just the text (or description) of the thread answered.
    """
    if not text.strip():
        return []
    ctx = resolve(context)
    professional = professional_audience(ctx)
    found = [
        *client.check(text),
        *advice.check(text, professional),
        *solicit.check_solicitation(text, professional),
        *solicit.check_testimonial(text),
        *promotion.check_undisclosed(text, ctx),
        *promotion.check_links(text, ctx),
    ]
    if crisis_disclosed(ctx):
        found += crisis.check(text, found)
    return _without_nested(found)


def _without_nested(warnings: list[GuardWarning]) -> list[GuardWarning]:
    """One warning per place: drop a warning whose span lies inside another of the same kind."""
    longest_first = sorted(warnings, key=lambda w: (w.span[0] - w.span[1], w.span, w.slug))
    kept: list[GuardWarning] = []
    for w in longest_first:
        if not any(
            k.slug == w.slug and k.span[0] <= w.span[0] and w.span[1] <= k.span[1] for k in kept
        ):
            kept.append(w)
    return sorted(kept, key=lambda w: (w.span, w.slug))
