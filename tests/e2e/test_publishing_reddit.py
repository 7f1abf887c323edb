"""Publishing to Reddit end to end: the real `engage` CLI (in-process, or a real process where
one is killed) posts approved replies through real praw to the fake Reddit on loopback. A reply
goes out at most once, with exactly the approved text, whatever fails or dies on the way; what
Reddit refuses ends in the right state with its reason; no secret shows anywhere."""

from __future__ import annotations

import base64
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from engage.app import make_engage
from engage.models import Base, Draft, DraftEvent
from engage.publishing import LEASE
from engage.worker import JOBS, Worker
from tests.e2e.desk_world import CLEAN, run, seed, shown
from tests.fakes.reddit import FakeReddit, Thing, listing
from tests.fakes.server import Fault, Reply, Request, json_reply

pytestmark = pytest.mark.usefixtures("app_database")

THREAD = "abc0"  # desk_world.seed's first thread: its draft answers t3_abc0
OTHER_THREAD = "zzz9"
USER = "engage_therapist"  # FakeReddit.username: the account every token belongs to
COMMENT = "/api/comment"
SECRETS = {
    "ENGAGE_REDDIT_CLIENT_ID": "test-client",
    "ENGAGE_REDDIT_CLIENT_SECRET": "test-secret-for-e2e",
    "ENGAGE_REDDIT_USERNAME": USER,
    "ENGAGE_REDDIT_PASSWORD": "test-password-for-e2e",
}
RATELIMIT = (
    "Looks like you've been doing that a lot. Take a break for 9 minutes before trying again."
)


# --- the world ---------------------------------------------------------------------------------


def write_config(path: Path, server: FakeReddit, *, mode: str = "api") -> Path:
    username = f'username = "{USER}"\n' if mode == "rss" else ""
    path.write_text(
        '[profile]\nname = "Grace Lee"\n[profile.specialties]\nsex_addiction = 1.0\n'
        f'[reddit]\nmode = "{mode}"\napi_url = "{server.url}"\nauth_url = "{server.url}"\n'
        f'rss_url = "{server.url}"\n{username}'
        # the seeded threads have no source: r/therapists is published to by API through post_to
        '[publishing]\npost_to = ["r/therapists"]\nmin_minutes_between_posts = 0\n'
    )
    return path


def add_thread(server: FakeReddit, id36: str, **fields: Any) -> Thing:
    return server.store.add(
        "t3",
        {
            "id": id36, "name": f"t3_{id36}", "subreddit": "therapists", "author": "colleague",
            "title": f"Disclosure timing question ({id36})", "selftext": "How long?",
            "created_utc": 1_780_000_000.0,
            "permalink": f"/r/therapists/comments/{id36}/disclosure_timing_question/",
            **fields,
        },
    )  # fmt: skip


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The Reddit app and account (script app), in the environment the CLI and its
    subprocesses read."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return SECRETS


@pytest.fixture
def reddit(fake_reddit: FakeReddit, secrets: dict[str, str]) -> FakeReddit:
    """The fake Reddit holding the thread the seeded draft answers."""
    add_thread(fake_reddit, THREAD)
    return fake_reddit


@pytest.fixture
def config(tmp_path: Path, reddit: FakeReddit) -> Path:
    return write_config(tmp_path / "engage.toml", reddit)


def approved(config: Path, text: str = CLEAN) -> int:
    [draft_id] = seed(config, text)
    result = run(config, "drafts", "approve", str(draft_id))
    assert result.exit_code == 0, result.output
    return draft_id


def ours(server: FakeReddit, thread: str = THREAD) -> list[Thing]:
    """The account's comments in a thread, as the server holds them."""
    return [
        thing for thing in list(server.store.things.values())
        if thing.kind == "t1" and thing.data.get("link_id") == f"t3_{thread}"
        and thing.data.get("author") == USER
    ]  # fmt: skip


def posts(server: FakeReddit) -> int:
    return server.count(COMMENT, "POST")


def publish_json(config: Path, *args: str) -> dict[str, Any]:
    result = run(config, *args, "publish", "--json")
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.output)
    return report


