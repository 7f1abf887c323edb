"""A digest that fails is tried again with backoff over the hours left in its day (5 min, 15 min,
1 h, then every 2 h), not given up after three ticks; `engage status` says when it is tried next,
or that it gave up. Time is passed in (`now`), never slept."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from engage.app import Engage
from engage.cli import cli
from engage.digest import is_due, send_today
from engage.digest.send import DigestSendError
from engage.models import DigestRun
from engage.status import collect_status
from tests.digest.conftest import SmtpServer

pytestmark = pytest.mark.usefixtures("app_database")

MakeApp = Callable[..., Engage]
#: 08:00 in Los Angeles (the test config's time zone), half an hour after send_at.
MORNING = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)
REFUSED = "554 5.7.1 message rejected"


def fail_at(app: Engage, now: datetime) -> None:
    with pytest.raises(DigestSendError, match="554"):
        send_today(app, now=now)


def test_a_failed_digest_is_tried_after_5_min_15_min_1_h_then_every_2_h(
    smtp_server: SmtpServer, make_app: MakeApp
) -> None:
    app = make_app(smtp_server)
    smtp_server.mailbox.refusals.extend([REFUSED] * 5)
    now = MORNING
    assert is_due(app, now)
    for wait in [timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
                 timedelta(hours=2), timedelta(hours=2)]:  # fmt: skip
        fail_at(app, now)
        assert not is_due(app, now + wait - timedelta(minutes=1))
        assert is_due(app, now + wait)
        now += wait
    assert send_today(app, now=now).status == "sent"  # the server takes it this time
    assert not is_due(app, now + timedelta(hours=2))
    assert len(smtp_server.mailbox.messages) == 1


def test_retries_go_on_until_the_local_day_ends_then_status_says_it_gave_up(
    smtp_server: SmtpServer, make_app: MakeApp
) -> None:
    app = make_app(smtp_server)
    smtp_server.mailbox.refusals.extend([REFUSED] * 50)
    tries = []
    now = MORNING
    end_of_day = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # midnight in Los Angeles
    while now < end_of_day:  # a worker ticking every five minutes through the day
        if is_due(app, now):
            fail_at(app, now)
            tries.append(now)
        now += timedelta(minutes=5)
    assert len(tries) == 11 and tries[-1] == datetime(2026, 12, 4, 7, 20, tzinfo=UTC)  # 23:20
    last = collect_status(app.config)["last_digest"]
    assert (last["status"], last["attempts"], last["gave_up"]) == ("failed", 11, True)
    assert last["next_try_at"] is None and "554" in last["error"]
    assert is_due(app, datetime(2026, 12, 4, 15, 30, tzinfo=UTC))  # the next day starts afresh


def test_engage_status_says_when_a_failed_digest_is_tried_next(
    smtp_server: SmtpServer, make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app(smtp_server)
    smtp_server.mailbox.refusals.append(REFUSED)
    fail_at(app, MORNING)
    config = ["--config", str(tmp_path / "engage.toml")]
    report = json.loads(CliRunner().invoke(cli, [*config, "status", "--json"]).output)
    assert report["last_digest"]["next_try_at"] == "2026-12-03T16:05:00Z"
    assert report["last_digest"]["gave_up"] is False
    shown = CliRunner().invoke(cli, [*config, "status"]).output
    assert "digest    2026-12-03: failed — " in shown and "next try 2026-12-03T16:05:00Z" in shown


def test_an_attempt_that_may_have_been_delivered_is_tried_again_only_a_few_times(
    smtp_server: SmtpServer, make_app: MakeApp
) -> None:
    app = make_app(smtp_server)
    for attempts, retried in [(1, True), (2, True), (3, False)]:
        with app.db.write() as session:  # a sender died mid-send, its lease long over
            session.query(DigestRun).delete()
            session.add(DigestRun(local_date=MORNING.date(), recipient="grace@example.org",
                                  status="sending", attempts=attempts,
                                  started_at=MORNING - timedelta(minutes=30)))  # fmt: skip
        assert is_due(app, MORNING) is retried
    assert send_today(app, now=MORNING).status == "gave_up"
    assert smtp_server.mailbox.messages == []
