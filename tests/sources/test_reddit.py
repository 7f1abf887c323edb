"""RedditSource with real praw against the loopback fake Reddit (real recorded + generated data)."""

from __future__ import annotations

import math
from collections.abc import Callable
from types import SimpleNamespace

import pytest

from engage.errors import ConfigError, SourceError
from engage.platforms.reddit.api import RedditSource
from engage.types import FetchedComment, Platform
from tests.fakes.reddit import (
    FakeReddit,
    RedditStore,
    cassette_body,
    generate_comments,
    generate_submissions,
    to36,
)
from tests.fakes.server import Fault

MakeSource = Callable[..., RedditSource]
SUBS = ["therapists", "psychotherapy", "anxiety", "ocd", "askatherapist"]
START = 1_780_000_000.0


def seed(store: RedditStore, count: int, subs: list[str] = SUBS) -> list[dict[str, object]]:
    posts = generate_submissions(count, subs, start=START)
    store.add_many("t3", posts)
    return posts


def listing_requests(fake: FakeReddit) -> int:
    return fake.count("/r/")


def test_first_poll_reads_the_recorded_listing(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource
) -> None:
    fake_reddit.store.add_children(cassette_body("TestSubredditListings.test_new.json", 1))
    source = make_reddit_source(["AskReddit"])

    posts, checkpoint = source.fetch({})

    assert len(posts) == 100
    newest = posts[0]
    assert newest.platform is Platform.REDDIT
    assert (newest.external_id, newest.community) == ("48fbm9", "r/AskReddit")
    assert newest.url == (
        "https://www.reddit.com/r/AskReddit/comments/48fbm9/"
        "serious_parents_of_reddit_whats_the_biggest_lie/"
    )
    assert newest.created_at.tzinfo is not None
    assert checkpoint == {
        "version": 1,
        "listings": {"/r/askreddit/new": {"top": "48fbm9", "holes": []}},
    }
    assert {p.external_id for p in posts} == {
        c["data"]["id"]
        for c in cassette_body("TestSubredditListings.test_new.json", 1)["data"]["children"]
    }
    again, same = source.fetch(checkpoint)
    assert again == [] and same == checkpoint


def test_current_schema_payload_with_rate_limit_headers(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource
) -> None:
    body = cassette_body("TestSubmission.test_hide_multiple_in_batches.json", 1)
    fake_reddit.store.add_children(body)
    fake_reddit.ratelimit_headers = {
        "x-ratelimit-used": "3",
        "x-ratelimit-remaining": "997.0",
        "x-ratelimit-reset": "15",
    }
    subs = sorted({c["data"]["subreddit"] for c in body["data"]["children"]})
    source = make_reddit_source(subs)

    posts, _ = source.fetch({})

    assert len(posts) == 100
    by_id = {p.external_id: p for p in posts}
    for child in body["data"]["children"]:
        data, post = child["data"], by_id[child["data"]["id"]]
        assert post.title == data["title"]
        assert post.num_comments == data["num_comments"]
        assert post.link_url == (None if data["is_self"] else data["url"])
        assert post.author == (None if data["author"] == "[deleted]" else data["author"])


def test_deleted_removed_link_crosspost_missing_fields_huge_and_odd_text(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource
) -> None:
    generated = seed(fake_reddit.store, 3000)
    source = make_reddit_source(SUBS, max_pages=40)

    posts, _ = source.fetch({})

    assert len(posts) == 3000
    by_id = {p.external_id: p for p in posts}
    for data in generated:
        post = by_id[str(data["id"])]
        if data["author"] == "[deleted]":
            assert post.author is None
        if data.get("removed_by_category"):
            assert post.removed and post.body == ""
        if data.get("crosspost_parent_list"):
            assert post.body == "The original post's text."
            assert post.link_url and post.link_url.startswith("https://www.reddit.com/r/")
        if "is_self" not in data:  # an older payload
            assert post.link_url is None and not post.locked
        assert len(post.body) <= 60_000
    assert any(len(p.body) == 60_000 for p in posts)
    assert any("\u202e" in p.body for p in posts)


def test_polls_lose_and_repeat_nothing_as_posts_arrive(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource
) -> None:
    seed(fake_reddit.store, 2000, [*SUBS, "unwatched"])
    watched = [s for s in SUBS if s != "ocd"]
    source = make_reddit_source(watched)
    fetched: list[str] = []
    checkpoint: dict[str, object] = {}
    for arrived in (150, 151, 152, 500, 1100, 1101, 1400, 2000):
        fake_reddit.store.now = START + arrived - 1
        posts, checkpoint = source.fetch(checkpoint)
        fetched.extend(p.external_id for p in posts)

    expected = {t.data["id"] for t in fake_reddit.store.things.values() if t.subreddit in watched}
    assert len(fetched) == len(set(fetched)), "a post was fetched twice"
    assert set(fetched) == expected, "a post was lost"


