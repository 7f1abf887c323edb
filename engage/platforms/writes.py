"""What a write to a platform's HTTP API meant, in the publishing contract's three outcomes.

Every publisher that talks HTTP itself (Mastodon, Bluesky) shares this: a POST is sent once,
never through the read retries of engage.sources.http, and whatever went wrong becomes a
`PublishError` whose outcome says what may have happened on the platform:

- NOT_SENT: the request provably never left (connection refused, DNS, TLS, a connect
  timeout), or the server answered "later" before doing anything (429, with the wait asked);
- REFUSED: the server answered no (4xx): nothing was posted, and the reason is shown;
- UNKNOWN: it may be live (a read timeout, a dropped connection, a 5xx after the request went
  out, an answer we can't read): reconcile, never retry blindly.

Reasons are shown to the therapist and stored: they carry the server's own words (cleaned,
bounded, with every known secret masked), never a header, a token or a request body.

Must not retry a write, know any platform, nor import database code.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator, Mapping
from typing import Any

import requests
import urllib3.exceptions

from engage.errors import SourceError
from engage.platforms.spec import Outcome, PublishError
from engage.redact import redact
from engage.sources.base import as_mapping, as_str, clean_text
from engage.sources.http import RetryPolicy, retry_after
from engage.sources.limits import DeadlineExceeded

log = logging.getLogger(__name__)

MAY_BE_LIVE = "it may have been posted"
#: Longest reason kept from a server's answer.
MAX_REASON_CHARS = 300
#: A reset header holding more than this many seconds is an epoch time, not a wait.
#: Exceptions raised before a request's first byte could have left.
_NEVER_SENT: tuple[type[BaseException], ...] = (
    requests.ConnectTimeout,
    requests.exceptions.SSLError,
    requests.exceptions.ProxyError,
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    urllib3.exceptions.NewConnectionError,  # refused, unreachable, DNS (NameResolutionError)
)


def post_once(
    session: requests.Session,
    url: str,
    doing: str,
    *,
    timeout: float,
    json: Any = None,
    headers: Mapping[str, str] | None = None,
) -> requests.Response:
    """POST once: no retries, no redirects followed. An exception becomes a PublishError,
    NOT_SENT when the request provably never left, UNKNOWN otherwise."""
    started = time.monotonic()
    try:
        return session.post(
            url, json=json, headers=dict(headers or {}), timeout=timeout, allow_redirects=False
        )
    except (requests.RequestException, SourceError, OSError) as exc:
        waited = time.monotonic() - started
        log.debug("POST %s failed after %.1f s: %s", url, waited, type(exc).__name__)
        if never_sent(exc):
            reason = f"{doing}: could not reach {_origin(url)} ({_cause(exc)}); nothing was sent"
            raise PublishError(Outcome.NOT_SENT, plain(reason)) from exc
        reason = f"{doing}: no complete answer in {waited:.0f} s ({_cause(exc)}); {MAY_BE_LIVE}"
        raise PublishError(Outcome.UNKNOWN, plain(reason)) from exc


def never_sent(exc: BaseException) -> bool:
    """Whether `exc` (or what it wraps) failed before the request could reach the server."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _NEVER_SENT):
            return True
        # requests wraps urllib3's MaxRetryError, whose `reason` is the real failure.
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException) and isinstance(reason, _NEVER_SENT):
            return True
        wrapped = current.args[0] if current.args else None
        if isinstance(wrapped, BaseException) and wrapped is not current:
            current = wrapped
        else:
            current = current.__cause__ or current.__context__
    return False


