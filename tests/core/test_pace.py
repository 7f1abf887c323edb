"""The pace of publishing by API: caps per platform and per community in any 24 hours, a gap
between posts, and the allow-list of communities."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engage.config import PublishingSettings
from engage.publishing.pace import Posted, community_key, hold_until, may_post_to

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
PACE = PublishingSettings(
    max_posts_per_day=3, max_posts_per_community_per_day=2, min_minutes_between_posts=15
)


def posted(minutes_ago: float, community: str = "r/MFT", platform: str = "reddit") -> Posted:
    return Posted(platform, community, NOW - timedelta(minutes=minutes_ago))


def test_nothing_posted_lately_goes_out_now() -> None:
    assert hold_until("reddit", "r/MFT", [], PACE, NOW) == (None, "")


def test_a_post_within_the_gap_waits_for_the_gap_to_pass() -> None:
    until, why = hold_until("reddit", "r/CPTSD", [posted(5)], PACE, NOW)
    assert until == NOW + timedelta(minutes=10)
    assert "every 15 minutes" in why


def test_the_gap_is_per_platform() -> None:
    assert hold_until("mastodon", "#EMDR", [posted(5)], PACE, NOW) == (None, "")


def test_a_community_at_its_daily_cap_waits_until_its_oldest_post_is_a_day_old() -> None:
    until, why = hold_until("reddit", "r/mft", [posted(600), posted(60)], PACE, NOW)
    assert until == NOW - timedelta(minutes=600) + timedelta(hours=24)
    assert "2 posts in r/mft" in why


def test_a_platform_at_its_daily_cap_waits_whatever_the_community() -> None:
    recent = [posted(900, "r/a"), posted(600, "r/b"), posted(300, "r/c")]
    until, why = hold_until("reddit", "r/d", recent, PACE, NOW)
    assert until == NOW - timedelta(minutes=900) + timedelta(hours=24)
    assert "3 posts on reddit" in why


def test_posts_older_than_a_day_no_longer_count() -> None:
    recent = [posted(60 * 25), posted(60 * 26), posted(60 * 27)]
    assert hold_until("reddit", "r/MFT", recent, PACE, NOW) == (None, "")


def test_a_cap_of_zero_turns_publishing_by_api_off() -> None:
    off = PublishingSettings(max_posts_per_day=0)
    until, why = hold_until("reddit", "r/MFT", [], off, NOW)
    assert until is not None and "off" in why


def test_one_subreddit_has_one_name_however_it_is_written() -> None:
    assert community_key("r/MFT") == community_key("MFT") == community_key("/r/mft")


def test_only_watched_communities_and_those_named_in_post_to_are_posted_to() -> None:
    settings = PublishingSettings(post_to=("r/MFT",))
    assert may_post_to("r/CPTSD", True, settings)
    assert may_post_to("r/mft", False, settings)
    assert not may_post_to("r/AskReddit", False, settings)
