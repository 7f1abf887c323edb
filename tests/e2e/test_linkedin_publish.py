"""LinkedIn through `engage publish`: an approved share of the therapist's article goes out once
as a post (and is logged), an approved reply to a LinkedIn thread as a comment; a refused token
holds them until `engage auth linkedin`; and the token, a canary here, is nowhere it could leak:
logs, errors, --json output, the database, the config file."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select

from engage.app import make_engage
from engage.platforms.linkedin.token import save_token
from tests.e2e.desk_world import run, share_drafted, shown
from tests.fakes.linkedin import FakeLinkedIn

pytestmark = pytest.mark.usefixtures("app_database")

CANARY = "AQX-canary-linkedin-token-3f9b1c7e2a"
TITLE = "Why partners need their own support before a formal disclosure"
SHARE = (
    f"My new piece (for colleagues who see couples after a disclosure): {TITLE}. "
    "https://gracelee.example/blog/partners #BetrayalTrauma"
)
COMMENT = "What has helped most in my work: giving the partner a space of their own first."
POST_URL = "https://www.linkedin.com/feed/update/urn:li:activity:7301234567890123456/"


@pytest.fixture
def linkedin() -> Iterator[FakeLinkedIn]:
    with FakeLinkedIn() as server:
        server.token = CANARY
        server.posts_known.add("urn:li:activity:7301234567890123456")
        yield server


@pytest.fixture
def connected(config: Path, linkedin: FakeLinkedIn, engage_env: Path) -> Path:
    """The therapist's config aimed at the fake LinkedIn, with a token stored by `auth`."""
    config.write_text(
        config.read_text()
        + f'[linkedin]\napi_url = "{linkedin.url}"\nauth_url = "https://www.linkedin.com"\n'
        + "[publishing]\nmin_minutes_between_posts = 0\n"
    )
    save_token(engage_env / "linkedin-token.json", CANARY,
               datetime.now(UTC) + timedelta(days=40), linkedin.member)  # fmt: skip
    return config


def approved_share(config: Path) -> int:
    draft_id = share_drafted(config)
    row = json.loads(run(config, "drafts", "show", str(draft_id), "--json").output)
    assert (row["platform"], row["target"]) == ("linkedin", "linkedin:share")
    edited = run(config, "drafts", "edit", str(draft_id), "--text", SHARE)
    assert edited.exit_code == 0, edited.output
    approval = run(config, "drafts", "approve", str(draft_id))
    assert approval.exit_code == 0, approval.output
    return draft_id