def failure(
    response: requests.Response, doing: str, *, wrote: bool, auth_hint: str = ""
) -> PublishError:
    """A non-success answer as a PublishError. `doing` says what was asked in the therapist's
    words ("posting the reply to Mastodon"); `wrote` is whether this request could have created
    something (a 5xx to a read made before the write means nothing was posted); `auth_hint`
    follows a 401/403 (which setting holds the credentials)."""
    status = response.status_code
    said = server_said(response)
    detail = f"HTTP {status}" + (f": {said}" if said else "")
    if status == 429:
        wait = retry_after(response)
        asked = f", it asks to wait {wait:.0f} s" if wait is not None else ""
        return PublishError(
            Outcome.NOT_SENT, plain(f"{doing}: rate limited{asked}"), retry_after=wait
        )
    if status >= 500 or status == 408:
        if wrote:
            reason = f"{doing}: the server failed ({detail}); {MAY_BE_LIVE}"
            return PublishError(Outcome.UNKNOWN, plain(reason))
        return PublishError(Outcome.NOT_SENT, plain(f"{doing}: the server failed ({detail})"))
    if 300 <= status < 400:
        where = response.headers.get("Location", "elsewhere")
        return PublishError(
            Outcome.REFUSED,
            plain(f"{doing}: the server redirected to {where}; is the configured address right?"),
        )
    if status in (401, 403):
        hint = f"; {auth_hint}" if auth_hint else ""
        return PublishError(Outcome.REFUSED, plain(f"{doing}: not allowed ({detail}){hint}"))
    return PublishError(Outcome.REFUSED, plain(f"{doing}: refused ({detail})"))


def server_said(response: requests.Response) -> str:
    """The server's own explanation in a JSON error body (Mastodon's `error`, XRPC's `error`
    and `message`), cleaned; empty when there is none."""
    try:
        body = as_mapping(response.json())
    except ValueError:
        return ""
    parts = [as_str(body.get("error")), as_str(body.get("message"))]
    said = ": ".join(dict.fromkeys(part.strip() for part in parts if part.strip()))
    return plain(said)


def read(
    session: requests.Session,
    retry: RetryPolicy,
    url: str,
    doing: str,
    *,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> requests.Response:
    """GET with the read retries (429 and 5xx waited out); whatever the server finally
    answered is returned for the caller to judge. No answer at all is a PublishError
    (NOT_SENT: a read posts nothing)."""
    with reading(doing):
        try:
            return retry.send(
                lambda: session.get(
                    url,
                    params=dict(params or {}),
                    headers=dict(headers or {}),
                    timeout=retry.timeout,
                ),
                f"GET {url}",
            )
        except requests.RequestException as exc:  # not transient: a bad URL, a redirect loop
            raise SourceError(f"GET {url}: {_cause(exc)}", retryable=False) from exc


@contextlib.contextmanager
def reading(doing: str) -> Iterator[None]:
    """Reads (with their own retries) made on the way to a write: a SourceError from them is a
    PublishError, NOT_SENT (try again later) or, when trying again can't help (credentials
    refused), REFUSED."""
    try:
        yield
    except SourceError as exc:
        outcome = Outcome.NOT_SENT if exc.retryable else Outcome.REFUSED
        raise PublishError(outcome, plain(f"{doing}: {exc}")) from exc


@contextlib.contextmanager
def looking(doing: str) -> Iterator[None]:
    """`find_existing`: whatever stopped the look means only that we could not look
    (PublishError UNKNOWN, the Publisher contract), never that nothing is there."""
    try:
        yield
    except PublishError as exc:
        if exc.outcome is Outcome.UNKNOWN:
            raise
        raise PublishError(
            Outcome.UNKNOWN, plain(f"{doing}: {exc.reason}"), retry_after=exc.retry_after
        ) from exc
    except SourceError as exc:
        raise PublishError(Outcome.UNKNOWN, plain(f"{doing}: {exc}")) from exc


def json_of(response: requests.Response, doing: str, *, wrote: bool) -> Mapping[str, Any]:
    """The JSON object a successful request answered. An unreadable one after a write is
    UNKNOWN (the post may be live, but we can't point to it); after a read, NOT_SENT."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        outcome = Outcome.UNKNOWN if wrote else Outcome.NOT_SENT
        raise PublishError(outcome, plain(f"{doing}: the answer could not be read"))
    return body


def plain(text: str) -> str:
    """A reason fit to show and store: one line, no control characters, bounded, and every
    known secret masked."""
    one_line = " ".join(clean_text(text, MAX_REASON_CHARS * 4).split())
    if len(one_line) > MAX_REASON_CHARS:
        one_line = one_line[: MAX_REASON_CHARS - 1] + "…"
    return redact(one_line)


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].rpartition('@')[2]}"


def _cause(exc: BaseException) -> str:
    """The kind of failure, without the exception's text (which may quote a URL or header)."""
    if isinstance(exc, requests.Timeout | DeadlineExceeded):
        return "timed out"
    if never_sent(exc):
        return "connection failed"
    return type(exc).__name__
