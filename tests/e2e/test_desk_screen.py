"""The desk as a screen (`engage review` in a real pseudo-terminal at 80×24 and 120×40): one card
redrawn in place, a long thread scrolled to its last line, warnings in words without offsets,
and quitting that says what happens next.

A frame is what follows the last clear-screen sequence the desk wrote; read without its colours
it is what the therapist sees."""

from __future__ import annotations

import os
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from engage.app import make_engage
from engage.cli.desk_screen import CLEAR, ENTER, LEAVE
from engage.desk import add_draft
from engage.models import Match, Thread
from engage.types import DraftKind
from tests.e2e.desk_world import CLEAN, run, seed, share_drafted, shown

pytestmark = [pytest.mark.usefixtures("app_database"), pytest.mark.slow]

SIZES = [pytest.param((24, 80), id="80x24"), pytest.param((40, 120), id="120x40")]
NAMED = "My client Dana (34, a nurse at Mercy Hospital) went through exactly this."
TITLE = "Why partners need their own support before a formal disclosure"
LAST = "THE LAST LINE of the post, reachable by scrolling."
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\a]*\a")


def long_body() -> str:
    paragraph = (
        "I have been seeing a couple for a while now and the question of when to disclose "
        "keeps coming up in supervision, with no clear answer either way. "
    )
    paragraphs = [f"Paragraph {n}. {paragraph * 2}" for n in range(1, 16)]
    return "\n\n".join([*paragraphs, LAST])


def seed_long(config: Path, text: str = CLEAN) -> int:
    engage = make_engage(config)
    with engage.db.write() as session:
        thread = Thread(platform="reddit", external_id="long1", community="r/therapists",
                        title="A long question about disclosure", body=long_body(),
                        url="https://www.reddit.com/r/therapists/comments/long1/",
                        created_at=datetime.now(UTC))  # fmt: skip
        session.add(thread)
        session.flush()
        session.add(Match(thread_id=thread.id, score=1.0, intent="consult_question",
                          profile_hash="t", reasons=[{"text": "disclosure"}]))  # fmt: skip
        session.flush()
        draft = add_draft(session, engage.config, text=text, kind=DraftKind.REPLY, move="ask",
                          platform="reddit", target="t3_long1", thread=thread)  # fmt: skip
        draft_id = draft.id
    engage.close()
    return draft_id


def desk(config: Path, size: tuple[int, int], *args: str, **env: str) -> Any:
    import pexpect

    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    environment.update({"TERM": "xterm-256color", "BROWSER": "", "DISPLAY": "", **env})
    return pexpect.spawn(sys.executable, ["-m", "engage", "--config", str(config), "review",
                                          *args],
                         env=environment, encoding="utf-8", timeout=30,
                         dimensions=size)  # fmt: skip


def frame(written: str) -> list[str]:
    """The screen as last drawn: the lines after the last clear, without colours."""
    lines = ANSI.sub("", written.rsplit(CLEAR, 1)[-1]).split("\n")
    return [line.rstrip("\r").rstrip() for line in lines]


def settle(child: Any, frames: int = 0) -> str:
    """Everything written until the desk waits for a key: at least `frames` new frames, then
    nothing more for a moment."""
    import pexpect

    written: str = child.buffer  # what expect read past its match
    child.buffer = ""
    deadline = time.monotonic() + 30
    while True:
        try:
            written += str(child.read_nonblocking(65536, timeout=0.5))
        except pexpect.TIMEOUT:
            if written.count(CLEAR) >= frames or time.monotonic() > deadline:
                return written


def press(child: Any, key: str) -> str:
    """A key, and what the desk wrote for it (one frame at least)."""
    child.send(key)
    return settle(child, frames=1)


@pytest.mark.parametrize("size", SIZES)
def test_a_long_thread_scrolls_to_its_last_line_in_place(
    config: Path, size: tuple[int, int]
) -> None:
    import pexpect

    draft_id = seed_long(config)
    child = desk(config, size)
    child.expect("1 of 1")
    written = child.before + child.after + settle(child)
    assert ENTER in written
    first = frame(written)
    height, width = size
    assert len(first) == height and all(len(line) <= width for line in first)
    assert first[0].startswith(f"draft {draft_id} · pending · ask · 1 of 1")
    assert not any(LAST in line for line in first)
    assert any("more below" in line for line in first)
    assert any(line.startswith("a approve") for line in first)
    pages = 0
    while not any(LAST in line for line in frame(written)):
        written = press(child, "\x1b[6~")  # PgDn
        assert written.count(CLEAR) == 1  # one key, one frame: redrawn, not printed below
        pages += 1
        assert pages < 30, "the last line never came"
    shown_now = frame(written)
    assert len(shown_now) == height and all(len(line) <= width for line in shown_now)
    assert sum(line.startswith("draft ") for line in shown_now) == 1
    for key in ("k", "\x1b[A", "j", "G", "g"):
        assert press(child, key).count(CLEAR) == 1
    child.send("q")
    child.expect(pexpect.EOF)
    assert LEAVE in child.before
    assert shown(config, draft_id)["status"] == "pending"


