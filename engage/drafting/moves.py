"""Which dialogue move a reply is built on, from what matching says about the thread and the
thread's shape (engage.drafting.shape: its questions, its opinions, a referral's fit).

| thread                                   | move                                   |
|------------------------------------------|----------------------------------------|
| crisis (any intent)                      | CRISIS_RESOURCES (kind CRISIS_REPLY)   |
| client-side (a help-seeker)              | FIND_A_PROFESSIONAL, or no draft       |
| spam                                     | no draft                               |
| referral_request the therapist fits      | AGREE_EXAMPLE: the offer (be one       |
|                                          | option, say how you work)              |
| referral_request they don't fit          | ASK: help anyway (where such           |
|                                          | therapists are listed, a question)     |
| an opinion inviting pushback             | DISAGREE_EXAMPLE (hot take, unpopular  |
|                                          | opinion, change my mind, am I wrong)   |
| an opinion, in a consult in the          | AGREE_EXAMPLE, naming the opinion      |
| therapist's area, a discussion, a vent   |                                        |
| anything else (questions without a view) | ASK: answer what was asked, ask about  |
|                                          | the topic                              |

Agree and disagree are offered only where the thread states an opinion the draft can name:
agreeing with a question reads as a bot. "In the therapist's area" means some of the thread's
own words matched the therapist's specialties (`DraftInput.phrases`). SHARE_ARTICLE is never
chosen here: sharing one's own article is the therapist's call. Crisis resources are offered
on a crisis thread, and to a help-seeker (where a crisis matching missed is plausible), never
on a colleague's billing question. Pure: must not do IO.
"""

from __future__ import annotations

import re

from engage.drafting.errors import DraftingError
from engage.drafting.shape import Shape, read_shape
from engage.types import BlogArticle, DraftInput, DraftKind, Intent, Move, Profile

_PUSHBACK = re.compile(
    r"\b(?:hot\s+take|unpopular\s+opinion|controversial\s+opinion|change\s+my\s+mind|"
    r"am\s+I\s+wrong|friendly\s+argument|fight\s+me|convince\s+me|push\s*back|overrated)\b",
    re.IGNORECASE,
)
_NOBODY = Profile(specialties={}, languages=())


def shape_of(draft_input: DraftInput, shape: Shape | None) -> Shape:
    """`shape`, or the thread's shape read without a profile (a referral's fit unknown)."""
    return shape if shape is not None else read_shape(draft_input, _NOBODY, fit=())


def choose_move(
    draft_input: DraftInput, *, reply_to_client_side: bool = True, shape: Shape | None = None
) -> Move | None:
    """The move for a new draft (the table above); None means: draft nothing for this thread.

    `reply_to_client_side=False` is the therapist's choice to leave help-seekers' posts alone
    rather than answer with a pointer to finding a professional. Without `shape` a referral is
    taken to fit (the drafter, which knows the profile, reads it again).
    """
    if draft_input.crisis:
        return Move.CRISIS_RESOURCES
    if draft_input.client_side:
        return Move.FIND_A_PROFESSIONAL if reply_to_client_side else None
    if draft_input.intent is Intent.SPAM:
        return None
    shape = shape_of(draft_input, shape)
    if draft_input.intent is Intent.REFERRAL_REQUEST:
        return Move.AGREE_EXAMPLE if shape.fits else Move.ASK
    if not shape.opinions:
        return Move.ASK
    if _PUSHBACK.search(draft_input.text):
        return Move.DISAGREE_EXAMPLE
    if draft_input.intent in (Intent.DISCUSSION, Intent.VENT) or (
        draft_input.intent is Intent.CONSULT_QUESTION and draft_input.phrases
    ):
        return Move.AGREE_EXAMPLE
    return Move.ASK


def allowed_moves(draft_input: DraftInput, shape: Shape | None = None) -> tuple[Move, ...]:
    """The moves the desk may switch to: a crisis thread gets only crisis resources, a
    help-seeker a pointer to professionals (or crisis resources, if the therapist sees a
    crisis matching missed); among colleagues ASK always, agree and disagree only where there
    is an opinion to name, the referral offer only where the therapist fits, an article share
    except on a referral request."""
    if draft_input.crisis:
        return (Move.CRISIS_RESOURCES,)
    if draft_input.client_side:
        return (Move.FIND_A_PROFESSIONAL, Move.CRISIS_RESOURCES)
    if draft_input.intent is Intent.SPAM:
        return ()
    shape = shape_of(draft_input, shape)
    if draft_input.intent is Intent.REFERRAL_REQUEST:
        return (Move.AGREE_EXAMPLE, Move.ASK) if shape.fits else (Move.ASK,)
    moves = [Move.ASK]
    if shape.opinions:
        moves += [Move.AGREE_EXAMPLE, Move.DISAGREE_EXAMPLE]
    return (*moves, Move.SHARE_ARTICLE)


def kind_of(move: Move) -> DraftKind:
    """Crisis replies are their own kind, so the desk and the digest can set them apart."""
    return DraftKind.CRISIS_REPLY if move is Move.CRISIS_RESOURCES else DraftKind.REPLY


def resolve_move(
    draft_input: DraftInput,
    move: Move | None,
    article: BlogArticle | None,
    shape: Shape | None = None,
) -> Move:
    """The move a drafter uses: `move` if given, else SHARE_ARTICLE when an article is given,
    else the table's choice; DraftingError when the thread allows no such draft."""
    if move is None:
        move = Move.SHARE_ARTICLE if article else choose_move(draft_input, shape=shape)
    if move is None:
        raise DraftingError(f"nothing to draft for a thread matched as {draft_input.intent}")
    allowed = allowed_moves(draft_input, shape)
    if move not in allowed:
        choices = ", ".join(m.value for m in allowed) or "none"
        raise DraftingError(f"move {move.value} does not fit this thread (allowed: {choices})")
    if move is Move.SHARE_ARTICLE and article is None:
        raise DraftingError("an article share needs one of the therapist's articles")
    return move
