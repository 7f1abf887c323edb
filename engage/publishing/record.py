"""What a publishing attempt ends in, written in one transaction each: the draft's new state
(through the state machine) and, for a publication, its line in the engagement log and the
colleague it answers (engage.relationships).

Must not make a network call: every function here runs inside an open transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from engage.desk import states
from engage.models import Draft, Engagement, Thread, utcnow
from engage.relationships.interactions import record_our_reply
from engage.types import DraftStatus, PublishedRef

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

S = DraftStatus


def record_published(
    session: Session,
    draft_id: int,
    from_states: Iterable[DraftStatus],
    ref: PublishedRef | None,
    *,
    via: str,
    actor: str,
    url: str | None = None,
    expect: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """The draft is live: published, and logged. `ref` is None when posted by hand without a
    URL we could read an id from; `url` then is what the therapist gave (if anything)."""
    now = utcnow()
    link = (ref.url if ref else None) or url
    states.transition(
        session, draft_id, from_states, S.PUBLISHED, actor=actor, expect=expect,
        values={
            "published_ref": ref.external_id if ref else None, "published_url": link,
            "published_at": now, "published_via": via, "publish_after": None, "error": None,
        },
        detail={"via": via, "url": link, **(detail or {})},
    )  # fmt: skip
    draft = session.get_one(Draft, draft_id)
    thread = session.get(Thread, draft.thread_id) if draft.thread_id else None
    engagement = Engagement(
        draft_id=draft_id, thread_id=draft.thread_id, platform=draft.platform,
        kind=draft.kind, move=draft.move, community=thread.community if thread else "",
        via=via, external_id=ref.external_id if ref else None, url=link, at=now,
    )  # fmt: skip
    session.add(engagement)
    session.flush()
    record_our_reply(session, engagement)  # the colleague it answers, met through it


def record_outcome(
    session: Session,
    draft_id: int,
    to_state: DraftStatus,
    reason: str,
    *,
    attempt_id: str | None,
    from_states: Iterable[DraftStatus] = (S.PUBLISHING,),
    publish_after: datetime | None = None,
    actor: str = "worker",
) -> None:
    """A publish that did not end in a post: held back (approved, `publish_after`), failed,
    or unknown; the reason is kept on the draft and in its audit event."""
    values: dict[str, Any] = {"error": reason}
    if to_state is S.APPROVED:
        values["publish_after"] = publish_after
    states.transition(
        session, draft_id, from_states, to_state, actor=actor, values=values,
        expect={"attempt_id": attempt_id} if attempt_id else None,
        detail={"reason": reason, "attempt_id": attempt_id,
                "publish_after": publish_after.isoformat() if publish_after else None},
    )  # fmt: skip
