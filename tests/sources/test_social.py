"""MastodonSource and BlueskySource against their loopback fakes."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from engage.errors import SourceError
from engage.platforms.bluesky.source import BlueskySource
from engage.platforms.mastodon.source import MastodonSource
from engage.sources.http import RetryPolicy
from engage.types import Platform
from tests.fakes.server import Fault
from tests.fakes.social import (
    START,
    TEXTS,
    FakeBluesky,
    FakeMastodon,
    generate_bluesky_posts,
    generate_statuses,
)

TAGS = ["emdr", "ocd", "perinatal", "grief", "anxiety", "supervision", "adhd"]


@pytest.fixture
def mastodon() -> Iterator[FakeMastodon]:
    with FakeMastodon() as server:
        yield server


@pytest.fixture
def bluesky() -> Iterator[FakeBluesky]:
    with FakeBluesky() as server:
        yield server


def test_mastodon_polls_lose_and_repeat_nothing(mastodon: FakeMastodon, retry: RetryPolicy) -> None:
    mastodon.statuses = generate_statuses(900, [*TAGS, "unwatched"])
    source = MastodonSource(mastodon.url, ["#EMDR", *TAGS[1:]], retry=retry, max_pages=3)
    assert [len(g) for g in source.groups] == [5, 2]
    mastodon.now = START + 99
    first, checkpoint = source.fetch({})
    # The first poll takes the newest page (of 40) of each request.
    visible = [{t["name"] for t in s["tags"]} for s in mastodon.statuses[:100]]
    expected = [min(40, sum(bool(tags & set(g)) for tags in visible)) for g in source.groups]
    assert [sum(p.community[1:] in g for p in first) for g in source.groups] == expected
    assert expected[0] == 40

    seen = {p.external_id for p in first}
    # 120 posts per request a poll at most: the quiet polls at the end catch up, skipping nothing.
    for arrived in (100, 101, 350, 900, 900, 900, 900, 900):
        mastodon.now = START + arrived - 1
        mastodon.clear()
        posts, checkpoint = source.fetch(json.loads(json.dumps(checkpoint)))
        assert mastodon.count() <= 2 * 3
        ids = [p.external_id for p in posts]
        assert len(ids) == len(set(ids)) and not seen & set(ids)
        seen.update(ids)
    assert posts == []

    watched_before = {
        s["uri"] for s in mastodon.statuses[:100] if {t["name"] for t in s["tags"]} & set(TAGS)
    }
    later = {
        s["uri"] for s in mastodon.statuses[100:] if {t["name"] for t in s["tags"]} & set(TAGS)
    }
    assert later <= seen and seen <= watched_before | later


def test_mastodon_status_fields(mastodon: FakeMastodon, retry: RetryPolicy) -> None:
    mastodon.statuses = generate_statuses(12, ["emdr"])
    boost = {**mastodon.statuses[0], "id": "999999999999999999999", "uri": "https://x/boost"}
    mastodon.statuses.append({**boost, "reblog": mastodon.statuses[0]})
    mastodon.token = "secret-token"

    with pytest.raises(SourceError, match="HTTP 401") as failure:
        MastodonSource(mastodon.url, ["emdr"], retry=retry).fetch({})
    assert not failure.value.retryable
    posts, _ = MastodonSource(
        mastodon.url, ["emdr"], access_token="secret-token", retry=retry
    ).fetch({})

    assert len(posts) == 12  # the boost is skipped
    first = next(p for p in posts if p.external_id == mastodon.statuses[0]["uri"])
    assert first.platform is Platform.MASTODON and first.community == "#emdr"
    assert first.title == "mental health, suicide mention"
    assert first.body in {f"{text} #emdr" for text in TEXTS}
    assert first.author == "u0@" + first.url.split("/")[2]
    assert first.link_url == "https://blog.example.org/0"


def test_mastodon_faults(mastodon: FakeMastodon, retry: RetryPolicy, sleeps: list[float]) -> None:
    mastodon.statuses = generate_statuses(5, ["ocd"])
    source = MastodonSource(mastodon.url, ["ocd"], retry=retry)
    mastodon.inject(Fault(status=429, retry_after="4"), Fault(reset=True))
    assert len(source.fetch({})[0]) == 5
    assert sleeps == [4.0, 1.5]

    mastodon.inject(Fault(malformed=True))
    with pytest.raises(SourceError, match="malformed JSON") as failure:
        source.fetch({})
    assert failure.value.retryable


def test_bluesky_search_is_incremental(bluesky: FakeBluesky, retry: RetryPolicy) -> None:
    bluesky.posts = generate_bluesky_posts(1200)
    source = BlueskySource(["EMDR", "ocd"], retry=retry, api_url=bluesky.url, max_pages=5)
    bluesky.now = START + 99
    first, checkpoint = source.fetch({})

    seen = [p.external_id for p in first]
    for arrived in (100, 101, 400, 1200):
        bluesky.now = START + arrived - 1
        posts, checkpoint = source.fetch(json.loads(json.dumps(checkpoint)))
        seen.extend(p.external_id for p in posts)

    def matches(post: dict[str, object]) -> bool:
        text = str(post["record"]["text"]).lower()  # type: ignore[index]
        return "emdr" in text or "ocd" in text

    assert len(seen) == len(set(seen))
    assert {p["uri"] for p in bluesky.posts[100:] if matches(p)} <= set(seen)
    assert all(r.query.get("sort") == "latest" for r in bluesky.requests)


def test_bluesky_fields_and_login(bluesky: FakeBluesky, retry: RetryPolicy) -> None:
    bluesky.posts = generate_bluesky_posts(8)
    bluesky.require_auth = True
    with pytest.raises(SourceError, match="HTTP 403"):
        BlueskySource(["exposure"], api_url=bluesky.url, retry=retry).fetch({})
    with pytest.raises(SourceError, match="refused the handle") as failure:
        BlueskySource(
            ["exposure"], handle="dr-lena.bsky.social", app_password="wrong",
            auth_url=bluesky.url, retry=retry,
        ).fetch({})  # fmt: skip
    assert not failure.value.retryable

    source = BlueskySource(
        ["Angst", "odd text"], handle="dr-lena.bsky.social", app_password="app-pass",
        auth_url=bluesky.url, retry=retry,
    )  # fmt: skip
    posts, _ = source.fetch({})

    assert posts and all(p.platform is Platform.BLUESKY for p in posts)
    post = posts[0]
    assert post.url.startswith("https://bsky.app/profile/therapist")
    assert post.url.endswith(post.external_id.rpartition("/")[2])
    assert post.community in {"Angst", "odd text"} and post.title == ""
    assert any(p.link_url for p in posts) and any("\u202e" in p.body for p in posts)