@pytest.mark.parametrize("size", SIZES)
def test_long_lines_wrap_at_word_boundaries(config: Path, size: tuple[int, int]) -> None:
    seed_long(config)
    child = desk(config, size)
    child.expect("1 of 1")
    words = set(long_body().split()) | {"Paragraph"}
    lines = frame(child.before + child.after + settle(child))
    body = [line for line in lines if line.startswith(("Paragraph", "I have", "disclose"))]
    assert body
    for line in lines[1:]:
        if any(word in line for word in ("supervision", "couple", "disclose")):
            assert all(word in words or not word.isalpha() for word in line.split())
    child.send("q")
    child.expect("left pending")


def test_approving_a_draft_below_a_long_thread_first_shows_it(config: Path) -> None:
    import pexpect

    draft_id = seed_long(config)
    child = desk(config, (24, 80))
    child.expect("1 of 1")
    settle(child)
    child.send("a")
    child.expect("this is the text you approve")
    assert shown(config, draft_id)["status"] == "pending"
    screen = frame(child.before + child.after + settle(child))
    assert any("Orange County" in line for line in screen)
    child.send("a")
    child.expect("approved draft")
    child.expect(pexpect.EOF)
    assert shown(config, draft_id)["status"] == "approved"


@pytest.mark.parametrize("size", SIZES)
def test_a_warning_is_shown_in_words_without_offsets(config: Path, size: tuple[int, int]) -> None:
    seed(config, NAMED)
    child = desk(config, size)
    child.expect("1 of 1")
    lines = frame(child.before + child.after + settle(child))
    screen = " ".join(lines)
    assert lines[0].startswith("draft 1 · pending · ask · 1 blocking warning · 1 of 1")
    assert "BLOCKING client_identifying" in screen
    assert "Mercy Hospital" in screen.split("BLOCKING", 1)[1]
    assert not re.search(r"\(\d+[–-]\d+\)", screen)
    assert "goes to: r/therapists on reddit" in screen
    assert "why: disclosure" in screen
    child.send("q")
    child.expect("left pending")


def test_quitting_says_what_happens_next(config: Path) -> None:
    import pexpect

    first, _ = seed(config, CLEAN, CLEAN + " (2)")
    assert run(config, "drafts", "approve", str(first)).exit_code == 0
    child = desk(config, (24, 80))
    child.expect("1 of 2")  # the pending one; the approved one waits to be posted by hand
    child.send("q")
    child.expect(pexpect.EOF)
    after = ANSI.sub("", child.before.rsplit(LEAVE, 1)[-1])
    assert "this time: 0 approved, 0 posted, 0 rejected, 0 skipped" in after
    assert f"1 approved for you to post yourself (draft {first})" in after
    assert "1 left pending" in after


def test_the_end_of_the_queue_says_what_happens_next_too(config: Path) -> None:
    import pexpect

    [draft_id] = seed(config, CLEAN)
    child = desk(config, (24, 80))
    child.expect("1 of 1")
    child.send("a")
    child.expect(pexpect.EOF)
    after = " ".join(ANSI.sub("", child.before.rsplit(LEAVE, 1)[-1]).split())
    assert "this time: 1 approved, 0 posted, 0 rejected, 0 skipped" in after
    assert f"(draft {draft_id})" in after and f"engage mark-posted {draft_id} URL" in after
    assert "left pending" not in after


def test_a_reject_reason_is_asked_on_the_screen(config: Path) -> None:
    import pexpect

    [draft_id] = seed(config, CLEAN)
    child = desk(config, (24, 80))
    child.expect("1 of 1")
    settle(child)
    child.send("r")
    child.expect("Why reject it")
    assert child.before.count(CLEAR) == 1
    child.sendline("not my voice")
    child.expect("rejected draft")
    child.expect(pexpect.EOF)
    assert shown(config, draft_id)["status"] == "rejected"


def test_plain_prints_line_by_line(config: Path) -> None:
    import pexpect

    seed(config, NAMED, CLEAN)
    child = desk(config, (24, 80), "--plain")
    child.expect("1 of 2")
    child.send("s")
    child.expect("2 of 2")
    child.send("q")
    child.expect(pexpect.EOF)
    written = child.before
    assert ENTER not in written and CLEAR not in written
    assert "left pending" in written


def test_ctrl_c_leaves_the_screen_and_says_what_happens_next(config: Path) -> None:
    import pexpect

    seed(config, CLEAN)
    child = desk(config, (24, 80))
    child.expect("1 of 1")
    settle(child)
    child.send("\x03")
    child.expect(pexpect.EOF)
    assert LEAVE in child.before and "Traceback" not in child.before
    assert "interrupted" in child.before and "left pending" in child.before


