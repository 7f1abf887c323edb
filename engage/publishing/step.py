"""The publishing step: approved drafts out to their platforms at most once, then reconciled.

A run, in order: (1) drafts whose outcome is open (`unknown`, or `publishing` past its lease
because the process died) are looked for on their platform; (2) approved drafts that go out by
hand, and approved drafts recently expired, are looked for too, so a reply the therapist posted
without telling engage is logged, not posted again or filed as expired; (3) approved drafts that
are due, on the allow-list and within the pace are claimed (committed), sent once, and the result
committed. The publish job then expires what can no longer go out (engage.desk.expiry), after
the look for hand-posted replies, so none of those is filed as expired.

Must not make a network call inside a transaction, send anything that may already be live, or
change a status except through engage.desk.states.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from engage.desk import states
from engage.errors import TransitionError
from engage.models import Draft, DraftEvent, Engagement, Thread, utcnow
from engage.platforms.spec import Outcome, Outgoing, PublishError
from engage.publishing.pace import Posted, hold_until, may_post_to
from engage.publishing.record import record_outcome, record_published
from engage.redact import redact
from engage.types import DraftKind, DraftStatus, PublishedRef, PublishItem, PublishReport, Result

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.app import Engage
    from engage.platforms.spec import Publisher

log = logging.getLogger(__name__)
S = DraftStatus

#: A claim older than this belongs to a process that died mid-publish (a request has a deadline
#: of a minute by default): its draft is reconciled.
LEASE = timedelta(minutes=10)
#: How long an unknown or expired draft keeps being looked for on its platform (listing lag).
LOOK_BACK = timedelta(days=3)
#: First wait after a publish proven not sent; doubled each time, up to MAX_WAIT.
FIRST_WAIT = timedelta(minutes=5)
MAX_WAIT = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class Waiting:
    """A draft publishing may act on, as read (the transaction is closed by then)."""

    outgoing: Outgoing
    status: DraftStatus
    watched: bool
    approved_hash: str | None
    publish_after: datetime | None
    updated_at: datetime
    error: str | None

    @property
    def draft_id(self) -> int:
        return self.outgoing.draft_id

    def item(self, result: Result, reason: str = "", url: str | None = None) -> PublishItem:
        out = self.outgoing
        return PublishItem(out.draft_id, out.platform, out.community, result, reason, url)


def publish_key(draft_id: int, approved_hash: str | None) -> str:
    """The same on every attempt of one approval; a new approval of new text gets a new one."""
    return hashlib.sha256(f"engage:{draft_id}:{approved_hash}".encode()).hexdigest()[:32]


def publisher_for(engage: Engage, platform: str) -> Publisher | None:
    """The platform's publisher for this config, built once per process (it keeps a session)."""
    from engage.platforms import named

    if platform not in engage.publishers:
        try:
            spec = named(platform)
        except KeyError:
            engage.publishers[platform] = None
        else:
            engage.publishers[platform] = spec.publisher(engage.config) if spec.publisher else None
    publisher: Publisher | None = engage.publishers[platform]
    return publisher


def publish_due(
    engage: Engage, *, dry_run: bool = False, now: datetime | None = None, actor: str = "worker"
) -> PublishReport:
    """One publishing run (see the module docstring); `dry_run` says what it would do, and
    makes no network call and no change."""
    now = now or utcnow()
    waiting, recent = _read(engage, now)
    run = _Run(engage, now, actor, recent, dry_run)
    return PublishReport([item for w in waiting if (item := run.act(w)) is not None])


def _read(engage: Engage, now: datetime) -> tuple[list[Waiting], list[Posted]]:
    from sqlalchemy import and_, or_, select

    open_states = [S.APPROVED, S.PUBLISHING, S.UNKNOWN]
    with engage.db.read() as session:
        rows = session.execute(
            select(Draft, Thread)
            .outerjoin(Thread, Thread.id == Draft.thread_id)
            .where(or_(
                Draft.status.in_(open_states),
                and_(Draft.status == S.EXPIRED, Draft.approved_hash.is_not(None),
                     Draft.updated_at > now - LOOK_BACK),
            ))
            .order_by(Draft.approved_at, Draft.id)
        ).all()  # fmt: skip
        recent = [
            Posted(platform, community, at)
            for platform, community, at in session.execute(
                select(Engagement.platform, Engagement.community, Engagement.at).where(
                    Engagement.at > now - timedelta(hours=24)
                )
            )
        ]
    waiting = []
    for draft, thread in rows:
        outgoing = Outgoing(
            draft_id=draft.id, attempt_id=draft.attempt_id or "",
            key=publish_key(draft.id, draft.approved_hash), platform=draft.platform,
            kind=draft.kind, text=draft.text, target=draft.target,
            thread_url=thread.url if thread else "",
            thread_external_id=thread.external_id if thread else None,
            community=thread.community if thread else "",
            approved_at=draft.approved_at or draft.updated_at,
        )  # fmt: skip
        waiting.append(
            Waiting(
                outgoing, S(draft.status), thread is not None and thread.source_id is not None,
                draft.approved_hash, draft.publish_after, draft.updated_at, draft.error,
            )
        )  # fmt: skip
        if draft.status == S.PUBLISHING:  # in flight elsewhere: counts against the pace
            recent.append(Posted(draft.platform, outgoing.community, draft.updated_at))
    return waiting, recent


