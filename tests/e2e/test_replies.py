"""Replies back, end to end: the therapist's reply goes out through the real publishing job (real
praw against the fake Reddit, or the Mastodon and Bluesky fakes), a colleague answers it, and
`engage replies read` (the worker's job) stores that answer once as an interaction linked to the
engagement it answers, its thread and the person who wrote it. The therapist's own posts are
never people, nor is anyone on a help-seeker's or crisis thread; checkpoints advance; a failing
platform is retried later without losing anything; no secret shows anywhere; a reply answered
with `engage replies draft` waits at the desk and goes to the colleague's comment."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from engage.app import make_engage
from engage.models import Draft, Engagement, Interaction, JobRun, Match, Person, Source, Thread
from engage.relationships import record_our_reply
from engage.relationships.interactions import store_replies
from engage.sources.http import RetryPolicy
from engage.types.relationships import IncomingReply
from engage.worker import tick
from tests.e2e.desk_world import CLEAN, run, seed
from tests.fakes.reddit import FakeReddit, Thing
from tests.fakes.server import Fault
from tests.fakes.social import BLUESKY_DID, FakeBluesky, FakeMastodon

pytestmark = pytest.mark.usefixtures("app_database")

THREAD = "abc0"  # desk_world.seed's first thread: its draft answers t3_abc0
USER = "engage_therapist"  # FakeReddit.username: the account every token belongs to
SECRETS = {
    "ENGAGE_REDDIT_CLIENT_ID": "test-client",
    "ENGAGE_REDDIT_CLIENT_SECRET": "reddit-secret-canary-5b1f",
    "ENGAGE_REDDIT_USERNAME": USER,
    "ENGAGE_REDDIT_PASSWORD": "reddit-password-canary-77ad",
    "ENGAGE_MASTODON_ACCESS_TOKEN": "mastodon-token-canary-c2e0",
    "ENGAGE_BLUESKY_HANDLE": "dr-lena.bsky.social",
    "ENGAGE_BLUESKY_APP_PASSWORD": "bsky-app-pass-canary-0d93",
}
CANARIES = [value for name, value in SECRETS.items() if "canary" in value]


# --- the world ---------------------------------------------------------------------------------


def write_config(
    path: Path,
    *,
    reddit: FakeReddit | None = None,
    mode: str = "api",
    mastodon: FakeMastodon | None = None,
    bluesky: FakeBluesky | None = None,
) -> Path:
    text = '[profile]\nname = "Grace Lee"\n[profile.specialties]\nsex_addiction = 1.0\n'
    if reddit is None:
        text += '[reddit]\nmode = "off"\n'
    else:
        username = f'username = "{USER}"\n' if mode == "rss" else ""
        text += (
            f'[reddit]\nmode = "{mode}"\napi_url = "{reddit.url}"\n'
            f'auth_url = "{reddit.url}"\nrss_url = "{reddit.url}"\n{username}'
        )
    if mastodon is not None:
        text += f'[mastodon]\ninstance = "{mastodon.url}"\n'
    if bluesky is not None:
        text += f'[bluesky]\napi_url = "{bluesky.url}"\nauth_url = "{bluesky.url}"\n'
    text += '[publishing]\npost_to = ["r/therapists"]\nmin_minutes_between_posts = 0\n'
    path.write_text(text)
    return path


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The Reddit app and account, in the environment the CLI reads."""
    for name, value in SECRETS.items():
        if name.startswith("ENGAGE_REDDIT_"):
            monkeypatch.setenv(name, value)
    return SECRETS


@pytest.fixture
def social_secrets(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The Mastodon token and Bluesky app password too."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return SECRETS


@pytest.fixture
def reddit(fake_reddit: FakeReddit, secrets: dict[str, str]) -> FakeReddit:
    """The fake Reddit holding the colleague's thread the seeded draft answers."""
    fake_reddit.store.add(
        "t3",
        {
            "id": THREAD,
            "name": f"t3_{THREAD}",
            "subreddit": "therapists",
            "author": "colleague",
            "title": "Disclosure timing question",
            "selftext": "How long?",
            "created_utc": 1_780_000_000.0,
            "permalink": f"/r/therapists/comments/{THREAD}/disclosure_timing_question/",
        },
    )
    return fake_reddit


@pytest.fixture
def config(tmp_path: Path, reddit: FakeReddit) -> Path:
    return write_config(tmp_path / "engage.toml", reddit=reddit)


def published(config: Path) -> Engagement:
    """The seeded draft approved and published through the real publishing job."""
    [draft_id] = seed(config, CLEAN)
    assert run(config, "drafts", "approve", str(draft_id)).exit_code == 0
    result = run(config, "publish", "--json")
    assert result.exit_code == 0, result.output
    [engagement] = rows(config, Engagement)
    assert engagement.external_id
    return engagement


def ours(server: FakeReddit) -> Thing:
    [thing] = [
        t
        for t in list(server.store.things.values())
        if t.kind == "t1" and t.data.get("author") == USER
    ]
    return thing


def read_json(config: Path) -> dict[str, Any]:
    result = run(config, "replies", "read", "--json")
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.output)
    return report


