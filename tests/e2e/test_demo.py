"""`engage demo` (what `python3 dev.py demo` runs): the daily job on fictional data, offline, with
the demo's Reddit communities on a local Reddit read through praw; then `engage demo --publish`,
which publishes only what was approved, at most once, to that local Reddit."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from engage.cli import cli
from engage.db import Database
from engage.demo_reddit import CLIENT_ID, CLIENT_SECRET, PASSWORD, USERNAME, local_reddit
from engage.models import BlogPost, Match, Thread

OWN_SQLITE = pytest.mark.sqlite_only(reason="the demo keeps its own SQLite file in its directory")


@dataclass(frozen=True)
class Run:
    folder: Path
    output: str
    cwd: Path


@dataclass(frozen=True)
class Published:
    folder: Path
    draft: dict[str, Any]
    output: str


def engage(folder: Path, *args: str) -> Result:
    """engage on a demo directory, as the demo tells the user to run it."""
    env = {"ENGAGE_HOME": str(folder), "ENGAGE_DATABASE_URL": None}
    config = str(folder / "engage.toml")
    return CliRunner().invoke(cli, ["--config", config, *args], env=env)


def demo(*args: str) -> Result:
    return CliRunner().invoke(cli, ["demo", *args])


def copy_of(run: Run | Published, where: Path) -> Path:
    """A demo directory of its own for a test that changes it."""
    return Path(shutil.copytree(run.folder, where / "demo"))


def ready_reply(folder: Path) -> dict[str, Any]:
    """A pending Reddit reply made ready as a therapist makes one: its brackets filled in with
    their own words (a draft carrying none of their words can't be approved untouched)."""
    listed = engage(folder, "drafts", "list", "--status", "pending", "--json")
    assert listed.exit_code == 0, listed.output
    row = next(
        row
        for row in json.loads(listed.output)
        if row["kind"] == "reply" and row["platform"] == "reddit"
        and not any(w["blocking"] and w["slug"] != "unfilled_placeholder"
                    for w in row["warnings"])
    )  # fmt: skip
    filled = re.sub(r"\[[^\[\]\n]{2,200}\]", "a slower pace helped the couples I see", row["text"])
    edited = engage(folder, "drafts", "edit", str(row["id"]), "--text", filled)
    assert edited.exit_code == 0, edited.output
    return {**row, "text": filled.strip()}


def comments_on_local_reddit(folder: Path) -> list[dict[str, Any]]:
    """The demo account's comments, read over HTTP from the local Reddit serving `folder`."""
    with local_reddit(folder) as url:
        token = requests.post(
            f"{url}/api/v1/access_token",
            auth=(CLIENT_ID, CLIENT_SECRET),
            data={"grant_type": "password", "username": USERNAME, "password": PASSWORD},
            timeout=10,
        ).json()["access_token"]
        answer = requests.get(
            f"{url}/user/{USERNAME}/comments",
            headers={"Authorization": f"bearer {token}"},
            params={"limit": 100},
            timeout=10,
        )
    return [child["data"] for child in answer.json()["data"]["children"]]


def log_of(folder: Path) -> list[dict[str, Any]]:
    result = engage(folder, "log", "--json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.output)
    return rows


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    cwd = tmp_path_factory.mktemp("demo")
    folder = cwd / "run"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)  # where the user types the commands the demo prints
        result = demo("--dir", str(folder))
    assert result.exit_code == 0, result.output
    return Run(folder, result.output, cwd)


@pytest.fixture(scope="module")
def demo_dir(first_run: Run) -> Path:
    return first_run.folder


@pytest.fixture(scope="module")
def published(first_run: Run, tmp_path_factory: pytest.TempPathFactory) -> Published:
    """A demo after one Reddit reply was approved through the CLI and `demo --publish` ran."""
    folder = copy_of(first_run, tmp_path_factory.mktemp("published"))
    draft = ready_reply(folder)
    approved = engage(folder, "drafts", "approve", str(draft["id"]))
    assert approved.exit_code == 0, approved.output
    result = demo("--publish", "--dir", str(folder))
    assert result.exit_code == 0, result.output
    return Published(folder, draft, result.output)


@pytest.mark.usefixtures("app_database")
def test_the_demo_ingests_every_thread_and_the_own_blog(demo_dir: Path) -> None:
    database = Database(f"sqlite:///{demo_dir / 'engage.db'}")
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Thread)) == 120
        assert session.scalar(select(func.count()).select_from(BlogPost)) == 2
        top = session.scalars(
            select(Thread).join(Match).where(Match.crisis.is_(False)).order_by(Match.score.desc())
        ).first()
    database.dispose()
    assert top is not None
    assert any(word in (top.title + top.body) for word in ("CSAT", "Orange County", "betrayal",
                                                           "sex", "porn", "Christian"))  # fmt: skip


