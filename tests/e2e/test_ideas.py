"""`engage ideas`: after `engage watch` brought colleagues' threads from their communities, the
questions they keep asking in the therapist's specialties, as ideas for a short article."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from engage.cli import cli
from tests.e2e.test_demo import OWN_SQLITE, demo, engage
from tests.fakes.feeds import Document, Entry, FeedServer, rss

pytestmark = pytest.mark.usefixtures("app_database")

NOW = datetime.now(UTC)
COLLEAGUES = [
    ("d1", "How long do you prepare a formal disclosure?",
     "Partner wants it within the month. What timeline do you use for the disclosure?", 1),
    ("d2", "Formal disclosure timeline with a CSAT couple",
     "How many weeks of preparation do you give a formal disclosure before the partner hears?", 3),
    ("d3", "Betrayed partner pushing for the formal disclosure now",
     "What timeline for the formal disclosure has worked in your experience?", 9),
    ("s1", "SAA or SLAA alongside therapy for sex addiction?",
     "Which 12-step fellowship do you suggest for a man new to recovery?", 2),
    ("p1", "Therapeutic polygraph before a formal disclosure: ethical or coercive?",
     "Some CSATs require a polygraph with the disclosure. Do you?", 40),
    ("k1", "I can't do this anymore after the disclosure",
     "Since my husband's porn addiction came out I've been thinking about ending my life. "
     "I have a plan. Is there any point?", 1),
]  # fmt: skip
SEEKER = ("a1", "Should I make my husband do a formal disclosure of his porn addiction?",
          "I found the messages. How long should I wait for the whole truth?", 1)  # fmt: skip


def entries(posts: list[tuple[str, str, str, int]]) -> list[Entry]:
    return [
        Entry(key, title, f"https://colleagues.example/{key}", f"<p>{body}</p>",
              published=NOW - timedelta(days=age))
        for key, title, body, age in posts
    ]  # fmt: skip


def watched(tmp_path: Path, extra: str = "") -> Iterator[Path]:
    """A CSAT watching a clinicians' community and a help-seekers' one, after one watch;
    `extra`: more of their config (an [llm] section)."""
    with FeedServer() as feeds:
        feeds.serve("/colleagues.xml", Document(rss(entries(COLLEAGUES), title="r/therapists")))
        feeds.serve("/seekers.xml", Document(rss(entries([SEEKER]), title="r/AskTherapists")))
        path = tmp_path / "engage.toml"
        path.write_text(
            '[profile]\nname = "Grace Lee"\ncredentials = "LMFT, CSAT"\n'
            'modalities = ["Gottman Method"]\n'
            "[profile.specialties]\nsex_addiction = 1.0\ncouples = 0.6\n"
            "[publishing]\ndaily_max_drafts = 0\n"
            f'[[feeds]]\nurl = "{feeds.url}/colleagues.xml"\n'
            f'[[feeds]]\nurl = "{feeds.url}/seekers.xml"\n' + extra
        )
        result = run(path, "watch", "--once")
        assert result.exit_code == 0, result.output
        yield path


@pytest.fixture
def config(tmp_path: Path) -> Iterator[Path]:
    yield from watched(tmp_path)


def run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def ideas_json(config: Path, *args: str) -> dict[str, Any]:
    result = run(config, "ideas", "--json", *args)
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.output)
    return found


def urls(found: dict[str, Any]) -> set[str]:
    return {thread["url"] for idea in found["ideas"] for thread in idea["threads"]}


def test_the_question_asked_three_times_this_month_comes_first(config: Path) -> None:
    found = ideas_json(config)
    first = found["ideas"][0]
    assert (found["weeks"], first["number"], first["count"]) == (4, 1, 3)
    assert first["specialty"] == "sex_addiction" and first["communities"] == ["r/therapists"]
    assert "formal disclosure" in first["title"].lower() and first["title"].endswith("?")
    assert [t["url"].rsplit("/", 1)[1] for t in first["threads"]] == ["d1", "d2", "d3"]
    assert first["last_asked"] == (NOW - timedelta(days=1)).date().isoformat()


def test_each_thread_behind_an_idea_has_its_title_link_community_date_and_question(
    config: Path,
) -> None:
    thread = ideas_json(config)["ideas"][0]["threads"][0]
    assert set(thread) == {"id", "title", "url", "community", "date", "question"}
    assert thread["title"] == "How long do you prepare a formal disclosure?"
    assert thread["community"] == "r/therapists"
    assert thread["date"] == (NOW - timedelta(days=1)).date().isoformat()


def test_a_different_question_is_an_idea_of_its_own(config: Path) -> None:
    found = ideas_json(config)
    assert [idea["count"] for idea in found["ideas"]] == [3, 1]
    assert found["ideas"][1]["threads"][0]["url"].endswith("/s1")
    assert found["questions"] == 4


def test_help_seekers_and_crisis_threads_are_never_ideas(config: Path) -> None:
    shown = urls(ideas_json(config, "--weeks", "52"))
    assert "https://colleagues.example/a1" not in shown
    assert "https://colleagues.example/k1" not in shown


def test_older_questions_come_in_with_more_weeks(config: Path) -> None:
    assert "https://colleagues.example/p1" not in urls(ideas_json(config))
    assert "https://colleagues.example/p1" in urls(ideas_json(config, "--weeks", "8"))


def test_limit_shows_the_best_ideas_only(config: Path) -> None:
    found = ideas_json(config, "--limit", "1")
    assert [idea["number"] for idea in found["ideas"]] == [1]
    assert (found["questions"], found["found"]) == (4, 2)
    assert run(config, "ideas", "--limit", "1").output.endswith(
        "\n1 more: engage ideas --limit 0\n"
    )


def test_the_text_lists_each_idea_with_its_threads(config: Path) -> None:
    result = run(config, "ideas")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Article ideas from 4 questions colleagues asked")
    assert any(line.startswith("1. ") and "formal disclosure" in line.lower() for line in lines)
    assert "   sex addiction · asked 3 times in r/therapists, last on " in result.output
    assert "     https://colleagues.example/d2" in lines
    assert "2. SAA or SLAA alongside therapy for sex addiction?" in lines


def test_with_nothing_watched_yet_it_says_what_to_run(tmp_path: Path) -> None:
    path = tmp_path / "engage.toml"
    path.write_text('[profile]\nname = "Grace Lee"\n[profile.specialties]\nsex_addiction = 1.0\n')
    result = run(path, "ideas")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("no questions in your specialties in the last 4 weeks — "
                                     "run engage watch, or engage demo")  # fmt: skip
    assert json.loads(run(path, "ideas", "--json").output)["ideas"] == []


def test_weeks_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path / "engage.toml", "ideas", "--weeks", "0")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@OWN_SQLITE
def test_on_the_demo_ideas_come_from_colleagues_communities_only(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    assert demo("--dir", str(folder)).exit_code == 0
    result = engage(folder, "ideas", "--json", "--limit", "0")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    communities = {t["community"] for idea in found["ideas"] for t in idea["threads"]}
    assert found["ideas"] and "r/therapists" in communities
    assert "r/AskTherapists" not in communities  # the demo's help-seekers