def rows(config: Path, model: Any, *where: Any) -> list[Any]:
    engage = make_engage(config)
    try:
        with engage.db.read() as session:
            return list(session.scalars(select(model).where(*where).order_by(model.id)))
    finally:
        engage.close()


def add_thread(
    config: Path,
    platform: str,
    external_id: str,
    *,
    author: str,
    client_side: bool = False,
    crisis: bool = False,
) -> int:
    engage = make_engage(config)
    with engage.db.write() as session:
        thread = Thread(
            platform=platform,
            external_id=external_id,
            community="r/MFT",
            author=author,
            title="Couples and disclosure",
            body="How do you pace it?",
            url=f"https://example.org/{external_id}",
            created_at=datetime.now(UTC),
        )
        session.add(thread)
        session.flush()
        session.add(
            Match(
                thread_id=thread.id,
                score=1.0,
                intent="consult_question",
                profile_hash="t",
                client_side=client_side,
                crisis=crisis,
            )
        )
        session.flush()
        thread_id = thread.id
    engage.close()
    return thread_id


def add_engagement(config: Path, platform: str, thread_id: int, external_id: str) -> int:
    """Our reply as the publishing step logs it (for platforms published to outside this test)."""
    engage = make_engage(config)
    with engage.db.write() as session:
        engagement = Engagement(
            thread_id=thread_id,
            platform=platform,
            kind="reply",
            community="r/MFT",
            via="api",
            external_id=external_id,
            url=f"https://example.org/ours/{external_id[-6:]}",
        )
        session.add(engagement)
        session.flush()
        engagement_id = engagement.id
    engage.close()
    return engagement_id


def incoming(external_id: str, author: str, *, parent: str | None) -> IncomingReply:
    return IncomingReply(
        platform="reddit",
        external_id=external_id,
        author=author,
        author_name=None,
        text="Thank you, that helps.",
        url=None,
        created_at=datetime.now(UTC),
        parent_external_id=parent,
        thread_external_id=None,
        kind="reply",
    )


# --- Reddit ------------------------------------------------------------------------------------


def test_a_reddit_reply_to_our_published_comment_becomes_an_interaction_with_a_person(
    config: Path, reddit: FakeReddit
) -> None:
    engagement = published(config)
    theirs = reddit.answer(
        ours(reddit).fullname,
        author="Dr_Kim_LMFT",
        body="Same in my practice: slower pacing, fewer ruptures.",
    )

    report = read_json(config)

    assert report["stored"] == 1
    [interaction] = rows(config, Interaction)
    [person] = rows(config, Person)
    assert (interaction.engagement_id, interaction.thread_id) == (
        engagement.id,
        engagement.thread_id,
    )
    assert (interaction.direction, interaction.kind, interaction.platform) == (
        "in",
        "reply",
        "reddit",
    )
    assert interaction.external_id == theirs.data["id"]
    assert interaction.excerpt == "Same in my practice: slower pacing, fewer ruptures."
    assert (person.platform, person.handle, person.id) == (
        "reddit",
        "Dr_Kim_LMFT",
        interaction.person_id,
    )
    assert person.last_contact_at == interaction.at