@pytest.mark.parametrize("new", [1, 99, 100, 250, 701])
def test_requests_per_poll_grow_with_new_posts_only(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource, new: int
) -> None:
    seed(fake_reddit.store, 1000 + new)
    source = make_reddit_source(SUBS)
    fake_reddit.store.now = START + 999
    _, checkpoint = source.fetch({})

    fake_reddit.store.now = None
    fake_reddit.clear()
    posts, _ = source.fetch(checkpoint)

    assert len(posts) == new
    # One page per 100 new posts, plus (at most) one page that shows the checkpoint was reached.
    assert listing_requests(fake_reddit) <= math.ceil(new / 100) + 1


def test_requests_per_poll_do_not_grow_with_subreddits(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource
) -> None:
    subs = [f"community{n}" for n in range(50)]
    counts = {}
    for size in (1, 5, 50):
        fake_reddit.store = RedditStore()
        seed(fake_reddit.store, 1250, subs[:size])
        source = make_reddit_source(subs[:size])
        fake_reddit.store.now = START + 999
        _, checkpoint = source.fetch({})
        fake_reddit.store.now = None
        fake_reddit.clear()
        posts, _ = source.fetch(checkpoint)
        assert len(posts) == 250
        counts[size] = listing_requests(fake_reddit)
    assert counts == {1: 3, 5: 3, 50: 3}


def test_long_subreddit_lists_are_chunked_by_url_length(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource
) -> None:
    subs = [f"a_rather_long_community_name_{n:03d}" for n in range(200)]
    seed(fake_reddit.store, 300, subs)
    source = make_reddit_source(subs, max_path_length=1800)

    posts, checkpoint = source.fetch({})

    assert len(source.chunks) == math.ceil(200 * 36 / 1800)
    assert all(len(chunk) <= 1800 for chunk in source.chunks)
    assert len(posts) == 300
    assert listing_requests(fake_reddit) == len(source.chunks)
    assert set(checkpoint["listings"]) == {f"/r/{c}/new" for c in source.chunks}


def test_page_budget_leaves_a_hole_that_later_polls_fill(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource
) -> None:
    seed(fake_reddit.store, 1500)
    source = make_reddit_source(SUBS, max_pages=2)
    fake_reddit.store.now = START + 99
    first, checkpoint = source.fetch({})
    fake_reddit.store.now = START + 1099  # 1000 arrive; the budget is 200 a poll

    seen = [p.external_id for p in first]
    polls = 0
    while True:
        fake_reddit.clear()
        posts, checkpoint = source.fetch(checkpoint)
        polls += 1
        assert listing_requests(fake_reddit) <= 2
        seen.extend(p.external_id for p in posts)
        if not posts:
            break
    # 200 on the first poll; then each poll spends one page on the newest (nothing new) and one
    # on the hole: 8 more polls of 100, and a last one that finds nothing.
    assert polls == 10
    assert (
        checkpoint["listings"]["/r/anxiety+askatherapist+ocd+psychotherapy+therapists/new"]["holes"]
        == []
    )
    assert len(seen) == len(set(seen)) == 1100


def test_retry_after_is_honoured(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource, sleeps: list[float]
) -> None:
    seed(fake_reddit.store, 10)
    fake_reddit.inject(Fault(status=429, retry_after="7", path="/r/"))

    posts, _ = make_reddit_source(SUBS).fetch({})

    assert len(posts) == 10
    assert sleeps == [7.0]
    assert listing_requests(fake_reddit) == 2


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=500, path="/r/"),
        Fault(status=503, path="/r/"),
        Fault(delay=1.0, path="/r/"),
        Fault(reset=True, path="/r/"),
        Fault(status=503, path="/api/v1/access_token"),
    ],
    ids=["500", "503", "slow", "reset", "token-503"],
)
def test_transient_failures_are_retried_with_backoff(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource, sleeps: list[float], fault: Fault
) -> None:
    seed(fake_reddit.store, 10)
    fake_reddit.inject(fault, fault)

    posts, _ = make_reddit_source(SUBS).fetch({})

    assert len(posts) == 10
    assert sleeps == [0.75, 1.5]  # base 1 s doubling, jitter fixed at half


