"""LinkedInPublisher against the loopback LinkedIn: a share is a post, a reply a comment on the
post its thread's URL names, each sent once; and what every answer LinkedIn gives means for
the draft (NOT_SENT, REFUSED, UNKNOWN, or the post it already has)."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from engage.config import Config, Settings
from engage.platforms import named
from engage.platforms.linkedin.client import little_text
from engage.platforms.linkedin.publish import CANT_LOOK, LinkedInPublisher
from engage.platforms.linkedin.token import LinkedInToken, save_token, token_path
from engage.platforms.spec import Outcome, Outgoing, PublishError
from engage.redact import forget_secrets
from engage.sources.http import RetryPolicy
from engage.types import Platform
from tests.fakes.linkedin import MEMBER, FakeLinkedIn
from tests.fakes.server import Fault

SHARE = (
    "New on the blog: what couples tell me about the first year after disclosure (and what "
    "helps). Thoughts from colleagues welcome! https://blog.example.org/after_disclosure #CSAT"
)
COMMENT = "Thank you for this: pacing [slowly] matters more than any protocol, in my experience."
POST_URL = "https://www.linkedin.com/feed/update/urn:li:activity:7301234567890123456/"
POST_URN = "urn:li:activity:7301234567890123456"


@pytest.fixture
def linkedin() -> Iterator[FakeLinkedIn]:
    with FakeLinkedIn() as server:
        server.posts_known.add(POST_URN)
        yield server


def token(
    linkedin: FakeLinkedIn, *, expires_in: timedelta = timedelta(days=50), member: bool = True
) -> LinkedInToken:
    return LinkedInToken(
        linkedin.token, datetime.now(UTC) + expires_in, MEMBER if member else None, "file"
    )


def publisher(
    linkedin: FakeLinkedIn, retry: RetryPolicy, given: LinkedInToken | None = None,
    *, version: str = "202511",
) -> LinkedInPublisher:  # fmt: skip
    current = given or token(linkedin)
    return LinkedInPublisher(
        lambda: current, api_url=linkedin.url, web_url="https://www.linkedin.com",
        version=version, retry=retry,
    )  # fmt: skip


def share(text: str = SHARE) -> Outgoing:
    """An approved share of a blog post, as the publishing step builds it (no thread)."""
    return Outgoing(
        draft_id=7, attempt_id="attempt-1", key="approval-7", platform=Platform.LINKEDIN.value,
        kind="blog_share", text=text, target="linkedin:share", thread_url="",
        thread_external_id=None, community="", approved_at=datetime(2026, 5, 1, tzinfo=UTC),
    )  # fmt: skip


def reply(url: str = POST_URL, text: str = COMMENT) -> Outgoing:
    """An approved reply to a LinkedIn thread added by URL (its target is the thread's URL)."""
    return Outgoing(
        draft_id=8, attempt_id="attempt-1", key="approval-8", platform=Platform.LINKEDIN.value,
        kind="reply", text=text, target=url, thread_url=url, thread_external_id=url,
        community="linkedin", approved_at=datetime(2026, 5, 1, tzinfo=UTC),
    )  # fmt: skip


def failure_of(publisher: LinkedInPublisher, outgoing: Outgoing) -> PublishError:
    with pytest.raises(PublishError) as failed:
        publisher.publish(outgoing)
    return failed.value


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# --- what goes out ----------------------------------------------------------------------------


def test_a_share_is_posted_once_as_a_public_post_on_the_members_feed(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    ref = publisher(linkedin, retry).publish(share())

    assert linkedin.writes() == 1
    [post] = linkedin.posts
    assert post.body == {
        "author": MEMBER,
        "commentary": little_text(SHARE),
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                         "thirdPartyDistributionChannels": []},
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }  # fmt: skip
    assert ref.platform is Platform.LINKEDIN
    assert ref.external_id == post.urn
    assert ref.url == f"https://www.linkedin.com/feed/update/{post.urn}/"


def test_a_share_with_little_texts_reserved_characters_is_shown_exactly_as_approved(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    text = SHARE + " (a) [b] {c} <d> @e *f* _g_ ~h~ | \\ end"
    publisher(linkedin, retry).publish(share(text))

    assert linkedin.posts[0].shown == text


def test_every_request_carries_its_headers_and_never_puts_the_token_in_a_url(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    publisher(linkedin, retry, token(linkedin, member=False)).publish(share())

    assert linkedin.violations == []
    assert [r.path for r in linkedin.requests] == ["/v2/userinfo", "/rest/posts"]
    for request in linkedin.requests:
        assert request.headers["authorization"] == f"Bearer {linkedin.token}"
        assert request.headers["linkedin-version"] == "202511"
        assert request.headers["x-restli-protocol-version"] == "2.0.0"
        assert request.query_all == {}


def test_a_reply_is_a_comment_on_the_post_its_thread_url_names(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    ref = publisher(linkedin, retry).publish(reply())

    [request] = [r for r in linkedin.requests if r.method == "POST"]
    assert request.path == "/rest/socialActions/urn%3Ali%3Aactivity%3A7301234567890123456/comments"
    assert json.loads(request.body) == {
        "actor": MEMBER, "object": POST_URN, "message": {"text": COMMENT}
    }  # fmt: skip
    [comment] = linkedin.comments
    assert ref.external_id == comment["$URN"]
    assert ref.url is not None and ref.url.startswith(
        f"https://www.linkedin.com/feed/update/{POST_URN}/?commentUrn="
    )
    assert linkedin.posts == []


def test_a_reply_to_a_shared_posts_link_comments_on_the_activity_in_its_slug(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    url = "https://www.linkedin.com/posts/grace-lee-csat_couples-disclosure-activity-7301234567890123456-Ab3d"
    publisher(linkedin, retry).publish(reply(url))

    assert linkedin.comments[0]["object"] == POST_URN


def test_a_reply_to_a_linkedin_page_that_names_no_post_is_refused_before_any_request(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    failed = failure_of(publisher(linkedin, retry), reply("https://www.linkedin.com/groups/12345/"))

    assert failed.outcome is Outcome.REFUSED
    assert "names no LinkedIn post" in failed.reason
    assert linkedin.requests == []


def test_the_member_is_asked_of_userinfo_once_when_the_token_does_not_name_it(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    from_env = LinkedInToken(linkedin.token, None, None, "environment")
    publishing = publisher(linkedin, retry, from_env)
    publishing.publish(share())
    publishing.publish(reply())

    assert linkedin.count("/v2/userinfo") == 1
    assert linkedin.posts[0].author == MEMBER
    assert linkedin.comments[0]["actor"] == MEMBER


def test_a_renewed_token_is_used_without_building_the_publisher_again(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    current = [LinkedInToken("the-old-revoked-token", None, MEMBER, "file")]
    publishing = LinkedInPublisher(lambda: current[0], api_url=linkedin.url, retry=retry)
    assert failure_of(publishing, share()).outcome is Outcome.NOT_SENT

    current[0] = token(linkedin)
    publishing.publish(share())

    assert len(linkedin.posts) == 1


# --- what LinkedIn answers, and what it means ---------------------------------------------------


def test_a_duplicate_share_records_the_post_linkedin_already_has(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    first = publisher(linkedin, retry).publish(share())
    again = publisher(linkedin, retry).publish(share())

    assert linkedin.writes() == 2
    assert len(linkedin.posts) == 1
    assert again.external_id == first.external_id == linkedin.posts[0].urn


def test_a_refused_token_holds_the_draft_an_hour_until_engage_auth_linkedin(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    linkedin.refuse_next(401)

    failed = failure_of(publisher(linkedin, retry), share())

    assert failed.outcome is Outcome.NOT_SENT
    assert failed.retry_after == 3600
    assert "run engage auth linkedin" in failed.reason
    assert "expired" in failed.reason
    assert linkedin.posts == []


def test_a_stored_token_past_its_expiry_sends_nothing_and_waits_for_renewal(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    expired = token(linkedin, expires_in=timedelta(minutes=-5))

    failed = failure_of(publisher(linkedin, retry, expired), share())

    assert (failed.outcome, failed.retry_after) == (Outcome.NOT_SENT, 3600)
    assert "the LinkedIn token has expired: run engage auth linkedin" in failed.reason
    assert linkedin.requests == []


def test_a_retired_linkedin_version_is_refused_naming_the_setting_to_change(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    failed = failure_of(publisher(linkedin, retry, version="202301"), share())

    assert failed.outcome is Outcome.REFUSED
    assert "the LinkedIn-Version 202301 is too old: set [linkedin] version" in failed.reason
    assert linkedin.posts == []


def test_a_rate_limit_is_not_sent_and_waits_what_linkedin_asks(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    linkedin.retry_after = "900"
    linkedin.refuse_next(429)

    failed = failure_of(publisher(linkedin, retry), share())

    assert (failed.outcome, failed.retry_after) == (Outcome.NOT_SENT, 900)
    assert linkedin.writes() == 1 and linkedin.posts == []


def test_a_post_that_timed_out_after_sending_is_unknown_and_not_sent_again(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    linkedin.inject(Fault(delay=1.5, path="/rest/posts", after_route=True))

    failed = failure_of(publisher(linkedin, retry), share())

    assert failed.outcome is Outcome.UNKNOWN
    assert "it may have been posted" in failed.reason
    assert linkedin.writes() == 1
    assert len(linkedin.posts) == 1  # it went out: only a person can tell


def test_a_server_error_after_the_comment_went_out_is_unknown(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    linkedin.inject(Fault(status=502, path="/rest/socialActions", after_route=True))

    failed = failure_of(publisher(linkedin, retry), reply())

    assert failed.outcome is Outcome.UNKNOWN
    assert linkedin.writes() == 1 and len(linkedin.comments) == 1


def test_linkedin_unreachable_is_not_sent(retry: RetryPolicy) -> None:
    fake = LinkedInToken("some-token-value", None, MEMBER, "file")
    publishing = LinkedInPublisher(lambda: fake, api_url=closed_port_url(), retry=retry)

    assert failure_of(publishing, share()).outcome is Outcome.NOT_SENT


def test_a_comment_on_a_deleted_post_is_refused(linkedin: FakeLinkedIn, retry: RetryPolicy) -> None:
    linkedin.posts_known.clear()

    failed = failure_of(publisher(linkedin, retry), reply())

    assert failed.outcome is Outcome.REFUSED
    assert "HTTP 404" in failed.reason


def test_a_permission_refusal_says_which_product_the_app_needs(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    linkedin.refuse_next(403)

    failed = failure_of(publisher(linkedin, retry), share())

    assert failed.outcome is Outcome.REFUSED
    assert "w_member_social" in failed.reason


def test_a_share_over_3000_characters_is_refused_before_any_request(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    failed = failure_of(publisher(linkedin, retry), share("x" * 3001))

    assert failed.outcome is Outcome.REFUSED
    assert "longer than a LinkedIn post's 3,000 characters (3,001)" in failed.reason
    assert linkedin.requests == []


def test_a_share_of_exactly_3000_characters_goes_out(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    publisher(linkedin, retry).publish(share("y" * 3000))

    assert len(linkedin.posts[0].shown) == 3000


def test_a_comment_over_1250_characters_is_refused_before_any_request(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    failed = failure_of(publisher(linkedin, retry), reply(text="z" * 1251))

    assert failed.outcome is Outcome.REFUSED
    assert linkedin.requests == []


def test_linkedin_cant_be_read_back_so_a_look_is_unknown(
    linkedin: FakeLinkedIn, retry: RetryPolicy
) -> None:
    publishing = publisher(linkedin, retry)
    publishing.publish(share())

    with pytest.raises(PublishError) as failed:
        publishing.find_existing(share())

    assert failed.value.outcome is Outcome.UNKNOWN
    assert failed.value.reason == CANT_LOOK
    assert linkedin.writes() == 1


# --- the platform ---------------------------------------------------------------------------


def config_at(home: Path, settings: Settings | None = None) -> Config:
    return Config(settings or Settings(), None, home)


def test_without_a_token_linkedin_is_published_by_hand(tmp_path: Path) -> None:
    spec = named("linkedin")

    assert spec.publisher is not None
    assert spec.publisher(config_at(tmp_path)) is None


def test_a_stored_token_makes_linkedin_publish_by_api(tmp_path: Path) -> None:
    config = config_at(tmp_path)
    save_token(token_path(config), "stored-token-value", datetime.now(UTC), MEMBER)
    spec = named("linkedin")

    assert spec.publisher is not None
    made = spec.publisher(config)
    assert isinstance(made, LinkedInPublisher) and made.by_api


def test_a_token_in_the_environment_makes_linkedin_publish_by_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_LINKEDIN_ACCESS_TOKEN", "env-token-value")
    spec = named("linkedin")

    assert spec.publisher is not None
    assert isinstance(spec.publisher(config_at(tmp_path)), LinkedInPublisher)


# --- the token stays secret -------------------------------------------------------------------


def test_the_token_is_never_logged_nor_in_a_reason_whatever_linkedin_answers(
    linkedin: FakeLinkedIn, retry: RetryPolicy, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Checked without the redaction net: nothing masks the token here, so it must never be
    written at all."""
    canary = "canary-li-token-5d1e0b7f9a3c"
    linkedin.token = canary
    forget_secrets()
    monkeypatch.setattr("engage.platforms.linkedin.publish.remember_secrets", lambda _: None)
    caplog.set_level(logging.DEBUG)
    publishing = publisher(linkedin, retry, token(linkedin, member=False))
    reasons = []
    for status in (401, 403, 404, 429, 500):
        linkedin.refuse_next(status)
        reasons.append(failure_of(publishing, share()).reason)
    linkedin.inject(Fault(delay=1.5, path="/rest/posts", after_route=True))
    reasons.append(failure_of(publishing, share()).reason)
    reasons.append(failure_of(publisher(linkedin, retry, version="202001"), share()).reason)
    publishing.publish(reply())

    assert canary not in caplog.text
    assert all(canary not in reason for reason in reasons)
    assert canary not in repr(publishing) + repr(token(linkedin))