def test_engage_replies_lists_who_where_what_and_which_reply_it_answers(
    config: Path, reddit: FakeReddit
) -> None:
    engagement = published(config)
    reddit.answer(ours(reddit).fullname, author="Dr_Kim_LMFT", body="Same here.")
    read_json(config)

    result = run(config, "replies", "--json")
    text = run(config, "replies").output

    [row] = json.loads(result.output)
    assert row["who"]["label"] == "u/Dr_Kim_LMFT" and row["community"] == "r/therapists"
    assert row["excerpt"] == "Same here." and row["answers_url"] == engagement.url
    assert row["url"].startswith("https://www.reddit.com/r/therapists/comments/abc0/")
    assert "u/Dr_Kim_LMFT replied to you in r/therapists" in text
    assert f"engage replies draft {row['id']}" in text


def test_the_same_reply_read_twice_is_stored_once(config: Path, reddit: FakeReddit) -> None:
    published(config)
    reddit.answer(ours(reddit).fullname, author="Dr_Kim_LMFT", body="Same here.")
    read_json(config)
    engage = make_engage(config)
    with engage.db.write() as session:  # forget where reading got to: the inbox is read again
        for row in session.scalars(select(Source).where(Source.kind == "reddit_replies")):
            row.checkpoint = {}
    engage.close()

    again = read_json(config)

    assert again["platforms"][0]["read"] == 1 and again["platforms"][0]["already_known"] == 1
    assert len(rows(config, Interaction)) == 1 and len(rows(config, Person)) == 1


def test_checkpoints_advance_so_nothing_is_read_again(config: Path, reddit: FakeReddit) -> None:
    published(config)
    reddit.answer(ours(reddit).fullname, author="Dr_Kim_LMFT", body="First.")
    read_json(config)

    second = read_json(config)
    reddit.answer(ours(reddit).fullname, author="dr_ana", body="Second.")
    third = read_json(config)

    assert second["platforms"][0]["read"] == 0
    assert third["platforms"][0]["read"] == 1 and third["stored"] == 1
    [row] = rows(config, Source, Source.kind == "reddit_replies")
    assert not row.enabled and row.checkpoint["inbox"]["top"]


def test_the_replies_row_never_joins_the_watch(config: Path, reddit: FakeReddit) -> None:
    published(config)
    read_json(config)

    result = run(config, "watch", "--once")

    assert result.exit_code == 0, result.output
    [row] = rows(config, Source, Source.kind == "reddit_replies")
    assert row.claimed_until is None and not row.enabled


def test_status_shows_where_reading_replies_got_to_apart_from_the_sources(
    config: Path, reddit: FakeReddit
) -> None:
    published(config)
    read_json(config)

    report = json.loads(run(config, "status", "--json").output)
    text = run(config, "status").output

    assert all(not s["kind"].endswith("_replies") for s in report["sources"])
    assert [r["platform"] for r in report["reply_reading"]] == ["reddit"]
    assert report["reply_reading"][0]["last_read_at"] is not None
    assert "replies   reddit: last read" in text and "replies to you" not in text


def test_the_therapists_own_comments_are_never_people(config: Path, reddit: FakeReddit) -> None:
    published(config)
    own = reddit.store.reply(ours(reddit).fullname, author=USER, body="Adding a thought.")
    reddit.store.notify(own)  # as if Reddit had told the account about its own comment

    report = read_json(config)

    assert report["stored"] == 0
    assert rows(config, Person) == [] and rows(config, Interaction) == []


def test_a_reply_whose_id_is_one_of_our_engagements_is_ours(config: Path) -> None:
    thread_id = add_thread(config, "reddit", "t9", author="colleague")
    add_engagement(config, "reddit", thread_id, "ours1")
    engage = make_engage(config)
    with engage.db.write() as session:
        result = store_replies(session, "reddit", [incoming("ours1", "someone", parent="t9")])
    engage.close()

    assert (result.own, result.stored) == (1, 0)
    assert rows(config, Person) == []


def test_in_rss_mode_a_reply_under_our_hand_posted_comment_is_recognised(
    tmp_path: Path, reddit: FakeReddit
) -> None:
    config = write_config(tmp_path / "engage.toml", reddit=reddit, mode="rss")
    [draft_id] = seed(config, CLEAN)
    assert run(config, "drafts", "approve", str(draft_id)).exit_code == 0
    posted = reddit.store.reply(f"t3_{THREAD}", author=USER, body=CLEAN)  # posted by hand
    assert run(config, "publish").exit_code == 0  # found in the account's feed, and logged
    [engagement] = rows(config, Engagement)
    assert engagement.external_id == posted.data["id"]
    reddit.answer(posted.fullname, author="Dr_Kim_LMFT", body="Thank you for this.")

    report = read_json(config)

    assert report["stored"] == 1
    [interaction] = rows(config, Interaction)
    assert interaction.engagement_id == engagement.id
    assert rows(config, Person)[0].handle == "Dr_Kim_LMFT"
    assert reddit.count(f"/r/therapists/comments/{THREAD}/_/{posted.data['id']}/.rss") == 1


