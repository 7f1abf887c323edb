"""`engage auth linkedin`: the OAuth 2.0 authorization-code dance that gives engage a token to
post with as the therapist, through a browser and a redirect to engage on loopback.

python-linkedin-v2's `LinkedInAuthentication` builds the authorization URL; it is subclassed
where it is out of date: today's endpoints (`/oauth/v2/authorization`,
`/oauth/v2/accessToken` under [linkedin] auth_url), a `state` made with `secrets` (it makes one
from an MD5 of `random` and the client secret, and anew on every read of the URL), and the
code exchanged through our bounded session, once (a code is single use; its own exchange
reads errors with Python 2 attributes). Its request helper is never used: it puts the token in
the URL.

The redirect comes to http://127.0.0.1:PORT/callback, a server here that answers one request
at a time until LinkedIn's redirect arrives or the wait runs out; an answer whose `state` is
not the one sent (a page this sign-in did not open) is refused and nothing is stored. The
member is asked of OpenID Connect's /v2/userinfo (`sub` → urn:li:person:{sub}), and
{access_token, expires_at, member_urn} kept in the data directory (token.py).

Must not log, print, or put into an error the token, the code or the client secret; must not
import database code.
"""

from __future__ import annotations

import html
import secrets
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import requests
from linkedin_v2.linkedin import LinkedInAuthentication
from linkedin_v2.models import AccessToken

from engage.errors import ConfigError, EngageError
from engage.platforms.budget import limits as network
from engage.platforms.linkedin.client import LinkedInClient
from engage.platforms.linkedin.token import save_token, token_path
from engage.platforms.spec import PublishError
from engage.platforms.writes import never_sent, plain
from engage.redact import remember_secrets
from engage.sources.base import as_int, as_str
from engage.sources.http import DEFAULT_USER_AGENT, Limits, RetryPolicy, new_session

if TYPE_CHECKING:
    from engage.config import Config

#: OpenID Connect (userinfo: who the member is) and posting as them.
SCOPES = ("openid", "profile", "w_member_social")
AUTHORIZATION = "/oauth/v2/authorization"
ACCESS_TOKEN = "/oauth/v2/accessToken"
CALLBACK = "/callback"
#: How long one connection to the callback server may sit idle (a browser's preconnect).
_IDLE_CONNECTION = 10.0
_NOTHING_STORED = "nothing was stored; run engage auth linkedin again"
_CLIENT_HINT = (
    "; check the app's client id and secret ([linkedin] client_id_env, client_secret_env)"
)


class LinkedInAuthError(EngageError):
    """The dance did not end in a token: refused, abandoned, or answered by a stranger."""


@dataclass(frozen=True, slots=True)
class Authorized:
    """What `engage auth linkedin` tells the therapist (never the token)."""

    member_urn: str
    expires_at: datetime
    path: Path


