"""Reddit's publisher with real praw against the loopback fake Reddit: a reply goes out once with
exactly the approved text, every failure says whether it may be live, and our own reply is
recognised (never a decoy) through the API or, posted by hand, in the public comment feed."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from engage.config import Config, Settings
from engage.platforms.reddit import PLATFORM
from engage.platforms.reddit.client import RedditCredentials
from engage.platforms.reddit.publish import RedditHandFinder, RedditPublisher
from engage.platforms.reddit.settings import RedditSettings
from engage.platforms.spec import Outcome, Outgoing, PublishError
from engage.sources.http import RetryPolicy
from engage.types import Platform
from tests.fakes.reddit import FakeReddit, Thing
from tests.fakes.server import Fault

THREAD = "tq1a2b"
TEXT = (
    "Thank you for sharing this — naming the *pattern* out loud often helps.\n\n"
    "Happy to talk more: [my notes](https://example.org/notes) ✨"
)
CANARIES = ("canary-secret-7f3a91", "canary-password-c0ffee", "canary-refresh-5eed42")
MakePublisher = Callable[..., RedditPublisher]


@pytest.fixture
def thread(fake_reddit: FakeReddit) -> Thing:
    """A thread in r/therapists with one comment from a colleague (`t1_col1`)."""
    store = fake_reddit.store
    found = store.add(
        "t3",
        {
            "id": THREAD,
            "name": f"t3_{THREAD}",
            "subreddit": "therapists",
            "title": "How do you talk about fees?",
            "selftext": "Curious how others handle it.",
            "author": "colleague",
            "created_utc": 1_780_000_000.0,
            "permalink": f"/r/therapists/comments/{THREAD}/how_do_you_talk_about_fees/",
        },
    )
    store.add(
        "t1",
        {
            "id": "col1",
            "name": "t1_col1",
            "link_id": f"t3_{THREAD}",
            "parent_id": f"t3_{THREAD}",
            "subreddit": "therapists",
            "author": "colleague",
            "body": "I name the fee in the first call.",
            "created_utc": 1_780_000_100.0,
            "permalink": f"/r/therapists/comments/{THREAD}/how_do_you_talk_about_fees/col1/",
        },
    )
    return found


@pytest.fixture
def make_publisher(fake_reddit: FakeReddit, retry: RetryPolicy) -> MakePublisher:
    """`make_publisher(api_url=..., auth_url=..., **credentials)`: a script app's publisher
    whose secrets are canaries (none may show up in a reason or a log)."""

    def make(
        *, api_url: str | None = None, auth_url: str | None = None, **credentials: Any
    ) -> RedditPublisher:
        login = {"username": fake_reddit.username, "password": CANARIES[1], **credentials}
        return RedditPublisher(
            RedditCredentials("test-client", CANARIES[0], **login),
            api_url=api_url or fake_reddit.url,
            auth_url=auth_url or fake_reddit.url,
            retry=retry,
        )

    return make


@pytest.fixture
def publisher(make_publisher: MakePublisher) -> RedditPublisher:
    return make_publisher()


@pytest.fixture
def hand_finder(fake_reddit: FakeReddit, retry: RetryPolicy) -> RedditHandFinder:
    return RedditHandFinder(fake_reddit.username, base_url=fake_reddit.url, retry=retry)


def outgoing(target: str = f"t3_{THREAD}", text: str = TEXT, thread: str = THREAD) -> Outgoing:
    return Outgoing(
        draft_id=7,
        attempt_id="attempt-1",
        key="key-1",
        platform=Platform.REDDIT.value,
        kind="reply",
        text=text,
        target=target,
        thread_url=f"https://www.reddit.com/r/therapists/comments/{thread}/",
        thread_external_id=thread,
        community="r/therapists",
        approved_at=datetime(2026, 5, 1, tzinfo=UTC),
    )


def ours(fake: FakeReddit) -> list[Thing]:
    """Comments the therapist's account has on the fake Reddit, newest first."""
    return fake.store.listing("t1", None, author=fake.username, limit=100)[0]