@pytest.mark.parametrize("status", [429, 503])
def test_a_failing_read_is_logged_and_retried_later_without_losing_anything(
    config: Path,
    reddit: FakeReddit,
    status: int,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, attempt: 0.0)  # no real waits
    published(config)
    reddit.answer(ours(reddit).fullname, author="Dr_Kim_LMFT", body="Same here.")
    reddit.inject(*[Fault(status=status, retry_after="0", path="/message/inbox")] * 8)
    engage = make_engage(config)
    with caplog.at_level(logging.WARNING, logger="engage.worker"):
        tick(engage)
    engage.close()

    [row] = rows(config, Source, Source.kind == "reddit_replies")
    assert row.failures == 1 and f"HTTP {status}" in (row.last_error or "")
    assert row.next_poll_at is not None and row.next_poll_at > datetime.now(UTC)
    assert any("reading reddit replies" in r.getMessage() for r in caplog.records)
    assert rows(config, Interaction) == []

    reddit.clear()
    later = read_json(config)  # as the worker will once the back-off is over

    assert (
        later["stored"] == 1
        and rows(config, Source, Source.kind == "reddit_replies")[0].failures == 0
    )


def test_the_worker_reads_replies_each_tick_only_when_they_are_due(
    config: Path, reddit: FakeReddit
) -> None:
    published(config)
    reddit.answer(ours(reddit).fullname, author="Dr_Kim_LMFT", body="Same here.")
    engage = make_engage(config)
    tick(engage)
    inbox_reads = reddit.count("/message/inbox")
    tick(engage)
    engage.close()

    assert inbox_reads >= 1 and reddit.count("/message/inbox") == inbox_reads
    assert len(rows(config, Interaction)) == 1
    runs = rows(config, JobRun, JobRun.job == "replies")
    assert [(r.status, r.summary["stored"]) for r in runs] == [("ok", 1)]


# --- Mastodon and Bluesky ----------------------------------------------------------------------


def test_a_mastodon_mention_becomes_an_interaction_linked_to_its_engagement(
    tmp_path: Path, social_secrets: dict[str, str]
) -> None:
    with FakeMastodon() as mastodon:
        mastodon.token = SECRETS["ENGAGE_MASTODON_ACCESS_TOKEN"]
        config = write_config(tmp_path / "engage.toml", mastodon=mastodon)
        mine = mastodon._status("Pacing matters.", None)
        mastodon.posted.append(mine)
        thread_id = add_thread(
            config, "mastodon", "https://x.example/users/kim/statuses/1", author="kim@mental.health"
        )
        engagement_id = add_engagement(config, "mastodon", thread_id, mine["uri"])
        mastodon.reply_to(mine, acct="kim@mental.health", text="Agreed!", display_name="Dr. Kim")

        report = read_json(config)

    assert report["stored"] == 1
    [interaction] = rows(config, Interaction)
    [person] = rows(config, Person)
    assert (interaction.engagement_id, interaction.thread_id) == (engagement_id, thread_id)
    assert (person.handle, person.display_name) == ("kim@mental.health", "Dr. Kim")


def test_a_bluesky_reply_becomes_an_interaction_linked_to_its_engagement(
    tmp_path: Path, social_secrets: dict[str, str]
) -> None:
    handle, password = SECRETS["ENGAGE_BLUESKY_HANDLE"], SECRETS["ENGAGE_BLUESKY_APP_PASSWORD"]
    with FakeBluesky(handle, password) as bluesky:
        config = write_config(tmp_path / "engage.toml", bluesky=bluesky)
        root = "at://did:plc:kim/app.bsky.feed.post/3kroot0000001"
        mine = f"at://{BLUESKY_DID}/app.bsky.feed.post/3kours0000001"
        thread_id = add_thread(config, "bluesky", root, author="kim.bsky.social")
        engagement_id = add_engagement(config, "bluesky", thread_id, mine)
        bluesky.reply_to(
            mine, handle="ana.bsky.social", text="Useful, thanks.", display_name="Ana Ruiz, LCSW"
        )

        report = read_json(config)

    assert report["stored"] == 1
    [interaction] = rows(config, Interaction)
    [person] = rows(config, Person)
    assert (interaction.engagement_id, interaction.thread_id) == (engagement_id, thread_id)
    assert (person.platform, person.handle, person.display_name) == (
        "bluesky",
        "ana.bsky.social",
        "Ana Ruiz, LCSW",
    )


