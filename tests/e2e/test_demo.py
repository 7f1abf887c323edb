"""`engage demo` (what `python3 dev.py demo` runs): the daily job on fictional data, offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from engage.cli import cli
from engage.db import Database
from engage.models import BlogPost, Match, Thread


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "run"
    result = CliRunner().invoke(cli, ["demo", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


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


def test_the_demo_writes_a_digest_preview(demo_dir: Path) -> None:
    html = (demo_dir / "digest" / "digest.html").read_text()
    assert "worth joining" in html and "<script" not in html


def test_the_demo_refuses_to_empty_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert (tmp_path / "precious.txt").exists()
