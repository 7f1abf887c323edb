"""Publishing where engage has no API to post with (Reddit through RSS, any thread added by
URL): the therapist posts by hand, tells engage (`engage mark-posted`, the desk's `p`), and the
engagement log stays whole. Also what happens to a claim whose process died."""

from __future__ import annotations

import base64
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from engage.app import make_engage
from engage.desk import states
from engage.models import Draft, Engagement, utcnow
from tests.e2e.desk_world import CLEAN, run, seed, shown

pytestmark = pytest.mark.usefixtures("app_database")

REPLY_URL = "https://www.reddit.com/r/therapists/comments/abc0/x/kq1zz9/"


def approved(config: Path, text: str = CLEAN) -> int:
    [draft_id] = seed(config, text)
    assert run(config, "drafts", "approve", str(draft_id)).exit_code == 0
    return draft_id


def logged(config: Path, *args: str) -> list[dict[str, object]]:
    result = run(config, "log", "--json", *args)
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return rows


def test_an_approved_reply_without_an_api_waits_to_be_posted_by_hand(config: Path) -> None:
    draft_id = approved(config)
    result = run(config, "publish", "--json")
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.output)["drafts"]
    assert (item["draft_id"], item["result"]) == (draft_id, "by_hand")
    assert shown(config, draft_id)["status"] == "approved"


def test_mark_posted_publishes_the_draft_and_logs_it_with_its_link(config: Path) -> None:
    draft_id = approved(config)
    result = run(config, "mark-posted", str(draft_id), REPLY_URL)
    assert result.exit_code == 0, result.output
    row = shown(config, draft_id)
    assert (row["status"], row["published_via"], row["published_url"]) == (
        "published", "hand", REPLY_URL
    )  # fmt: skip
    [entry] = logged(config)
    assert (entry["draft_id"], entry["via"], entry["url"], entry["community"], entry["move"]) == (
        draft_id, "hand", REPLY_URL, "r/therapists", "ask"
    )  # fmt: skip
    assert entry["external_id"] == "kq1zz9"  # the comment's id, so replies to it are linked


def test_mark_posted_without_a_link_still_logs_the_engagement(config: Path) -> None:
    draft_id = approved(config)
    assert run(config, "mark-posted", str(draft_id)).exit_code == 0
    [entry] = logged(config)
    assert (entry["draft_id"], entry["url"]) == (draft_id, None)


def test_a_draft_not_yet_approved_cannot_be_marked_posted(config: Path) -> None:
    [draft_id] = seed(config, CLEAN)
    result = run(config, "mark-posted", str(draft_id), REPLY_URL)
    assert result.exit_code == 1
    assert "only an approved draft" in result.output
    assert logged(config) == []


def test_a_link_that_is_not_a_web_address_is_refused_and_nothing_changes(config: Path) -> None:
    draft_id = approved(config)
    result = run(config, "mark-posted", str(draft_id), "javascript:alert(1)")
    assert result.exit_code == 2
    assert "not a web address" in result.output
    assert shown(config, draft_id)["status"] == "approved"


def test_a_reply_is_logged_once_however_often_it_is_marked_posted(config: Path) -> None:
    draft_id = approved(config)
    assert run(config, "mark-posted", str(draft_id), REPLY_URL).exit_code == 0
    again = run(config, "mark-posted", str(draft_id), REPLY_URL)
    assert again.exit_code == 1
    assert len(logged(config)) == 1


def test_a_reply_posted_before_its_approval_ran_out_is_logged_not_left_expired(
    config: Path,
) -> None:
    draft_id = approved(config)
    backdate(config, draft_id, "approved_at", timedelta(hours=80))
    assert run(config, "publish").exit_code == 0
    assert shown(config, draft_id)["status"] == "expired"
    assert run(config, "mark-posted", str(draft_id), REPLY_URL).exit_code == 0
    assert shown(config, draft_id)["status"] == "published"


def backdate(config: Path, draft_id: int, column: str, by: timedelta) -> None:
    engage = make_engage(config)
    with engage.db.write() as session:
        draft = session.get_one(Draft, draft_id)
        setattr(draft, column, getattr(draft, column) - by)
    engage.close()


def die_mid_publish(config: Path, draft_id: int) -> None:
    """What a worker killed after its claim leaves behind: a claim older than its lease."""
    from engage.publishing import LEASE

    engage = make_engage(config)
    states.claim(engage.db, draft_id, actor="worker")
    engage.close()
    backdate(config, draft_id, "updated_at", LEASE + timedelta(minutes=1))


def test_a_dead_claim_that_cannot_be_checked_becomes_unknown_never_sent_again(
    config: Path,
) -> None:
    draft_id = approved(config)
    die_mid_publish(config, draft_id)
    [item] = json.loads(run(config, "publish", "--json").output)["drafts"]
    assert item["result"] == "unknown"
    assert f"engage drafts resolve {draft_id}" in item["reason"]
    row = shown(config, draft_id)
    assert row["status"] == "unknown" and "resolve" in str(row["error"])
    assert logged(config) == []