# --- help-seekers and crises -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["client_side", "crisis"])
def test_our_reply_on_a_help_seekers_or_crisis_thread_makes_no_colleague(
    config: Path, kind: str
) -> None:
    thread_id = add_thread(config, "reddit", "hs1", author="worried_parent", **{kind: True})
    engagement_id = add_engagement(config, "reddit", thread_id, "o1")
    engage = make_engage(config)
    with engage.db.write() as session:
        made = record_our_reply(session, session.get_one(Engagement, engagement_id))
    engage.close()

    assert made is None and rows(config, Person) == []


@pytest.mark.parametrize("kind", ["client_side", "crisis"])
def test_a_reply_on_a_help_seekers_or_crisis_thread_is_counted_not_kept(
    config: Path, kind: str
) -> None:
    thread_id = add_thread(config, "reddit", "hs1", author="worried_parent", **{kind: True})
    add_engagement(config, "reddit", thread_id, "o1")
    engage = make_engage(config)
    with engage.db.write() as session:
        result = store_replies(session, "reddit", [incoming("r1", "worried_parent", parent="o1")])
    engage.close()

    assert (result.help_seekers, result.stored) == (1, 0)
    assert rows(config, Person) == [] and rows(config, Interaction) == []


def test_our_reply_on_a_colleagues_thread_is_an_interaction_out_with_its_author(
    config: Path,
) -> None:
    thread_id = add_thread(config, "reddit", "c1", author="Dr_Kim_LMFT")
    engagement_id = add_engagement(config, "reddit", thread_id, "o1")
    engage = make_engage(config)
    with engage.db.write() as session:
        engagement = session.get_one(Engagement, engagement_id)
        first = record_our_reply(session, engagement)
        again = record_our_reply(session, engagement)
    engage.close()

    assert first is not None and again is None
    [interaction] = rows(config, Interaction)
    [person] = rows(config, Person)
    assert (interaction.direction, interaction.kind, interaction.person_id) == (
        "out",
        "our_reply",
        person.id,
    )
    assert person.handle == "Dr_Kim_LMFT" and person.last_contact_at is not None


def test_our_reply_in_our_own_thread_makes_no_person(config: Path, reddit: FakeReddit) -> None:
    published(config)  # the replies row learns the account: engage_therapist
    read_json(config)
    thread_id = add_thread(config, "reddit", "mine1", author=USER.upper())
    engagement_id = add_engagement(config, "reddit", thread_id, "o9")
    engage = make_engage(config)
    with engage.db.write() as session:
        made = record_our_reply(session, session.get_one(Engagement, engagement_id))
    engage.close()

    assert made is None and rows(config, Person) == []


# --- answering a reply -------------------------------------------------------------------------


def test_engage_replies_draft_writes_a_pending_draft_answering_the_colleagues_comment(
    config: Path, reddit: FakeReddit
) -> None:
    published(config)
    theirs = reddit.answer(
        ours(reddit).fullname,
        author="Dr_Kim_LMFT",
        body="How do you pace disclosure with couples in recovery?",
    )
    read_json(config)
    [interaction] = rows(config, Interaction)

    result = run(config, "replies", "draft", str(interaction.id), "--json")
    twice = run(config, "replies", "draft", str(interaction.id))

    assert result.exit_code == 0, result.output
    draft = json.loads(result.output)
    assert draft["status"] == "pending" and draft["target"] == f"t1_{theirs.data['id']}"
    assert draft["thread_id"] == interaction.thread_id
    assert rows(config, Interaction)[0].answer_draft_id == draft["id"]
    assert twice.exit_code == 2 and f"already has draft {draft['id']}" in twice.output


