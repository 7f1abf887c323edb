"""The guard's entry point: runs every rule module on a draft and merges their warnings."""

from __future__ import annotations

from engage.guard import advice, client, crisis, learned, promotion, solicit
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
        *client.check(text, ctx.thread),
        *advice.check(text, professional),
        *solicit.check_solicitation(text, professional),
        *solicit.check_testimonial(text),
        *promotion.check_undisclosed(text, ctx),
        *promotion.check_links(text, ctx),
    ]
    in_crisis = crisis_disclosed(ctx)
    if in_crisis:
        found += crisis.check(text, found)
    found += learned.second_opinion(
        text,
        ctx.thread,
        crisis=in_crisis,
        professional=professional,
        raised={w.slug for w in found},
    )
    return _without_nested(found)


def _without_nested(warnings: list[GuardWarning]) -> list[GuardWarning]:
    """One warning per place: drop a warning whose span lies inside another of the same kind.

    One sweep per kind in order of start (longest first at a tie): a span is nested exactly
    when an earlier kept one reaches as far, so a text with thousands of warnings stays fast."""
    kept: list[GuardWarning] = []
    reach: dict[str, int] = {}
    for w in sorted(warnings, key=lambda w: (w.span[0], -w.span[1])):
        if reach.get(w.slug, -1) >= w.span[1]:
            continue
        kept.append(w)
        reach[w.slug] = max(reach.get(w.slug, -1), w.span[1])
    return sorted(kept, key=lambda w: (w.span, w.slug))
