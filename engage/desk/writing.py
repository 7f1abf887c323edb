"""Writing replies: the drafter the config chooses (templates, or an LLM that falls back to the
templates on any failure), a reply drafted on demand (`engage draft`), a draft rewritten with
another move, and the moves the desk offers for a draft.

What only storage knows is read here and handed to the pure drafter: whether the therapist's
credential line went out in this community within a month (`introduced_lately`: a community
hears the introduction at most once a month), and a referral's fit (matching's checks).

The (maybe slow) writing holds no transaction open: facts are read first, the text is stored
after. Must not change a draft's status except through engage.desk.drafts.edit_draft.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from engage.config import Config
from engage.desk.articles import own_articles
from engage.desk.drafts import edit_draft, get_draft, store_reply, thread_of
from engage.desk.thread_facts import draft_input, drafting_input
from engage.errors import NotFoundError, UsageError
from engage.models import Draft, Thread, utcnow
from engage.types import BlogArticle, DraftInput, DraftStatus, DraftText, Move, Profile
from engage.types.matching import FitCheck

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.app import Engage
    from engage.drafting import Drafter

log = logging.getLogger(__name__)

#: A community hears the therapist's credential line at most once in this long.
INTRODUCTION_GAP = timedelta(days=30)
_SENT = (DraftStatus.APPROVED, DraftStatus.PUBLISHING, DraftStatus.PUBLISHED)


def introduced_lately(
    session: Session, thread: Thread, profile: Profile, now: datetime | None = None
) -> bool:
    """Whether a reply carrying the therapist's credential line ("I'm Grace Lee, an LMFT and
    CSAT in Southern California") was approved or published in this thread's community (same
    platform) within INTRODUCTION_GAP."""
    from sqlalchemy import func, select

    from engage.drafting.reading import intro

    lines = {intro(profile), intro(profile, named=True)}
    since = (now or utcnow()) - INTRODUCTION_GAP
    query = (
        select(Draft.text)
        .join(Thread, Draft.thread_id == Thread.id)
        .where(
            Thread.platform == thread.platform,
            Thread.community == thread.community,
            Draft.status.in_([s.value for s in _SENT]),
            func.coalesce(Draft.published_at, Draft.approved_at) >= since,
        )
    )
    return any(line in text for text in session.scalars(query) for line in lines)


def referral_fit(engage: Engage, thread: Thread) -> tuple[FitCheck, ...]:
    """Matching's check of what a referral request asks for against the profile (empty for
    any other thread)."""
    from engage.types import ScoringInput

    scored = engage.matcher.matcher.score(ScoringInput(thread.title, thread.body, thread.community))
    return tuple(getattr(scored, "fit", ()))


def drafter_for(config: Config) -> Drafter:
    """Templates by default; the configured LLM when [llm] model is set."""
    from engage.drafting import LlmDrafter, TemplateDrafter

    llm = config.settings.llm
    if not llm.model:
        return TemplateDrafter()
    return LlmDrafter(llm.model, api_base=llm.api_base, key=config.secret(llm.key_env))


def reply_facts(session: Session, thread: Thread) -> tuple[DraftInput, list[BlogArticle]]:
    """What writing a reply needs from the database, read at once so the (maybe slow) writing
    itself holds no transaction open."""
    return drafting_input(session, thread), own_articles(session)


def write_reply(
    config: Config,
    drafter: Drafter,
    facts: DraftInput,
    articles: list[BlogArticle],
    move: Move | None,
    *,
    introduce: bool = False,
    fit: Sequence[FitCheck] | None = None,
) -> DraftText | None:
    """The reply text for a thread (None when its move is "no draft", e.g. spam).

    A move chosen without the profile (the drafting step's choose_move) is chosen again with
    the thread's shape as this therapist reads it, so a referral they don't fit is never
    drafted as an offer. `introduce` is False unless the caller checked `introduced_lately`:
    when nobody looked, the credential line is left out."""
    from engage.drafting import TemplateDrafter, choose_move, suggest_articles
    from engage.drafting.shape import read_shape

    client_reply = config.settings.publishing.client_side_reply == "pointer"
    profile = config.settings.profile.to_profile()
    shape = read_shape(facts, profile, fit)
    if move is None or move == choose_move(facts, reply_to_client_side=client_reply):
        move = choose_move(facts, reply_to_client_side=client_reply, shape=shape)
    if move is None:
        return None
    article = None
    if move is Move.SHARE_ARTICLE:
        found = suggest_articles(facts, articles, limit=1)
        if not found:
            raise UsageError(
                "none of your blog posts answers this thread (add your feed with --own)"
            )
        article = found[0]
    how: dict[str, Any] = {"move": move, "article": article, "introduce": introduce, "fit": fit}
    if isinstance(drafter, TemplateDrafter):
        return drafter.draft(facts, profile, **how)
    try:
        return drafter.draft(facts, profile, **how)
    except Exception as exc:  # any failure of a model or its plugin: never an empty desk
        log.warning("LLM drafter failed (%s); using the templates", exc)
        return TemplateDrafter().draft(facts, profile, **how)


def draft_on_demand(engage: Engage, thread_id: int, move: Move | None, *, actor: str) -> Draft:
    """`engage draft THREAD`: score the thread if it never was (crisis triage first), write the
    reply outside any write transaction (an LLM may be slow), then store it."""
    from engage.match_rows import score_threads

    with engage.db.write() as session:
        thread = session.get(Thread, thread_id)
        if thread is None:
            raise NotFoundError(f"thread {thread_id} does not exist (see engage threads list)")
        if thread.match is None:
            score_threads(session, engage.matcher, [thread_id])
    profile = engage.config.settings.profile.to_profile()
    with engage.db.read() as session:
        thread = session.get_one(Thread, thread_id)
        facts, articles = reply_facts(session, thread)
        introduce = not introduced_lately(session, thread, profile)
        fit = referral_fit(engage, thread)
    written = write_reply(engage.config, drafter_for(engage.config), facts, articles, move,
                          introduce=introduce, fit=fit)  # fmt: skip
    if written is None:
        raise UsageError(f"engage drafts no reply to thread {thread_id} (spam, or a help-seeker's "
                         'post with client_side_reply = "none")')  # fmt: skip
    with engage.db.write() as session:
        return store_reply(session, engage.config, session.get_one(Thread, thread_id), written,
                           actor=actor)  # fmt: skip


def redraft(engage: Engage, draft_id: int, move: Move, *, actor: str) -> list[dict[str, Any]]:
    """Write a pending or approved reply again with another move (back to pending)."""
    with engage.db.read() as session:
        draft = get_draft(session, draft_id)
        thread = thread_of(session, draft)
        if thread is None:
            raise UsageError(f"draft {draft_id} answers no thread: edit it instead")
        facts, articles = reply_facts(session, thread)
        profile = engage.config.settings.profile.to_profile()
        introduce = not introduced_lately(session, thread, profile)
        fit = referral_fit(engage, thread)
    written = write_reply(engage.config, drafter_for(engage.config), facts, articles, move,
                          introduce=introduce, fit=fit)  # fmt: skip
    if written is None:
        raise UsageError(f"no reply is drafted for this thread with {move.value}")
    return edit_draft(engage.db, engage.config, draft_id, written.text, actor=actor,
                      move=written.move.value, by_hand=False)  # fmt: skip


def moves_for(engage: Engage, draft_id: int) -> tuple[Move, ...]:
    """The moves the desk offers for a draft: those that fit its thread's shape as this
    therapist reads it (agree/disagree only where an opinion is stated, no referral offer
    they don't fit, crisis resources only on a crisis or a help-seeker's thread)."""
    from engage.drafting import allowed_moves
    from engage.drafting.shape import read_shape

    profile = engage.config.settings.profile.to_profile()
    with engage.db.read() as session:
        draft = get_draft(session, draft_id)
        thread = thread_of(session, draft)
        if thread is None:
            return ()
        facts = draft_input(thread)
        return allowed_moves(facts, read_shape(facts, profile, referral_fit(engage, thread)))
