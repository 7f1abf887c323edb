"""Replies back: what colleagues wrote to the therapist, read from every platform that can say
and stored once (engage.relationships.interactions says who becomes a person); the replies
received, listed; and one answered with a draft, which waits at the desk like any other.

Why: a reply is where a dialogue becomes a relationship. Seen in a day (the digest names who
replied where) and answerable in a keystroke, it is not lost among a platform's notifications.

Where it reads: each platform's replies reader (`PlatformSpec.replies`, engage/platforms/*/
replies.py). Its checkpoint and schedule live in a row of the sources table of kind
"<platform>_replies" (target "replies to you"), which is never enabled, so the watch cycle, its
claims and the config sync never touch it: its `next_poll_at` (every `poll_minutes` of the
platform's section), `claimed_until` (a lease, so two workers never read one inbox at once),
`last_error` and `failures` (back-off) are this job's, as a source's are the watch's. The
reading itself holds no transaction open. `options["account"]` keeps the therapist's own handle
as the reader learned it, so our own posts are never taken for a colleague's.

Must not fetch inside a transaction, publish, change a draft's status (a draft is added through
engage.desk), nor store anything about a client.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from engage.errors import EngageError, NotFoundError, UsageError
from engage.models import Draft, Engagement, Interaction, Person, Source, Thread, utcnow
from engage.redact import redact
from engage.relationships.interactions import TARGET, replies_kind, store_replies
from engage.types import DraftKind, DraftStatus, Move
from engage.types.relationships import Handle, OwnPost, RepliesRead, RepliesReport, ReplyView

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.app import Engage
    from engage.db import Database
    from engage.platforms.spec import PlatformSpec, RepliesReader

log = logging.getLogger(__name__)

#: How long a claimed replies row is left alone by other workers while one reads it.
LEASE = timedelta(minutes=10)
#: Our published replies passed to a reader that looks under each of them, newest first.
MAX_OURS = 25
INCOMING = ("reply", "mention")
#: Drafts still on their way out: a reply that has one is not answered twice.
_LIVE = (DraftStatus.PENDING, DraftStatus.APPROVED, DraftStatus.PUBLISHING, DraftStatus.UNKNOWN,
         DraftStatus.PUBLISHED)  # fmt: skip


# -- reading ------------------------------------------------------------------------------------


def read_replies(engage: Engage, *, force: bool = False) -> RepliesReport:
    """Read every platform whose replies are due (all that can be read, with `force`), and
    store what they bring. A platform that fails is kept as its row's error and read again
    after a back-off, from the checkpoint it had: nothing is lost."""
    report = RepliesReport()
    for platform in due_platforms(engage, force=force):
        report.platforms.append(_read_platform(engage, platform, force=force))
    return report


def due_platforms(engage: Engage, *, force: bool = False) -> list[PlatformSpec]:
    """The platforms whose replies can be read with this config and are due (or all of those,
    with `force`); one quick read, no network."""
    from sqlalchemy import select

    from engage.platforms import PLATFORMS

    readable = [p for p in PLATFORMS if p.replies is not None and _reader(engage, p) is not None]
    if force or not readable:
        return readable
    now = utcnow()
    with engage.db.read() as session:
        rows = {
            row.kind: row
            for row in session.scalars(
                select(Source).where(Source.kind.in_([replies_kind(p.name) for p in readable]))
            )
        }
    return [p for p in readable if _due(rows.get(replies_kind(p.name)), now)]


def _read_platform(engage: Engage, platform: PlatformSpec, *, force: bool) -> RepliesRead:
    reader = _reader(engage, platform)
    assert reader is not None  # due_platforms() offers only platforms with a reader
    claimed = _claim(engage, platform, force=force)
    if claimed is None:  # another worker is reading it, or it stopped being due meanwhile
        return RepliesRead(platform.name)
    row_id, checkpoint, ours = claimed
    try:
        replies, new_checkpoint = reader.read(checkpoint, ours)
    except EngageError as exc:
        return _failed(engage, platform.name, row_id, str(exc))
    except Exception as exc:  # a bug in one reader must not stop the others
        log.exception("reading %s replies crashed", platform.name)
        return _failed(engage, platform.name, row_id, f"internal error: {type(exc).__name__}")
    try:
        from engage.ingest import record_success

        with engage.db.write() as session:
            row = session.get_one(Source, row_id)
            own = [reader.account, (row.options or {}).get("account")]
            result = store_replies(session, platform.name, replies, own=own)
            record_success(session, [row], new_checkpoint)
            if reader.account:
                row.options = {**(row.options or {}), "account": reader.account}
    except Exception as exc:  # e.g. the database busy past its timeout: nothing was stored
        log.exception("storing %s replies failed", platform.name)
        return _failed(engage, platform.name, row_id, f"could not store them: {exc}")
    return result


def _claim(
    engage: Engage, platform: PlatformSpec, *, force: bool
) -> tuple[int, dict[str, Any], list[OwnPost]] | None:
    """Take the platform's replies row for a lease (made on first use): its id, checkpoint and
    our published replies to look under; None when another worker holds it or it is not due."""
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    now = utcnow()
    kind = replies_kind(platform.name)
    try:
        with engage.db.write() as session:
            query = select(Source).where(Source.kind == kind, Source.target == TARGET)
            row = session.scalars(query.with_for_update(skip_locked=True)).first()
            if row is None:
                if session.scalars(query).first() is not None:  # locked by another worker
                    return None
                row = Source(kind=kind, target=TARGET, enabled=False, from_config=False,
                             options={}, checkpoint={})  # fmt: skip
                session.add(row)
            elif (row.claimed_until is not None and row.claimed_until > now) or (
                not force and not _due(row, now)
            ):
                return None
            row.poll_minutes = _poll_minutes(engage, platform)
            row.claimed_until = now + LEASE
            session.flush()
            max_age = timedelta(days=engage.config.settings.publishing.thread_max_age_days)
            ours = own_posts(session, platform.name, now - max_age)
            return row.id, dict(row.checkpoint or {}), ours
    except IntegrityError:  # two workers made the row at once: the other one reads it
        return None


def _failed(engage: Engage, platform: str, row_id: int, error: str) -> RepliesRead:
    from engage.ingest import record_failure

    error = redact(error)  # stored, logged and shown: no secret in it
    try:
        with engage.db.write() as session:
            row = session.get(Source, row_id)
            if row is not None:
                record_failure(session, [row], error)
    except Exception:
        log.exception("could not record the failure to read %s replies", platform)
    return RepliesRead(platform, error=error)


def _reader(engage: Engage, platform: PlatformSpec) -> RepliesReader | None:
    """The platform's reader for this config, kept between ticks (a login, a connection)."""
    key = f"replies:{platform.name}"
    if key not in engage.fetchers:
        assert platform.replies is not None
        engage.fetchers[key] = platform.replies(engage.config)
    reader: RepliesReader | None = engage.fetchers[key]
    return reader


