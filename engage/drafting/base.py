"""What every drafter offers, so the jobs and the desk can use templates or an LLM alike."""

from __future__ import annotations

from typing import Protocol

from engage.guard.text import links
from engage.types import BlogArticle, DraftInput, DraftText, Move, Profile


class Drafter(Protocol):
    def draft(
        self,
        draft_input: DraftInput,
        profile: Profile,
        *,
        move: Move | None = None,
        article: BlogArticle | None = None,
    ) -> DraftText:
        """A reply to the thread on `move` (None: the move table's choice), sharing `article`
        (one of the therapist's own) when the move is SHARE_ARTICLE."""
        ...


def cited(text: str, known: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The web addresses a draft links, once each: the `known` ones it contains (an article's
    URL, whatever its domain), then any others as written."""
    found = [url for url in known if url and url in text]
    found += [text[link.start : link.end] for link in links(text)]
    return tuple(dict.fromkeys(found))