def only_item(report: dict[str, Any]) -> dict[str, Any]:
    [item] = report["drafts"]
    assert isinstance(item, dict)
    return item


def logged(config: Path) -> list[dict[str, Any]]:
    result = run(config, "log", "--json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.output)
    return rows


def backdate_claim(config: Path, draft_id: int) -> None:
    """What ten minutes do to the claim of a process that died mid-publish: it runs out."""
    engage = make_engage(config)
    with engage.db.write() as session:
        draft = session.get_one(Draft, draft_id)
        assert draft.status == "publishing", draft.status
        draft.updated_at = draft.updated_at - LEASE - timedelta(minutes=1)
    engage.close()


def wait_for(
    condition: Callable[[], bool], seconds: float = 45.0, what: str = "",
    process: subprocess.Popen[str] | None = None,
) -> None:  # fmt: skip
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the process ended before {what}: {process.communicate()}")
        time.sleep(0.02)
    said = ""
    if process is not None:
        process.kill()
        said = f"; the process said {process.communicate()}"
    raise AssertionError(f"not met within {seconds} s: {what or condition}{said}")


@pytest.fixture
def engage_process(config: Path) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """`start(*args)`: `python -m engage --config CONFIG *args` as a real process (the
    environment carries ENGAGE_HOME, the database and the Reddit secrets); killed at the end."""
    started: list[subprocess.Popen[str]] = []

    def start(*args: str, config_path: Path = config) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "engage", "--config", str(config_path), *args],
            env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate()


def killed(process: subprocess.Popen[str]) -> None:
    assert process.poll() is None, "the process ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


# --- 1. the ordinary case ------------------------------------------------------------------------


def test_an_approved_reply_is_posted_once_with_the_exact_text_and_logged(
    config: Path, reddit: FakeReddit
) -> None:
    draft_id = approved(config)
    item = only_item(publish_json(config))
    assert (item["draft_id"], item["result"]) == (draft_id, "published"), item

    [comment] = ours(reddit)
    assert comment.data["body"] == CLEAN
    assert comment.data["parent_id"] == f"t3_{THREAD}"
    assert posts(reddit) == 1
    row = shown(config, draft_id)
    assert (row["status"], row["published_via"]) == ("published", "api")
    assert row["published_url"] == item["url"] and comment.data["id"] in str(item["url"])
    [entry] = logged(config)
    assert (entry["draft_id"], entry["via"], entry["url"], entry["external_id"]) == (
        draft_id, "api", item["url"], comment.data["id"]
    )  # fmt: skip

    assert publish_json(config)["drafts"] == []
    assert posts(reddit) == 1 and len(ours(reddit)) == 1 and len(logged(config)) == 1


# --- 2. and 3. a process killed mid-publish -------------------------------------------------------


@pytest.mark.slow
def test_killed_after_reddit_made_the_comment_the_restart_finds_it_and_never_posts_again(
    config: Path, reddit: FakeReddit, engage_process: Callable[..., subprocess.Popen[str]]
) -> None:
    draft_id = approved(config)
    # Reddit makes the comment, then its answer is slow: the process dies before it hears it.
    reddit.inject(Fault(after_route=True, delay=30, path=COMMENT))
    process = engage_process("publish")
    wait_for(lambda: len(ours(reddit)) == 1, what="the comment on the server", process=process)
    killed(process)
    assert shown(config, draft_id)["status"] == "publishing"

    backdate_claim(config, draft_id)
    item = only_item(publish_json(config))
    assert item["result"] == "found", item

    [comment] = ours(reddit)
    assert comment.data["body"] == CLEAN and posts(reddit) == 1
    row = shown(config, draft_id)
    assert (row["status"], row["published_via"]) == ("published", "api")
    [entry] = logged(config)
    assert (entry["draft_id"], entry["external_id"]) == (draft_id, comment.data["id"])