class _Run:
    """One run's decisions, draft by draft; each network call between two transactions."""

    def __init__(
        self, engage: Engage, now: datetime, actor: str, recent: list[Posted], dry_run: bool
    ) -> None:
        self.engage, self.now, self.actor = engage, now, actor
        self.recent, self.dry_run = recent, dry_run

    def act(self, w: Waiting) -> PublishItem | None:
        if w.outgoing.kind == DraftKind.OUTLINE:  # kept for the therapist's article: never out
            return None
        if w.outgoing.kind == DraftKind.NOTE:  # a personal message: the therapist sends it
            if w.status is S.APPROVED:
                return w.item(Result.BY_HAND, "send it yourself: engage review, key p")
            return None
        publisher = publisher_for(self.engage, w.outgoing.platform)
        if w.status is S.PUBLISHING and w.updated_at > self.now - LEASE:
            return None  # another process is publishing it right now
        if w.status in (S.PUBLISHING, S.UNKNOWN):
            return self._open_outcome(w, publisher)
        if w.status is S.EXPIRED:
            return self._found_by_hand(w, publisher, [S.EXPIRED])
        if publisher is None or not publisher.by_api:
            found = self._found_by_hand(w, publisher, [S.APPROVED])
            return found or w.item(Result.BY_HAND, "post it by hand: engage review, key p")
        return self._send(w, publisher)

    def _open_outcome(self, w: Waiting, publisher: Publisher | None) -> PublishItem:
        """A draft that may be live: found → published; else unknown, for the therapist."""
        if self.dry_run:
            return w.item(Result.UNKNOWN, w.error or "")
        ref, why = self._look(w, publisher)
        if ref is not None:
            self._write(lambda s: record_published(
                s, w.draft_id, [w.status], ref, via="api", actor=self.actor,
                expect={"attempt_id": w.outgoing.attempt_id}, detail={"reconciled": True},
            ))  # fmt: skip
            return w.item(Result.FOUND, "found on the platform", ref.url)
        looked = why or f"not found on {w.outgoing.platform} yet"
        reason = f"it may have been posted ({looked}); {settle_hint(w.draft_id)}"
        if w.status is S.PUBLISHING:
            self._write(lambda s: record_outcome(
                s, w.draft_id, S.UNKNOWN, reason, attempt_id=w.outgoing.attempt_id,
                actor=self.actor,
            ))  # fmt: skip
            return w.item(Result.UNKNOWN, reason)
        return w.item(Result.UNKNOWN, w.error or reason)

    def _found_by_hand(
        self, w: Waiting, publisher: Publisher | None, from_states: list[DraftStatus]
    ) -> PublishItem | None:
        """A reply the therapist posted without telling engage, recognised and logged."""
        if self.dry_run or publisher is None:
            return None
        ref, _ = self._look(w, publisher)
        return None if ref is None else self._log_found(w, ref, from_states)

    def _log_found(
        self, w: Waiting, ref: PublishedRef, from_states: list[DraftStatus]
    ) -> PublishItem:
        self._write(lambda s: record_published(
            s, w.draft_id, from_states, ref, via="hand", actor=self.actor,
            expect={"approved_hash": w.approved_hash}, detail={"found": True},
        ))  # fmt: skip
        return w.item(Result.FOUND, "posted by hand, found on the platform", ref.url)

    def _send(self, w: Waiting, publisher: Publisher) -> PublishItem | None:
        settings = self.engage.config.settings.publishing
        share = w.outgoing.kind == DraftKind.BLOG_SHARE  # on the therapist's own feed
        if not share and not may_post_to(w.outgoing.community, w.watched, settings):
            found = self._found_by_hand(w, publisher, [S.APPROVED])
            return found or w.item(Result.BY_HAND, (
                f"{w.outgoing.community or 'this thread'} is not a community you watch: post it "
                "by hand, or add it to [publishing] post_to"
            ))  # fmt: skip
        if w.publish_after is not None and w.publish_after > self.now:
            return w.item(Result.HELD, f"{w.error or 'held'}; next try {_hhmm(w.publish_after)}")
        until, why = hold_until(
            w.outgoing.platform, w.outgoing.community, self.recent, settings, self.now
        )
        if until is not None:
            return w.item(Result.HELD, f"{why}; next try {_hhmm(until)}")
        if self.dry_run:
            self.recent.append(Posted(w.outgoing.platform, w.outgoing.community, self.now))
            return w.item(Result.WOULD_PUBLISH)
        ref, why = (None, "")
        if publisher.reads_back:  # posted by hand meanwhile? then never again
            ref, why = self._look(w, publisher)
        if ref is not None:
            return self._log_found(w, ref, [S.APPROVED])
        if why:
            return w.item(Result.HELD, f"could not check whether it is already posted ({why})")
        try:
            attempt = states.claim(self.engage.db, w.draft_id, actor=self.actor)
        except TransitionError as exc:  # edited, re-approved or taken meanwhile: theirs stands
            log.info("draft %d not published: %s", w.draft_id, exc)
            return None
        self.recent.append(Posted(w.outgoing.platform, w.outgoing.community, self.now))
        claimed = replace(w, outgoing=replace(w.outgoing, attempt_id=attempt))
        try:
            ref = publisher.publish(claimed.outgoing)
        except PublishError as exc:
            return self._not_published(claimed, publisher, exc)
        except Exception as exc:  # a bug or a library surprise after the claim: may be live
            log.exception("publishing draft %d raised", w.draft_id)
            unexpected = f"unexpected error while publishing ({type(exc).__name__})"
            return self._not_published(
                claimed, publisher, PublishError(Outcome.UNKNOWN, unexpected)
            )
        self._write(lambda s: record_published(
            s, w.draft_id, [S.PUBLISHING], ref, via="api", actor=self.actor,
            expect={"attempt_id": attempt},
        ))  # fmt: skip
        return w.item(Result.PUBLISHED, "", ref.url)

    def _not_published(self, w: Waiting, publisher: Publisher, exc: PublishError) -> PublishItem:
        reason, attempt = redact(exc.reason), w.outgoing.attempt_id
        if exc.outcome is Outcome.NOT_SENT:
            wait = (
                timedelta(seconds=exc.retry_after) if exc.retry_after else self._backoff(w.draft_id)
            )
            after = self.now + wait
            self._write(lambda s: record_outcome(
                s, w.draft_id, S.APPROVED, reason, attempt_id=attempt, publish_after=after,
                actor=self.actor,
            ))  # fmt: skip
            return w.item(Result.HELD, f"{reason}; next try {_hhmm(after)}")
        if exc.outcome is Outcome.REFUSED:
            self._write(lambda s: record_outcome(
                s, w.draft_id, S.FAILED, reason, attempt_id=attempt, actor=self.actor
            ))  # fmt: skip
            return w.item(Result.FAILED, reason)
        unknown = f"{reason}; {settle_hint(w.draft_id)}"
        self._write(lambda s: record_outcome(
            s, w.draft_id, S.UNKNOWN, unknown, attempt_id=attempt, actor=self.actor
        ))  # fmt: skip
        return self._open_outcome(replace(w, status=S.UNKNOWN, error=unknown), publisher)

    def _look(self, w: Waiting, publisher: Publisher | None) -> tuple[PublishedRef | None, str]:
        """(the post found, or None; why it could not be looked for, or "")."""
        if publisher is None:
            return None, f"engage can't look on {w.outgoing.platform}"
        try:
            return publisher.find_existing(w.outgoing), ""
        except PublishError as exc:
            return None, redact(exc.reason)
        except Exception as exc:
            log.exception("looking for draft %d on %s raised", w.draft_id, w.outgoing.platform)
            return None, f"looking for it failed ({type(exc).__name__})"

    def _backoff(self, draft_id: int) -> timedelta:
        """FIRST_WAIT, doubled for every earlier attempt proven not sent, up to MAX_WAIT."""
        from sqlalchemy import func, select

        with self.engage.db.read() as session:
            held = session.scalar(
                select(func.count()).where(
                    DraftEvent.draft_id == draft_id,
                    DraftEvent.from_status == S.PUBLISHING,
                    DraftEvent.to_status == S.APPROVED,
                )
            )
        wait: timedelta = FIRST_WAIT * 2 ** int(held or 0)
        return min(wait, MAX_WAIT)

    def _write(self, change: Callable[[Session], None]) -> None:
        """Run one recording in its own transaction; a draft someone else settled meanwhile
        keeps their outcome."""
        try:
            with self.engage.db.write() as session:
                change(session)
        except TransitionError as exc:
            log.info("publishing: %s", exc)


def settle_hint(draft_id: int) -> str:
    """What the therapist does with a reply that may be live: look, then say."""
    return (
        f"look at the thread, then `engage drafts resolve {draft_id} --posted URL` "
        "or `--not-posted`"
    )


def _hhmm(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M UTC")
