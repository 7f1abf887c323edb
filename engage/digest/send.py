"""Send a rendered digest by SMTP, always over verified TLS.

Port 465 speaks TLS from the first byte; any other port must offer STARTTLS, and we refuse to
go on (and so never send the password) if it doesn't or if the certificate can't be verified.
Temporary failures (4xx answers, dropped connections) are retried with backoff; permanent ones
(5xx) are raised at once.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from engage.digest.render import RenderedDigest
from engage.errors import EngageError


class DigestSendError(EngageError):
    """The digest could not be sent; `temporary` says whether a later try may work, and
    `maybe_delivered` that the connection broke mid-send, so an immediate retry could deliver
    it twice (the next scheduled try, counted against the day's limit, may still send it)."""

    def __init__(self, message: str, *, temporary: bool, maybe_delivered: bool = False) -> None:
        super().__init__(message)
        self.temporary = temporary
        self.maybe_delivered = maybe_delivered


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    host: str
    port: int
    security: str  # "starttls" or "tls"
    username: str | None
    password: str | None
    timeout: float = 30.0
    ca_file: str | None = None


@dataclass(frozen=True, slots=True)
class Retry:
    attempts: int = 3
    base_delay: float = 2.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)


def build_message(
    digest: RenderedDigest,
    *,
    sender: str,
    to: str,
    list_unsubscribe: str | None = None,
    domain: str | None = None,
) -> EmailMessage:
    """multipart/alternative: the text part first, the HTML part last (the preferred one)."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid("digest", domain=domain or sender.rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"
    if list_unsubscribe:
        message["List-Unsubscribe"] = f"<{list_unsubscribe}>"
    message.set_content(digest.text)
    message.add_alternative(digest.html, subtype="html")
    return message


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


def send_message(message: EmailMessage, target: SmtpTarget, retry: Retry | None = None) -> None:
    retry = retry or Retry()
    for attempt in range(1, retry.attempts + 1):
        try:
            _send_once(message, target)
            return
        except DigestSendError as exc:
            if not exc.temporary or exc.maybe_delivered or attempt == retry.attempts:
                raise
            retry.sleep(retry.base_delay * 2 ** (attempt - 1))


def _send_once(message: EmailMessage, target: SmtpTarget) -> None:
    context = tls_context(target.ca_file)
    where = f"{target.host}:{target.port}"
    try:
        client = _connect(target, context)
    except ssl.SSLCertVerificationError as exc:
        raise DigestSendError(
            f"{where}: the mail server's certificate can't be verified ({exc.verify_message}); "
            "nothing was sent (for a private CA, set digest.smtp_ca_file)",
            temporary=False,
        ) from None
    except ssl.SSLError as exc:
        raise DigestSendError(
            f"{where}: TLS failed ({exc}); nothing was sent", temporary=False
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise DigestSendError(
            f"{where} does not offer STARTTLS; refusing to send your password or mail in the "
            'clear (use port 465 with smtp_security = "tls" if the server supports it)',
            temporary=False,
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise DigestSendError(f"{where}: cannot connect ({exc})", temporary=True) from None
    sending = False  # once the message is on its way, a broken connection may hide a delivery
    try:
        with client:
            if target.username:
                client.login(target.username, target.password or "")
            sending = True
            client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise DigestSendError(f"{where}: login refused ({_reply(exc)})", temporary=False) from None
    except smtplib.SMTPResponseException as exc:
        temporary = 400 <= exc.smtp_code < 500
        raise DigestSendError(f"{where}: {_reply(exc)}", temporary=temporary) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise DigestSendError(
            f"{where}: recipient refused {exc.recipients}", temporary=False
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise DigestSendError(
            f"{where}: connection lost ({exc})", temporary=True, maybe_delivered=sending
        ) from None


def _connect(target: SmtpTarget, context: ssl.SSLContext) -> smtplib.SMTP:
    if target.security == "tls":
        return smtplib.SMTP_SSL(target.host, target.port, timeout=target.timeout, context=context)
    client = smtplib.SMTP(target.host, target.port, timeout=target.timeout)
    try:
        client.ehlo()
        if not client.has_extn("starttls"):
            raise smtplib.SMTPNotSupportedError("STARTTLS not offered")
        client.starttls(context=context)
        client.ehlo()
    except BaseException:
        _close_quietly(client)
        raise
    return client


def _close_quietly(client: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError):
        client.close()


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = (
        exc.smtp_error.decode(errors="replace")
        if isinstance(exc.smtp_error, bytes)
        else str(exc.smtp_error)
    )
    return f"{exc.smtp_code} {text}"
