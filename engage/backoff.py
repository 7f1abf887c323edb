"""When the day's digest is tried again after a failed attempt (no heavy imports: `engage status`
reads the same schedule).

A digest that failed for certain (nothing was delivered: the server was down, refused the
login, the network was out) is tried again after 5 minutes, 15 minutes, an hour, then every two
hours until its local day ends. An attempt whose outcome is unknown (the connection broke while
the message was on its way, or the sender died) may have delivered it: that is tried again on the
same schedule only while the day has had fewer than MAX_UNCERTAIN_ATTEMPTS tries, so a flaky
server can't turn one digest into a flood.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BACKOFF = (
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=2),
)
MAX_UNCERTAIN_ATTEMPTS = 3
#: A run still "sending" after this long belongs to a process that died; younger, it may be
#: another process sending right now, and sending too would deliver the digest twice.
SENDING_LEASE = timedelta(minutes=10)


def delay_after(attempts: int) -> timedelta:
    """How long to wait after the attempts-th failed try."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def day_end(local_date: date, zone: str) -> datetime:
    """The moment the digest's local day ends (midnight in the digest's time zone)."""
    return datetime.combine(local_date + timedelta(days=1), time(0), tzinfo=ZoneInfo(zone))


def next_try(
    status: str, attempts: int, started_at: datetime, local_date: date, zone: str
) -> datetime | None:
    """When a failed digest run is tried next; None when it isn't today (sent, skipped, given
    up, or the next slot falls after the day's end)."""
    if status == "sending":  # an attempt in flight, or a dead one: after its lease, uncertain
        when = started_at + SENDING_LEASE
        if attempts >= MAX_UNCERTAIN_ATTEMPTS:
            return None
        return when if when < day_end(local_date, zone) else None
    if status == "unknown" and attempts >= MAX_UNCERTAIN_ATTEMPTS:
        return None
    if status not in ("failed", "unknown"):
        return None
    when = started_at + delay_after(attempts)
    return when if when < day_end(local_date, zone) else None
