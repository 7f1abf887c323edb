"""Sending the digest to a real SMTP server on loopback: TLS or nothing, once a day."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from engage.app import Engage
from engage.digest import send_today
from engage.digest.send import DigestSendError
from tests.digest.conftest import SmtpServer, add_thread

pytestmark = pytest.mark.usefixtures("app_database")

MakeApp = Callable[..., Engage]


def test_the_digest_arrives_as_text_then_html_with_its_headers(
    smtp_server: SmtpServer, make_app: MakeApp
) -> None:
    app = make_app(smtp_server)
    add_thread(app, title="CSAT consult: disclosure timing with a couple")
    outcome = send_today(app)
    assert outcome.status == "sent"
    [message] = smtp_server.mailbox.messages
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert message["Subject"].startswith("engage · 1 thread worth joining")
    assert message["Message-ID"] == outcome.message_id
    assert (
        message["Date"] and message["List-Unsubscribe"] == "<mailto:grace@example.org?subject=stop>"
    )
    assert smtp_server.mailbox.logins == ["grace"]


def test_every_link_in_the_html_is_https_and_shows_its_host(
    smtp_server: SmtpServer, make_app: MakeApp
) -> None:
    app = make_app(smtp_server)
    add_thread(
        app, title="Referral: CSAT in Irvine", url="https://www.reddit.com/r/mft/comments/9/"
    )
    send_today(app)
    html = smtp_server.mailbox.messages[0].get_body(("html",)).get_content()  # type: ignore[union-attr]
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs == ["https://www.reddit.com/r/mft/comments/9/"]
    assert "www.reddit.com" in re.sub(r"<[^>]+>", " ", html)


def test_a_second_send_on_the_same_local_date_sends_nothing(
    smtp_server: SmtpServer, make_app: MakeApp
) -> None:
    app = make_app(smtp_server)
    assert send_today(app).status == "sent"
    assert send_today(app).status == "already_sent"
    assert len(smtp_server.mailbox.messages) == 1


def test_force_sends_again_on_purpose(smtp_server: SmtpServer, make_app: MakeApp) -> None:
    app = make_app(smtp_server)
    send_today(app)
    assert send_today(app, force=True).status == "sent"
    assert len(smtp_server.mailbox.messages) == 2


def test_a_quiet_day_sends_a_short_note_by_default(
    smtp_server: SmtpServer, make_app: MakeApp
) -> None:
    app = make_app(smtp_server)
    send_today(app)
    assert "a quiet day" in smtp_server.mailbox.messages[0]["Subject"]


def test_a_quiet_day_can_be_skipped(smtp_server: SmtpServer, make_app: MakeApp) -> None:
    app = make_app(smtp_server, quiet_day="skip")
    assert send_today(app).status == "skipped"
    assert smtp_server.mailbox.messages == []
    assert send_today(app).status == "already_sent"


def test_a_temporary_refusal_is_retried(smtp_server: SmtpServer, make_app: MakeApp) -> None:
    import engage.digest.send as send_module

    smtp_server.mailbox.refusals.append("451 4.3.0 try again later")
    app = make_app(smtp_server)
    original = send_module.Retry
    try:
        send_module.Retry = lambda: original(sleep=lambda _: None)  # type: ignore[assignment,misc]
        assert send_today(app).status == "sent"
    finally:
        send_module.Retry = original  # type: ignore[misc]
    assert len(smtp_server.mailbox.messages) == 1


def test_a_permanent_refusal_is_recorded_for_status(
    smtp_server: SmtpServer, make_app: MakeApp
) -> None:
    from engage.status import collect_status

    smtp_server.mailbox.refusals.append("554 5.7.1 message rejected")
    app = make_app(smtp_server)
    with pytest.raises(DigestSendError, match="554"):
        send_today(app)
    last = collect_status(app.config)["last_digest"]
    assert last["status"] == "failed" and "554" in last["error"]


def test_a_server_without_starttls_gets_no_credentials(
    plain_smtp_server: SmtpServer, make_app: MakeApp
) -> None:
    app = make_app(plain_smtp_server)
    with pytest.raises(DigestSendError, match="does not offer STARTTLS"):
        send_today(app)
    assert plain_smtp_server.mailbox.logins == []
    assert plain_smtp_server.mailbox.messages == []


def test_an_untrusted_certificate_gets_no_credentials(
    untrusted_smtp_server: SmtpServer, make_app: MakeApp
) -> None:
    app = make_app(untrusted_smtp_server)
    with pytest.raises(DigestSendError, match="can't be verified"):
        send_today(app)
    assert untrusted_smtp_server.mailbox.logins == []
    assert untrusted_smtp_server.mailbox.messages == []