def approved_comment(config: Path) -> int:
    asked = "Colleagues, what has helped the partners you see?"
    added = run(config, "thread", "add", POST_URL, "--title", "After disclosure: what helps?",
                "--text", asked, "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    thread_id = json.loads(added.output)["id"]
    drafted = run(config, "draft", str(thread_id), "--json")
    assert drafted.exit_code == 0, drafted.output
    draft_id = int(json.loads(drafted.output)["id"])
    edited = run(config, "drafts", "edit", str(draft_id), "--text", COMMENT)
    assert edited.exit_code == 0, edited.output
    approval = run(config, "drafts", "approve", str(draft_id))
    assert approval.exit_code == 0, approval.output
    return draft_id


def published(config: Path) -> list[dict[str, object]]:
    result = run(config, "publish", "--json")
    assert result.exit_code == 0, result.output
    items: list[dict[str, object]] = json.loads(result.output)["drafts"]
    return items


def test_an_approved_share_is_posted_once_and_logged(
    connected: Path, linkedin: FakeLinkedIn
) -> None:
    draft_id = approved_share(connected)

    [item] = published(connected)
    again = published(connected)

    assert (item["draft_id"], item["result"]) == (draft_id, "published")
    assert again == []
    assert linkedin.writes() == 1
    [post] = linkedin.posts
    assert post.shown == shown(connected, draft_id)["text"]
    row = shown(connected, draft_id)
    assert (row["status"], row["published_via"]) == ("published", "api")
    assert row["published_url"] == f"https://www.linkedin.com/feed/update/{post.urn}/"
    [entry] = json.loads(run(connected, "log", "--json").output)
    assert (entry["draft_id"], entry["platform"], entry["url"]) == (
        draft_id, "linkedin", row["published_url"]
    )  # fmt: skip


def test_an_approved_reply_to_a_linkedin_thread_is_a_comment_on_its_post(
    connected: Path, linkedin: FakeLinkedIn
) -> None:
    connected.write_text(connected.read_text() + 'post_to = ["linkedin"]\n')
    draft_id = approved_comment(connected)

    [item] = published(connected)

    assert (item["draft_id"], item["result"]) == (draft_id, "published")
    [comment] = linkedin.comments
    assert comment["object"] == "urn:li:activity:7301234567890123456"
    assert comment["message"]["text"] == shown(connected, draft_id)["text"]


def test_a_refused_token_holds_the_share_until_the_token_is_renewed(
    connected: Path, linkedin: FakeLinkedIn
) -> None:
    draft_id = approved_share(connected)
    linkedin.refuse_next(401)

    [held] = published(connected)

    assert held["result"] == "held"
    assert "run engage auth linkedin" in str(held["reason"])
    row = shown(connected, draft_id)
    assert row["status"] == "approved"
    assert linkedin.posts == []


def test_a_share_whose_post_timed_out_is_left_unknown_for_the_therapist(
    connected: Path, linkedin: FakeLinkedIn
) -> None:
    from tests.fakes.server import Fault

    connected.write_text(connected.read_text().replace(
        "[publishing]\n", "[network]\nrequest_deadline_seconds = 1\n[publishing]\n"
    ))  # fmt: skip
    draft_id = approved_share(connected)
    linkedin.inject(Fault(delay=2.5, path="/rest/posts", after_route=True))

    [item] = published(connected)
    again = published(connected)

    assert item["result"] == "unknown"
    assert shown(connected, draft_id)["status"] == "unknown"
    assert [i["result"] for i in again] == ["unknown"]
    assert linkedin.writes() == 1


def test_the_token_never_reaches_logs_errors_json_the_database_or_the_config(
    connected: Path, linkedin: FakeLinkedIn, caplog: pytest.LogCaptureFixture,
    app_database: str,
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    approved_share(connected)
    linkedin.refuse_next(401)
    outputs = [run(connected, "publish", "--json").output]
    engage = make_engage(connected)
    with engage.db.write() as session:  # let the held share go now
        from engage.models import Draft

        for draft in session.scalars(select(Draft)):
            draft.publish_after = None
    engage.close()
    outputs += [
        run(connected, "--debug", "publish", "--json").output,
        run(connected, "status", "--json").output,
        run(connected, "log", "--json").output,
        run(connected, "drafts", "list", "--json").output,
    ]

    assert all(CANARY not in output for output in outputs)
    assert CANARY not in caplog.text
    assert CANARY not in connected.read_text()
    assert CANARY not in every_row(connected)
    assert json.loads(outputs[2])["linkedin"]["connected"] is True


def every_row(config: Path) -> str:
    """Every row of every table, as text."""
    engage = make_engage(config)
    metadata = MetaData()
    with engage.db.read() as session:
        metadata.reflect(bind=session.get_bind())
        rows = [repr(row) for table in metadata.sorted_tables
                for row in session.execute(select(table))]  # fmt: skip
    engage.close()
    assert rows
    return "\n".join(rows)


def renew_in(engage_env: Path, linkedin: FakeLinkedIn, days: float) -> None:
    save_token(engage_env / "linkedin-token.json", CANARY,
               datetime.now(UTC) + timedelta(days=days), linkedin.member)  # fmt: skip


def test_status_shows_when_the_linkedin_token_expires(
    connected: Path, linkedin: FakeLinkedIn, engage_env: Path
) -> None:
    renew_in(engage_env, linkedin, 40.5)

    report = json.loads(run(connected, "status", "--json").output)["linkedin"]
    shown_to_people = run(connected, "status").output

    assert (report["connected"], report["days_left"], report["warning"]) == (True, 40, None)
    assert report["expires_at"][:10] in shown_to_people
    assert "in 40 days" in shown_to_people
    assert "run engage auth linkedin" not in shown_to_people


def test_status_warns_token_warn_days_before_the_token_expires(
    connected: Path, linkedin: FakeLinkedIn, engage_env: Path
) -> None:
    renew_in(engage_env, linkedin, 3.5)

    report = json.loads(run(connected, "status", "--json").output)["linkedin"]

    assert report["warning"] == "LinkedIn token expires in 3 days: run engage auth linkedin"
    assert report["warning"] in run(connected, "status").output


def test_the_digest_warns_before_the_linkedin_token_runs_out(
    connected: Path, linkedin: FakeLinkedIn, engage_env: Path, tmp_path: Path
) -> None:
    renew_in(engage_env, linkedin, -1)

    result = run(connected, "digest", "--preview", "--out", str(tmp_path / "digest"), "--json")

    assert result.exit_code == 0, result.output
    paths = json.loads(result.output)
    warning = "LinkedIn token has expired: run engage auth linkedin"
    assert warning in Path(paths["text"]).read_text()
    assert warning in Path(paths["html"]).read_text()
    assert CANARY not in Path(paths["text"]).read_text() + Path(paths["html"]).read_text()