def test_exhausted_retries_raise_and_leave_the_checkpoint_alone(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource, sleeps: list[float]
) -> None:
    seed(fake_reddit.store, 150)
    source = make_reddit_source(SUBS)
    fake_reddit.store.now = START + 49
    _, checkpoint = source.fetch({})
    before = repr(checkpoint)
    fake_reddit.store.now = None
    # The first page answers, the second keeps failing: nothing of this poll may count.
    fake_reddit.inject(*[Fault(status=503, path="/r/")] * 4)

    with pytest.raises(SourceError) as failure:
        source.fetch(checkpoint)

    assert failure.value.retryable
    assert "/r/anxiety+askatherapist+ocd+psychotherapy+therapists/new" in str(failure.value)
    assert "4 attempts" in str(failure.value) and "503" in str(failure.value)
    assert repr(checkpoint) == before
    posts, _ = source.fetch(checkpoint)
    assert len(posts) == 100


def test_a_long_retry_after_gives_up_at_once(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource, sleeps: list[float]
) -> None:
    fake_reddit.inject(Fault(status=429, retry_after="3600", path="/r/"))

    with pytest.raises(SourceError, match="wait 3600 s") as failure:
        make_reddit_source(SUBS).fetch({})

    assert failure.value.retryable and sleeps == []


def test_malformed_json_is_a_retryable_source_error(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource
) -> None:
    seed(fake_reddit.store, 10)
    source = make_reddit_source(SUBS)
    fake_reddit.inject(Fault(malformed=True, path="/r/"))

    with pytest.raises(SourceError, match="malformed JSON") as failure:
        source.fetch({})

    assert failure.value.retryable
    assert len(source.fetch({})[0]) == 10


def test_a_forbidden_subreddit_is_a_permanent_error(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource
) -> None:
    fake_reddit.inject(Fault(status=403, path="/r/"))

    with pytest.raises(SourceError, match="403 .private") as failure:
        make_reddit_source(["secretgroup"]).fetch({})

    assert not failure.value.retryable


def test_new_comments_on_watched_threads(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource
) -> None:
    recorded = cassette_body("TestSubredditListings.test_comments.json", 1)
    fake_reddit.store.add_children(recorded)
    links = [c["data"]["link_id"] for c in recorded["data"]["children"]]
    watched = {links[0].removeprefix("t3_"), links[5].removeprefix("t3_")}
    source = make_reddit_source(["AskReddit"])

    comments, checkpoint = source.fetch_comments(watched, {})

    expected = [
        c["data"] for c in recorded["data"]["children"] if c["data"]["link_id"][3:] in watched
    ]
    assert [c.external_id for c in comments] == [d["id"] for d in expected]
    first = comments[0]
    assert first.thread_external_id in watched
    assert first.parent_id == expected[0]["parent_id"][3:]
    assert first.url and first.url.startswith("https://www.reddit.com/")  # 2016: no permalink
    assert (
        checkpoint["listings"]["/r/askreddit/comments"]["top"]
        == recorded["data"]["children"][0]["data"]["id"]
    )
    assert source.fetch_comments(watched, checkpoint)[0] == []
    assert source.fetch_comments(set(), checkpoint) == ([], checkpoint)


def test_comment_polls_are_incremental(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource
) -> None:
    threads = seed(fake_reddit.store, 20)
    fake_reddit.store.add_many("t1", generate_comments(threads, 600, start=START + 100))
    watched = {str(t["id"]) for t in threads[:5]}
    source = make_reddit_source(SUBS)
    seen: list[FetchedComment] = []
    checkpoint: dict[str, object] = {}
    for arrived in (150, 300, 301, 700):
        fake_reddit.store.now = START + arrived
        comments, checkpoint = source.fetch_comments(watched, checkpoint)
        seen.extend(comments)
        assert all(c.thread_external_id in watched for c in comments)
    expected = {
        t.data["id"]
        for t in fake_reddit.store.things.values()
        if t.kind == "t1" and t.data["link_id"][3:] in watched
    }
    ids = [c.external_id for c in seen]
    assert len(ids) == len(set(ids)) and set(ids) == expected
    assert any(c.removed and c.body == "" for c in seen)
    assert any(c.author is None for c in seen)
    assert any(c.parent_id != c.thread_external_id for c in seen)


