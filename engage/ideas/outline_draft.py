"""The step behind `engage ideas --outline N`: the configured model drafts an outline for idea N
(engage.ideas.outline), and it waits at the desk as a pending OUTLINE draft, guard-checked like
every draft. Approved, an outline is kept for the therapist's own article: it is never published.

Must not publish, and must not call the model without `[llm] model` set (the templates write no
outlines).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engage.drafting.errors import DraftingError
from engage.errors import UsageError
from engage.types import DraftKind, Platform

if TYPE_CHECKING:
    from engage.app import Engage

NEEDS_MODEL = ("an outline is drafted by a language model: set [llm] model in your config "
               '(README: "Better drafts with a language model")')  # fmt: skip


def draft_outline(engage: Engage, number: int, *, weeks: int, actor: str) -> dict[str, Any]:
    """Idea `number` (as `engage ideas --weeks weeks` lists it) outlined by the model and
    queued at the desk: the draft's id, the idea's number, the text and its guard warnings."""
    from engage.desk.drafts import add_draft
    from engage.desk.writing import drafter_for
    from engage.drafting import LlmDrafter
    from engage.ideas.asked import ideas
    from engage.ideas.outline import RULES, outline_prompt

    drafter = drafter_for(engage.config)
    if not isinstance(drafter, LlmDrafter):
        raise UsageError(NEEDS_MODEL)
    idea = next((i for i in ideas(engage, weeks=weeks).ideas if i.number == number), None)
    if idea is None:
        raise UsageError(f"there is no idea {number} in the last {weeks} weeks "
                         f"(engage ideas --weeks {weeks} lists them)")  # fmt: skip
    profile = engage.config.settings.profile.to_profile()
    text = drafter.complete(RULES, outline_prompt(idea, profile)).strip()
    if not text:
        raise DraftingError(f"model {drafter.model_id} answered with an empty outline")
    with engage.db.write() as session:
        draft = add_draft(
            session, engage.config, text=text, kind=DraftKind.OUTLINE, move=None,
            platform=Platform.MANUAL.value, target="", actor=actor,
        )  # fmt: skip
        return {"draft_id": draft.id, "idea": number, "text": draft.text,
                "warnings": draft.warnings}  # fmt: skip
