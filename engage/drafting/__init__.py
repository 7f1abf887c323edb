"""Reply and blog-share drafters: templates by default (offline, pure), any LLM optionally.

    from engage.drafting import TemplateDrafter, choose_move
    draft = TemplateDrafter().draft(DraftInput.from_match(result, title=..., body=...), profile)

A draft is only a starting point: the caller runs the guard on it and queues it for the
therapist's approval; nothing here publishes anything.
"""

from __future__ import annotations

from engage.drafting.articles import suggest_articles
from engage.drafting.base import Drafter
from engage.drafting.errors import DraftingError
from engage.drafting.llm_drafter import LlmDrafter
from engage.drafting.moves import allowed_moves, choose_move
from engage.drafting.templates import TemplateDrafter, blog_share

__all__ = [
    "Drafter",
    "DraftingError",
    "LlmDrafter",
    "TemplateDrafter",
    "allowed_moves",
    "blog_share",
    "choose_move",
    "suggest_articles",
]