def test_a_move_is_chosen_from_a_menu_on_the_screen(config: Path) -> None:
    import pexpect

    from engage.app import make_engage
    from engage.models import Thread

    [draft_id] = seed(config, CLEAN)
    engage = make_engage(config)
    with engage.db.write() as session:  # a thread that states a view: agreeing becomes a move
        session.query(Thread).one().body = (
            "I think formal disclosure should wait until the partner has support of their own. "
            "How long do you wait?"
        )
    engage.close()
    child = desk(config, (24, 80))
    child.expect("1 of 1")
    settle(child)
    child.send("m")
    child.expect("Move")
    menu = frame(child.before + child.after)
    assert any(line.strip().startswith("1. ") for line in menu)
    choice = next(line.split(". ", 1) for line in menu if "agree_example" in line)
    child.sendline(choice[0].strip())
    child.expect("· pending · agree_example · ")
    child.send("q")
    child.expect(pexpect.EOF)
    assert shown(config, draft_id)["move"] == "agree_example"


def test_o_without_a_browser_shows_the_link_on_the_screen(config: Path) -> None:
    import pexpect

    seed(config, CLEAN)
    child = desk(config, (24, 80))
    child.expect("1 of 1")
    settle(child)
    child.send("o")
    child.expect("in your browser: https://www.reddit.com/r/therapists/comments/abc0/")
    child.send("q")
    child.expect(pexpect.EOF)


def test_a_resized_terminal_gets_a_card_of_its_new_size(config: Path) -> None:
    import pexpect

    seed_long(config)
    child = desk(config, (24, 80))
    child.expect("1 of 1")
    settle(child)
    child.setwinsize(40, 120)
    lines = frame(settle(child, frames=1))
    assert len(lines) == 40 and max(len(line) for line in lines[1:]) > 80  # wrapped again
    child.send("q")
    child.expect(pexpect.EOF)


def test_the_next_step_follows_publishings_dry_run(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import engage.publishing
    from engage.cli.review import next_steps
    from engage.types import PublishItem, PublishReport, Result

    seed(config, CLEAN)
    plan = PublishReport([
        PublishItem(1, "mastodon", "#therapists", Result.WOULD_PUBLISH),
        PublishItem(2, "mastodon", "#therapists", Result.WOULD_PUBLISH),
        PublishItem(3, "reddit", "r/therapists", Result.HELD,
                    "pace: 15 minutes between posts; next try 2026-12-03 11:20 UTC"),
        PublishItem(5, "reddit", "r/therapists", Result.UNKNOWN),
    ])  # fmt: skip
    soon = datetime(2026, 12, 4, 9, 5, tzinfo=UTC)
    monkeypatch.setattr(engage.publishing, "publish_due", lambda engage, dry_run: plan)
    monkeypatch.setattr(engage.publishing, "expiring_approvals", lambda engage: [(4, soon)])
    lines = next_steps(make_engage(config))
    assert lines[0].startswith("2 approved: the worker publishes them on its next run")
    assert "draft 3 waits: pace: 15 minutes between posts; next try 2026-12-03 11:20 UTC" in lines
    assert any(line.startswith("1 may already be live (draft 5)") for line in lines)
    assert any("draft 4 runs out 2026-12-04 09:05 UTC" in line for line in lines)
    assert lines[-1].startswith("1 left pending")


def test_a_share_shows_its_article_and_channel_and_goes_elsewhere_by_menu(config: Path) -> None:
    import pexpect


    draft_id = share_drafted(config, "mastodon")
    child = desk(config, (24, 80))
    child.expect("1 of 1")
    screen = " ".join(frame(child.before + child.after + settle(child)))
    assert f"your article: {TITLE}" in screen and "goes to: Mastodon" in screen
    assert "t send the share elsewhere" in screen and "m change move" not in screen
    child.send("t")
    child.expect("Share it on")
    menu = frame(child.before + child.after)
    number, _ = next(line.strip().split(". ", 1) for line in menu if line.endswith("Bluesky"))
    child.sendline(number)
    child.expect("goes to: Bluesky")
    child.send("q")
    child.expect(pexpect.EOF)
    assert shown(config, draft_id)["channel"] == {"name": "bluesky", "label": "Bluesky"}


def test_warnings_new_since_drafting_are_shown_before_anything_is_approved(config: Path) -> None:
    import pexpect
    from sqlalchemy import select

    [draft_id] = seed(config, CLEAN)
    engage = make_engage(config)
    with engage.db.write() as session:
        session.scalars(select(Thread)).one().body = "I can't go on. I want to kill myself tonight."
    engage.close()
    child = desk(config, (24, 80))
    child.expect("1 of 1")
    settle(child)
    child.send("a")
    child.expect("the thread changed since it was drafted: new warnings")
    screen = " ".join(frame(child.before + child.after + settle(child)))
    assert "BLOCKING" in screen and shown(config, draft_id)["status"] == "pending"
    child.send("q")
    child.expect(pexpect.EOF)
    assert shown(config, draft_id)["status"] == "pending"
