"""Drafts as the therapist meets them: queued after each watch for the best new matches (within
the daily maximum), on demand with `engage draft`, shares of their own blog, an LLM if set."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engage.app import make_engage
from engage.cli import cli
from engage.desk import moves_for, redraft
from tests.fakes.feeds import Document, Entry, FeedServer, rss
from tests.fakes.openai import ChatCompletionsServer

pytestmark = pytest.mark.usefixtures("app_database")

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
    with FeedServer() as server:
        fresh = datetime.now(UTC) - timedelta(hours=1)
        entries = [Entry(id, title, f"https://colleagues.example/{id}", f"<p>{body}</p>",
                         published=fresh) for id, title, body in [*CONSULTS, CRISIS]]  # fmt: skip
        server.serve("/threads.xml", Document(rss(entries, title="r/therapists")))
        server.serve("/mine.xml", Document(rss(
            [Entry("p1", "Why partners need support before disclosure",
                   "https://grace.example/blog/partners", "<p>Betrayal trauma is trauma.</p>",
                   published=fresh),
             Entry("p0", "An old post from years ago", "https://grace.example/blog/old",
                   "<p>From the archive.</p>", published=fresh - timedelta(days=400))],
            title="Grace Lee's notes")))  # fmt: skip
        yield server


def write_config(tmp_path: Path, feeds: FeedServer, extra: str = "") -> Path:
    path = tmp_path / "engage.toml"
    path.write_text(
        '[profile]\nname = "Grace Lee"\ncredentials = "LMFT, CSAT"\n'
        'location = "Southern California"\nlicensed_in = ["CA"]\n'
        'website = "https://grace.example"\n'
        "[profile.specialties]\nsex_addiction = 1.0\ncouples = 0.6\n"
        f'[[feeds]]\nurl = "{feeds.url}/threads.xml"\n'
        f'[[feeds]]\nurl = "{feeds.url}/mine.xml"\nown = true\n' + extra
    )
    return path


def run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def drafts(config: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(run(config, "drafts", "list", "--json").output)
    return rows


def test_watch_queues_drafts_for_the_best_matches_within_the_daily_maximum(
    tmp_path: Path, feeds: FeedServer
) -> None:
    config = write_config(tmp_path, feeds, "[publishing]\ndaily_max_drafts = 2\n")
    assert run(config, "watch", "--once").exit_code == 0
    replies = [d for d in drafts(config) if d["kind"] == "reply"]
    assert len(replies) == 2
    for draft in replies:
        assert draft["status"] == "pending"
        assert not [w for w in draft["warnings"] if w["blocking"] and  # type: ignore[union-attr]
                    w["slug"] != "unfilled_placeholder"]  # fmt: skip


def test_a_crisis_thread_gets_only_a_crisis_resources_reply_even_past_the_maximum(
    tmp_path: Path, feeds: FeedServer
) -> None:
    config = write_config(tmp_path, feeds, "[publishing]\ndaily_max_drafts = 0\n")
    run(config, "watch", "--once")
    [crisis] = [d for d in drafts(config) if d["kind"] == "crisis_reply"]
    assert crisis["move"] == "crisis_resources" and "988" in str(crisis["text"])
    assert [d["kind"] for d in drafts(config)].count("reply") == 0


def test_a_new_post_on_the_own_blog_becomes_a_linkedin_share_draft(
    tmp_path: Path, feeds: FeedServer
) -> None:
    config = write_config(tmp_path, feeds)
    run(config, "watch", "--once")
    [share] = [d for d in drafts(config) if d["kind"] == "blog_share"]  # not the old post
    assert share["platform"] == "linkedin"
    assert "https://grace.example/blog/partners" in str(share["text"])


def test_engage_draft_makes_a_reply_with_the_chosen_move(tmp_path: Path, feeds: FeedServer) -> None:
    config = write_config(tmp_path, feeds, "[publishing]\ndaily_max_drafts = 0\n")
    run(config, "watch", "--once")
    threads = json.loads(run(config, "threads", "list", "--json").output)
    consult = next(t for t in threads if t["title"].startswith("SAA or SLAA"))
    made = json.loads(run(config, "draft", str(consult["id"]), "--move", "ask", "--json").output)
    assert (made["move"], made["thread_id"], made["status"]) == ("ask", consult["id"], "pending")


def test_changing_the_move_rewrites_the_draft_and_needs_approval_again(
    tmp_path: Path, feeds: FeedServer
) -> None:
    config = write_config(tmp_path, feeds, "[publishing]\ndaily_max_drafts = 1\n")
    run(config, "watch", "--once")
    [draft] = [d for d in drafts(config) if d["kind"] == "reply"]
    engage = make_engage(config)
    draft_id = int(str(draft["id"]))
    other = next(m for m in moves_for(engage, draft_id) if m.value != draft["move"])
    redraft(engage, draft_id, other, actor="test")
    [after] = [d for d in drafts(config) if d["id"] == draft_id]
    assert (after["move"], after["status"]) == (other.value, "pending")
    assert after["text"] != draft["text"]


def test_a_configured_llm_writes_the_drafts(tmp_path: Path, feeds: FeedServer) -> None:
    reply = "As a CSAT, I slow disclosure down; the partner's stability comes first."
    with ChatCompletionsServer(reply) as llm:
        settings = f'[llm]\nmodel = "local-model"\napi_base = "{llm.api_base}"\n'
        config = write_config(tmp_path, feeds, "[publishing]\ndaily_max_drafts = 1\n" + settings)
        run(config, "watch", "--once")
        assert llm.chats, "the LLM was never asked"
    [draft] = [d for d in drafts(config) if d["kind"] == "reply"]
    assert draft["text"] == reply


def test_an_article_share_reply_cites_the_therapists_own_post(
    tmp_path: Path, feeds: FeedServer
) -> None:
    config = write_config(tmp_path, feeds, "[publishing]\ndaily_max_drafts = 0\n")
    run(config, "watch", "--once")
    threads = json.loads(run(config, "threads", "list", "--json").output)
    consult = next(t for t in threads if t["title"].startswith("Consult: formal disclosure"))
    made = run(config, "draft", str(consult["id"]), "--move", "share_article", "--json")
    assert made.exit_code == 0, made.output
    draft = json.loads(made.output)
    assert draft["cites"] == ["https://grace.example/blog/partners"]
    assert "https://grace.example/blog/partners" in draft["text"]
    assert not [w for w in draft["warnings"] if w["slug"] == "undisclosed_promotion"]