def comment_posts(fake: FakeReddit) -> int:
    return fake.count("/api/comment", "POST")


def closed_port_url() -> str:
    """A loopback URL nothing listens on: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def failure(call: Callable[[], object]) -> PublishError:
    with pytest.raises(PublishError) as caught:
        call()
    return caught.value


def test_a_reply_to_a_thread_is_posted_with_the_exact_text(
    fake_reddit: FakeReddit, thread: Thing, publisher: RedditPublisher
) -> None:
    ref = publisher.publish(outgoing())

    [posted] = ours(fake_reddit)
    assert posted.data["body"] == TEXT
    assert posted.data["parent_id"] == f"t3_{THREAD}"
    [request] = [r for r in fake_reddit.requests if r.path == "/api/comment/"]
    assert request.form["text"] == TEXT and request.form["thing_id"] == f"t3_{THREAD}"
    assert ref.platform is Platform.REDDIT and ref.external_id == posted.data["id"]
    # The recorded answer has no permalink: the URL is built from the thread and comment ids.
    assert ref.url == f"https://www.reddit.com/comments/{THREAD}/_/{posted.data['id']}/"


def test_a_reply_to_a_comment_is_posted_under_that_comment(
    fake_reddit: FakeReddit, thread: Thing, publisher: RedditPublisher
) -> None:
    ref = publisher.publish(outgoing("t1_col1"))

    [posted] = ours(fake_reddit)
    assert (posted.data["parent_id"], posted.data["link_id"]) == ("t1_col1", f"t3_{THREAD}")
    assert posted.data["body"] == TEXT and ref.external_id == posted.data["id"]


def test_a_502_after_the_comment_was_made_is_unknown_sent_once_and_then_found(
    fake_reddit: FakeReddit, thread: Thing, publisher: RedditPublisher
) -> None:
    fake_reddit.inject(Fault(status=502, after_route=True, path="/api/comment"))

    error = failure(lambda: publisher.publish(outgoing()))

    assert error.outcome is Outcome.UNKNOWN and "502" in error.reason
    assert comment_posts(fake_reddit) == 1 and len(ours(fake_reddit)) == 1
    found = publisher.find_existing(outgoing())
    [posted] = ours(fake_reddit)
    assert found is not None and found.external_id == posted.data["id"]
    assert found.url == "https://www.reddit.com" + posted.data["permalink"]


def test_no_answer_in_time_after_the_comment_was_made_is_unknown_sent_once_and_then_found(
    fake_reddit: FakeReddit, thread: Thing, publisher: RedditPublisher
) -> None:
    fake_reddit.inject(Fault(delay=1.5, after_route=True, path="/api/comment"))

    error = failure(lambda: publisher.publish(outgoing()))

    assert error.outcome is Outcome.UNKNOWN and "in time" in error.reason
    assert comment_posts(fake_reddit) == 1 and len(ours(fake_reddit)) == 1
    found = publisher.find_existing(outgoing())
    assert found is not None and found.external_id == ours(fake_reddit)[0].data["id"]


@pytest.mark.parametrize("spoil", ["malformed", "reset"])
def test_an_answer_cut_short_after_the_comment_was_made_is_unknown(
    fake_reddit: FakeReddit, thread: Thing, publisher: RedditPublisher, spoil: str
) -> None:
    fake_reddit.inject(Fault(after_route=True, path="/api/comment", **{spoil: True}))

    error = failure(lambda: publisher.publish(outgoing()))

    assert error.outcome is Outcome.UNKNOWN
    assert comment_posts(fake_reddit) == 1 and len(ours(fake_reddit)) == 1


def test_the_same_words_in_another_thread_are_not_our_reply(
    fake_reddit: FakeReddit, thread: Thing, publisher: RedditPublisher
) -> None:
    other = dict(thread.data, id="tq9z9z", name="t3_tq9z9z", permalink="/r/x/comments/tq9z9z/o/")
    fake_reddit.store.add("t3", other)
    fake_reddit.store.reply("t3_tq9z9z", author=fake_reddit.username, body=TEXT)

    assert publisher.find_existing(outgoing()) is None


def test_other_words_in_the_same_thread_are_not_our_reply(
    fake_reddit: FakeReddit, thread: Thing, publisher: RedditPublisher
) -> None:
    fake_reddit.store.reply(f"t3_{THREAD}", author=fake_reddit.username, body="Another thought.")

    assert publisher.find_existing(outgoing()) is None


def test_the_same_words_under_another_comment_of_the_thread_are_not_our_reply(
    fake_reddit: FakeReddit, thread: Thing, publisher: RedditPublisher
) -> None:
    fake_reddit.store.reply("t1_col1", author=fake_reddit.username, body=TEXT)

    assert publisher.find_existing(outgoing()) is None


def test_our_reply_is_found_whatever_reddit_did_to_its_markdown(
    fake_reddit: FakeReddit, thread: Thing, publisher: RedditPublisher
) -> None:
    rendered = "Thank you for sharing this - naming the pattern out loud often helps. " + (
        "Happy to talk more: [my notes](https://example.org/other) ✨ "
    )
    fake_reddit.store.reply(f"t3_{THREAD}", author=fake_reddit.username, body=rendered)

    assert publisher.find_existing(outgoing()) is not None


@pytest.mark.parametrize(
    ("flag", "target", "reason"),
    [
        ("locked", f"t3_{THREAD}", "the thread is locked"),
        ("archived", f"t3_{THREAD}", "the thread is archived"),
        ("removed", f"t3_{THREAD}", "the thread was deleted"),
        ("removed", "t1_col1", "the comment it answers was deleted"),
        (None, "t1_gone99", "HTTP 403"),
    ],
    ids=["locked", "archived", "thread-deleted", "comment-deleted", "parent-unknown-403"],
)
def test_a_reply_reddit_will_not_take_is_refused_with_the_reason(
    fake_reddit: FakeReddit,
    thread: Thing,
    publisher: RedditPublisher,
    flag: str | None,
    target: str,
    reason: str,
) -> None:
    if flag:
        fake_reddit.store.update(target, **{flag: True})

    error = failure(lambda: publisher.publish(outgoing(target)))

    assert error.outcome is Outcome.REFUSED and reason in error.reason
    assert comment_posts(fake_reddit) == 1 and ours(fake_reddit) == []


def test_a_ratelimit_answer_is_not_sent_with_the_wait_it_names(
    fake_reddit: FakeReddit, thread: Thing, publisher: RedditPublisher
) -> None:
    fake_reddit.comment_ratelimit = "you are doing that too much. try again in 9 minutes."

    error = failure(lambda: publisher.publish(outgoing()))

    assert error.outcome is Outcome.NOT_SENT and error.retry_after == 9 * 60
    assert comment_posts(fake_reddit) == 1 and ours(fake_reddit) == []


def test_http_429_is_not_sent_tried_once_with_the_servers_wait(
    fake_reddit: FakeReddit, thread: Thing, publisher: RedditPublisher
) -> None:
    fake_reddit.inject(Fault(status=429, retry_after="37", path="/api/comment"))

    error = failure(lambda: publisher.publish(outgoing()))

    assert error.outcome is Outcome.NOT_SENT and error.retry_after == 37
    assert comment_posts(fake_reddit) == 1 and ours(fake_reddit) == []


def test_a_refused_connection_is_not_sent(
    fake_reddit: FakeReddit, thread: Thing, make_publisher: MakePublisher
) -> None:
    """The login works (its own host), the API's port is closed."""
    publisher = make_publisher(api_url=closed_port_url())

    error = failure(lambda: publisher.publish(outgoing()))

    assert error.outcome is Outcome.NOT_SENT and "nothing was sent" in error.reason
    assert fake_reddit.tokens_issued == 1


