"""The daily digest: build (query), render (Jinja2 text + HTML), send (SMTP over TLS).

Exactly one digest per local date per recipient: a digest_runs row is claimed before
sending and marked sent after. A failed send is tried again with backoff until the local day
ends (engage.backoff: 5 min, 15 min, 1 h, then every 2 h). If the process dies between the
server accepting the message and that mark, the outcome is unknown: such runs are retried only
while the day has had few tries, so a duplicate or two at most, never a flood.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from engage.backoff import MAX_UNCERTAIN_ATTEMPTS, SENDING_LEASE, next_try
from engage.errors import ConfigError, UsageError
from engage.models import DigestRun, utcnow
from engage.redact import redact

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.app import Engage
    from engage.digest.render import RenderedDigest
    from engage.digest.send import SmtpTarget
    from engage.types import DigestData


@dataclass(frozen=True, slots=True)
class DigestOutcome:
    status: str  # sent | skipped | already_sent | gave_up | busy
    local_date: date
    message: str
    message_id: str | None = None


def local_today(engage: Engage, now: datetime | None = None) -> date:
    zone = ZoneInfo(engage.config.settings.digest.timezone)
    return (now or utcnow()).astimezone(zone).date()


def render_today(engage: Engage, now: datetime | None = None) -> RenderedDigest:
    from engage.digest.render import render_digest

    since = _covered_until(engage, before=local_today(engage, now))
    with engage.db.read() as session:
        data = _build(engage, session, since, now)
    return render_digest(data)


def _build(
    engage: Engage, session: Session, since: datetime | None, now: datetime | None
) -> DigestData:
    from engage.digest.build import build_digest
    from engage.platforms.linkedin.token import token_warning

    settings = engage.config.settings
    return build_digest(session, settings.digest, since=since, now=now,
                        yours=settings.profile.specialties,
                        approval_hours=settings.publishing.approval_max_age_hours,
                        linkedin_token=token_warning(engage.config, now),
                        profile=settings.profile.to_profile())  # fmt: skip


def write_preview(engage: Engage, out_dir: Path, now: datetime | None = None) -> tuple[Path, Path]:
    rendered = render_today(engage, now)
    out_dir.mkdir(parents=True, exist_ok=True)
    html, text = out_dir / "digest.html", out_dir / "digest.txt"
    html.write_text(rendered.html, encoding="utf-8")
    text.write_text(f"Subject: {rendered.subject}\n\n{rendered.text}", encoding="utf-8")
    return html, text


def is_due(engage: Engage, now: datetime | None = None) -> bool:
    """Enabled, past today's send time, and today's digest neither sent nor given up, and any
    failed try's backoff over."""
    settings = engage.config.settings.digest
    now = now or utcnow()
    if not settings.enabled or settings.to is None:
        return False
    local = now.astimezone(ZoneInfo(settings.timezone))
    if local.time() < settings.send_at:
        return False
    row = _today_run(engage, local.date(), settings.to)
    if row is None:
        return True
    when = next_try(row.status, row.attempts, row.started_at, row.local_date, settings.timezone)
    return when is not None and now >= when


def next_try_today(engage: Engage, now: datetime | None = None) -> datetime | None:
    """When today's digest is tried again (None: sent, skipped, not failed, or given up)."""
    settings = engage.config.settings.digest
    if settings.to is None:
        return None
    row = _today_run(engage, local_today(engage, now), settings.to)
    if row is None:
        return None
    return next_try(row.status, row.attempts, row.started_at, row.local_date, settings.timezone)


def _today_run(engage: Engage, today: date, recipient: str) -> DigestRun | None:
    from sqlalchemy import select

    with engage.db.read() as session:
        return session.scalars(
            select(DigestRun).where(DigestRun.local_date == today, DigestRun.recipient == recipient)
        ).first()


