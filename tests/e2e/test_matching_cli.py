"""Matching as the therapist meets it: watch scores new threads; list --worth ranks them with
reasons; --explain points at the words; eval and guard print their metrics."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engage.cli import cli
from tests.fakes.reddit import FakeReddit

DATA = Path(__file__).resolve().parents[1] / "data"
NOW = 1_790_000_000.0
POSTS = [
    (
        "a1",
        "therapists",
        "Consult: formal disclosure timeline with a CSAT couple?",
        "Client's partner discovered years of compulsive porn use; how long do you prepare the "
        "full disclosure? Betrayal trauma is intense.",
    ),
    ("a2", "therapists", "Best note-taking app?", "Looking for a HIPAA-compliant EHR."),
    ("a3", "mft", "My phone addiction is ruining my evenings", "TikTok until 2am, any tips?"),
]


@pytest.fixture
def fake_reddit() -> Iterator[FakeReddit]:
    with FakeReddit() as server:
        for n, (id36, sub, title, body) in enumerate(POSTS):
            server.store.add("t3", {
                "id": id36, "name": f"t3_{id36}", "subreddit": sub, "title": title,
                "selftext": body, "author": "colleague", "created_utc": NOW + n, "num_comments": 1,
                "permalink": f"/r/{sub}/comments/{id36}/x/", "url": f"/r/{sub}/comments/{id36}/x/",
            })  # fmt: skip
        yield server


@pytest.fixture
def config(tmp_path: Path, fake_reddit: FakeReddit, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENGAGE_REDDIT_CLIENT_ID", "id")
    monkeypatch.setenv("ENGAGE_REDDIT_CLIENT_SECRET", "secret")
    path = tmp_path / "engage.toml"
    path.write_text(
        '[profile]\nlocation = "Southern California"\nlicensed_in = ["CA"]\n'
        "[profile.specialties]\nsex_addiction = 1.0\ncouples = 0.6\n"
        f'[reddit]\nmode = "api"\nsubreddits = ["therapists", "mft"]\n'
        f'api_url = "{fake_reddit.url}"\nauth_url = "{fake_reddit.url}"\n'
    )
    return path


def run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


@pytest.mark.usefixtures("app_database")
def test_watch_matches_new_threads_and_list_worth_ranks_them(config: Path) -> None:
    assert run(config, "watch", "--once").exit_code == 0
    worth = json.loads(run(config, "threads", "list", "--worth", "--json").output)
    assert worth[0]["title"].startswith("Consult: formal disclosure")
    assert worth[0]["match"]["specialties"][0] == "sex_addiction"
    titles = [row["title"] for row in worth]
    assert "My phone addiction is ruining my evenings" not in titles[:1]


@pytest.mark.usefixtures("app_database")
def test_list_worth_says_why_in_one_sentence_in_the_therapists_words(config: Path) -> None:
    assert run(config, "watch", "--once").exit_code == 0
    worth = json.loads(run(config, "threads", "list", "--worth", "--json").output)
    assert worth[0]["why"] == (
        "A colleague asks for consultation on sex addiction; sex addiction is your specialty."
    )
    wide = CliRunner(env={"COLUMNS": "300"})
    table = wide.invoke(cli, ["--config", str(config), "threads", "list", "--worth"]).output
    assert "asks for consultation on sex addiction; sex addiction is your specialty." in table
    assert "sex_addiction" not in table  # the slug is never shown


@pytest.mark.usefixtures("app_database")
def test_explain_says_why_and_keeps_the_full_evidence(config: Path) -> None:
    run(config, "watch", "--once")
    threads = json.loads(run(config, "threads", "list", "--json").output)
    consult = next(t for t in threads if t["title"].startswith("Consult"))
    shown = run(config, "match", "--explain", str(consult["id"])).output
    assert "A colleague asks for consultation on sex addiction" in shown
    assert "specialty sex_addiction: “formal disclosure”" in shown


@pytest.mark.usefixtures("app_database")
def test_explain_points_at_the_words_that_matched(config: Path) -> None:
    run(config, "watch", "--once")
    threads = json.loads(run(config, "threads", "list", "--json").output)
    consult = next(t for t in threads if t["title"].startswith("Consult"))
    explained = json.loads(run(config, "match", "--explain", str(consult["id"]), "--json").output)
    shown = json.loads(run(config, "threads", "show", str(consult["id"]), "--json").output)
    assert explained["reasons"]
    for reason in explained["reasons"]:
        span = reason["span"]
        text = shown["title"] if span["field"] == "title" else shown["body"]
        assert text[span["start"] : span["end"]] == reason["text"]


@pytest.mark.usefixtures("app_database")
def test_match_all_rescores_after_the_profile_changes(config: Path) -> None:
    run(config, "watch", "--once")
    config.write_text(
        config.read_text().replace("sex_addiction = 1.0\ncouples = 0.6", "grief = 1.0")
    )
    result = json.loads(run(config, "match", "--all", "--json").output)
    assert result == {"threads": 3, "matches": 0}
    assert json.loads(run(config, "threads", "list", "--worth", "--json").output) == []


def test_config_check_names_an_unknown_specialty_and_suggests_one(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[profile.specialties]\nsex_addicton = 1.0\n")
    result = CliRunner().invoke(cli, ["config", "check", str(path)])
    assert result.exit_code == 2
    assert "profile.specialties.sex_addicton: unknown specialty (did you mean sex_addiction?)" in (
        result.output
    )


def test_eval_prints_the_metrics_for_every_persona_as_json() -> None:
    result = CliRunner().invoke(cli, [
        "eval", str(DATA / "eval" / "threads-dev.jsonl"),
        "--personas", str(DATA / "eval" / "personas.json"), "--json",
    ])  # fmt: skip
    report = json.loads(result.output)
    assert set(report["personas"]) == {"P1", "P2", "P3"}
    for values in report["personas"].values():
        assert set(values) == {"precision_at_10", "ndcg_at_10", "recall_top20pct",
                               "hard_negative_fp_rate"}  # fmt: skip


def test_guard_eval_prints_the_readme_keys() -> None:
    result = CliRunner().invoke(cli, ["guard", "eval", str(DATA / "guard" / "guard-dev.jsonl"),
                                      "--json"])  # fmt: skip
    report = json.loads(result.output)
    assert {"per_slug", "recall_any", "false_alarm_rate", "false_alarm_rate_near_miss"} <= set(
        report
    )


def test_guard_check_flags_a_named_client_with_its_span_and_exits_1() -> None:
    text = "My client Dana, a 34-year-old nurse at Mercy Hospital, had the same thing."
    result = CliRunner().invoke(cli, ["guard", "check", "-", "--json"], input=text)
    assert result.exit_code == 1
    warnings = json.loads(result.output)["warnings"]
    assert "client_identifying" in {w["slug"] for w in warnings}
    for warning in warnings:
        start, end = warning["span"]
        assert text[start:end] == warning["text"]


def test_guard_check_passes_a_clean_text() -> None:
    text = "In my experience, preparing the partner first makes a formal disclosure safer."
    result = CliRunner().invoke(cli, ["guard", "check", "--context", "r/therapists consult"],
                                input=text)  # fmt: skip
    assert (result.exit_code, result.output.strip()) == (0, "no problems found")