class LinkedInOAuth(LinkedInAuthentication):  # type: ignore[misc]
    """python-linkedin-v2's authorization, brought up to date (see the module docstring)."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        *,
        auth_url: str,
        session: requests.Session,
        timeout: float,
    ) -> None:
        super().__init__(client_id, client_secret, redirect_uri, list(SCOPES))
        self.AUTHORIZATION_URL = auth_url.rstrip("/") + AUTHORIZATION
        self.ACCESS_TOKEN_URL = auth_url.rstrip("/") + ACCESS_TOKEN
        self._session = session
        self._timeout = timeout
        self._make_new_state()

    def __repr__(self) -> str:
        return f"LinkedInOAuth({self.AUTHORIZATION_URL!r})"

    def _make_new_state(self) -> str:
        self.state: str = secrets.token_urlsafe(32)
        return self.state

    def state_matches(self, state: str) -> bool:
        return secrets.compare_digest(state.encode(), str(self.state).encode())

    def get_access_token(self, timeout: float | None = None) -> AccessToken:
        """The code exchanged for a token, in one POST (no retries: the code is single use)."""
        doing = "exchanging LinkedIn's code for a token"
        form = {
            "grant_type": "authorization_code",
            "code": self.authorization_code,
            "redirect_uri": self.redirect_uri,
            "client_id": self.key,
            "client_secret": self.secret,
        }
        try:
            response = self._session.post(
                self.ACCESS_TOKEN_URL, data=form, timeout=timeout or self._timeout,
                allow_redirects=False,
            )  # fmt: skip
        except (requests.RequestException, EngageError, OSError) as exc:
            what = "could not reach" if never_sent(exc) else "no complete answer from"
            raise LinkedInAuthError(
                plain(f"{doing}: {what} {self.ACCESS_TOKEN_URL}; {_NOTHING_STORED}")
            ) from None
        body = _json(response)
        if not response.ok:
            said = ": ".join(
                part for part in (as_str(body.get("error")), as_str(body.get("error_description")))
                if part
            ) or f"HTTP {response.status_code}"  # fmt: skip
            client_refused = as_str(body.get("error")) == "invalid_client"
            hint = _CLIENT_HINT if response.status_code == 401 or client_refused else ""
            raise LinkedInAuthError(
                plain(f"{doing}: LinkedIn said {said}{hint}; {_NOTHING_STORED}")
            )
        token = as_str(body.get("access_token")).strip()
        if not token:
            raise LinkedInAuthError(f"{doing}: LinkedIn's answer held no token; {_NOTHING_STORED}")
        remember_secrets([token])
        granted = set(as_str(body.get("scope")).replace(",", " ").split())
        if granted and "w_member_social" not in granted:
            raise LinkedInAuthError(
                "LinkedIn did not grant w_member_social (posting as you): add the Share on "
                f"LinkedIn product to your app; {_NOTHING_STORED}"
            )
        self.token = AccessToken(token, as_int(body.get("expires_in")) or None)
        return self.token


@dataclass(frozen=True, slots=True)
class Callback:
    """LinkedIn's redirect to us: its query parameters."""

    code: str
    state: str
    error: str
    error_description: str


