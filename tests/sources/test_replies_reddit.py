"""Reddit's replies readers against the fake Reddit: the inbox through real praw (an app with the
therapist's account), and the public feed of each of our comments (no app). What a colleague
wrote back comes out once, with what it answers; our own comments never do; a failure leaves
the checkpoint where it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engage.config import Config, Settings
from engage.errors import SourceError
from engage.platforms import named
from engage.platforms.reddit.client import RedditCredentials
from engage.platforms.reddit.replies import RedditInboxReader, RedditThreadRepliesReader
from engage.sources.http import RetryPolicy
from engage.types.relationships import OwnPost
from tests.fakes.reddit import FakeReddit, Thing
from tests.fakes.server import Fault

THREAD = "t3abc"
USER = "engage_therapist"  # FakeReddit.username: the account every token belongs to


def add_thread(server: FakeReddit, id36: str = THREAD, **fields: Any) -> Thing:
    return server.store.add(
        "t3",
        {
            "id": id36, "name": f"t3_{id36}", "subreddit": "MFT", "author": "colleague",
            "title": "Couples and disclosure", "selftext": "How do you pace it?",
            "created_utc": 1_780_000_000.0,
            "permalink": f"/r/MFT/comments/{id36}/couples_and_disclosure/", **fields,
        },
    )  # fmt: skip


def our_comment(server: FakeReddit, thread: str = THREAD) -> Thing:
    return server.store.reply(f"t3_{thread}", author=USER, body="Slower pacing helped most.")


def inbox(server: FakeReddit, retry: RetryPolicy, **credentials: str) -> RedditInboxReader:
    login = credentials or {"username": USER, "password": "pw"}
    return RedditInboxReader(
        RedditCredentials("cid", "secret", **login),
        api_url=server.url, auth_url=server.url, retry=retry,
    )  # fmt: skip


def under(server: FakeReddit, retry: RetryPolicy, username: str | None = USER) -> Any:
    return RedditThreadRepliesReader(username, base_url=server.url, retry=retry)


def own(comment: Thing) -> OwnPost:
    return OwnPost(str(comment.data["id"]), THREAD, "r/MFT")


# --- the inbox ---------------------------------------------------------------------------------


def test_a_reply_to_our_comment_comes_out_of_the_inbox_with_what_it_answers(
    fake_reddit: FakeReddit, retry: RetryPolicy
) -> None:
    add_thread(fake_reddit)
    ours = our_comment(fake_reddit)
    theirs = fake_reddit.answer(ours.fullname, author="Dr_Kim_LMFT", body="Same here: slower.")

    [reply], _ = inbox(fake_reddit, retry).read({})

    assert (reply.external_id, reply.parent_external_id, reply.thread_external_id) == (
        theirs.data["id"], ours.data["id"], THREAD
    )  # fmt: skip
    assert (reply.author, reply.kind, reply.community) == ("Dr_Kim_LMFT", "reply", "r/MFT")
    assert reply.text == "Same here: slower."
    assert reply.url == f"https://www.reddit.com{theirs.data['permalink']}"


def test_a_username_mention_is_a_mention(fake_reddit: FakeReddit, retry: RetryPolicy) -> None:
    add_thread(fake_reddit)
    elsewhere = fake_reddit.store.reply(f"t3_{THREAD}", author="dr_ana", body="u/engage_therapist?")
    fake_reddit.store.notify(elsewhere, "username_mention")

    [reply], _ = inbox(fake_reddit, retry).read({})

    assert (reply.kind, reply.author, reply.parent_external_id) == ("mention", "dr_ana", THREAD)


def test_private_messages_and_deleted_replies_are_not_read(
    fake_reddit: FakeReddit, retry: RetryPolicy
) -> None:
    add_thread(fake_reddit)
    ours = our_comment(fake_reddit)
    gone = fake_reddit.answer(ours.fullname, author="someone", body="x")
    fake_reddit.store.update(gone.fullname, author="[deleted]", body="[deleted]")
    fake_reddit.store.add(
        "t4", {"id": "zz1", "name": "t4_zz1", "author": "x", "body": "hi", "created_utc": 1.0},
        inbox=True,
    )  # fmt: skip

    assert inbox(fake_reddit, retry).read({})[0] == []


def test_the_inbox_checkpoint_advances_so_nothing_is_read_twice(
    fake_reddit: FakeReddit, retry: RetryPolicy
) -> None:
    add_thread(fake_reddit)
    ours = our_comment(fake_reddit)
    fake_reddit.answer(ours.fullname, author="dr_kim", body="First.")
    reader = inbox(fake_reddit, retry)
    first, checkpoint = reader.read({})

    again, checkpoint = reader.read(checkpoint)
    later = fake_reddit.answer(ours.fullname, author="dr_ana", body="Second.")
    after, _ = reader.read(checkpoint)

    assert len(first) == 1 and again == []
    assert [r.external_id for r in after] == [later.data["id"]]


@pytest.mark.parametrize("status", [429, 503])
def test_a_failing_inbox_read_raises_retryable_and_loses_nothing(
    fake_reddit: FakeReddit, retry: RetryPolicy, status: int
) -> None:
    add_thread(fake_reddit)
    ours = our_comment(fake_reddit)
    fake_reddit.answer(ours.fullname, author="dr_kim", body="Hello.")
    reader = inbox(fake_reddit, retry)
    fake_reddit.inject(*[Fault(status=status, retry_after="0", path="/message/inbox")] * 4)

    with pytest.raises(SourceError) as failure:
        reader.read({})
    replies, _ = reader.read({})

    assert failure.value.retryable
    assert [r.author for r in replies] == ["dr_kim"]


def test_a_refresh_token_login_learns_the_account_name(
    fake_reddit: FakeReddit, retry: RetryPolicy
) -> None:
    reader = inbox(fake_reddit, retry, refresh_token="rt")

    reader.read({})

    assert reader.account == USER


def test_the_inbox_needs_the_therapists_account(fake_reddit: FakeReddit) -> None:
    with pytest.raises(SourceError, match="account") as failure:
        RedditInboxReader(RedditCredentials("cid", "secret"), api_url=fake_reddit.url)
    assert not failure.value.retryable


# --- without an app: the feed under each of our comments ---------------------------------------


def test_a_reply_under_our_comment_is_recognised_in_its_public_feed(
    fake_reddit: FakeReddit, retry: RetryPolicy
) -> None:
    add_thread(fake_reddit)
    ours = our_comment(fake_reddit)
    theirs = fake_reddit.answer(ours.fullname, author="Dr_Kim_LMFT", body="Same here: slower.")
    fake_reddit.store.reply(f"t3_{THREAD}", author="elsewhere", body="Not under ours.")

    [reply], _ = under(fake_reddit, retry).read({}, [own(ours)])

    assert (reply.external_id, reply.parent_external_id, reply.thread_external_id) == (
        theirs.data["id"], ours.data["id"], THREAD
    )  # fmt: skip
    assert (reply.author, reply.text, reply.kind) == ("Dr_Kim_LMFT", "Same here: slower.", "reply")
    request = next(r for r in fake_reddit.requests if r.path.endswith(".rss"))
    assert request.path == f"/r/MFT/comments/{THREAD}/_/{ours.data['id']}/.rss"
    assert request.query["depth"] == "2"


def test_the_therapists_own_comments_in_the_feed_are_never_replies(
    fake_reddit: FakeReddit, retry: RetryPolicy
) -> None:
    add_thread(fake_reddit)
    ours = our_comment(fake_reddit)
    theirs = fake_reddit.answer(ours.fullname, author="dr_kim", body="Question?")
    fake_reddit.store.reply(ours.fullname, author=USER.upper(), body="A note to myself.")

    replies, _ = under(fake_reddit, retry).read({}, [own(ours)])
    nameless, _ = under(fake_reddit, retry, username=None).read({}, [own(ours)])

    assert [r.external_id for r in replies] == [theirs.data["id"]]
    assert ours.data["id"] not in {r.external_id for r in nameless}


def test_the_feed_checkpoint_advances_per_comment(
    fake_reddit: FakeReddit, retry: RetryPolicy
) -> None:
    add_thread(fake_reddit)
    ours = our_comment(fake_reddit)
    fake_reddit.answer(ours.fullname, author="dr_kim", body="First.")
    reader = under(fake_reddit, retry)
    _, checkpoint = reader.read({}, [own(ours)])

    again, checkpoint = reader.read(checkpoint, [own(ours)])
    later = fake_reddit.answer(ours.fullname, author="dr_ana", body="Second.")
    after, checkpoint = reader.read(checkpoint, [own(ours)])

    assert again == [] and [r.external_id for r in after] == [later.data["id"]]
    assert checkpoint["under"] == {ours.data["id"]: later.data["id"]}


def test_a_comment_reddit_no_longer_serves_is_passed_over(
    fake_reddit: FakeReddit, retry: RetryPolicy
) -> None:
    add_thread(fake_reddit)
    ours = our_comment(fake_reddit)
    fake_reddit.answer(ours.fullname, author="dr_kim", body="Hello.")
    gone = OwnPost("zzzzzz", THREAD, "r/MFT")

    replies, checkpoint = under(fake_reddit, retry).read({"under": {"zzzzzz": "abc"}},
                                                         [gone, own(ours)])  # fmt: skip

    assert [r.author for r in replies] == ["dr_kim"]
    assert checkpoint["under"]["zzzzzz"] == "abc"


def test_a_failing_feed_raises_retryable_so_the_checkpoint_stays(
    fake_reddit: FakeReddit, retry: RetryPolicy
) -> None:
    add_thread(fake_reddit)
    ours = our_comment(fake_reddit)
    fake_reddit.answer(ours.fullname, author="dr_kim", body="Hello.")
    fake_reddit.inject(*[Fault(status=502, path="/r/MFT/comments/")] * 4)

    with pytest.raises(SourceError) as failure:
        under(fake_reddit, retry).read({}, [own(ours)])

    assert failure.value.retryable
    assert [r.author for r in under(fake_reddit, retry).read({}, [own(ours)])[0]] == ["dr_kim"]


# --- which reader the config gives -------------------------------------------------------------


def config(monkeypatch: pytest.MonkeyPatch, mode: str, **env: str) -> Config:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = Settings.model_validate({"reddit": {"mode": mode, "username": "dr_lee"}})
    return Config(settings, None, Path.cwd())


def test_the_config_picks_the_inbox_with_an_account_and_the_feeds_without(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = {"ENGAGE_REDDIT_CLIENT_ID": "cid", "ENGAGE_REDDIT_CLIENT_SECRET": "s"}
    user = {"ENGAGE_REDDIT_USERNAME": "dr_lee", "ENGAGE_REDDIT_PASSWORD": "pw"}
    replies = named("reddit").replies
    assert replies is not None

    assert isinstance(replies(config(monkeypatch, "api", **app, **user)), RedditInboxReader)
    monkeypatch.delenv("ENGAGE_REDDIT_PASSWORD")
    by_feed = replies(config(monkeypatch, "api", **app))
    assert isinstance(by_feed, RedditThreadRepliesReader) and by_feed.account == "dr_lee"
    assert isinstance(replies(config(monkeypatch, "rss")), RedditThreadRepliesReader)
    assert replies(config(monkeypatch, "off")) is None