@pytest.mark.slow
def test_killed_before_the_post_took_effect_the_outcome_is_unknown_until_resolved(
    config: Path, reddit: FakeReddit, engage_process: Callable[..., subprocess.Popen[str]]
) -> None:
    draft_id = approved(config)
    # Reddit holds the reply without making anything (then it would answer 502).
    reddit.inject(Fault(delay=30, status=502, path=COMMENT))
    process = engage_process("publish")
    wait_for(lambda: posts(reddit) == 1, what="the reply held by the server", process=process)
    killed(process)

    backdate_claim(config, draft_id)
    item = only_item(publish_json(config))
    assert item["result"] == "unknown", item
    assert f"engage drafts resolve {draft_id}" in item["reason"]
    row = shown(config, draft_id)
    assert row["status"] == "unknown" and f"engage drafts resolve {draft_id}" in str(row["error"])
    assert ours(reddit) == [] and logged(config) == []

    for _ in range(2):  # later runs look, but never post it again
        assert only_item(publish_json(config))["result"] == "unknown"
    assert posts(reddit) == 1 and ours(reddit) == []

    result = run(config, "drafts", "resolve", str(draft_id), "--not-posted")
    assert result.exit_code == 0, result.output
    assert shown(config, draft_id)["status"] == "approved"
    assert only_item(publish_json(config))["result"] == "published"
    [comment] = ours(reddit)
    assert comment.data["body"] == CLEAN and posts(reddit) == 2
    assert shown(config, draft_id)["status"] == "published" and len(logged(config)) == 1


# --- 4. an error after the comment was made ------------------------------------------------------


def test_a_502_after_the_comment_was_made_is_found_in_the_same_run_and_posted_once(
    config: Path, reddit: FakeReddit
) -> None:
    draft_id = approved(config)
    reddit.inject(Fault(status=502, after_route=True, path=COMMENT))
    item = only_item(publish_json(config))
    assert item["result"] == "found", item
    [comment] = ours(reddit)
    assert posts(reddit) == 1 and comment.data["body"] == CLEAN
    row = shown(config, draft_id)
    assert (row["status"], row["published_via"]) == ("published", "api")
    assert [entry["external_id"] for entry in logged(config)] == [comment.data["id"]]


def test_a_502_while_the_comment_listing_lags_is_unknown_until_a_later_run_finds_it(
    config: Path, reddit: FakeReddit
) -> None:
    draft_id = approved(config)
    reddit.inject(Fault(status=502, after_route=True, path=COMMENT))
    # The account's comment listing does not show the new comment yet.
    lagging = ("GET", f"/user/{USER}/comments")
    reddit.canned[lagging] = json_reply(listing([], None))
    item = only_item(publish_json(config))
    assert item["result"] == "unknown", item
    assert f"engage drafts resolve {draft_id}" in item["reason"]
    assert f"engage drafts resolve {draft_id}" in str(shown(config, draft_id)["error"])
    assert shown(config, draft_id)["status"] == "unknown" and len(ours(reddit)) == 1

    assert only_item(publish_json(config))["result"] == "unknown"  # still lagging: still waits
    del reddit.canned[lagging]
    item = only_item(publish_json(config))
    assert item["result"] == "found", item
    assert shown(config, draft_id)["status"] == "published"
    assert posts(reddit) == 1 and len(ours(reddit)) == 1 and len(logged(config)) == 1


def test_the_worker_warns_once_about_a_reply_whose_outcome_is_unknown_not_every_tick(
    config: Path, reddit: FakeReddit, caplog: pytest.LogCaptureFixture
) -> None:
    draft_id = approved(config)
    reddit.inject(Fault(status=503, path=COMMENT))  # not posted, but nothing can tell
    [publish] = [job for job in JOBS if job.name == "publish"]
    engage = make_engage(config)
    worker = Worker(engage, tick_seconds=60.0, jobs=(publish,))
    with caplog.at_level(logging.DEBUG, logger="engage.worker"):
        for _ in range(3):  # each run looks for it on Reddit again, and it stays unknown
            worker.tick()
    engage.close()
    assert shown(config, draft_id)["status"] == "unknown"
    said = [(r.levelname, r.getMessage()) for r in caplog.records
            if r.name == "engage.worker" and r.levelno >= logging.INFO]  # fmt: skip
    assert len(said) == 1 and said[0][0] == "WARNING", said
    assert "1 draft(s) may or may not be live" in said[0][1]


# --- 5. not fooled by a decoy ---------------------------------------------------------------------