@pytest.mark.usefixtures("app_database")
def test_the_demo_reads_its_subreddits_through_the_reddit_api(demo_dir: Path) -> None:
    database = Database(f"sqlite:///{demo_dir / 'engage.db'}")
    with database.read() as session:
        reddit = session.scalars(select(Thread).where(Thread.platform == "reddit")).all()
    database.dispose()
    assert len(reddit) == 104  # every r/ thread of the demo data; LinkedIn and blogs are feeds
    assert all(t.community.startswith("r/") and t.external_id.startswith("demo") for t in reddit)


def test_the_demo_writes_a_digest_preview(demo_dir: Path) -> None:
    html = (demo_dir / "digest" / "digest.html").read_text()
    assert "worth joining" in html and "<script" not in html


def test_the_first_run_ends_with_how_to_approve_a_reply_then_publish_it(first_run: Run) -> None:
    """Both commands are printed whole on one line each, with paths as typed where the demo ran
    (here `run`, relative to first_run.cwd)."""
    lines = first_run.output.splitlines()
    review = shlex.split(next(line for line in lines if line.rstrip().endswith(" review")))
    publish = shlex.split(next(line for line in lines if " demo --publish " in line))
    assert "key a" in first_run.output
    assert review[0] == "ENGAGE_HOME=run"
    assert review[2:] == ["--config", "run/engage.toml", "review"]
    assert publish[1:] == ["demo", "--publish", "--dir", "run"]
    assert first_run.output.index(" review") < first_run.output.index("demo --publish")


@OWN_SQLITE
def test_publish_with_nothing_approved_publishes_nothing_and_says_how(
    first_run: Run, tmp_path: Path
) -> None:
    folder = copy_of(first_run, tmp_path)
    result = demo("--publish", "--dir", str(folder))
    assert result.exit_code == 0, result.output
    assert "Nothing is approved, so nothing was published" in result.output
    assert "review" in result.output and "key a" in result.output
    assert comments_on_local_reddit(folder) == []
    assert log_of(folder) == []


def test_publish_posts_exactly_the_approved_reply_to_the_local_reddit(
    published: Published,
) -> None:
    [comment] = comments_on_local_reddit(published.folder)
    assert comment["body"] == published.draft["text"]
    assert comment["parent_id"] == published.draft["target"]
    assert published.draft["target"].startswith("t3_demo")


def test_publish_shows_the_reply_as_the_local_reddit_holds_it(published: Published) -> None:
    [comment] = comments_on_local_reddit(published.folder)
    assert "On the demo's Reddit now" in published.output
    assert comment["permalink"] in published.output
    assert f"{published.draft['thread']['community']} · " in published.output
    assert f"u/{USERNAME}: " in published.output


@OWN_SQLITE
def test_the_log_shows_the_published_reply(published: Published) -> None:
    [comment] = comments_on_local_reddit(published.folder)
    [row] = log_of(published.folder)
    assert row["draft_id"] == published.draft["id"]
    assert (row["platform"], row["via"], row["external_id"]) == ("reddit", "api", comment["id"])
    assert "The engagement log (engage log): 1 so far" in published.output


@OWN_SQLITE
def test_publish_again_publishes_nothing_more(published: Published, tmp_path: Path) -> None:
    folder = copy_of(published, tmp_path)
    result = demo("--publish", "--dir", str(folder))
    assert result.exit_code == 0, result.output
    assert "Nothing new is approved, so nothing was published" in result.output
    assert len(comments_on_local_reddit(folder)) == 1
    assert len(log_of(folder)) == 1


def test_publish_refuses_a_folder_without_a_demo(tmp_path: Path) -> None:
    result = demo("--publish", "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert "run `engage demo" in result.output


def test_the_demo_refuses_to_empty_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    result = demo("--dir", str(tmp_path))
    assert result.exit_code == 2
    assert (tmp_path / "precious.txt").exists()
