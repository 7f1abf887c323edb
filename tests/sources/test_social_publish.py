"""MastodonPublisher and BlueskyPublisher against their loopback fakes: what is posted, where,
and what each failure means (NOT_SENT, REFUSED, UNKNOWN); a retry never makes a second post."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from engage.config import Config, Settings
from engage.platforms import named
from engage.platforms.bluesky.publish import BlueskyPublisher, record_key
from engage.platforms.bluesky.richtext import graphemes, link_facets
from engage.platforms.mastodon.publish import MastodonPublisher
from engage.platforms.spec import Outcome, Outgoing, PublishError
from engage.sources.http import RetryPolicy
from engage.types import Platform
from tests.fakes.server import Fault
from tests.fakes.social import (
    BLUESKY_DID,
    MASTODON_ACCOUNT,
    FakeBluesky,
    FakeMastodon,
    generate_bluesky_posts,
    generate_statuses,
)

TOKEN = "mastodon-canary-token-7f3a9c"
HANDLE = "dr-lena.bsky.social"
APP_PASSWORD = "bsky-canary-app-pass-51e2"
TEXT = (
    "Thank you for this, it matches what I see in supervision. I wrote about pacing here: "
    "https://blog.example.org/pacing-emdr (no pressure) — curious what you think 🙂"
)


@pytest.fixture
def mastodon() -> Iterator[FakeMastodon]:
    with FakeMastodon() as server:
        server.token = TOKEN
        server.statuses = generate_statuses(4, ["emdr"])
        server.stall_seconds = 1.5
        yield server


@pytest.fixture
def bluesky() -> Iterator[FakeBluesky]:
    with FakeBluesky(HANDLE, APP_PASSWORD) as server:
        server.posts = generate_bluesky_posts(4)
        server.stall_seconds = 1.5
        yield server


def toot(mastodon: FakeMastodon, retry: RetryPolicy, token: str = TOKEN) -> MastodonPublisher:
    return MastodonPublisher(mastodon.url, token, retry=retry)


def sky(bluesky: FakeBluesky, retry: RetryPolicy, password: str = APP_PASSWORD) -> BlueskyPublisher:
    return BlueskyPublisher(
        HANDLE, password, api_url=bluesky.url, auth_url=bluesky.url, retry=retry
    )


def outgoing(
    platform: Platform, thread: dict[str, Any], *, key: str = "approval-1", text: str = TEXT
) -> Outgoing:
    """An approved reply to `thread` (a fake's status or post view) as the lead's code builds
    it: the thread's URL as target, its URI as the thread's external id."""
    if platform is Platform.MASTODON:
        url, uri = thread["url"], thread["uri"]
    else:
        rkey = thread["uri"].rpartition("/")[2]
        url, uri = (
            f"https://bsky.app/profile/{thread['author']['handle']}/post/{rkey}",
            thread["uri"],
        )
    return Outgoing(
        draft_id=1,
        attempt_id="attempt-1",
        key=key,
        platform=platform.value,
        kind="reply",
        text=text,
        target=url,
        thread_url=url,
        thread_external_id=uri,
        community="#emdr",
        approved_at=datetime(2026, 5, 1, 9, 30, tzinfo=UTC),
    )


def closed_port_url() -> str:
    """An address on loopback where nothing listens: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def failure_of(call: Any, *args: Any) -> PublishError:
    with pytest.raises(PublishError) as failed:
        call(*args)
    return failed.value


# --- Mastodon ---------------------------------------------------------------------------------


def test_mastodon_posts_exactly_the_text_as_a_reply_to_the_threads_status(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    thread = mastodon.statuses[2]
    ref = toot(mastodon, retry).publish(outgoing(Platform.MASTODON, thread))

    [post] = [r for r in mastodon.requests if r.method == "POST"]
    assert post.path == "/api/v1/statuses"
    assert post.headers["idempotency-key"] == "approval-1"
    assert post.headers["authorization"] == f"Bearer {TOKEN}"
    assert json.loads(post.body) == {"status": TEXT, "in_reply_to_id": thread["id"]}
    [status] = mastodon.posted
    assert status["in_reply_to_id"] == thread["id"]
    assert ref.platform is Platform.MASTODON
    assert (ref.external_id, ref.url) == (status["uri"], status["url"])
    [search] = [r for r in mastodon.requests if r.path == "/api/v2/search"]
    assert search.query == {"q": thread["uri"], "resolve": "true", "type": "statuses", "limit": "5"}


def test_mastodon_status_on_our_own_instance_is_answered_without_a_search(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    thread = {**mastodon.statuses[1], "url": f"{mastodon.url}/@someone@elsewhere.example/"}
    thread["url"] += mastodon.statuses[1]["id"]
    toot(mastodon, retry).publish(outgoing(Platform.MASTODON, thread))

    assert mastodon.count("/api/v2/search") == 0
    assert mastodon.posted[0]["in_reply_to_id"] == mastodon.statuses[1]["id"]


@pytest.mark.parametrize("fault", ["502", "stall"])
def test_mastodon_publish_retried_after_an_unknown_outcome_makes_one_post(
    mastodon: FakeMastodon, retry: RetryPolicy, fault: str
) -> None:
    publisher, reply = toot(mastodon, retry), outgoing(Platform.MASTODON, mastodon.statuses[0])
    mastodon.after_create = fault  # type: ignore[assignment]

    assert failure_of(publisher.publish, reply).outcome is Outcome.UNKNOWN
    found = publisher.find_existing(reply)
    again = publisher.publish(reply)

    assert len(mastodon.posted) == 1
    assert found is not None and found == again
    assert again.external_id == mastodon.posted[0]["uri"]


def test_mastodon_our_same_text_in_another_thread_is_not_taken_for_the_reply(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    publisher = toot(mastodon, retry)
    publisher.publish(outgoing(Platform.MASTODON, mastodon.statuses[3], key="another-approval"))

    assert publisher.find_existing(outgoing(Platform.MASTODON, mastodon.statuses[0])) is None


def test_mastodon_find_existing_reads_our_posts_back_as_text(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    """Mastodon renders links as split spans and escapes the rest: still the same text."""
    reply = outgoing(Platform.MASTODON, mastodon.statuses[1], text=TEXT + "\n\n<3 & thanks")
    published = toot(mastodon, retry).publish(reply)

    assert "&lt;3 &amp; thanks" in mastodon.posted[0]["content"]
    assert toot(mastodon, retry).find_existing(reply) == published
    assert mastodon.count(f"/api/v1/accounts/{MASTODON_ACCOUNT['id']}/statuses") == 1


def test_mastodon_rate_limit_is_not_sent_with_the_wait_until_the_window_resets(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    mastodon.rate_limited_for = 90

    failed = failure_of(
        toot(mastodon, retry).publish, outgoing(Platform.MASTODON, mastodon.statuses[0])
    )

    assert failed.outcome is Outcome.NOT_SENT
    assert failed.retry_after is not None and 80 < failed.retry_after <= 90
    assert mastodon.posted == []


def test_mastodon_refused_token_is_refused(mastodon: FakeMastodon, retry: RetryPolicy) -> None:
    failed = failure_of(
        toot(mastodon, retry, token="not-the-token").publish,
        outgoing(Platform.MASTODON, mastodon.statuses[0]),
    )

    assert failed.outcome is Outcome.REFUSED
    assert "access token" in failed.reason and "not-the-token" not in failed.reason


def test_mastodon_validation_failure_is_refused_with_the_servers_reason(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    failed = failure_of(
        toot(mastodon, retry).publish,
        outgoing(Platform.MASTODON, mastodon.statuses[0], text="word " * 120),
    )

    assert failed.outcome is Outcome.REFUSED
    assert "HTTP 422: Validation failed: Text character limit of 500 exceeded" in failed.reason


def test_mastodon_reply_to_a_deleted_status_is_refused(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    thread = {**mastodon.statuses[0], "url": f"{mastodon.url}/@someone/42"}

    failed = failure_of(toot(mastodon, retry).publish, outgoing(Platform.MASTODON, thread))

    assert failed.outcome is Outcome.REFUSED
    assert "does not appear to exist" in failed.reason


def test_mastodon_unreachable_instance_is_not_sent(retry: RetryPolicy) -> None:
    instance = closed_port_url()
    thread = {"url": f"{instance}/@someone/42", "uri": f"{instance}/users/someone/statuses/42"}

    publisher = MastodonPublisher(instance, TOKEN, retry=retry)

    failed = failure_of(publisher.publish, outgoing(Platform.MASTODON, thread))

    assert failed.outcome is Outcome.NOT_SENT
    assert "could not reach" in failed.reason


def test_mastodon_connection_dropped_after_sending_is_unknown(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    mastodon.inject(Fault(reset=True, path="/api/v1/statuses"))

    failed = failure_of(
        toot(mastodon, retry).publish, outgoing(Platform.MASTODON, mastodon.statuses[0])
    )

    assert failed.outcome is Outcome.UNKNOWN
    assert "it may have been posted" in failed.reason


def test_mastodon_reply_to_a_comment_answers_the_comment(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    thread, comment = mastodon.statuses[0], mastodon.statuses[3]
    reply = replace(outgoing(Platform.MASTODON, thread), target=comment["url"])

    toot(mastodon, retry).publish(reply)

    assert mastodon.posted[0]["in_reply_to_id"] == comment["id"]


def test_mastodon_find_existing_that_cannot_look_is_unknown(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    mastodon.inject(Fault(status=503, path="/api/v1/accounts/verify_credentials"))
    retry = RetryPolicy(attempts=1, timeout=retry.timeout, sleep=retry.sleep)

    failed = failure_of(
        toot(mastodon, retry).find_existing, outgoing(Platform.MASTODON, mastodon.statuses[0])
    )

    assert failed.outcome is Outcome.UNKNOWN


# --- Bluesky ----------------------------------------------------------------------------------


def test_bluesky_posts_exactly_the_text_as_a_reply_to_the_threads_post(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    thread = bluesky.posts[1]
    ref = sky(bluesky, retry).publish(outgoing(Platform.BLUESKY, thread))

    rkey = record_key("approval-1")
    [record] = bluesky.records.values()
    value = record["value"]
    assert value["$type"] == "app.bsky.feed.post" and value["text"] == TEXT
    parent = {"uri": thread["uri"], "cid": thread["cid"]}
    assert value["reply"] == {"root": parent, "parent": parent}
    assert datetime.fromisoformat(value["createdAt"].replace("Z", "+00:00")).tzinfo is not None
    assert record["uri"] == f"at://{BLUESKY_DID}/app.bsky.feed.post/{rkey}"
    assert ref.platform is Platform.BLUESKY and ref.external_id == record["uri"]
    assert ref.url == f"https://bsky.app/profile/{HANDLE}/post/{rkey}"


def test_bluesky_link_is_a_facet_at_its_utf8_byte_offsets(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    text = "Ça dépend — voir https://blog.example.org/é-pacing. Et (https://x.example/a)!"
    sky(bluesky, retry).publish(outgoing(Platform.BLUESKY, bluesky.posts[0], text=text))

    [record] = bluesky.records.values()
    raw = text.encode("utf-8")
    links = [
        (raw[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(), f["features"][0]["uri"])
        for f in record["value"]["facets"]
    ]
    assert links == [
        ("https://blog.example.org/é-pacing", "https://blog.example.org/é-pacing"),
        ("https://x.example/a", "https://x.example/a"),
    ]
    kinds = {f["features"][0]["$type"] for f in record["value"]["facets"]}
    assert kinds == {"app.bsky.richtext.facet#link"}


def test_bluesky_reply_to_a_reply_keeps_the_threads_root(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    root = bluesky.posts[0]
    answer = bluesky.posts[2]
    answer["record"]["reply"] = {
        "root": {"uri": root["uri"], "cid": root["cid"]},
        "parent": {"uri": root["uri"], "cid": root["cid"]},
    }

    sky(bluesky, retry).publish(outgoing(Platform.BLUESKY, answer))

    [record] = bluesky.records.values()
    assert record["value"]["reply"] == {
        "root": {"uri": root["uri"], "cid": root["cid"]},
        "parent": {"uri": answer["uri"], "cid": answer["cid"]},
    }


def test_bluesky_record_key_is_a_valid_tid_fixed_by_the_approval() -> None:
    keys = [record_key(f"approval-{n}") for n in range(200)]

    assert record_key("approval-1") == record_key("approval-1")
    assert len(set(keys)) == len(keys)
    alphabet = set("234567abcdefghijklmnopqrstuvwxyz")
    assert all(len(k) == 13 and set(k) <= alphabet and k[0] in "234567abcdefghij" for k in keys)


def test_bluesky_create_answered_502_is_read_back_as_published(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    """A 5xx after the record was made: reading the record key back shows it is live."""
    bluesky.after_create = "502"

    ref = sky(bluesky, retry).publish(outgoing(Platform.BLUESKY, bluesky.posts[0]))

    [record] = bluesky.records.values()
    assert ref.external_id == record["uri"]
    assert bluesky.count("/xrpc/com.atproto.repo.createRecord") == 1


@pytest.mark.parametrize("duplicate_error", ["InternalServerError", "RecordAlreadyExists"])
@pytest.mark.parametrize("fault", ["stall", "502 and no read back"])
def test_bluesky_publish_retried_after_an_unknown_outcome_makes_one_post(
    bluesky: FakeBluesky, retry: RetryPolicy, fault: str, duplicate_error: str
) -> None:
    bluesky.duplicate_error = duplicate_error  # type: ignore[assignment]
    publisher, reply = sky(bluesky, retry), outgoing(Platform.BLUESKY, bluesky.posts[0])
    if fault == "stall":
        bluesky.after_create = "stall"
    else:
        bluesky.after_create = "502"
        get_record = "/xrpc/com.atproto.repo.getRecord"
        bluesky.inject(*[Fault(status=503, path=get_record)] * retry.attempts)

    assert failure_of(publisher.publish, reply).outcome is Outcome.UNKNOWN
    found = publisher.find_existing(reply)
    again = publisher.publish(reply)

    assert len(bluesky.records) == 1
    assert bluesky.count("/xrpc/com.atproto.repo.createRecord") == 2
    assert found is not None and found == again
    assert again.external_id == next(iter(bluesky.records.values()))["uri"]


def test_bluesky_taken_record_key_that_cannot_be_read_back_is_unknown(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    bluesky.duplicate_error = "RecordAlreadyExists"
    publisher, reply = sky(bluesky, retry), outgoing(Platform.BLUESKY, bluesky.posts[0])
    publisher.publish(reply)
    bluesky.inject(*[Fault(status=503, path="/xrpc/com.atproto.repo.getRecord")] * retry.attempts)

    failed = failure_of(publisher.publish, reply)

    assert failed.outcome is Outcome.UNKNOWN and "record key is taken" in failed.reason
    assert len(bluesky.records) == 1


def test_bluesky_our_same_text_in_another_thread_is_not_taken_for_the_reply(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    publisher = sky(bluesky, retry)
    publisher.publish(outgoing(Platform.BLUESKY, bluesky.posts[3], key="another-approval"))

    assert publisher.find_existing(outgoing(Platform.BLUESKY, bluesky.posts[0])) is None


def test_bluesky_rate_limit_is_not_sent_with_the_wait_until_the_window_resets(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    bluesky.rate_limited_for = 600

    failed = failure_of(sky(bluesky, retry).publish, outgoing(Platform.BLUESKY, bluesky.posts[0]))

    assert failed.outcome is Outcome.NOT_SENT
    assert failed.retry_after is not None and 590 < failed.retry_after <= 600
    assert bluesky.records == {}


def test_bluesky_refused_app_password_is_refused(bluesky: FakeBluesky, retry: RetryPolicy) -> None:
    failed = failure_of(
        sky(bluesky, retry, password="wrong-password").publish,
        outgoing(Platform.BLUESKY, bluesky.posts[0]),
    )

    assert failed.outcome is Outcome.REFUSED
    assert "refused the handle or app password" in failed.reason
    assert bluesky.count("/xrpc/com.atproto.repo.createRecord") == 0


def test_bluesky_write_answered_401_is_refused(bluesky: FakeBluesky, retry: RetryPolicy) -> None:
    bluesky.inject(Fault(status=401, path="/xrpc/com.atproto.repo.createRecord"))

    failed = failure_of(sky(bluesky, retry).publish, outgoing(Platform.BLUESKY, bluesky.posts[0]))

    assert failed.outcome is Outcome.REFUSED
    assert "HTTP 401" in failed.reason and bluesky.records == {}


def test_bluesky_expired_session_is_not_sent_and_the_next_attempt_logs_in_again(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    publisher, reply = sky(bluesky, retry), outgoing(Platform.BLUESKY, bluesky.posts[0])
    publisher.publish(outgoing(Platform.BLUESKY, bluesky.posts[1], key="earlier"))
    bluesky.expire_sessions()

    failed = failure_of(publisher.publish, reply)
    assert failed.outcome is Outcome.NOT_SENT and "ExpiredToken" in failed.reason
    publisher.publish(reply)

    assert bluesky.logins == 2 and len(bluesky.records) == 2


def test_bluesky_session_about_to_expire_is_renewed_before_the_write(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    bluesky.token_seconds = 60
    publisher = sky(bluesky, retry)
    publisher.publish(outgoing(Platform.BLUESKY, bluesky.posts[0], key="first"))
    publisher.publish(outgoing(Platform.BLUESKY, bluesky.posts[1], key="second"))

    assert bluesky.logins == 2 and len(bluesky.records) == 2


def test_bluesky_over_long_text_is_refused_before_any_request(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    failed = failure_of(
        sky(bluesky, retry).publish,
        outgoing(Platform.BLUESKY, bluesky.posts[0], text="é" * 150 + "a" * 151),
    )

    assert failed.outcome is Outcome.REFUSED
    assert "longer than Bluesky's 300 characters" in failed.reason
    assert bluesky.requests == []


def test_bluesky_counts_what_a_reader_sees_as_one_character() -> None:
    family, flags = "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f1e9\U0001f1ea" * 2
    assert graphemes(family) == 1
    assert graphemes("e\u0301te\u0301") == 3
    assert graphemes(flags) == 2
    assert graphemes("a\r\nb") == 3
    assert graphemes("\U0001f44d\U0001f3fd!") == 2
    assert graphemes(family * 300) == 300
    assert link_facets("no links, http:// alone") == []


def test_bluesky_deleted_thread_post_is_refused(bluesky: FakeBluesky, retry: RetryPolicy) -> None:
    gone = {**bluesky.posts[0], "uri": f"at://{BLUESKY_DID}/app.bsky.feed.post/3kgone0000000"}

    failed = failure_of(sky(bluesky, retry).publish, outgoing(Platform.BLUESKY, gone))

    assert failed.outcome is Outcome.REFUSED and "no longer on Bluesky" in failed.reason
    assert bluesky.count("/xrpc/com.atproto.repo.createRecord") == 0


def test_bluesky_unreachable_server_is_not_sent(bluesky: FakeBluesky, retry: RetryPolicy) -> None:
    publisher = BlueskyPublisher(
        HANDLE, APP_PASSWORD, api_url=bluesky.url, auth_url=closed_port_url(), retry=retry
    )

    failed = failure_of(publisher.publish, outgoing(Platform.BLUESKY, bluesky.posts[0]))

    assert failed.outcome is Outcome.NOT_SENT


# --- Both -------------------------------------------------------------------------------------


def test_no_secret_reaches_a_reason_or_a_debug_log(
    mastodon: FakeMastodon,
    bluesky: FakeBluesky,
    retry: RetryPolicy,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    reasons: list[str] = []

    def attempt(call: Any, *args: Any) -> None:
        try:
            call(*args)
        except PublishError as exc:
            reasons.append(exc.reason)

    keys = (f"approval-{n}" for n in range(100))

    def toot_reply() -> Outgoing:
        return outgoing(Platform.MASTODON, mastodon.statuses[0], key=next(keys))

    def sky_reply() -> Outgoing:
        return outgoing(Platform.BLUESKY, bluesky.posts[0], key=next(keys))

    logged_in = sky(bluesky, retry)
    logged_in.publish(sky_reply())
    mastodon.after_create = "502"
    attempt(toot(mastodon, retry).publish, toot_reply())
    for fault in ("stall", "502"):
        mastodon.after_create = bluesky.after_create = fault
        attempt(toot(mastodon, retry).publish, toot_reply())
        attempt(sky(bluesky, retry).publish, sky_reply())
    bluesky.expire_sessions()
    attempt(logged_in.publish, sky_reply())
    mastodon.rate_limited_for = bluesky.rate_limited_for = 30
    attempt(toot(mastodon, retry).publish, toot_reply())
    attempt(sky(bluesky, retry).publish, sky_reply())
    attempt(toot(mastodon, retry, token=TOKEN + "-wrong").publish, toot_reply())
    attempt(toot(mastodon, retry, token=TOKEN + "-wrong").find_existing, toot_reply())
    attempt(sky(bluesky, retry, password=APP_PASSWORD + "-wrong").publish, sky_reply())
    attempt(MastodonPublisher(closed_port_url(), TOKEN, retry=retry).publish, toot_reply())

    assert len(reasons) == 11
    session_tokens = list(bluesky._tokens)
    assert session_tokens
    shown = "\n".join(reasons) + caplog.text
    for secret in [TOKEN, APP_PASSWORD, *session_tokens]:
        assert secret not in shown
    assert "Bearer" not in shown


def test_publishers_exist_only_with_credentials(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    names = ["ENGAGE_MASTODON_ACCESS_TOKEN", "ENGAGE_BLUESKY_HANDLE", "ENGAGE_BLUESKY_APP_PASSWORD"]
    for name in names:
        monkeypatch.delenv(name, raising=False)
    config = Config(Settings(), None, tmp_path)
    mastodon, bluesky = named(Platform.MASTODON.value), named(Platform.BLUESKY.value)
    assert mastodon.publisher is not None and bluesky.publisher is not None

    assert mastodon.publisher(config) is None
    monkeypatch.setenv("ENGAGE_BLUESKY_HANDLE", HANDLE)
    assert bluesky.publisher(config) is None  # a handle without its app password

    monkeypatch.setenv("ENGAGE_MASTODON_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("ENGAGE_BLUESKY_APP_PASSWORD", APP_PASSWORD)
    built = [mastodon.publisher(config), bluesky.publisher(config)]
    assert [type(p).__name__ for p in built] == ["MastodonPublisher", "BlueskyPublisher"]
    assert all(p is not None and p.by_api for p in built)
    assert TOKEN not in repr(built) and APP_PASSWORD not in repr(built)


# --- Shares of the therapist's own article ----------------------------------------------------


def share(platform: Platform, *, key: str = "share-approval-1") -> Outgoing:
    """An approved share: a post of its own, answering nothing."""
    return Outgoing(
        draft_id=2, attempt_id="attempt-2", key=key, platform=platform.value, kind="blog_share",
        text=TEXT, target=f"{platform.value}:share", thread_url="", thread_external_id=None,
        community="", approved_at=datetime(2026, 5, 1, 9, 30, tzinfo=UTC),
    )  # fmt: skip


def test_a_share_on_mastodon_is_a_post_of_its_own(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    toot(mastodon, retry).publish(share(Platform.MASTODON))

    [post] = [r for r in mastodon.requests if r.method == "POST"]
    assert json.loads(post.body) == {"status": TEXT}
    assert mastodon.count("/api/v2/search") == 0


def test_a_share_on_mastodon_retried_after_an_unknown_outcome_makes_one_post(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    publisher, post = toot(mastodon, retry), share(Platform.MASTODON)
    mastodon.after_create = "502"  # type: ignore[assignment]

    assert failure_of(publisher.publish, post).outcome is Outcome.UNKNOWN
    found = publisher.find_existing(post)

    assert len(mastodon.posted) == 1
    assert found is not None and found.external_id == mastodon.posted[0]["uri"]


def test_a_reply_of_ours_with_the_same_text_is_not_taken_for_the_share(
    mastodon: FakeMastodon, retry: RetryPolicy
) -> None:
    publisher = toot(mastodon, retry)
    publisher.publish(outgoing(Platform.MASTODON, mastodon.statuses[0]))

    assert publisher.find_existing(share(Platform.MASTODON)) is None


def test_a_share_on_bluesky_is_a_post_of_its_own_with_its_link(
    bluesky: FakeBluesky, retry: RetryPolicy
) -> None:
    publisher, post = sky(bluesky, retry), share(Platform.BLUESKY)
    ref = publisher.publish(post)

    [record] = bluesky.records.values()
    value = record["value"]
    assert value["text"] == TEXT and "reply" not in value
    assert value["facets"] == link_facets(TEXT)
    assert publisher.find_existing(post) == ref