def send_today(
    engage: Engage, *, force: bool = False, now: datetime | None = None
) -> DigestOutcome:
    from engage.digest.send import DigestSendError, build_message, send_message

    settings = engage.config.settings.digest
    if settings.to is None or settings.sender is None:
        raise ConfigError("digest.to and digest.sender must be set to send the digest")
    target = _smtp_target(engage)  # a missing password is found before a try is counted
    now = now or utcnow()
    today = local_today(engage, now)
    claim = _claim(engage, today, settings.to, force, now)
    if isinstance(claim, DigestOutcome):
        return claim
    from engage.digest.render import render_digest

    sending = False
    try:
        with engage.db.read() as session:
            since = _covered_until(engage, before=today)
            data = _build(engage, session, since, now)
        if data.quiet and settings.quiet_day == "skip" and not force:
            _finish(engage, today, settings.to, "skipped", claim, covered_until=now)
            return DigestOutcome("skipped", today, "a quiet day: no digest sent (quiet_day = skip)")
        message = build_message(
            render_digest(data),
            sender=settings.sender,
            to=settings.to,
            list_unsubscribe=settings.list_unsubscribe,
        )
        sending = True
        send_message(message, target)
    except BaseException as exc:  # never leave the run "sending": say what happened
        known = isinstance(exc, DigestSendError)
        error = redact(str(exc) if known else f"{type(exc).__name__}: {exc}")
        # Delivered or not? Certain when the send never started or failed before the message
        # was on its way; unknown otherwise (then retries are capped, see engage.backoff).
        certain = not sending or (isinstance(exc, DigestSendError) and not exc.maybe_delivered)
        _finish(engage, today, settings.to, "failed" if certain else "unknown", claim,
                error=error)  # fmt: skip
        raise
    message_id = str(message["Message-ID"])
    _finish(engage, today, settings.to, "sent", claim, covered_until=now, message_id=message_id)
    return DigestOutcome("sent", today, f"digest sent to {settings.to}", message_id)


def _claim(
    engage: Engage, today: date, recipient: str, force: bool, now: datetime
) -> DigestOutcome | int:
    """Take today's run for sending (returns its attempt number, which marks this sender), or
    say why not. One transaction, so two callers can't both take it (SQLite: BEGIN IMMEDIATE;
    PostgreSQL: the unique key and a row lock). A failed run asked for by hand is tried at once;
    one whose outcome is unknown only while the day has had few tries (or with --force)."""
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    try:
        with engage.db.write() as session:
            row = session.scalars(
                select(DigestRun)
                .where(DigestRun.local_date == today, DigestRun.recipient == recipient)
                .with_for_update()
            ).first()
            if row is None:
                session.add(DigestRun(local_date=today, recipient=recipient, status="sending",
                                      attempts=1, started_at=now))  # fmt: skip
                return 1
            if row.status == "sending" and row.started_at >= now - SENDING_LEASE:
                return DigestOutcome("busy", today, "another process is sending today's digest")
            if not force:
                if row.status in ("sent", "skipped"):
                    return DigestOutcome(
                        "already_sent", today, f"today's digest was already {row.status} "
                        "(use --force to send it again)",
                    )  # fmt: skip
                uncertain = row.status in ("unknown", "sending")
                if uncertain and row.attempts >= MAX_UNCERTAIN_ATTEMPTS:
                    return DigestOutcome(
                        "gave_up", today, f"gave up on today's digest after {row.attempts} tries: "
                        "the last may have been delivered (last error: "
                        f"{row.error or 'the sender stopped'}); --force tries again",
                    )  # fmt: skip
            row.status, row.attempts, row.started_at = "sending", row.attempts + 1, now
            return row.attempts
    except IntegrityError:
        return DigestOutcome("busy", today, "another process is sending today's digest")


def _finish(
    engage: Engage,
    today: date,
    recipient: str,
    status: str,
    attempt: int,
    *,
    covered_until: datetime | None = None,
    message_id: str | None = None,
    error: str | None = None,
) -> None:
    from sqlalchemy import select

    with engage.db.write() as session:
        row = session.scalars(
            select(DigestRun).where(DigestRun.local_date == today, DigestRun.recipient == recipient)
        ).one()
        row.status, row.error = status, error
        if status in ("sent", "skipped"):
            row.sent_at, row.covered_until, row.message_id = utcnow(), covered_until, message_id


def _covered_until(engage: Engage, before: date) -> datetime | None:
    """Where the last digest of an earlier day stopped (a resend today covers the same span)."""
    from sqlalchemy import func, select

    with engage.db.read() as session:
        return session.scalar(
            select(func.max(DigestRun.covered_until)).where(
                DigestRun.status == "sent", DigestRun.local_date < before
            )
        )


def _smtp_target(engage: Engage) -> SmtpTarget:
    from engage.digest.send import SmtpTarget

    settings = engage.config.settings.digest
    password = engage.config.secret(settings.smtp_password_env)
    if settings.smtp_username and not password:
        raise UsageError(
            f"the SMTP password is missing: set {settings.smtp_password_env} in the environment "
            "or a .env file"
        )
    return SmtpTarget(
        host=settings.smtp_host,
        port=settings.smtp_port,
        security=settings.smtp_security,
        username=settings.smtp_username,
        password=password,
        timeout=settings.smtp_timeout,
        ca_file=settings.smtp_ca_file,
    )
