"""Which dialogue move a reply is built on, from what matching says about the thread.

| thread                                   | move                                   |
|------------------------------------------|----------------------------------------|
| crisis (any intent)                      | CRISIS_RESOURCES (kind CRISIS_REPLY)   |
| client-side (a help-seeker)              | FIND_A_PROFESSIONAL, or no draft       |
| spam                                     | no draft                               |
| referral_request                         | AGREE_EXAMPLE: be one option, say how  |
|                                          | you work (to the colleague who asks)   |
| consult_question in the therapist's area | AGREE_EXAMPLE: answer from experience  |
| consult_question outside it              | ASK: a thoughtful question             |
| discussion inviting pushback             | DISAGREE_EXAMPLE (hot take, unpopular  |
|                                          | opinion, change my mind, am I wrong)   |
| discussion, vent                         | AGREE_EXAMPLE                          |
| article_share, business, other           | ASK                                    |

"In the therapist's area" means some of the thread's own words matched the therapist's
specialties (`DraftInput.phrases`). SHARE_ARTICLE is never chosen here: sharing one's own
article is the therapist's call (engage suggests articles, the desk switches the move).
"""

from __future__ import annotations

import re

from engage.drafting.errors import DraftingError
from engage.types import BlogArticle, DraftInput, DraftKind, Intent, Move

_PUSHBACK = re.compile(
    r"\b(?:hot\s+take|unpopular\s+opinion|controversial\s+opinion|change\s+my\s+mind|"
    r"am\s+I\s+wrong|friendly\s+argument|fight\s+me|convince\s+me|push\s*back)\b",
    re.IGNORECASE,
)
_PEER_MOVES = (
    Move.ASK,
    Move.AGREE_EXAMPLE,
    Move.DISAGREE_EXAMPLE,
    Move.SHARE_ARTICLE,
    Move.CRISIS_RESOURCES,
)


def choose_move(draft_input: DraftInput, *, reply_to_client_side: bool = True) -> Move | None:
    """The move for a new draft (the table above); None means: draft nothing for this thread.

    `reply_to_client_side=False` is the therapist's choice to leave help-seekers' posts alone
    rather than answer with a pointer to finding a professional.
    """
    if draft_input.crisis:
        return Move.CRISIS_RESOURCES
    if draft_input.client_side:
        return Move.FIND_A_PROFESSIONAL if reply_to_client_side else None
    match draft_input.intent:
        case Intent.SPAM:
            return None
        case Intent.REFERRAL_REQUEST | Intent.VENT:
            return Move.AGREE_EXAMPLE
        case Intent.CONSULT_QUESTION:
            return Move.AGREE_EXAMPLE if draft_input.phrases else Move.ASK
        case Intent.DISCUSSION:
            pushback = _PUSHBACK.search(draft_input.text)
            return Move.DISAGREE_EXAMPLE if pushback else Move.AGREE_EXAMPLE
        case _:
            return Move.ASK


def allowed_moves(draft_input: DraftInput) -> tuple[Move, ...]:
    """The moves the desk may switch to: a crisis thread gets only crisis resources, a
    help-seeker only a pointer to professionals (or crisis resources, if the therapist sees a
    crisis matching missed), colleagues any peer move."""
    if draft_input.crisis:
        return (Move.CRISIS_RESOURCES,)
    if draft_input.client_side:
        return (Move.FIND_A_PROFESSIONAL, Move.CRISIS_RESOURCES)
    return _PEER_MOVES


def kind_of(move: Move) -> DraftKind:
    """Crisis replies are their own kind, so the desk and the digest can set them apart."""
    return DraftKind.CRISIS_REPLY if move is Move.CRISIS_RESOURCES else DraftKind.REPLY


def resolve_move(draft_input: DraftInput, move: Move | None, article: BlogArticle | None) -> Move:
    """The move a drafter uses: `move` if given, else SHARE_ARTICLE when an article is given,
    else the table's choice; DraftingError when the thread allows no such draft."""
    if move is None:
        move = Move.SHARE_ARTICLE if article else choose_move(draft_input)
    if move is None:
        raise DraftingError(f"nothing to draft for a thread matched as {draft_input.intent}")
    allowed = allowed_moves(draft_input)
    if move not in allowed:
        choices = ", ".join(m.value for m in allowed)
        raise DraftingError(f"move {move.value} does not fit this thread (allowed: {choices})")
    if move is Move.SHARE_ARTICLE and article is None:
        raise DraftingError("an article share needs one of the therapist's articles")
    return move