def _due(row: Source | None, now: datetime) -> bool:
    if row is None:
        return True
    free = row.claimed_until is None or row.claimed_until <= now
    return free and (row.next_poll_at is None or row.next_poll_at <= now)


def _poll_minutes(engage: Engage, platform: PlatformSpec) -> float:
    section = getattr(engage.config.settings, platform.section, None)
    return float(getattr(section, "poll_minutes", 30.0))


def own_posts(session: Session, platform: str, since: datetime) -> list[OwnPost]:
    """Our published replies on `platform` since `since` (newest first, at most MAX_OURS), in
    threads engage knows, for a reader that looks under each of them."""
    from sqlalchemy import select

    rows = session.execute(
        select(Engagement.external_id, Thread.external_id, Thread.community)
        .join(Thread, Thread.id == Engagement.thread_id)
        .where(Engagement.platform == platform, Engagement.external_id.is_not(None),
               Engagement.kind == DraftKind.REPLY.value, Engagement.at >= since)
        .order_by(Engagement.at.desc())
        .limit(MAX_OURS)
    )  # fmt: skip
    return [OwnPost(str(ours), thread, community) for ours, thread, community in rows]


# -- what was received ---------------------------------------------------------------------------


def recent_replies(session: Session, since: datetime | None = None) -> list[ReplyView]:
    """Replies and mentions received since `since` (all, with None), newest first: who, where,
    an excerpt, and which of our replies each answers. The digest's "Dr. Kim replied to you in
    r/MFT" is one of these (`ReplyView.name`, `.community`)."""
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    answered = aliased(Engagement)
    query = (
        select(Interaction, Person, Thread, answered)
        .join(Person, Person.id == Interaction.person_id)
        .outerjoin(Thread, Thread.id == Interaction.thread_id)
        .outerjoin(answered, answered.id == Interaction.engagement_id)
        .where(Interaction.direction == "in", Interaction.kind.in_(INCOMING))
        .order_by(Interaction.at.desc(), Interaction.id.desc())
    )
    if since is not None:
        query = query.where(Interaction.at >= since)
    return [
        ReplyView(
            id=interaction.id,
            at=interaction.at,
            platform=interaction.platform,
            kind=interaction.kind,
            who=Handle(person.platform, person.handle),
            display_name=person.display_name,
            person_id=person.id,
            excerpt=interaction.excerpt,
            url=interaction.url,
            community=(thread.community if thread else "") or (ours.community if ours else ""),
            thread_id=interaction.thread_id,
            thread_title=thread.title if thread else "",
            engagement_id=interaction.engagement_id,
            answers_url=ours.url if ours else None,
            answer_draft_id=interaction.answer_draft_id,
        )
        for interaction, person, thread, ours in session.execute(query)
    ]


