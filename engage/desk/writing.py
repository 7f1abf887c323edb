"""Writing replies: the drafter the config chooses (templates, or an LLM that falls back to the
templates on any failure), a reply drafted on demand (`engage draft`), a draft rewritten with
another move.

The (maybe slow) writing holds no transaction open: facts are read first, the text is stored
after. Must not change a draft's status except through engage.desk.drafts.edit_draft.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from engage.config import Config
from engage.desk.articles import own_articles
from engage.desk.drafts import edit_draft, get_draft, store_reply, thread_of
from engage.desk.thread_facts import draft_input
from engage.errors import NotFoundError, UsageError
from engage.models import Draft, Thread
from engage.types import BlogArticle, DraftInput, DraftText, Move

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.app import Engage
    from engage.drafting import Drafter

log = logging.getLogger(__name__)


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
    return draft_input(thread), own_articles(session)


def write_reply(
    config: Config,
    drafter: Drafter,
    facts: DraftInput,
    articles: list[BlogArticle],
    move: Move | None,
) -> DraftText | None:
    """The reply text for a thread (None when its move is "no draft", e.g. spam)."""
    from engage.drafting import TemplateDrafter, choose_move, suggest_articles

    client_reply = config.settings.publishing.client_side_reply == "pointer"
    move = move or choose_move(facts, reply_to_client_side=client_reply)
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
    profile = config.settings.profile.to_profile()
    if isinstance(drafter, TemplateDrafter):
        return drafter.draft(facts, profile, move=move, article=article)
    try:
        return drafter.draft(facts, profile, move=move, article=article)
    except Exception as exc:  # any failure of a model or its plugin: never an empty desk
        log.warning("LLM drafter failed (%s); using the templates", exc)
        return TemplateDrafter().draft(facts, profile, move=move, article=article)


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
    with engage.db.read() as session:
        facts, articles = reply_facts(session, session.get_one(Thread, thread_id))
    written = write_reply(engage.config, drafter_for(engage.config), facts, articles, move)
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
    written = write_reply(engage.config, drafter_for(engage.config), facts, articles, move)
    if written is None:
        raise UsageError(f"no reply is drafted for this thread with {move.value}")
    return edit_draft(engage.db, engage.config, draft_id, written.text, actor=actor,
                      move=written.move.value)  # fmt: skip


def moves_for(engage: Engage, draft_id: int) -> tuple[Move, ...]:
    from engage.drafting import allowed_moves

    with engage.db.read() as session:
        draft = get_draft(session, draft_id)
        thread = thread_of(session, draft)
        return allowed_moves(draft_input(thread)) if thread is not None else ()
