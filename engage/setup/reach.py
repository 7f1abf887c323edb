"""The two things `engage init` does over the network, both optional and both forgiving: a
quick look at a feed URL (is it there, is it a feed?) and a test email through the digest's own
sending path (engage.digest.send).

Must never fail init: every outcome is a one-line note. Must not write SMTP or HTTP code of its
own (the sources' bounded HTTP session and the digest's sender are used), nor retry a send.
"""

from __future__ import annotations

from engage.config import DigestSettings

FEED_TIMEOUT = 4.0
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"


def feed_note(url: str, timeout: float = FEED_TIMEOUT) -> str:
    """A short note on `url`: reached and a feed, reached but a web page, or not reachable now.
    The URL is kept whatever the note says."""
    from engage.errors import EngageError
    from engage.sources.http import DEFAULT_USER_AGENT, Limits, RetryPolicy, get, new_session

    try:
        session = new_session(DEFAULT_USER_AGENT, FEED_ACCEPT, Limits(timeout, 2_000_000))
        with session:
            response = get(session, RetryPolicy(attempts=1, timeout=timeout), url)
            head = response.content[:2000].lstrip().lower()
    except EngageError:
        return "couldn't reach it now; kept it (engage tries again when it watches)"
    except Exception:  # any failure of a courtesy check is a note, never fatal
        return "couldn't reach it now; kept it (engage tries again when it watches)"
    if b"<rss" in head or b"<feed" in head or b"<rdf" in head:
        return "reached it: a feed"
    if b"<html" in head or b"<!doctype html" in head:
        return ("reached it, but it is a web page, not a feed; kept it (a blog's feed is often "
                "at /feed or /rss.xml: change it with engage sources)")  # fmt: skip
    return "reached it; kept it"


def send_test_email(digest: DigestSettings, password: str | None) -> str:
    """Send one short message to digest.to through the digest's sender; a note on the outcome."""
    from engage.digest.render import RenderedDigest
    from engage.digest.send import (
        DigestSendError,
        Retry,
        SmtpTarget,
        build_message,
        send_message,
    )
    from engage.redact import redact

    if not digest.to or not digest.sender:
        return "no digest address to send a test to"
    target = SmtpTarget(
        host=digest.smtp_host,
        port=digest.smtp_port,
        security=digest.smtp_security,
        username=digest.smtp_username,
        password=password,
        timeout=min(digest.smtp_timeout, 20.0),
        ca_file=digest.smtp_ca_file,
    )
    body = (
        "This is engage's test email: your daily digest will come from this address at "
        f"{digest.send_at:%H:%M} ({digest.timezone}).\n"
    )
    message = build_message(
        RenderedDigest("engage: test email", body, f"<p>{body}</p>"),
        sender=digest.sender,
        to=digest.to,
    )
    try:
        send_message(message, target, Retry(attempts=1))
    except DigestSendError as exc:
        return f"the test email didn't go: {redact(str(exc))}"
    except Exception as exc:  # a test email never ends init with a traceback
        return f"the test email didn't go: {redact(type(exc).__name__)}"
    return f"sent a test email to {digest.to}: check your inbox"
