"""A little world for desk and publishing tests: a config, Reddit threads with drafts on them,
and the CLI run in-process."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner, Result

from engage.app import make_engage
from engage.cli import cli
from engage.desk import add_draft
from engage.models import Match, Thread
from engage.types import DraftKind

CLEAN = "I'm a CSAT in Orange County; what helped couples I've seen most was a slower pace."


def seed(config: Path, *texts: str) -> list[int]:
    engage = make_engage(config)
    ids = []
    with engage.db.write() as session:
        for n, text in enumerate(texts):
            thread = Thread(platform="reddit", external_id=f"abc{n}", community="r/therapists",
                            title=f"Disclosure timing question {n}", body="How long?",
                            url=f"https://www.reddit.com/r/therapists/comments/abc{n}/",
                            created_at=datetime.now(UTC))  # fmt: skip
            session.add(thread)
            session.flush()
            session.add(Match(thread_id=thread.id, score=1.0, intent="consult_question",
                              profile_hash="t", reasons=[{"text": "disclosure"}]))  # fmt: skip
            session.flush()
            draft = add_draft(session, engage.config, text=text, kind=DraftKind.REPLY, move="ask",
                              platform="reddit", target=f"t3_abc{n}", thread=thread)  # fmt: skip
            ids.append(draft.id)
    engage.close()
    return ids


def run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def shown(config: Path, draft_id: int) -> dict[str, object]:
    result: dict[str, object] = json.loads(
        run(config, "drafts", "show", str(draft_id), "--json").output
    )
    return result


ARTICLE_TITLE = "Why partners need their own support before a formal disclosure"
ARTICLE_SUMMARY = (
    "Betrayal trauma is real trauma. Before any couples work, the partner deserves a space of "
    "their own to be heard, to stabilise and to decide what they need to know."
)


def share_drafted(config: Path, share_to: str | None = None) -> int:
    """A post on the therapist's own blog and the share the drafting step queued for it
    (to `[publishing] share_to` when given); returns the share's draft id."""
    from engage.desk import queue_blog_shares
    from engage.models import BlogPost

    if share_to is not None:
        config.write_text(config.read_text() + f'\n[publishing]\nshare_to = "{share_to}"\n')
    engage = make_engage(config)
    with engage.db.write() as session:
        session.add(BlogPost(url="https://gracelee.example/blog/partners", title=ARTICLE_TITLE,
                             summary=ARTICLE_SUMMARY, published_at=datetime.now(UTC)))  # fmt: skip
    assert queue_blog_shares(engage) == 1
    engage.close()
    [row] = json.loads(run(config, "drafts", "list", "--json").output)
    return int(row["id"])