def test_inbox_replies_need_a_user_and_skip_messages(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource
) -> None:
    reply = {
        "id": "k3v0jp3",
        "name": "t1_k3v0jp3",
        "author": "colleague_kim",
        "body": "Great point!",
        "created_utc": START,
        "parent_id": "t1_k3uzzzz",
        "subreddit": "therapists",
        "context": "/r/therapists/comments/16xyz1/some_title/k3v0jp3/?context=3",
        "was_comment": True,
        "type": "comment_reply",
        "new": True,
    }
    message = {
        "id": "2abcd",
        "name": "t4_2abcd",
        "author": "someone",
        "body": "hi",
        "created_utc": START + 5,
    }
    fake_reddit.store.add("t1", reply, inbox=True)
    fake_reddit.store.add("t4", message, inbox=True)

    with pytest.raises(SourceError, match="user account") as failure:
        make_reddit_source(SUBS).fetch_inbox({})
    assert not failure.value.retryable

    source = make_reddit_source(SUBS, username="dr_lena", password="pw")
    replies, checkpoint = source.fetch_inbox({})

    assert [(r.external_id, r.thread_external_id, r.parent_id) for r in replies] == [
        ("k3v0jp3", "16xyz1", "k3uzzzz")
    ]
    assert (
        replies[0].url == "https://www.reddit.com/r/therapists/comments/16xyz1/some_title/k3v0jp3/"
    )
    grant = next(r for r in fake_reddit.requests if r.path == "/api/v1/access_token")
    assert grant.form["grant_type"] == "password" and grant.form["username"] == "dr_lena"
    assert source.fetch_inbox(checkpoint)[0] == []


def test_refresh_batches_a_hundred_threads_a_request(
    fake_reddit: FakeReddit, make_reddit_source: MakeSource
) -> None:
    threads = seed(fake_reddit.store, 250)
    ids = [str(t["id"]) for t in threads]
    fake_reddit.store.update(f"t3_{ids[0]}", locked=True, num_comments=999)
    fake_reddit.store.update(
        f"t3_{ids[1]}", author="[deleted]", selftext="[deleted]", removed_by_category="deleted"
    )
    source = make_reddit_source(SUBS)

    refreshed = source.refresh([*ids, ids[0], "t3_" + ids[2], to36(10**12)])

    assert fake_reddit.count("/api/info") == 3
    by_id = {p.external_id: p for p in refreshed}
    assert len(by_id) == len(refreshed) == 250
    assert by_id[ids[0]].locked and by_id[ids[0]].num_comments == 999
    assert by_id[ids[1]].removed and by_id[ids[1]].author is None and by_id[ids[1]].body == ""
    assert source.refresh([]) == []


def test_from_settings_takes_a_dict_or_an_object(fake_reddit: FakeReddit) -> None:
    fake_reddit.store.add_children(cassette_body("TestSubredditListings.test_new.json", 1))
    settings = {
        "client_id": "cid",
        "client_secret": "secret",
        "api_url": fake_reddit.url,
        "auth_url": fake_reddit.url,
        "short_url": fake_reddit.url,
    }

    from_dict = RedditSource.from_settings(settings, ["AskReddit"])
    from_object = RedditSource.from_settings(
        SimpleNamespace(**settings, refresh_token="rt"), ["r/AskReddit/"]
    )

    assert len(from_dict.fetch({})[0]) == 100
    assert not from_dict.has_user and from_object.has_user
    assert from_object.subreddits == ["askreddit"]
    with pytest.raises(ConfigError, match="ENGAGE_REDDIT_CLIENT_ID"):
        RedditSource.from_settings({}, ["AskReddit"])
    with pytest.raises(ConfigError, match="at least one subreddit"):
        RedditSource.from_settings(settings, [" ", "r/"])


def test_checkpoints_are_json(fake_reddit: FakeReddit, make_reddit_source: MakeSource) -> None:
    import json

    seed(fake_reddit.store, 300)
    _, checkpoint = make_reddit_source(SUBS, max_pages=2).fetch({"version": 1, "listings": {}})
    assert json.loads(json.dumps(checkpoint)) == checkpoint


def test_refresh_token_and_installed_app_credentials(fake_reddit: FakeReddit) -> None:
    urls = {"api_url": fake_reddit.url, "auth_url": fake_reddit.url, "short_url": fake_reddit.url}
    fake_reddit.store.add(
        "t1", {"id": "abc1", "created_utc": START, "link_id": "t3_x1"}, inbox=True
    )

    user = RedditSource.from_settings({"client_id": "cid", "refresh_token": "rt", **urls}, SUBS)
    assert [r.external_id for r in user.fetch_inbox({})[0]] == ["abc1"]
    installed = RedditSource.from_settings({"client_id": "cid", **urls}, SUBS)
    installed.fetch({})

    grants = [r.form for r in fake_reddit.requests if r.path == "/api/v1/access_token"]
    assert grants[0]["grant_type"] == "refresh_token" and grants[0]["refresh_token"] == "rt"
    assert grants[1]["grant_type"] == "https://oauth.reddit.com/grants/installed_client"