def test_an_approved_answer_goes_to_the_colleagues_comment_and_joins_them(
    config: Path, reddit: FakeReddit
) -> None:
    published(config)
    theirs = reddit.answer(ours(reddit).fullname, author="Dr_Kim_LMFT", body="And you?")
    read_json(config)
    [interaction] = rows(config, Interaction)
    made = run(config, "replies", "draft", str(interaction.id), "--json")
    draft_id = json.loads(made.output)["id"]
    answer_text = "Slower still: one disclosure session a fortnight, with a check-in between."
    assert run(config, "drafts", "edit", str(draft_id), "--text", answer_text).exit_code == 0
    approved = run(config, "drafts", "approve", str(draft_id))
    assert approved.exit_code == 0, approved.output

    assert run(config, "publish").exit_code == 0
    engage = make_engage(config)
    with engage.db.read() as session:  # publishing recorded our reply with the colleague
        engagement = session.scalars(
            select(Engagement).where(Engagement.draft_id == draft_id)
        ).one()
        person_id = session.scalars(
            select(Interaction.person_id).where(
                Interaction.engagement_id == engagement.id, Interaction.direction == "out"
            )
        ).one()
    engage.close()

    answer = [t for t in reddit.store.things.values() if t.data.get("parent_id") == theirs.fullname]
    assert len(answer) == 1 and answer[0].data["author"] == USER
    assert answer[0].data["body"] == answer_text
    assert person_id == interaction.person_id
    assert rows(config, Draft, Draft.id == draft_id)[0].status == "published"


def test_a_mention_outside_any_known_thread_is_kept_but_answered_on_the_platform(
    config: Path, reddit: FakeReddit
) -> None:
    read_json(config)  # nothing yet
    elsewhere = reddit.store.add(
        "t3",
        {
            "id": "zz9",
            "name": "t3_zz9",
            "subreddit": "MFT",
            "title": "Elsewhere",
            "created_utc": 1_780_000_000.0,
            "permalink": "/r/MFT/comments/zz9/elsewhere/",
        },
    )
    mention = reddit.store.reply(elsewhere.fullname, author="dr_ana", body="u/engage_therapist?")
    reddit.store.notify(mention, "username_mention")
    read_json(config)
    [interaction] = rows(config, Interaction)

    result = run(config, "replies", "draft", str(interaction.id))

    assert interaction.kind == "mention" and interaction.thread_id is None
    assert result.exit_code == 2 and "answer it on reddit" in result.output


# --- secrets -----------------------------------------------------------------------------------


def test_no_secret_in_errors_logs_or_job_runs(
    tmp_path: Path,
    reddit: FakeReddit,
    social_secrets: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with FakeMastodon() as mastodon, FakeBluesky("dr-lena.bsky.social", "other-pass") as bluesky:
        mastodon.token = "a-different-token"  # ours is refused
        reddit.refuse_logins = True
        config = write_config(
            tmp_path / "engage.toml", reddit=reddit, mastodon=mastodon, bluesky=bluesky
        )
        with caplog.at_level(logging.DEBUG):
            result = run(config, "replies", "read")
            as_json = run(config, "replies", "read", "--json")
            engage = make_engage(config)
            tick(engage)
            engage.close()

    shown = result.output + as_json.output + caplog.text
    stored = " ".join(
        f"{row.last_error} {row.options}"
        for row in rows(config, Source, Source.kind.like("%_replies"))
    ) + " ".join(f"{r.error} {r.summary}" for r in rows(config, JobRun))
    assert result.output.count("failed") == 3, result.output
    for canary in CANARIES:
        assert canary not in shown and canary not in stored


def test_no_platform_to_read_says_what_each_needs(tmp_path: Path) -> None:
    config = write_config(tmp_path / "engage.toml")

    result = run(config, "replies", "read")
    listing = run(config, "replies", "--since", "all")

    assert "Mastodon an access token" in result.output
    assert listing.output.strip() == "no replies yet"
    assert rows(config, JobRun) == []


def test_since_limits_the_list(config: Path, reddit: FakeReddit) -> None:
    published(config)
    reddit.answer(ours(reddit).fullname, author="Dr_Kim_LMFT", body="Same here.")
    read_json(config)
    engage = make_engage(config)
    with engage.db.write() as session:
        for row in session.scalars(select(Interaction)):
            row.at = datetime.now(UTC) - timedelta(days=10)
    engage.close()

    assert json.loads(run(config, "replies", "--json").output) == []
    assert len(json.loads(run(config, "replies", "--since", "2w", "--json").output)) == 1