def list_replies(db: Database, since: datetime | None = None) -> list[ReplyView]:
    """`engage replies`: the replies received since `since`, newest first."""
    with db.read() as session:
        return recent_replies(session, since)


# -- answering one --------------------------------------------------------------------------------


def draft_answer(
    engage: Engage, interaction_id: int, move: Move | None = None, *, actor: str
) -> Draft:
    """`engage replies draft ID`: a reply to one reply received, drafted by the desk's drafter
    (what the reply says stands for the thread's text; the thread's match and the crisis
    detector, on the reply too, decide as for any draft), stored pending like any draft and
    noted on the interaction. Written outside any transaction (an LLM may be slow)."""
    from engage import crisis
    from engage.desk import add_draft, drafter_for, reply_facts, write_reply

    with engage.db.read() as session:
        interaction, thread = _answerable(session, interaction_id)
        facts, articles = reply_facts(session, thread)
        text = interaction.excerpt
    facts = dataclasses.replace(
        facts, body=text, crisis=facts.crisis or crisis.is_crisis(text, thread.community)
    )
    written = write_reply(engage.config, drafter_for(engage.config), facts, articles, move)
    if written is None:
        raise UsageError(
            f"engage drafts no answer to reply {interaction_id} in this thread (spam, or a "
            'help-seeker\'s post with client_side_reply = "none")'
        )
    with engage.db.write() as session:
        interaction, thread = _answerable(session, interaction_id)  # again: it may have changed
        draft = add_draft(
            session, engage.config, text=written.text, kind=written.kind,
            move=written.move.value, platform=interaction.platform,
            target=answer_target(interaction), thread=thread, cites=written.cites, actor=actor,
        )  # fmt: skip
        interaction.answer_draft_id = draft.id
        return draft


def _answerable(session: Session, interaction_id: int) -> tuple[Interaction, Thread]:
    interaction = session.get(Interaction, interaction_id)
    if interaction is None or interaction.direction != "in" or interaction.kind not in INCOMING:
        raise NotFoundError(f"reply {interaction_id} does not exist (see engage replies)")
    if interaction.answer_draft_id is not None:
        draft = session.get(Draft, interaction.answer_draft_id)
        if draft is not None and draft.status in _LIVE:
            raise UsageError(f"reply {interaction_id} already has draft {draft.id} "
                             f"({draft.status}): see engage drafts show {draft.id}")  # fmt: skip
    thread = session.get(Thread, interaction.thread_id) if interaction.thread_id else None
    if thread is None:
        where = f": {interaction.url}" if interaction.url else ""
        raise UsageError(f"engage knows no thread for reply {interaction_id} (a mention "
                         f"elsewhere): answer it on {interaction.platform}{where}")  # fmt: skip
    return interaction, thread


def answer_target(interaction: Interaction) -> str:
    """Where an answer to a reply goes: Reddit's fullname of the comment (t1_...), elsewhere
    the reply's own id (a status URI, an at:// URI), as engage.desk.reply_target names a
    thread."""
    if interaction.platform == "reddit":
        return f"t1_{interaction.external_id}"
    return str(interaction.external_id)