class CallbackServer:
    """http://127.0.0.1:PORT/callback, waiting for LinkedIn's redirect; anything else that
    asks (a favicon) gets a 404 and the wait goes on."""

    def __init__(self, port: int = 0) -> None:
        self.answer: Callable[[Callback], tuple[int, str]] = lambda _: (200, "")
        self._got: Callback | None = None
        try:
            self._httpd = HTTPServer(("127.0.0.1", port), self._handler())
        except OSError as exc:
            raise ConfigError(
                f"engage can't listen on 127.0.0.1:{port} for LinkedIn's answer ({exc.strerror}):"
                " close what uses it, or set another [linkedin] redirect_port (and register it)"
            ) from None

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{CALLBACK}"

    def wait(self, timeout: float) -> Callback | None:
        """The first request to /callback (answered by `answer`), or None when none came in
        `timeout` seconds."""
        deadline = datetime.now(UTC) + timedelta(seconds=timeout)
        while self._got is None:
            left = (deadline - datetime.now(UTC)).total_seconds()
            if left <= 0:
                return None
            self._httpd.timeout = left
            self._httpd.handle_request()
        return self._got

    def close(self) -> None:
        self._httpd.server_close()

    def __enter__(self) -> CallbackServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            timeout = _IDLE_CONNECTION

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path != CALLBACK or server._got is not None:
                    self._page(404, "Not here: engage waits for LinkedIn's answer at /callback.")
                    return
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                got = Callback(*(query.get(name, "") for name in
                                 ("code", "state", "error", "error_description")))  # fmt: skip
                status, text = server.answer(got)
                server._got = got
                self._page(status, text)

            def _page(self, status: int, text: str) -> None:
                body = (
                    "<!doctype html><meta charset=utf-8><title>engage</title>"
                    f"<p style='font:1.1em sans-serif;margin:3em'>{html.escape(text)}</p>"
                ).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("Referrer-Policy", "no-referrer")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the query holds the code."""

        return Handler


def authorize(
    config: Config,
    *,
    say: Callable[[str], None],
    open_browser: bool = True,
    timeout: float = 300.0,
    limits: Limits | None = None,
) -> Authorized:
    """The whole dance (see the module docstring); `say` tells the therapist what to do."""
    settings = config.settings.linkedin
    client_id = config.secret(settings.client_id_env)
    client_secret = config.secret(settings.client_secret_env)
    if not client_id or not client_secret:
        raise ConfigError(
            f"LinkedIn needs your app's client id and secret in {settings.client_id_env} and "
            f"{settings.client_secret_env} (from https://www.linkedin.com/developers/apps: "
            "create an app, add the Sign In with LinkedIn using OpenID Connect and Share on "
            "LinkedIn products)"
        )
    remember_secrets([client_secret])
    if config.secret(settings.access_token_env):
        say(f"note: {settings.access_token_env} is set, so engage keeps publishing with that "
            "token, not the one made now")  # fmt: skip
    retry = RetryPolicy()
    session = new_session(DEFAULT_USER_AGENT, "application/json", limits or network(config))
    with CallbackServer(settings.redirect_port or 0) as server:
        oauth = LinkedInOAuth(
            client_id, client_secret, server.redirect_uri, auth_url=settings.auth_url,
            session=session, timeout=retry.timeout,
        )  # fmt: skip
        server.answer = _answer(oauth)
        url = oauth.authorization_url
        fixed = "" if settings.redirect_port else (
            " (a new port each time: set [linkedin] redirect_port to register one for good)"
        )  # fmt: skip
        say(f"LinkedIn sends you back to {server.redirect_uri}: it must be listed exactly "
            f"under your app's Auth tab, Authorized redirect URLs{fixed}.")  # fmt: skip
        say(f"Open this address, sign in to LinkedIn and allow engage:\n\n  {url}\n")
        if open_browser and not _open(url):
            say("(no browser could be opened here: open the address above yourself)")
        say(f"Waiting up to {timeout:.0f} s for LinkedIn's answer…")
        got = server.wait(timeout)
    if got is None:
        raise LinkedInAuthError(
            f"no answer from LinkedIn within {timeout:.0f} s; {_NOTHING_STORED}"
        )
    _check(oauth, got)
    oauth.authorization_code = got.code
    remember_secrets([got.code])
    token = oauth.get_access_token()
    client = LinkedInClient(settings.api_url, token.access_token, settings.version,
                            retry=retry, session=session)  # fmt: skip
    try:
        member = client.member_urn()
    except PublishError as exc:
        raise LinkedInAuthError(plain(f"{exc.reason.split(';')[0]}; {_NOTHING_STORED}")) from None
    lifetime = timedelta(seconds=token.expires_in) if token.expires_in else timedelta(days=60)
    expires_at = (datetime.now(UTC) + lifetime).replace(microsecond=0)
    path = token_path(config)
    save_token(path, token.access_token, expires_at, member)
    return Authorized(member, expires_at, path)


def _answer(oauth: LinkedInOAuth) -> Callable[[Callback], tuple[int, str]]:
    """The page the browser shows once LinkedIn has sent it back to us."""

    def answer(got: Callback) -> tuple[int, str]:
        if not oauth.state_matches(got.state):
            return 400, "This answer does not belong to the sign-in engage started: refused."
        if got.error or not got.code:
            return 400, "LinkedIn did not allow engage; see the terminal."
        return 200, "engage has LinkedIn's answer: you can close this tab."

    return answer


def _check(oauth: LinkedInOAuth, got: Callback) -> None:
    if not oauth.state_matches(got.state):
        raise LinkedInAuthError(
            "LinkedIn's answer carried a state engage did not send (a page this sign-in did not "
            f"open): refused; {_NOTHING_STORED}"
        )
    if got.error:
        said = ": ".join(part for part in (got.error, got.error_description) if part)
        raise LinkedInAuthError(plain(f"LinkedIn did not allow engage ({said}); {_NOTHING_STORED}"))
    if not got.code:
        raise LinkedInAuthError(f"LinkedIn's answer held no code; {_NOTHING_STORED}")


def _open(url: str) -> bool:
    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
