"""Interactions written: a reply received stored once, with the person who wrote it, the
engagement it answers and its thread; our own published reply with the colleague it answers.

Why here, apart from reading: these are the rules of who becomes a person, in one place. Someone
who wrote in public to the therapist becomes one, by their handle and display name (nothing
else); so does the author of a colleague's thread the therapist replied in. Never the
therapist's own account, never a reply whose id is one of our own published replies, and never
anyone on a help-seeker's (client-side) or crisis thread: those people may be clients, so their
replies are counted, not stored.

Must not fetch, publish, change a draft's status, nor store anything about a client; every
function here runs inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from engage.models import Draft, Engagement, Interaction, Person, Source, Thread
from engage.types import DraftKind
from engage.types.relationships import REPLIES_KIND_SUFFIX, IncomingReply, RepliesRead

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

TARGET = "replies to you"
#: How much of a reply is kept: enough to recognise it, not a copy of the conversation.
EXCERPT_CHARS = 280
OUR_REPLY = "our_reply"


def replies_kind(platform: str) -> str:
    """The sources.kind of `platform`'s replies checkpoint row."""
    return f"{platform}{REPLIES_KIND_SUFFIX}"


def store_replies(
    session: Session,
    platform: str,
    replies: Sequence[IncomingReply],
    *,
    own: Collection[str | None] = (),
) -> RepliesRead:
    """Store each reply once (an interaction in, with its person, the engagement it answers and
    its thread); `own` are the therapist's handles on the platform. Returns what was done."""
    from sqlalchemy import select

    result = RepliesRead(platform, read=len(replies))
    unique = list({reply.external_id: reply for reply in replies}.values())
    ids = [reply.external_id for reply in unique]
    known = set(session.scalars(select(Interaction.external_id).where(
        Interaction.platform == platform, Interaction.external_id.in_(ids))))  # fmt: skip
    ours = set(session.scalars(select(Engagement.external_id).where(
        Engagement.platform == platform, Engagement.external_id.in_(ids))))  # fmt: skip
    mine = {handle.casefold() for handle in own if handle}
    for reply in unique:
        if reply.external_id in known:
            result.already_known += 1
        elif reply.external_id in ours or reply.author.casefold() in mine:
            result.own += 1
        elif _store_one(session, reply):
            result.stored += 1
        else:
            result.help_seekers += 1
    result.already_known += len(replies) - len(unique)
    return result


def _store_one(session: Session, reply: IncomingReply) -> bool:
    """One reply stored; False (nothing stored) when it is on a help-seeker's or crisis thread."""
    engagement = _engagement(session, reply.platform, reply.parent_external_id)
    thread = _thread(session, reply, engagement)
    if thread is not None and not _colleagues_thread(thread, unscored=True):
        return False
    person = upsert_person(session, reply.platform, reply.author, reply.author_name)
    session.add(
        Interaction(
            person_id=person.id, engagement_id=engagement.id if engagement else None,
            thread_id=thread.id if thread else None, kind=reply.kind, direction="in",
            platform=reply.platform, external_id=reply.external_id, excerpt=excerpt(reply.text),
            url=reply.url, at=reply.created_at,
        )
    )  # fmt: skip
    touch(person, reply.created_at)
    session.flush()
    return True


def _engagement(session: Session, platform: str, external_id: str | None) -> Engagement | None:
    from sqlalchemy import select

    if not external_id:
        return None
    return session.scalars(
        select(Engagement)
        .where(Engagement.platform == platform, Engagement.external_id == external_id)
        .order_by(Engagement.id)
    ).first()


def _thread(session: Session, reply: IncomingReply, engagement: Engagement | None) -> Thread | None:
    """The reply's thread: our engagement's, else the one the platform names, else the thread
    whose first post it answers."""
    from sqlalchemy import select

    if engagement is not None and engagement.thread_id is not None:
        return session.get(Thread, engagement.thread_id)
    for external_id in (reply.thread_external_id, reply.parent_external_id):
        if external_id:
            same = (Thread.platform == reply.platform, Thread.external_id == external_id)
            found = session.scalars(select(Thread).where(*same)).first()
            if found is not None:
                return found
    return None


def _colleagues_thread(thread: Thread, *, unscored: bool) -> bool:
    """Whether `thread` is a colleague's: matched neither client-side nor crisis (the crisis
    detector ORed in, as for drafting). `unscored` is the answer for a thread never matched."""
    from engage.desk import draft_input

    facts = draft_input(thread)
    if facts.crisis or facts.client_side:
        return False
    return thread.match is not None or unscored


def upsert_person(session: Session, platform: str, handle: str, name: str | None) -> Person:
    """The person with this handle on `platform` (handles compared without case), made when new;
    their display name follows what they show now."""
    from sqlalchemy import func, select

    same = (Person.platform == platform, func.lower(Person.handle) == handle.lower())
    person = session.scalars(select(Person).where(*same)).first()
    if person is None:
        person = Person(platform=platform, handle=handle, display_name=name, specialties=[],
                        notes="")  # fmt: skip
        session.add(person)
        session.flush()
    elif name and person.display_name != name:
        person.display_name = name
    return person


def touch(person: Person, at: datetime) -> None:
    if person.last_contact_at is None or person.last_contact_at < at:
        person.last_contact_at = at


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The first `limit` characters of a text on one line, cut at a word, with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] or flat[: limit - 1]
    return cut + "…"


def record_our_reply(session: Session, engagement: Engagement) -> Interaction | None:
    """Our published reply as an interaction out, with the person it answers: the colleague
    whose reply it answers (a draft made with `engage replies draft`), else the author of the
    thread, when that thread is a colleague's (matched, neither client-side nor crisis) and
    not the therapist's own. Once per engagement; None when no one is a colleague here.

    Call it in the transaction that writes the engagement (engage.publishing.record)."""
    from sqlalchemy import select

    if engagement.thread_id is None or engagement.kind != DraftKind.REPLY.value:
        return None
    session.flush()  # the engagement has its id
    logged = (Interaction.engagement_id == engagement.id, Interaction.direction == "out")
    done = session.scalars(select(Interaction.id).where(*logged)).first()
    if done is not None:
        return None
    answered = None
    if engagement.draft_id is not None:
        answered = session.scalars(select(Interaction).where(
            Interaction.answer_draft_id == engagement.draft_id)).first()  # fmt: skip
    if answered is not None:
        person = session.get_one(Person, answered.person_id)
    else:
        thread = session.get(Thread, engagement.thread_id)
        if thread is None or not thread.author or not _colleagues_thread(thread, unscored=False):
            return None
        if thread.author.casefold() in _own_handles(session, engagement.platform):
            return None
        person = upsert_person(session, engagement.platform, thread.author, None)
    draft = session.get(Draft, engagement.draft_id) if engagement.draft_id else None
    interaction = Interaction(
        person_id=person.id, engagement_id=engagement.id, thread_id=engagement.thread_id,
        kind=OUR_REPLY, direction="out", platform=engagement.platform,
        external_id=engagement.external_id, excerpt=excerpt(draft.text if draft else ""),
        url=engagement.url, at=engagement.at,
    )  # fmt: skip
    session.add(interaction)
    touch(person, engagement.at)
    session.flush()
    return interaction


def _own_handles(session: Session, platform: str) -> set[str]:
    """The therapist's handle on `platform`, as its replies reader last learned it."""
    from sqlalchemy import select

    options = session.scalars(select(Source.options).where(
        Source.kind == replies_kind(platform), Source.target == TARGET)).first()  # fmt: skip
    account = (options or {}).get("account")
    return {account.casefold()} if isinstance(account, str) and account else set()
