"""`engage digest --send-now` as a user runs it, including a SIGKILL after the server accepted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from engage.models import DigestRun
from tests import app_db
from tests.digest.conftest import PASSWORD, SmtpServer, write_config

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("app_database")]


def app_url(home: Path) -> str:
    return app_db.app_url({**os.environ, "ENGAGE_HOME": str(home)})


def send_now(config: Path, home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "ENGAGE_CONFIG": str(config), "ENGAGE_HOME": str(home),
           "ENGAGE_SMTP_PASSWORD": PASSWORD}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "engage", "digest", "--send-now", "--json"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_two_send_now_runs_on_one_date_send_one_digest(
    smtp_server: SmtpServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "engage.toml", smtp_server)
    outcomes = []
    for _ in range(2):
        process = send_now(config, tmp_path / "home")
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        outcomes.append(json.loads(out)["status"])
    assert outcomes == ["sent", "already_sent"]
    assert len(smtp_server.mailbox.messages) == 1


def test_two_send_now_runs_started_together_send_one_digest(
    smtp_server: SmtpServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "engage.toml", smtp_server)
    send_now(config, tmp_path / "home").communicate(timeout=60)  # create the database first
    smtp_server.mailbox.messages.clear()
    with app_db.opened(app_url(tmp_path / "home")) as database, database.write() as session:
        session.execute(delete(DigestRun))
    racers = [send_now(config, tmp_path / "home") for _ in range(2)]
    statuses = sorted(json.loads(p.communicate(timeout=60)[0])["status"] for p in racers)
    assert statuses in (["already_sent", "sent"], ["busy", "sent"])
    assert len(smtp_server.mailbox.messages) == 1


def test_a_kill_after_the_server_accepted_costs_at_most_one_duplicate(
    smtp_server: SmtpServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "engage.toml", smtp_server)
    home = tmp_path / "home"
    first = send_now(config, home)
    smtp_server.mailbox.on_accept = lambda: os.kill(first.pid, signal.SIGKILL)
    first.communicate(timeout=60)
    assert first.returncode == -signal.SIGKILL
    smtp_server.mailbox.on_accept = None
    for _ in range(3):  # the dead run still holds its lease: no flood of retries
        send_now(config, home).communicate(timeout=60)
    assert len(smtp_server.mailbox.messages) == 1
    # The lease runs out: one more try is allowed.
    with app_db.opened(app_url(home)) as database, database.write() as session:
        for run in session.scalars(select(DigestRun)):
            run.started_at -= timedelta(minutes=11)
    for _ in range(3):
        send_now(config, home).communicate(timeout=60)
    assert len(smtp_server.mailbox.messages) == 2
