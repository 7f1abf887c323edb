"""Drafting is a step of its own over what is stored: a watch or worker interrupted after its
threads are stored and before it drafted (SIGKILL, Ctrl-C) leaves nothing lost, because the next
run drafts every matched thread and own blog post that has no draft yet, and only once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engage.db import Database
from engage.models import Draft, Match, Thread
from tests import app_db
from tests.fakes.feeds import Document, Entry, FeedServer, rss
from tests.fakes.openai import ChatCompletionsServer
from tests.fakes.server import Fault, Reply, Request

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

CONSULTS = [
    ("c1", "Consult: formal disclosure timeline with a CSAT couple?",
     "Partner discovered years of compulsive porn use. How long do you prepare the full "
     "disclosure? Betrayal trauma symptoms are intense."),
    ("c2", "Referral: CSAT in Orange County, in person?",
     "Looking for a CSAT for a client in Irvine struggling with compulsive sexual behavior."),
    ("c3", "SAA or SLAA for a client new to recovery?",
     "Which 12-step fellowship do you suggest alongside therapy for sex addiction?"),
]  # fmt: skip
CRISIS = ("k1", "I can't do this anymore", "I've been thinking about ending my life since my "
          "husband's porn addiction came out. I have a plan.")  # fmt: skip


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    """Colleagues' threads and the therapist's own blog, then a feed that hangs (once)."""
    with FeedServer() as server:
        fresh = datetime.now(UTC) - timedelta(hours=1)
        entries = [Entry(id, title, f"https://colleagues.example/{id}", f"<p>{body}</p>",
                         published=fresh) for id, title, body in [*CONSULTS, CRISIS]]  # fmt: skip
        server.serve("/threads.xml", Document(rss(entries, title="r/therapists")))
        server.serve("/mine.xml", Document(rss(
            [Entry("p1", "Why partners need support before disclosure",
                   "https://grace.example/blog/partners", "<p>Betrayal trauma is trauma.</p>",
                   published=fresh)], title="Grace Lee's notes")))  # fmt: skip
        server.serve("/slow.xml", Document(rss([], title="a slow blog")))
        server.inject(Fault(delay=120, path="/slow.xml"))
        yield server


@pytest.fixture
def env(tmp_path: Path, feeds: FeedServer) -> dict[str, str]:
    config = tmp_path / "engage.toml"
    config.write_text(
        '[profile]\nname = "Grace Lee"\ncredentials = "LMFT, CSAT"\n'
        'website = "https://grace.example"\n'
        "[profile.specialties]\nsex_addiction = 1.0\ncouples = 0.6\n"
        "[publishing]\ndaily_max_drafts = 2\n"
        f'[[feeds]]\nurl = "{feeds.url}/threads.xml"\n'
        f'[[feeds]]\nurl = "{feeds.url}/mine.xml"\nown = true\n'
        f'[[feeds]]\nurl = "{feeds.url}/slow.xml"\n'
    )
    return {**os.environ, "ENGAGE_CONFIG": str(config), "ENGAGE_HOME": str(tmp_path / "home")}


def count(env: dict[str, str], sql: str) -> int:
    return app_db.count(app_db.app_url(env), sql)


def drafts_by_kind(env: dict[str, str]) -> dict[str, int]:
    found = app_db.rows(app_db.app_url(env), "SELECT kind, count(*) FROM drafts GROUP BY kind")
    return {str(kind): int(n) for kind, n in found}


def wait_for(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def interrupted_after_storing(
    env: dict[str, str], feeds: FeedServer, argv: list[str], sig: signal.Signals
) -> None:
    """Start argv, wait until its threads and blog posts are stored and it hangs on the slow
    feed (drafting comes after the last source), then interrupt it with `sig`."""
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: feeds.count("/slow.xml") >= 1)
        assert count(env, "SELECT count(*) FROM threads") == 4
        assert count(env, "SELECT count(*) FROM blog_posts") == 1
        process.send_signal(sig)
        process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert count(env, "SELECT count(*) FROM drafts") == 0, "interrupted before drafting"


def watch_once(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engage", "watch", "--once"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.usefixtures("app_database")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["sigkill", "sigint"])
def test_a_watch_interrupted_before_drafting_leaves_its_drafts_to_the_next_run(
    env: dict[str, str], feeds: FeedServer, sig: signal.Signals
) -> None:
    argv = [sys.executable, "-m", "engage", "watch", "--once"]
    interrupted_after_storing(env, feeds, argv, sig)
    rerun = watch_once(env)
    assert rerun.returncode == 0, rerun.stderr
    assert "0 new threads" in rerun.stdout  # nothing new came in, and yet:
    assert drafts_by_kind(env) == {"reply": 2, "crisis_reply": 1, "blog_share": 1}


@pytest.mark.usefixtures("app_database")
def test_running_the_drafting_step_again_drafts_nothing_twice(
    env: dict[str, str], feeds: FeedServer
) -> None:
    interrupted_after_storing(
        env, feeds, [sys.executable, "-m", "engage", "watch", "--once"], signal.SIGKILL
    )
    for _ in range(3):
        assert watch_once(env).returncode == 0
    assert drafts_by_kind(env) == {"reply": 2, "crisis_reply": 1, "blog_share": 1}
    assert count(env, "SELECT count(DISTINCT thread_id) FROM drafts") == 3


@pytest.mark.usefixtures("app_database")
def test_a_worker_killed_before_drafting_drafts_when_it_is_started_again(
    env: dict[str, str], feeds: FeedServer
) -> None:
    worker = [sys.executable, str(ROOT / "scheduler.py"), "--tick", "0.2"]
    interrupted_after_storing(env, feeds, worker, signal.SIGKILL)
    restarted = subprocess.Popen(worker, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for(lambda: count(env, "SELECT count(*) FROM drafts") == 4)
        crisis = "SELECT count(*) FROM drafts WHERE kind = 'crisis_reply'"
        assert count(env, crisis) == 1
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(timeout=30)


class GatedChat(ChatCompletionsServer):
    """Holds the first `parties` chat requests until all of them have arrived, so several
    drafting processes have written their texts before any of them stores one."""

    def __init__(self, reply: str, parties: int) -> None:
        super().__init__(reply)
        self.parties = parties
        self.arrived = 0
        self.all_in = threading.Event()
        self.gate_lock = threading.Lock()

    def route(self, request: Request) -> Reply:
        with self.gate_lock:
            self.arrived += 1
            if self.arrived >= self.parties:
                self.all_in.set()
        self.all_in.wait(timeout=30)
        return super().route(request)


def seed_matched_threads(url: str, n: int) -> None:
    database = Database(url)
    database.ensure_schema()
    now = datetime.now(UTC)
    with database.write() as session:
        for i in range(n):
            thread = Thread(platform="feed", external_id=f"t{i}", community="r/therapists",
                            title=f"Consult {i}: disclosure with a CSAT couple?",
                            body="How do you pace a formal disclosure? Betrayal trauma.",
                            url=f"https://colleagues.example/t{i}",
                            created_at=now - timedelta(hours=1))  # fmt: skip
            session.add(thread)
            session.flush()
            session.add(Match(thread_id=thread.id, score=0.9 - i / 100, intent="consult_question",
                              specialties=["sex_addiction"], profile_hash="seeded"))  # fmt: skip
    database.dispose()


def test_two_processes_drafting_at_once_queue_one_draft_per_thread(
    database_url: str, tmp_path: Path
) -> None:
    seed_matched_threads(database_url, 3)
    with GatedChat("As a CSAT, I pace disclosure around the partner's safety.", 2) as llm:
        config = tmp_path / "engage.toml"
        config.write_text(
            '[profile.specialties]\nsex_addiction = 1.0\n[reddit]\nmode = "off"\n'
            f'[llm]\nmodel = "local-model"\napi_base = "{llm.api_base}"\n'
        )
        env = {**os.environ, "ENGAGE_CONFIG": str(config), "ENGAGE_HOME": str(tmp_path / "home"),
               "ENGAGE_DATABASE_URL": database_url}  # fmt: skip
        racers = [
            subprocess.Popen([sys.executable, "-m", "engage", "watch", "--once"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]  # fmt: skip
        for racer in racers:
            _, err = racer.communicate(timeout=120)
            assert racer.returncode == 0, err
        assert llm.all_in.is_set(), "both processes wrote a draft before either stored one"
    database = Database(database_url)
    with database.read() as session:
        per_thread = session.execute(
            select(Draft.thread_id, func.count()).group_by(Draft.thread_id)
        ).all()
    database.dispose()
    assert sorted(n for _, n in per_thread) == [1, 1, 1]


def test_the_database_refuses_a_second_draft_queued_for_the_same_thread(db: Database) -> None:
    seed_matched_threads(db.url, 1)
    with pytest.raises(IntegrityError), db.write() as session:
        for _ in range(2):
            session.add(Draft(kind="reply", move="ask", thread_id=1, platform="feed",
                              text="Hello", auto_key="thread:1"))  # fmt: skip
            session.flush()
