"""A stored thread as a drafter sees it: its text, where it is, and what matching made of it,
with the crisis detector ORed in, so a stale or missing match never drafts networking for a
crisis; for the drafting step also its first comments and the therapist's recent approved
replies (what a model drafter reads: the thread's conversation, the therapist's real voice).

`draft_input` reads only what it is given (a thread row and its match); `drafting_input` adds
two reads. Must not write.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from engage import crisis
from engage.models import Comment, Draft, Thread
from engage.types import DraftInput, DraftKind, DraftStatus, Move

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: Replies the therapist let go out: approved, being published, published.
_SENT = (DraftStatus.APPROVED, DraftStatus.PUBLISHING, DraftStatus.PUBLISHED)
#: Replies whose words are the reviewed templates', not the therapist's voice.
_NOT_THEIR_VOICE = (Move.CRISIS_RESOURCES.value, Move.FIND_A_PROFESSIONAL.value)


def draft_input(thread: Thread) -> DraftInput:
    match = thread.match
    stored: dict[str, Any] = {} if match is None else {
        "intent": match.intent, "specialties": match.specialties, "reasons": match.reasons,
        "flags": match.flags, "crisis": match.crisis, "client_side": match.client_side,
    }  # fmt: skip
    facts = DraftInput.from_stored(
        stored, title=thread.title, body=thread.body, community=thread.community,
        url=thread.url, platform=thread.platform,
    )  # fmt: skip
    # Matching's flag OR the crisis detector: a stale or missing match never drafts networking.
    if not facts.crisis and crisis.is_crisis(f"{thread.title}\n{thread.body}", thread.community):
        return dataclasses.replace(facts, crisis=True)
    return facts


def drafting_input(session: Session, thread: Thread) -> DraftInput:
    """`draft_input` with the thread's first comments and the therapist's recent approved
    replies to other threads (a reply to this thread is left out, so a redraft is not its own
    sample). A crisis or a help-seeker's thread gets neither: the templates answer it, and
    nothing of it or about it goes to a model."""
    facts = draft_input(thread)
    if facts.crisis or facts.client_side:
        return facts
    return dataclasses.replace(
        facts,
        comments=_first_comments(session, thread),
        past_replies=_past_replies(session, thread),
    )


def _first_comments(session: Session, thread: Thread) -> tuple[str, ...]:
    """The first top-level comments by others, oldest first (no score is stored for comments):
    removed ones and any that read as a crisis left out."""
    from sqlalchemy import select

    from engage.drafting.llm_drafter import TOP_COMMENTS

    top_level = Comment.parent_external_id.is_(None) | (
        Comment.parent_external_id == thread.external_id
    )
    query = (
        select(Comment.body)
        .where(Comment.thread_id == thread.id, Comment.removed.is_(False),
               Comment.mine.is_(False), Comment.body != "", top_level)
        .order_by(Comment.created_at, Comment.id)
        .limit(TOP_COMMENTS * 2)
    )  # fmt: skip
    bodies = [b for b in session.scalars(query) if not crisis.is_crisis(b, thread.community)]
    return tuple(bodies[:TOP_COMMENTS])


def _past_replies(session: Session, thread: Thread) -> tuple[str, ...]:
    """The therapist's most recently approved or published replies to other threads, newest
    first; crisis-resources and find-a-professional replies are the templates' words, not
    theirs."""
    from sqlalchemy import func, or_, select

    from engage.drafting.llm_drafter import VOICE_REPLIES

    query = (
        select(Draft.text)
        .where(Draft.kind == DraftKind.REPLY.value, Draft.thread_id != thread.id,
               Draft.status.in_([s.value for s in _SENT]),
               or_(Draft.move.is_(None), Draft.move.not_in(_NOT_THEIR_VOICE)))
        .order_by(func.coalesce(Draft.published_at, Draft.approved_at).desc().nulls_last(),
                  Draft.id.desc())
        .limit(VOICE_REPLIES)
    )  # fmt: skip
    return tuple(session.scalars(query))
