"""What every drafter offers, so the jobs and the desk can use templates or an LLM alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from engage.guard.text import links
from engage.types import BlogArticle, DraftInput, DraftText, Move, Profile
from engage.types.matching import FitCheck


class Drafter(Protocol):
    def draft(
        self,
        draft_input: DraftInput,
        profile: Profile,
        *,
        move: Move | None = None,
        article: BlogArticle | None = None,
        introduce: bool = True,
        fit: Sequence[FitCheck] | None = None,
    ) -> DraftText:
        """A reply to the thread on `move` (None: the move table's choice), sharing `article`
        (one of the therapist's own) when the move is SHARE_ARTICLE; `introduce=False` leaves
        the credential line out (the community saw it lately); `fit`: matching's check of a
        referral's requirements (None: the drafter reads the languages it names)."""
        ...


def cited(text: str, known: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The web addresses a draft links, once each: the `known` ones it contains (an article's
    URL, whatever its domain), then any others as written."""
    found = [url for url in known if url and url in text]
    found += [text[link.start : link.end] for link in links(text)]
    return tuple(dict.fromkeys(found))
