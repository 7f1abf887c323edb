"""Mastodon's and Bluesky's replies readers against their loopback fakes: a colleague's reply to
the therapist's post comes out once, naming the post it answers in the spelling engagements are
stored under; mentions are mentions; other notifications and the therapist's own posts never
come out; a failure leaves the checkpoint where it was; no secret is in an error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from engage.errors import SourceError
from engage.platforms.bluesky.replies import BlueskyRepliesReader
from engage.platforms.mastodon.replies import MastodonRepliesReader
from engage.sources.http import RetryPolicy
from tests.fakes.server import Fault
from tests.fakes.social import (
    BLUESKY_DID,
    FakeBluesky,
    FakeMastodon,
    generate_statuses,
)

TOKEN = "mastodon-canary-token-replies-3c1d"
HANDLE = "dr-lena.bsky.social"
APP_PASSWORD = "bsky-canary-app-pass-replies-9a0e"
OUR_POST = f"at://{BLUESKY_DID}/app.bsky.feed.post/3kourreply0001"


@pytest.fixture
def mastodon() -> Iterator[FakeMastodon]:
    with FakeMastodon() as server:
        server.token = TOKEN
        server.statuses = generate_statuses(2, ["emdr"])
        yield server


@pytest.fixture
def bluesky() -> Iterator[FakeBluesky]:
    with FakeBluesky(HANDLE, APP_PASSWORD) as server:
        server.records["3kourreply0001"] = {
            "uri": OUR_POST, "cid": "bafyours",
            "value": {"$type": "app.bsky.feed.post", "text": "Pacing matters.",
                      "createdAt": "2026-12-01T10:00:00.000Z",
                      "reply": {"root": {"uri": "at://did:plc:x/app.bsky.feed.post/3kroot",
                                         "cid": "bafyroot"},
                                "parent": {"uri": "at://did:plc:x/app.bsky.feed.post/3kroot",
                                           "cid": "bafyroot"}}},
        }  # fmt: skip
        yield server


def ours(mastodon: FakeMastodon) -> dict[str, Any]:
    """A reply of the therapist's on the instance (as the publisher would have posted it)."""
    status = mastodon._status("Pacing matters.", mastodon.statuses[0]["id"])
    mastodon.posted.append(status)
    return status


def toots(mastodon: FakeMastodon, retry: RetryPolicy, token: str = TOKEN) -> MastodonRepliesReader:
    return MastodonRepliesReader(mastodon.url, token, retry=retry)


def sky(
    bluesky: FakeBluesky, retry: RetryPolicy, password: str = APP_PASSWORD
) -> BlueskyRepliesReader:
    return BlueskyRepliesReader(HANDLE, password, auth_url=bluesky.url, retry=retry)


# --- Mastodon ----------------------------------------------------------------------------------