def test_a_host_name_that_does_not_resolve_is_not_sent(
    fake_reddit: FakeReddit,
    thread: Thing,
    make_publisher: MakePublisher,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resolve = socket.getaddrinfo

    def unknown_host(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "oauth.reddit.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", unknown_host)
    publisher = make_publisher(api_url="http://oauth.reddit.invalid")

    error = failure(lambda: publisher.publish(outgoing()))

    assert error.outcome is Outcome.NOT_SENT and "nothing was sent" in error.reason


def test_a_login_that_cannot_reach_reddit_is_not_sent(
    make_publisher: MakePublisher, sleeps: list[float]
) -> None:
    closed = closed_port_url()
    publisher = make_publisher(api_url=closed, auth_url=closed)

    error = failure(lambda: publisher.publish(outgoing()))

    assert error.outcome is Outcome.NOT_SENT and "logging in" in error.reason
    assert len(sleeps) == 3  # the login, not the reply, is what was retried


def test_refused_credentials_hold_the_reply_back_before_sending(
    fake_reddit: FakeReddit, thread: Thing, publisher: RedditPublisher
) -> None:
    fake_reddit.refuse_logins = True

    error = failure(lambda: publisher.publish(outgoing()))

    assert error.outcome is Outcome.NOT_SENT and "logging in to Reddit: refused" in error.reason
    assert error.retry_after == 3600
    assert "ENGAGE_REDDIT_" in error.reason
    assert comment_posts(fake_reddit) == 0


def test_a_target_that_is_not_a_reddit_id_is_refused_before_sending(
    fake_reddit: FakeReddit, publisher: RedditPublisher
) -> None:
    error = failure(lambda: publisher.publish(outgoing("https://www.reddit.com/r/x/")))

    assert error.outcome is Outcome.REFUSED and fake_reddit.requests == []


def test_not_being_able_to_look_is_unknown_not_none(
    fake_reddit: FakeReddit, thread: Thing, publisher: RedditPublisher
) -> None:
    fake_reddit.inject(*[Fault(status=503, path="/user/")] * 4)

    error = failure(lambda: publisher.find_existing(outgoing()))

    assert error.outcome is Outcome.UNKNOWN


def test_with_a_refresh_token_the_account_is_asked_of_reddit(
    fake_reddit: FakeReddit, thread: Thing, make_publisher: MakePublisher
) -> None:
    publisher = make_publisher(username=None, password=None, refresh_token=CANARIES[2])
    publisher.publish(outgoing())

    assert publisher.find_existing(outgoing()) is not None
    assert fake_reddit.count("/api/v1/me") == 1


def test_no_secret_shows_in_a_reason_or_a_log(
    fake_reddit: FakeReddit,
    thread: Thing,
    make_publisher: MakePublisher,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    by_password, by_token = make_publisher(), make_publisher(refresh_token=CANARIES[2])
    reasons: list[str] = []
    for publisher in (by_password, by_token):
        publisher.publish(outgoing())
        for fault in (
            Fault(status=502, after_route=True, path="/api/comment"),
            Fault(delay=1.5, after_route=True, path="/api/comment"),
            Fault(status=429, path="/api/comment"),
        ):
            fake_reddit.inject(fault)
            reasons.append(failure(lambda p=publisher: p.publish(outgoing())).reason)
    fake_reddit.refuse_logins = True
    unlogged = make_publisher(refresh_token=CANARIES[2])
    reasons.append(failure(lambda: unlogged.publish(outgoing())).reason)

    assert len(reasons) == 7 and caplog.text
    issued = [f"fake-token-{n}" for n in range(1, fake_reddit.tokens_issued + 1)]
    for secret in (*CANARIES, *issued):
        assert all(secret not in reason for reason in reasons)
        assert secret not in caplog.text


def test_a_reply_posted_by_hand_is_recognised_in_the_comment_feed(
    fake_reddit: FakeReddit, thread: Thing, hand_finder: RedditHandFinder
) -> None:
    posted = fake_reddit.store.reply(f"t3_{THREAD}", author=fake_reddit.username, body=TEXT)

    found = hand_finder.find_existing(outgoing())

    assert found is not None and found.external_id == posted.data["id"]
    assert found.url == "https://www.reddit.com" + posted.data["permalink"]
    assert fake_reddit.count(f"/user/{fake_reddit.username}/comments/.rss") == 1


def test_a_hand_posted_reply_to_a_comment_is_found_by_its_thread(
    fake_reddit: FakeReddit, thread: Thing, hand_finder: RedditHandFinder
) -> None:
    posted = fake_reddit.store.reply("t1_col1", author=fake_reddit.username, body=TEXT)

    found = hand_finder.find_existing(outgoing("t1_col1"))

    assert found is not None and found.external_id == posted.data["id"]


def test_the_comment_feed_finder_ignores_the_same_words_in_another_thread(
    fake_reddit: FakeReddit, thread: Thing, hand_finder: RedditHandFinder
) -> None:
    other = dict(thread.data, id="tq9z9z", name="t3_tq9z9z", permalink="/r/x/comments/tq9z9z/o/")
    fake_reddit.store.add("t3", other)
    fake_reddit.store.reply("t3_tq9z9z", author=fake_reddit.username, body=TEXT)
    fake_reddit.store.reply(f"t3_{THREAD}", author="someone_else", body=TEXT)

    assert hand_finder.find_existing(outgoing()) is None


def test_the_comment_feed_finder_never_publishes(
    fake_reddit: FakeReddit, hand_finder: RedditHandFinder
) -> None:
    error = failure(lambda: hand_finder.publish(outgoing()))

    assert error.outcome is Outcome.REFUSED and "by hand" in error.reason
    assert hand_finder.by_api is False and fake_reddit.requests == []


def test_an_unreadable_comment_feed_is_unknown(
    fake_reddit: FakeReddit, hand_finder: RedditHandFinder
) -> None:
    fake_reddit.inject(Fault(status=404, path="/user/"))

    error = failure(lambda: hand_finder.find_existing(outgoing()))

    assert error.outcome is Outcome.UNKNOWN and "HTTP 404" in error.reason


@pytest.mark.parametrize(
    ("reddit", "env", "built"),
    [
        ({"mode": "api"}, {"ID": "app", "USERNAME": "me", "PASSWORD": "pw"}, RedditPublisher),
        ({"mode": "api"}, {"ID": "app", "REFRESH_TOKEN": "tok"}, RedditPublisher),
        ({"mode": "api", "username": "u/me_too"}, {"ID": "app"}, RedditHandFinder),
        (
            {"mode": "rss", "username": "me_too"},
            {"USERNAME": "me", "PASSWORD": "pw"},
            RedditHandFinder,
        ),
        ({"mode": "rss"}, {}, type(None)),
    ],
    ids=["api-password", "api-refresh-token", "api-app-only", "rss-username", "rss-nothing"],
)
def test_the_config_chooses_the_publisher(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    reddit: dict[str, Any],
    env: dict[str, str],
    built: type,
) -> None:
    for name, value in env.items():
        prefix = "ENGAGE_REDDIT_CLIENT_" if name == "ID" else "ENGAGE_REDDIT_"
        monkeypatch.setenv(prefix + name, value)
    config = Config(Settings(reddit=RedditSettings(**reddit)), None, tmp_path)

    assert PLATFORM.publisher is not None
    made = PLATFORM.publisher(config)

    assert isinstance(made, built)
    if isinstance(made, RedditHandFinder):
        assert made.username == "me_too"
