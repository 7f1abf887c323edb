"""Drafts stored: a new one with its guard warnings and first audit event, new text for one
(checked again, back to pending), and looking one up with the thread it answers.

Status changes are engage.desk.states' alone: an edit goes through it. Must not write a text
(engage.desk.writing does) nor decide what gets drafted (engage.desk.queue).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engage.config import Config
from engage.desk import states
from engage.desk.guard_context import PLACEHOLDER, check_text
from engage.errors import NotFoundError, UsageError
from engage.models import BlogPost, Draft, DraftEvent, Thread
from engage.types import DraftKind, DraftStatus, DraftText

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.app import Engage
    from engage.db import Database


def reply_target(thread: Thread) -> str:
    """Where a reply goes: Reddit's fullname for Reddit threads, else the thread's URL."""
    return f"t3_{thread.external_id}" if thread.platform == "reddit" else thread.url


def add_draft(
    session: Session,
    config: Config,
    *,
    text: str,
    kind: DraftKind,
    move: str | None,
    platform: str,
    target: str,
    thread: Thread | None = None,
    blog_post: BlogPost | None = None,
    cites: tuple[str, ...] = (),
    actor: str = "drafter",
    auto_key: str | None = None,
) -> Draft:
    """Store a new pending draft with its guard warnings, and its first audit event."""
    match = thread.match if thread is not None else None
    draft = Draft(
        kind=kind.value,
        move=move,
        thread_id=thread.id if thread else None,
        blog_post_id=blog_post.id if blog_post else None,
        platform=platform,
        target=target,
        text=text,
        status=DraftStatus.PENDING.value,
        warnings=check_text(session, config, text, thread, match, platform=platform, kind=kind),
        cites=list(cites),
        auto_key=auto_key,
    )
    session.add(draft)
    session.flush()
    session.add(DraftEvent(draft_id=draft.id, from_status=None, to_status="pending", actor=actor,
                           detail={"created": kind.value, "move": move}))  # fmt: skip
    return draft


def store_reply(
    session: Session, config: Config, thread: Thread, written: DraftText, *, actor: str,
    auto_key: str | None = None,
) -> Draft:  # fmt: skip
    return add_draft(
        session, config, text=written.text, kind=written.kind, move=written.move.value,
        platform=thread.platform, target=reply_target(thread), thread=thread,
        cites=written.cites, actor=actor, auto_key=auto_key,
    )  # fmt: skip


def edit_draft(
    db: Database, config: Config, draft_id: int, text: str, *, actor: str,
    move: str | None = None, by_hand: bool = True,
) -> list[dict[str, Any]]:  # fmt: skip
    """New text for a draft: checked again, and back to pending if it was approved; kept before
    and after (`by_hand`: the therapist's own words, not a drafter's)."""
    if not text.strip():
        raise UsageError("a draft can't be empty: reject it instead")
    with db.read() as session:
        draft = get_draft(session, draft_id)
        thread = thread_of(session, draft)
        match = thread.match if thread is not None else None
        warnings = check_text(session, config, text, thread, match, exclude_draft=draft_id,
                              platform=draft.platform, kind=draft.kind)  # fmt: skip
    states.edit(db, draft_id, text=text, warnings=warnings, actor=actor, move=move,
                by_hand=by_hand)  # fmt: skip
    return warnings


def retarget_share(
    engage: Engage, draft_id: int, channel_name: str, *, actor: str
) -> list[dict[str, Any]]:
    """Send a share of the therapist's article to another channel. Their text stays when it
    fits there; a text still as drafted is written again for the channel's length; an edited
    text too long for it is kept, and the desk asks them to shorten it."""
    from engage.desk.articles import article_of
    from engage.drafting import blog_share
    from engage.drafting.channels import channel_named

    channel = channel_named(channel_name)
    with engage.db.read() as session:
        draft = get_draft(session, draft_id)
        if draft.kind != DraftKind.BLOG_SHARE:
            raise UsageError(f"draft {draft_id} is a reply: only shares go to another channel")
        text = draft.text
        post = session.get(BlogPost, draft.blog_post_id) if draft.blog_post_id else None
        too_long = channel.max_chars is not None and len(text) > channel.max_chars
        if post is not None and too_long and PLACEHOLDER.search(text):
            profile = engage.config.settings.profile.to_profile()
            text = blog_share(article_of(post), profile, channel.max_chars).text
        warnings = check_text(session, engage.config, text, None, None, exclude_draft=draft_id,
                              platform=channel.platform)  # fmt: skip
    states.edit(engage.db, draft_id, text=text, warnings=warnings, actor=actor,
                channel=(channel.platform, channel.target), by_hand=False)  # fmt: skip
    return warnings


def thread_of(session: Session, draft: Draft) -> Thread | None:
    return session.get(Thread, draft.thread_id) if draft.thread_id else None


def get_draft(session: Session, draft_id: int) -> Draft:
    draft = session.get(Draft, draft_id)
    if draft is None:
        raise NotFoundError(f"draft {draft_id} does not exist (see engage drafts list)")
    return draft


def recheck_draft(engage: Engage, draft_id: int) -> list[dict[str, Any]]:
    """The draft's guard warnings against its thread as it is now, stored when they changed:
    run before every approval, so a thread that became a crisis after it was drafted for can't
    have a networking reply approved on yesterday's warnings."""
    with engage.db.read() as session:
        draft = get_draft(session, draft_id)
        thread = thread_of(session, draft)
        match = thread.match if thread is not None else None
        text, stored = draft.text, draft.warnings
        warnings = check_text(session, engage.config, text, thread, match,
                              exclude_draft=draft_id, platform=draft.platform,
                              kind=draft.kind)  # fmt: skip
    if warnings != stored:
        states.recheck(engage.db, draft_id, text=text, warnings=warnings)
    return warnings