def test_a_mastodon_reply_names_our_status_by_its_uri(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    mine = ours(mastodon)
    theirs = mastodon.reply_to(
        mine, acct="kim@mental.health", text="Agreed!", display_name="Dr. Kim"
    )

    [reply], _ = toots(mastodon, retry).read({})

    assert (reply.external_id, reply.parent_external_id, reply.kind) == (
        theirs["uri"], mine["uri"], "reply"
    )  # fmt: skip
    assert (reply.author, reply.author_name) == ("kim@mental.health", "Dr. Kim")
    assert reply.text == "@drlena Agreed!" and reply.url == theirs["url"]


def test_a_mastodon_mention_is_a_mention(mastodon: FakeMastodon, retry: RetryPolicy) -> None:
    mastodon.mention(acct="ana@fosstodon.org", text="you might know this")

    [reply], _ = toots(mastodon, retry).read({})

    assert (reply.kind, reply.parent_external_id) == ("mention", None)


def test_mastodon_notifications_are_read_once(mastodon: FakeMastodon, retry: RetryPolicy) -> None:
    mine = ours(mastodon)
    mastodon.reply_to(mine, acct="kim@mental.health", text="One.")
    reader = toots(mastodon, retry)
    first, checkpoint = reader.read({})

    again, checkpoint = reader.read(checkpoint)
    later = mastodon.reply_to(mine, acct="ana@fosstodon.org", text="Two.")
    after, _ = reader.read(checkpoint)

    assert len(first) == 1 and again == []
    assert [r.external_id for r in after] == [later["uri"]]
    assert all(r.query_all.get("types[]") == ["mention"] for r in mastodon.requests
               if r.path == "/api/v1/notifications")  # fmt: skip


def test_our_own_mastodon_status_is_never_a_reply(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    mine = ours(mastodon)
    mastodon._notify(mine)  # as if the account mentioned itself

    replies, _ = toots(mastodon, retry).read({})

    assert replies == []


def test_a_failing_mastodon_read_is_retryable_and_names_no_token(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    mastodon.reply_to(ours(mastodon), acct="kim@mental.health", text="Hi.")
    reader = toots(mastodon, retry)
    reader.read({})  # logged in: the account is known
    mastodon.inject(*[Fault(status=503, path="/api/v1/notifications")] * 4)

    with pytest.raises(SourceError) as failure:
        reader.read({})

    assert failure.value.retryable and TOKEN not in str(failure.value)
    assert len(reader.read({})[0]) == 1


def test_a_refused_mastodon_token_is_not_retryable(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    with pytest.raises(SourceError) as failure:
        toots(mastodon, retry, token="wrong-token-canary").read({})

    assert not failure.value.retryable and "wrong-token-canary" not in str(failure.value)


# --- Bluesky -----------------------------------------------------------------------------------


def test_a_bluesky_reply_names_our_post_and_its_thread(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    theirs = bluesky.reply_to(OUR_POST, handle="kim.bsky.social", text="Agreed!",
                              display_name="Dr. Kim")  # fmt: skip

    [reply], _ = sky(bluesky, retry).read({})

    assert (reply.external_id, reply.parent_external_id, reply.thread_external_id) == (
        theirs["uri"], OUR_POST, "at://did:plc:x/app.bsky.feed.post/3kroot"
    )  # fmt: skip
    assert (reply.author, reply.author_name, reply.kind, reply.text) == (
        "kim.bsky.social", "Dr. Kim", "reply", "Agreed!"
    )  # fmt: skip
    assert reply.url == f"https://bsky.app/profile/kim.bsky.social/post/{theirs['uri'][-13:]}"


def test_bluesky_likes_are_not_replies_and_mentions_are_mentions(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    bluesky.like(OUR_POST, handle="fan.bsky.social")
    bluesky.mention(handle="ana.bsky.social", text="what do you think?")

    replies, _ = sky(bluesky, retry).read({})

    assert [(r.kind, r.author) for r in replies] == [("mention", "ana.bsky.social")]
    asked = next(r for r in bluesky.requests if "listNotifications" in r.path)
    assert asked.query_all["reasons"] == ["reply", "mention"]


def test_bluesky_notifications_are_read_once(bluesky: FakeBluesky, retry: RetryPolicy) -> None:
    bluesky.reply_to(OUR_POST, handle="kim.bsky.social", text="One.")
    reader = sky(bluesky, retry)
    first, checkpoint = reader.read({})

    again, checkpoint = reader.read(checkpoint)
    later = bluesky.reply_to(OUR_POST, handle="ana.bsky.social", text="Two.")
    after, _ = reader.read(checkpoint)

    assert len(first) == 1 and again == []
    assert [r.external_id for r in after] == [later["uri"]]
    assert bluesky.logins == 1  # the login is kept while its token is fresh


def test_our_own_bluesky_post_is_never_a_reply(bluesky: FakeBluesky, retry: RetryPolicy) -> None:
    notification = bluesky.reply_to(OUR_POST, handle=HANDLE, text="A note to myself.")
    notification["author"]["did"] = BLUESKY_DID

    replies, _ = sky(bluesky, retry).read({})

    assert replies == []


def test_a_failing_bluesky_read_is_retryable_and_names_no_password(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    bluesky.reply_to(OUR_POST, handle="kim.bsky.social", text="Hi.")
    reader = sky(bluesky, retry)
    bluesky.inject(*[Fault(status=429, retry_after="0", path="/xrpc/app.bsky.notification")] * 4)

    with pytest.raises(SourceError) as failure:
        reader.read({})

    assert failure.value.retryable and APP_PASSWORD not in str(failure.value)
    assert len(reader.read({})[0]) == 1


def test_a_refused_app_password_is_not_retryable_and_not_shown(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    with pytest.raises(SourceError) as failure:
        sky(bluesky, retry, password="wrong-pass-canary").read({})

    assert not failure.value.retryable and "wrong-pass-canary" not in str(failure.value)


def test_a_session_refused_before_its_time_is_renewed_once(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    bluesky.reply_to(OUR_POST, handle="kim.bsky.social", text="Hi.")
    reader = sky(bluesky, retry)
    reader.read({})
    bluesky.expire_sessions()

    replies, _ = reader.read({})

    assert len(replies) == 1 and bluesky.logins == 2