def test_the_same_words_elsewhere_and_other_words_here_are_not_taken_for_our_reply(
    config: Path, reddit: FakeReddit
) -> None:
    add_thread(reddit, OTHER_THREAD)
    reddit.store.reply(f"t3_{OTHER_THREAD}", author=USER, body=CLEAN)
    reddit.store.reply(f"t3_{THREAD}", author=USER, body="Welcome to the sub, glad you asked.")
    draft_id = approved(config)
    item = only_item(publish_json(config))
    assert item["result"] == "published", item
    assert posts(reddit) == 1
    assert sorted(t.data["body"] for t in ours(reddit)) == sorted(
        [CLEAN, "Welcome to the sub, glad you asked."]
    )
    [comment] = [t for t in ours(reddit) if t.data["body"] == CLEAN]
    assert [entry["external_id"] for entry in logged(config)] == [comment.data["id"]]
    assert shown(config, draft_id)["status"] == "published"


# --- 6. what Reddit refuses ----------------------------------------------------------------------


def test_a_locked_thread_fails_the_draft_with_the_reason(config: Path, reddit: FakeReddit) -> None:
    reddit.store.update(f"t3_{THREAD}", locked=True)
    draft_id = approved(config)
    item = only_item(publish_json(config))
    assert item["result"] == "failed" and "locked" in item["reason"], item
    row = shown(config, draft_id)
    assert row["status"] == "failed" and "locked" in str(row["error"])
    assert ours(reddit) == [] and logged(config) == []


def test_a_403_fails_the_draft_with_the_reason(config: Path, reddit: FakeReddit) -> None:
    reddit.inject(Fault(status=403, path=COMMENT))
    draft_id = approved(config)
    item = only_item(publish_json(config))
    assert item["result"] == "failed" and "HTTP 403" in item["reason"], item
    row = shown(config, draft_id)
    assert row["status"] == "failed" and "HTTP 403" in str(row["error"])
    assert publish_json(config)["drafts"] == [] and posts(reddit) == 1


def test_a_ratelimit_answer_holds_the_draft_for_the_wait_reddit_names(
    config: Path, reddit: FakeReddit
) -> None:
    reddit.comment_ratelimit = RATELIMIT
    draft_id = approved(config)
    item = only_item(publish_json(config))
    assert item["result"] == "held" and "rate limited" in item["reason"], item
    assert "Take a break for 9 minutes" in item["reason"]
    row = shown(config, draft_id)
    assert row["status"] == "approved" and waits(row, minutes=9)
    assert "rate limited" in str(row["error"])
    assert_held_without_sending(config, reddit)


def test_a_429_holds_the_draft_for_the_wait_reddit_asks(config: Path, reddit: FakeReddit) -> None:
    reddit.inject(Fault(status=429, retry_after="120", path=COMMENT))
    draft_id = approved(config)
    item = only_item(publish_json(config))
    assert item["result"] == "held" and "rate limited" in item["reason"], item
    assert "120 s" in item["reason"]
    row = shown(config, draft_id)
    assert row["status"] == "approved" and waits(row, minutes=2)
    assert_held_without_sending(config, reddit)


def waits(row: dict[str, Any], *, minutes: float) -> bool:
    """The draft is held for about the wait Reddit asked for."""
    after = datetime.fromisoformat(str(row["publish_after"]))
    after = after if after.tzinfo else after.replace(tzinfo=UTC)
    ahead = after - datetime.now(UTC)
    return timedelta(minutes=minutes) - timedelta(seconds=30) < ahead <= timedelta(minutes=minutes)


def assert_held_without_sending(config: Path, reddit: FakeReddit) -> None:
    """The next run, right away, sends nothing and says why and until when."""
    assert posts(reddit) == 1
    item = only_item(publish_json(config))
    assert (
        item["result"] == "held"
        and "rate limited" in item["reason"]
        and "next try" in (item["reason"])
    ), item
    assert posts(reddit) == 1 and ours(reddit) == [] and logged(config) == []


# --- 7. posted by hand, recognised in the public feed ---------------------------------------------