def test_an_unknown_reply_said_not_posted_is_approved_again(config: Path) -> None:
    draft_id = approved(config)
    die_mid_publish(config, draft_id)
    run(config, "publish")
    result = run(config, "drafts", "resolve", str(draft_id), "--not-posted")
    assert result.exit_code == 0, result.output
    assert shown(config, draft_id)["status"] == "approved"


def test_an_unknown_reply_found_by_the_therapist_is_logged_as_published(config: Path) -> None:
    draft_id = approved(config)
    die_mid_publish(config, draft_id)
    run(config, "publish")
    assert run(config, "drafts", "resolve", str(draft_id), "--posted", REPLY_URL).exit_code == 0
    [entry] = logged(config)
    assert (entry["draft_id"], entry["url"]) == (draft_id, REPLY_URL)


def test_only_an_unknown_outcome_can_be_resolved(config: Path) -> None:
    draft_id = approved(config)
    result = run(config, "drafts", "resolve", str(draft_id), "--not-posted")
    assert result.exit_code == 1
    assert "only a draft whose outcome is unknown" in result.output


def test_resolve_needs_exactly_one_answer(config: Path) -> None:
    draft_id = approved(config)
    assert run(config, "drafts", "resolve", str(draft_id)).exit_code == 2


def test_the_log_since_a_date_leaves_out_what_went_out_before(config: Path) -> None:
    draft_id = approved(config)
    run(config, "mark-posted", str(draft_id), REPLY_URL)
    engage = make_engage(config)
    with engage.db.write() as session:
        session.scalars(select(Engagement)).one().at -= timedelta(days=10)
    assert logged(config, "--since", "7d") == []
    assert len(logged(config, "--since", "2w")) == 1
    assert run(config, "log", "--since", "last tuesday").exit_code == 2


@pytest.mark.slow
def test_the_desk_hands_over_the_exact_text_and_logs_the_posted_reply(
    config: Path, tmp_path: Path
) -> None:
    import pexpect

    [draft_id] = seed(config, CLEAN)
    env = {**os.environ, "COLUMNS": "100", "BROWSER": "", "DISPLAY": "", "TERM": "xterm"}
    child = pexpect.spawn(sys.executable, ["-m", "engage", "--config", str(config), "review"],
                          env=env, encoding="utf-8", timeout=30)  # fmt: skip
    child.expect("1 of 1")
    child.send("p")
    child.expect("approved draft")
    child.expect("post exactly this")
    child.expect(base64.b64encode(CLEAN.encode()).decode()[:40])  # OSC 52: to the clipboard
    child.expect("in your browser: https://www.reddit.com/r/therapists/comments/abc0/")
    child.expect("Paste the link to your reply")
    child.sendline(REPLY_URL)
    child.expect("is posted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    row = shown(config, draft_id)
    assert (row["status"], row["published_via"], row["text"]) == ("published", "hand", CLEAN)


def test_an_approved_reply_the_therapist_is_posting_is_held_from_the_worker(config: Path) -> None:
    from engage.publishing import HAND_HOLD, hold_for_hand

    draft_id = approved(config)
    engage = make_engage(config)
    hold_for_hand(engage, draft_id)
    with engage.db.read() as session:
        held = session.scalar(select(Draft.publish_after).where(Draft.id == draft_id))
    assert held is not None and held > utcnow() + HAND_HOLD - timedelta(minutes=1)
    [item] = json.loads(run(config, "publish", "--json").output)["drafts"]
    assert item["result"] == "by_hand" and shown(config, draft_id)["status"] == "approved"


def test_an_approved_note_to_a_colleague_is_always_sent_by_hand(config: Path) -> None:
    from engage.models import Interaction, Person
    from engage.types import DraftKind

    engage = make_engage(config)
    with engage.db.write() as session:
        person = Person(platform="reddit", handle="dana_r")
        session.add(person)
        session.flush()
        note = Draft(kind=DraftKind.NOTE.value, platform="reddit", person_id=person.id,
                     target="https://www.reddit.com/message/compose/?to=dana_r",
                     text="Thanks for your reply in r/MFT last week; I enjoyed it.")  # fmt: skip
        session.add(note)
        session.flush()
        note_id, person_id = note.id, person.id
    engage.close()
    approval = run(config, "drafts", "approve", str(note_id))
    assert approval.exit_code == 0, approval.output
    [item] = json.loads(run(config, "publish", "--json").output)["drafts"]
    assert (item["draft_id"], item["result"]) == (note_id, "by_hand")
    assert run(config, "mark-posted", str(note_id)).exit_code == 0
    engage = make_engage(config)
    with engage.db.read() as session:
        steps = session.scalars(select(Interaction.kind).where(
            Interaction.person_id == person_id)).all()  # fmt: skip
    assert steps == ["met_note"]
