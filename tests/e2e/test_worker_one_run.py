"""Everything the worker does, in one run: a real `engage run` process on the real scheduler (a
0.2 s tick) against the fake Reddit (real praw, with the therapist's account) and a real SMTP
server on loopback. A colleague's thread is polled, matched and drafted; the therapist writes
their reply into the draft and approves it with the real CLI while the worker runs; the worker
posts it once and logs it, reads the colleague's answer back as an interaction with a person,
and sends one digest that names the thread. After SIGTERM, `engage status` shows every job's
last run ok.

The worlds are shared, not copied: the crash tests' config and processes (on the publishing
tests' fake Reddit and secrets) and the digest tests' SMTP server (STARTTLS, a test CA)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.digest import conftest as mail
from tests.digest.conftest import PASSWORD, SmtpServer
from tests.e2e import test_worker_crashes as crashes
from tests.e2e.desk_world import CLEAN
from tests.e2e.test_publishing_reddit import add_thread, logged, ours, wait_for
from tests.e2e.test_worker_crashes import TICK, Start, app_env, stored
from tests.e2e.test_worker_health import status
from tests.fakes.reddit import FakeReddit

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("app_database")]

# The crash tests' world (the publishing tests' fake Reddit and secrets, three watched
# subreddits polled every 0.6 s, `engage_process`) and the digest tests' SMTP server.
secrets, reddit, config, engage_process = (
    crashes.secrets, crashes.reddit, crashes.config, crashes.engage_process
)  # fmt: skip
ca, ca_file, smtp_server = mail.ca, mail.ca_file, mail.smtp_server

#: A colleague's consultation question, posted ten minutes ago, in the therapist's specialty.
THREAD = "onerun1"
TITLE = "Betrayal trauma after disclosure: how do you pace the couples work?"
QUESTION = (
    "Consult question for CSATs and couples therapists. A client's partner found out about his "
    "sex addiction last month and they want to start couples work right away. How do you pace "
    "a formal disclosure, and does the betrayed partner get individual support first?"
)
#: How long a step may take before the test gives up (generous for a busy machine; not a timing
#: assert).
DEADLINE = 120.0


def midday_zone() -> str:
    """A time zone where it is about noon now, so a digest due from 00:00 is past its send time
    and the test can't straddle a local midnight (the Etc zones' sign is POSIX's: Etc/GMT+5 is
    UTC-5)."""
    offset = (12 - datetime.now(UTC).hour + 12) % 24 - 12
    return f"Etc/GMT{-offset:+d}"


@pytest.fixture
def digest(
    config: Path, smtp_server: SmtpServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> SmtpServer:
    """The crash tests' config with a daily digest to the SMTP server, already due today."""
    monkeypatch.setenv("ENGAGE_SMTP_PASSWORD", PASSWORD)
    section = mail.write_config(tmp_path / "digest.toml", smtp_server, timezone=midday_zone(),
                                send_at="00:00")  # fmt: skip
    config.write_text(config.read_text() + section.read_text())
    return smtp_server


def draft_for(thread: str) -> int | None:
    found = stored(f"SELECT d.id FROM drafts d JOIN threads t ON t.id = d.thread_id "
                   f"WHERE t.external_id = '{thread}'")  # fmt: skip
    return int(found[0][0]) if found else None


def engage(config: Path, *args: str) -> None:
    """The real CLI, a process of its own beside the running worker."""
    done = subprocess.run(
        [sys.executable, "-m", "engage", "--config", str(config), *args],
        env=app_env(), capture_output=True, text=True, timeout=DEADLINE,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def people_answering() -> list[tuple[str, str]]:
    """(the interaction's external id, its person's handle) for every reply stored."""
    sql = ("SELECT i.external_id, p.handle FROM interactions i JOIN people p "
           "ON p.id = i.person_id WHERE i.direction = 'in'")  # fmt: skip
    return [(str(external_id), str(handle)) for external_id, handle in stored(sql)]


def test_one_run_of_the_worker_polls_drafts_publishes_reads_the_reply_and_sends_the_digest(
    config: Path, reddit: FakeReddit, digest: SmtpServer, engage_process: Start
) -> None:
    add_thread(reddit, THREAD, title=TITLE, selftext=QUESTION, created_utc=time.time() - 600,
               permalink=f"/r/therapists/comments/{THREAD}/betrayal_trauma/")  # fmt: skip
    worker = engage_process(*TICK)

    wait_for(lambda: draft_for(THREAD) is not None, DEADLINE, "the thread drafted", worker)
    draft_id = draft_for(THREAD)
    assert draft_id is not None
    # The template draft leaves a blank for the therapist: they write their reply, then approve.
    engage(config, "drafts", "edit", str(draft_id), "--text", CLEAN)
    engage(config, "drafts", "approve", str(draft_id))
    wait_for(lambda: len(ours(reddit, THREAD)) == 1, DEADLINE, "the comment posted", worker)
    [comment] = ours(reddit, THREAD)
    assert comment.data["body"] == CLEAN
    wait_for(lambda: [entry["external_id"] for entry in logged(config)] == [comment.data["id"]],
             DEADLINE, "the comment in the engagement log", worker)  # fmt: skip

    answer = reddit.answer(comment.fullname, author="Dr_Kim_LMFT",
                           body="Individual support first, in my practice too.")  # fmt: skip
    wait_for(lambda: people_answering() == [(answer.data["id"], "Dr_Kim_LMFT")], DEADLINE,
             "the colleague's answer stored with a person", worker)  # fmt: skip
    mailbox = digest.mailbox
    wait_for(lambda: len(mailbox.messages) >= 1, DEADLINE, "the digest", worker)

    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=DEADLINE) == 0
    assert len(ours(reddit, THREAD)) == 1
    [message] = mailbox.messages
    assert TITLE in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    jobs = status(app_env())["jobs"]
    assert {job: run["status"] for job, run in jobs.items()} == dict.fromkeys(
        ("digest", "housekeeping", "publish", "replies", "watch"), "ok"
    )