def test_a_reply_posted_by_hand_is_recognised_in_the_comment_feed_and_never_posted(
    tmp_path: Path, fake_reddit: FakeReddit
) -> None:
    add_thread(fake_reddit, THREAD)
    config = write_config(tmp_path / "engage.toml", fake_reddit, mode="rss")
    draft_id = approved(config)
    assert only_item(publish_json(config))["result"] == "by_hand"  # not posted yet: waits

    mine = fake_reddit.store.reply(f"t3_{THREAD}", author=USER, body=CLEAN)
    item = only_item(publish_json(config))
    assert item["result"] == "found", item
    row = shown(config, draft_id)
    assert (row["status"], row["published_via"]) == ("published", "hand")
    [entry] = logged(config)
    assert (entry["via"], entry["external_id"]) == ("hand", mine.data["id"])
    assert f"/comments/{THREAD}/" in str(entry["url"])
    assert fake_reddit.count(f"/user/{USER}/comments/.rss") >= 2
    assert posts(fake_reddit) == 0


# --- 8. two processes at once --------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.postgres
def test_two_publishing_processes_at_the_same_moment_post_the_reply_once(
    engine: str, config: Path, reddit: FakeReddit, monkeypatch: pytest.MonkeyPatch,
    engage_process: Callable[..., subprocess.Popen[str]],
) -> None:  # fmt: skip
    if engine != "postgres":
        pytest.skip("two processes publishing at once: PostgreSQL (SQLite has one writer)")
    draft_id = approved(config)
    # Neither process hears that the reply is not there yet until both have asked: then both
    # go on to claim it at the same moment.
    both_looked = threading.Barrier(2, timeout=30)
    looks = iter(range(2))
    route = reddit.route

    def looking_together(request: Request) -> Reply:
        if request.path.startswith(f"/user/{USER}/comments") and next(looks, None) is not None:
            both_looked.wait()
        return route(request)

    monkeypatch.setattr(reddit, "route", looking_together)
    first, second = engage_process("publish", "--json"), engage_process("publish", "--json")
    outputs = [process.communicate(timeout=60) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert not both_looked.broken, "the two processes did not look at the same time"
    assert posts(reddit) == 1 and len(ours(reddit)) == 1, outputs
    assert shown(config, draft_id)["status"] == "published" and len(logged(config)) == 1
    results = sorted(
        item["result"] for out, _ in outputs for item in json.loads(out)["drafts"]
    )  # the other one lost the claim (and says nothing) or found ours
    assert results in (["published"], ["found", "published"]), outputs


# --- 9. no secret anywhere -----------------------------------------------------------------------

CANARY_SECRET = "canary-client-secret-91f3e7"
CANARY_PASSWORD = "canary-password-4be1c0"
CANARY_TOKEN = "canary-access-token-d00d5e"
CANARIES = (CANARY_SECRET, CANARY_PASSWORD, CANARY_TOKEN)


class CanaryReddit(FakeReddit):
    """A fake Reddit whose access tokens are canaries."""

    def _token(self, request: Request) -> Reply:
        reply = super()._token(request)
        if reply.status == 200 and b"access_token" in reply.body:
            body = json.loads(reply.body)
            body["access_token"] = CANARY_TOKEN
            reply = json_reply(body)
        return reply


@pytest.mark.slow
def test_no_secret_shows_in_any_output_log_or_stored_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_REDDIT_CLIENT_ID", "test-client")
    monkeypatch.setenv("ENGAGE_REDDIT_CLIENT_SECRET", CANARY_SECRET)
    monkeypatch.setenv("ENGAGE_REDDIT_USERNAME", USER)
    monkeypatch.setenv("ENGAGE_REDDIT_PASSWORD", CANARY_PASSWORD)
    written: list[str] = []
    cases = ["ok", "403", "502", "ratelimit", "debug", "worker"]

    def engage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "engage", "--config", str(config), *args],
            env=dict(os.environ), capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        written.extend([done.stdout, done.stderr])
        return done.stdout

    with CanaryReddit() as server:
        config = write_config(tmp_path / "engage.toml", server)
        for n in range(len(cases)):
            add_thread(server, f"abc{n}")
        ids = seed(config, *[f"{CLEAN} ({case})" for case in cases])
        for draft_id in ids:
            assert run(config, "drafts", "approve", str(draft_id)).exit_code == 0
        only_due = due_alone(config, ids)

        def publish(n: int, *options: str) -> str:
            only_due(n)
            report = json.loads(engage(*options, "publish", "--json"))
            [result] = [i["result"] for i in report["drafts"] if i["draft_id"] == ids[n]]
            return str(result)

        assert publish(0) == "published"
        server.inject(Fault(status=403, path=COMMENT))
        assert publish(1) == "failed"
        server.inject(Fault(status=502, path=COMMENT))
        assert publish(2) == "unknown"
        server.comment_ratelimit = RATELIMIT
        assert publish(3) == "held"
        server.comment_ratelimit = None
        server.refuse_logins = True  # a failing server, with --debug: the login is refused
        assert publish(4, "--debug") == "held"
        engage("--debug", "publish")
        server.refuse_logins = False
        server.inject(Fault(status=500, path=COMMENT))
        assert publish(4, "--debug") == "unknown"
        engage("--debug", "drafts", "resolve", str(ids[4]), "--posted", "not a link")
        written += [run(config, *args).output for args in (["log", "--json"],
                    ["drafts", "list", "--json"], ["drafts", "show", str(ids[4])])]  # fmt: skip
        engage("status", "--json")

        # The worker, logging every step to stderr and <data dir>/logs/engage.log.
        only_due(5)
        worker = subprocess.Popen(
            [sys.executable, "-m", "engage", "--config", str(config), "run", "-v",
             "--tick", "0.2"], env=dict(os.environ), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            wait_for(lambda: shown(config, ids[5])["status"] == "published", what="the worker")
        finally:
            worker.send_signal(signal.SIGTERM)
            written.extend(worker.communicate(timeout=30))
        # The canaries were in play: the login sent the secret and the password, and every
        # call after it carried the token.
        logins = [r for r in server.requests if r.path == "/api/v1/access_token"]
        assert logins and all(CANARY_PASSWORD in r.form.get("password", "") for r in logins)
        basic = base64.b64encode(f"test-client:{CANARY_SECRET}".encode()).decode()
        assert all(r.headers["authorization"] == f"Basic {basic}" for r in logins)
        assert any(
            r.headers.get("authorization") == f"bearer {CANARY_TOKEN}" and r.method == "POST"
            for r in server.requests
        )

    home = Path(os.environ["ENGAGE_HOME"])
    assert "publish: {'published': 1" in (home / "logs" / "engage.log").read_text()
    files = [p.read_text(errors="replace") for p in home.rglob("*") if p.is_file()
             and p.suffix not in (".db", ".db-wal", ".db-shm")]  # fmt: skip
    everything = "\n".join([*written, *files, stored_text(config)])
    # The failures are reported (and with them anything a careless message would quote) ...
    for said in ("rate limited", "HTTP 403", "HTTP 502", "could not check", "HTTP 500"):
        assert said in everything, said
    # ... and no secret is.
    for canary in CANARIES:
        assert canary not in everything, canary


def due_alone(config: Path, ids: list[int]) -> Callable[[int], None]:
    """`only_due(n)`: of the approved drafts, only `ids[n]` is due (the others wait a day), so
    each run meets the one failure injected for it."""

    def only_due(n: int) -> None:
        engage = make_engage(config)
        with engage.db.write() as session:
            for index, draft_id in enumerate(ids):
                draft = session.get_one(Draft, draft_id)
                if draft.status == "approved":
                    later = draft.updated_at + timedelta(days=1)
                    draft.publish_after = None if index == n else later
        engage.close()

    return only_due


def stored_text(config: Path) -> str:
    """Every row of every table, as stored (drafts' errors and draft events' details among
    them)."""
    engage = make_engage(config)
    with engage.db.read() as session:
        errors = [str(e) for e in session.scalars(select(Draft.error)) if e]
        details = [json.dumps(d) for d in session.scalars(select(DraftEvent.detail))]
        rows = [str(row) for table in Base.metadata.sorted_tables
                for row in session.execute(select(table))]  # fmt: skip
    engage.close()
    assert errors and details  # the failures were stored
    return "\n".join(errors + details + rows)
