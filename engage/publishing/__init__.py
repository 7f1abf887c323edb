"""Publishing: approved drafts out to their platforms exactly once, and every publication in
the engagement log.

- step: one publishing run (reconcile what may be live, find what was posted by hand, send what
  is due, expire what can no longer go out)
- pace: the allow-list and the pace (per platform, per community, the gap between posts); pure
- record: a run's outcomes written, each in one transaction with its engagement-log line
- by_hand: what the therapist tells engage (posted by hand, an unknown resolved)
- log: the engagement log as people read it

The publishers themselves are the platforms' (engage/platforms/*/publish.py). Every status change
goes through engage.desk.states.
"""

from __future__ import annotations

from engage.publishing.by_hand import (
    HAND_HOLD,
    desk_queue,
    expiring_approvals,
    hold_for_hand,
    mark_posted,
    resolve,
)
from engage.publishing.log import engagements
from engage.publishing.step import LEASE, publish_due, publish_key, publisher_for

__all__ = [
    "HAND_HOLD",
    "LEASE",
    "desk_queue",
    "engagements",
    "expiring_approvals",
    "hold_for_hand",
    "mark_posted",
    "publish_due",
    "publish_key",
    "publisher_for",
    "resolve",
]
