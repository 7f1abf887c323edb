"""The drafting step's expected failure, shown to the user as one line."""

from __future__ import annotations

from engage.errors import EngageError


class DraftingError(EngageError):
    """A draft cannot be made as asked: a move the thread does not allow, an article missing
    for an article share, or an LLM drafter that is not installed or did not answer."""
