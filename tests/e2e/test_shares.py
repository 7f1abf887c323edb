"""Shares of the therapist's own articles: drafted for the channel `[publishing] share_to`
names, sent elsewhere at the desk (or `engage drafts share-to`), always fitting the channel."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.desk_world import ARTICLE_TITLE as TITLE
from tests.e2e.desk_world import CLEAN, run, seed, share_drafted, shown

pytestmark = pytest.mark.usefixtures("app_database")



def test_a_share_is_drafted_for_the_channel_the_config_names(config: Path) -> None:
    row = shown(config, share_drafted(config, "mastodon"))
    assert (row["platform"], row["target"]) == ("mastodon", "mastodon:share")
    assert row["channel"] == {"name": "mastodon", "label": "Mastodon"}
    assert row["article"]["title"] == TITLE


def test_a_share_sent_to_a_shorter_channel_is_written_again_to_fit(config: Path) -> None:
    draft_id = share_drafted(config)
    result = run(config, "drafts", "share-to", str(draft_id), "bluesky")
    assert result.exit_code == 0, result.output
    row = shown(config, draft_id)
    assert (row["platform"], row["target"], row["status"]) == ("bluesky", "bluesky:share",
                                                               "pending")  # fmt: skip
    assert len(str(row["text"])) <= 300
    assert not any(w["slug"] == "too_long" for w in row["warnings"])


def test_an_approved_share_sent_elsewhere_needs_approval_again(config: Path) -> None:
    draft_id = share_drafted(config)
    run(config, "drafts", "edit", str(draft_id), "--text", f"My new piece: {TITLE}. Thoughts?")
    assert run(config, "drafts", "approve", str(draft_id)).exit_code == 0
    assert run(config, "drafts", "share-to", str(draft_id), "hand").exit_code == 0
    row = shown(config, draft_id)
    assert (row["status"], row["platform"]) == ("pending", "manual")


def test_an_edited_share_too_long_for_its_new_channel_blocks_approval(config: Path) -> None:
    draft_id = share_drafted(config)
    long_text = f"My new piece: {TITLE}. " + "It matters because partners are hurt too. " * 12
    run(config, "drafts", "edit", str(draft_id), "--text", long_text)
    run(config, "drafts", "share-to", str(draft_id), "bluesky")
    row = shown(config, draft_id)
    assert row["text"] == long_text.strip()
    assert any(w["slug"] == "too_long" and w["blocking"] for w in row["warnings"])
    refused = run(config, "drafts", "approve", str(draft_id), "--override", "I know")
    assert refused.exit_code == 1 and "too_long" in refused.output


def test_a_reply_cannot_be_sent_to_another_channel(config: Path) -> None:
    [draft_id] = seed(config, CLEAN)
    result = run(config, "drafts", "share-to", str(draft_id), "mastodon")
    assert result.exit_code == 2 and "only shares" in result.output
