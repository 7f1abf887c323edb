"""What the therapist tells engage about a reply: posted by hand (`engage mark-posted`, the
desk's `p`), an unknown outcome resolved (`engage drafts resolve`), and a draft held back from
the worker while they post it themselves.

Must not make a network call: everything here is the therapist's word, recorded.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from engage.errors import TransitionError, UsageError
from engage.models import Draft, utcnow
from engage.publishing.record import record_outcome, record_published
from engage.sources.base import web_url
from engage.types import DraftKind, DraftStatus, Platform, PublishedRef

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.app import Engage

S = DraftStatus

#: How long the desk's `p` keeps the worker from publishing a draft the therapist is posting.
HAND_HOLD = timedelta(hours=2)


def _checked_url(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    checked = web_url(url)
    if checked is None:
        raise UsageError(f"{url!r} is not a web address: give the reply's https:// link")
    return checked


def mark_posted(engage: Engage, draft_id: int, url: str | None, *, actor: str) -> dict[str, Any]:
    """The therapist posted an approved draft themselves (with the reply's URL, or without).

    Only an approved text can be marked posted (an expired approval too: the reply was posted
    before it ran out); a draft whose outcome is unknown is resolved this way as well."""
    link = _checked_url(url)
    with engage.db.write() as session:
        draft = session.get(Draft, draft_id)
        if draft is None:
            raise UsageError(f"draft {draft_id} does not exist (see engage drafts list)")
        if draft.kind == DraftKind.OUTLINE:
            raise UsageError("an outline is for your own article; it is never posted")
        status = S(draft.status)
        if status is S.PUBLISHING:
            raise TransitionError(
                f"draft {draft_id} is being published by the worker right now: wait a minute "
                "and look at `engage drafts show`"
            )
        if status not in (S.APPROVED, S.UNKNOWN, S.EXPIRED) or draft.approved_hash is None:
            raise TransitionError(
                f"draft {draft_id} is {status}: only an approved draft can be marked posted "
                "(approve it first, exactly as you posted it)"
            )
        via = "api" if status is S.UNKNOWN else "hand"
        record_published(
            session, draft_id, [status], _ref_of(draft.platform, link), via=via, actor=actor,
            url=link,
            expect={"approved_hash": draft.approved_hash}, detail={"told_by": actor},
        )  # fmt: skip
        if draft.kind == DraftKind.NOTE and draft.person_id is not None:
            _note_sent(session, draft.person_id, draft.platform)
    return {"id": draft_id, "status": "published", "via": via, "url": link}


def _ref_of(platform: str, url: str | None) -> PublishedRef | None:
    """Where a reply posted by hand lives, when its platform can read that from the link."""
    from engage.platforms import PLATFORMS

    spec = next((p for p in PLATFORMS if p.name == platform), None)
    if url is None or spec is None or spec.posted_id is None:
        return None
    external_id = spec.posted_id(url)
    return PublishedRef(Platform(platform), external_id, url) if external_id else None


def _note_sent(session: Session, person_id: int, platform: str) -> None:
    """A note the therapist sent is a step off the screen with that colleague (met_note)."""
    from engage.models import Interaction, Person
    from engage.relationships.people import STEP_PREFIX

    now = utcnow()
    session.add(Interaction(person_id=person_id, kind=f"{STEP_PREFIX}note", direction="out",
                            platform=platform, at=now))  # fmt: skip
    person = session.get(Person, person_id)
    if person is not None and (person.last_contact_at is None or person.last_contact_at < now):
        person.last_contact_at = now


def resolve(
    engage: Engage, draft_id: int, *, posted_url: str | None, not_posted: bool, actor: str
) -> dict[str, Any]:
    """Settle a draft whose outcome was unknown: it is live (at this URL), or it is not (then
    it is approved again and goes out on the next run)."""
    if bool(posted_url) == not_posted:
        raise UsageError("say either --posted URL or --not-posted")
    with engage.db.read() as session:
        draft = session.get(Draft, draft_id)
        status = draft.status if draft else None
    if status != S.UNKNOWN:
        raise TransitionError(
            f"draft {draft_id} is {status or 'missing'}: only a draft whose outcome is unknown "
            "is resolved (see engage drafts list --status unknown)"
        )
    if posted_url:
        return mark_posted(engage, draft_id, posted_url, actor=actor)
    with engage.db.write() as session:
        record_outcome(
            session, draft_id, S.APPROVED, f"not posted, said {actor}: it goes out again",
            attempt_id=None, from_states=[S.UNKNOWN], actor=actor,
        )  # fmt: skip
    return {"id": draft_id, "status": "approved"}


def hold_for_hand(engage: Engage, draft_id: int, *, now: datetime | None = None) -> None:
    """Keep the worker from publishing an approved draft while the therapist posts it by hand."""
    from sqlalchemy import update

    until = (now or utcnow()) + HAND_HOLD
    with engage.db.write() as session:
        session.execute(
            update(Draft)
            .where(Draft.id == draft_id, Draft.status == S.APPROVED)
            .values(publish_after=until, error="being posted by hand")
        )


def desk_queue(engage: Engage) -> list[int]:
    """What the desk shows, in order: drafts to approve, approved replies waiting for the
    therapist to post them by hand, and replies whose outcome is unknown."""
    from sqlalchemy import select

    from engage.publishing.step import publish_due
    from engage.types import Result

    with engage.db.read() as session:
        pending = list(
            session.scalars(
                select(Draft.id).where(Draft.status == S.PENDING).order_by(Draft.created_at)
            )
        )
    plan = publish_due(engage, dry_run=True).items
    by_hand = [item.draft_id for item in plan if item.result is Result.BY_HAND]
    return pending + by_hand + [item.draft_id for item in plan if item.result is Result.UNKNOWN]


def expiring_approvals(
    engage: Engage, *, within: timedelta = timedelta(hours=24), now: datetime | None = None
) -> list[tuple[int, datetime]]:
    """Approved drafts whose approval runs out within `within`: (id, when), soonest first;
    never an outline (kept, not posted: its approval does not run out)."""
    from sqlalchemy import select

    now = now or utcnow()
    limit = timedelta(hours=engage.config.settings.publishing.approval_max_age_hours)
    with engage.db.read() as session:
        rows = session.execute(
            select(Draft.id, Draft.approved_at).where(
                Draft.status == S.APPROVED, Draft.approved_at.is_not(None),
                Draft.approved_at < now + within - limit, Draft.kind != DraftKind.OUTLINE,
            ).order_by(Draft.approved_at)
        ).all()  # fmt: skip
    return [(draft_id, approved_at + limit) for draft_id, approved_at in rows if approved_at]
