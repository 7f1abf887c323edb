"""A loopback LinkedIn: the OAuth endpoints a member's consent goes through, OpenID Connect's
userinfo, and the two REST writes engage makes (a post, a comment), each request checked as
LinkedIn checks it.

- OAuth: `GET /oauth/v2/authorization` plays the member who signs in and allows the app: it
  checks the client id, the redirect URL (a loopback /callback, or exactly `registered_redirect`)
  and the scopes, and answers with a redirect carrying a fresh code and the state it was given
  (`deny` answers `error=user_cancelled_authorize` instead). `POST /oauth/v2/accessToken`
  takes the code once, with the same redirect URL and the client's id and secret, and answers
  with `token`.
- Every API request must carry `Authorization: Bearer {token}`; a token anywhere in a URL is
  recorded in `violations` (and refused). `/rest/` requests also need `LinkedIn-Version`
  (YYYYMM: 426 when older than `oldest_version`, as LinkedIn answers a retired version) and
  `X-Restli-Protocol-Version: 2.0.0`.
- `POST /rest/posts` checks the body's schema (400 naming a missing or wrong field), the author
  (the token's member, else 403), reads the commentary as little text (an unescaped reserved
  character cuts it off there, as LinkedIn does) and answers 201 with `x-restli-id`; the same
  text twice is a 422 naming the first post. `POST /rest/socialActions/{urn}/comments` checks
  its body and that the post exists (`posts_known`), and answers 201 with the comment's URN.
- On demand: `refuse_next(status)` answers the next REST write with LinkedIn's error for that
  status (401 expired token, 403, 404, 429 with Retry-After, 500); the base class's `Fault`s
  (a stall, a 5xx after the write took effect) work as everywhere.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

from tests.fakes.server import LoopbackServer, Reply, Request, json_reply

SUB = "782bbtaQ"
MEMBER = f"urn:li:person:{SUB}"
TOKEN = "AQV-fake-linkedin-token-0123456789"
CLIENT_ID = "86abcdefgh1234"
CLIENT_SECRET = "fake-client-secret-WXYZ"
#: What LinkedIn grants a member token, and for how long (60 days).
SCOPE = "openid,profile,w_member_social"
EXPIRES_IN = 5_184_000
RESERVED = set("\\|{}@[]()<>#*_~")
_VERSION = re.compile(r"\d{6}")
_COMMENTS = re.compile(r"/rest/socialActions/([^/]+)/comments")


def error(status: int, message: str, code: str = "") -> Reply:
    """An error in LinkedIn's REST shape."""
    body: dict[str, Any] = {"status": status, "message": message}
    if code:
        body["code"] = code
    return json_reply(body, status)


#: What LinkedIn answers for each status `refuse_next` can ask for.
REFUSALS: dict[int, Reply] = {
    401: error(401, "The token used in the request has expired", "EXPIRED_ACCESS_TOKEN"),
    403: error(403, "Not enough permissions to access: partnerApiPostsExternal.CREATE.20251101",
               "ACCESS_DENIED"),
    404: error(404, "Not Found: the post was deleted", "NOT_FOUND"),
    429: error(429, "Resource level throttle APPLICATION DAY limit for calls to this resource "
               "is reached.", "TOO_MANY_REQUESTS"),
    500: error(500, "Internal Server Error", "INTERNAL_SERVER_ERROR"),
}  # fmt: skip


@dataclass
class Posted:
    urn: str
    author: str
    commentary: str
    #: The text as LinkedIn shows it (little text read).
    shown: str
    body: dict[str, Any] = field(default_factory=dict)


class FakeLinkedIn(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.token = TOKEN
        self.sub = SUB
        self.scope = SCOPE
        self.expires_in = EXPIRES_IN
        self.oldest_version = "202411"
        self.registered_redirect: str | None = None
        self.deny = False
        self.retry_after = "120"
        self.posts: list[Posted] = []
        self.comments: list[dict[str, Any]] = []
        self.posts_known: set[str] = set()
        self.violations: list[str] = []
        self._codes: dict[str, str] = {}
        self._refusals: list[int] = []
        self._ids = itertools.count(7_300_000_000_000_000_000)
        self._state_lock = threading.Lock()

    @property
    def member(self) -> str:
        return f"urn:li:person:{self.sub}"

    def refuse_next(self, status: int) -> None:
        """Answer the next REST write with LinkedIn's error for `status` (nothing is made)."""
        self._refusals.append(status)

    def writes(self) -> int:
        """POSTs to the REST API (made or refused)."""
        return self.count("/rest/", "POST")

    def route(self, request: Request) -> Reply:
        if self.token and self.token in request.path + json.dumps(request.query_all):
            self.violations.append(f"{request.method} {request.path}: the token is in the URL")
            return error(400, "access tokens are not taken in the query string")
        if request.path == "/oauth/v2/authorization" and request.method == "GET":
            return self._authorize(request)
        if request.path == "/oauth/v2/accessToken" and request.method == "POST":
            return self._access_token(request)
        if refused := self._check_auth(request):
            return refused
        if request.path == "/v2/userinfo" and request.method == "GET":
            return json_reply({"sub": self.sub, "name": "Grace Lee", "given_name": "Grace",
                               "family_name": "Lee", "locale": {"country": "US",
                                                                "language": "en"}})  # fmt: skip
        if not request.path.startswith("/rest/"):
            return error(404, f"no resource {request.path}")
        if refused := self._check_rest_headers(request):
            return refused
        if request.method != "POST":
            return error(405, "method not allowed")
        if self._refusals:
            status = self._refusals.pop(0)
            reply = REFUSALS[status]
            if status == 429:
                return Reply(reply.status, reply.body, headers={"Retry-After": self.retry_after})
            return reply
        body = self._json_body(request)
        if isinstance(body, Reply):
            return body
        if request.path == "/rest/posts":
            return self._create_post(body)
        if match := _COMMENTS.fullmatch(request.path):
            return self._comment(unquote(match.group(1)), body)
        return error(404, f"no resource {request.path}")

    # --- OAuth ---------------------------------------------------------------------------------

    def _authorize(self, request: Request) -> Reply:
        query = request.query
        redirect = query.get("redirect_uri", "")
        if query.get("response_type") != "code" or query.get("client_id") != self.client_id:
            return Reply(400, b"<p>Invalid client id or response type</p>", "text/html")
        parts = urlsplit(redirect)
        loopback = (
            parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.path == "/callback"
        )
        if not loopback or (self.registered_redirect and redirect != self.registered_redirect):
            return Reply(400, b"<p>The redirect_uri does not match the registered value</p>",
                         "text/html")  # fmt: skip
        wanted = {"openid", "profile", "w_member_social"}
        if not wanted <= set(query.get("scope", "").split()) or not query.get("state"):
            return Reply(400, b"<p>Scope or state missing</p>", "text/html")
        if self.deny:
            answer = {"error": "user_cancelled_authorize",
                      "error_description": "The user cancelled the authorization",
                      "state": query["state"]}  # fmt: skip
        else:
            code = f"code-{next(self._ids)}"
            with self._state_lock:
                self._codes[code] = redirect
            answer = {"code": code, "state": query["state"]}
        return Reply(302, b"", headers={"Location": f"{redirect}?{urlencode(answer)}"})

    def _access_token(self, request: Request) -> Reply:
        if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            return json_reply({"error": "invalid_request",
                               "error_description": "form encoding required"}, 400)  # fmt: skip
        form = request.form
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            refused = {
                "error": "invalid_client",
                "error_description": "Client authentication failed",
            }
            return json_reply(refused, 401)
        with self._state_lock:
            redirect = self._codes.pop(form.get("code", ""), None)
        if (
            form.get("grant_type") != "authorization_code"
            or redirect is None
            or form.get("redirect_uri") != redirect
        ):
            return json_reply({"error": "invalid_request", "error_description": (
                "Unable to retrieve access token: appid/redirect uri/code verifier does not "
                "match authorization code. Or authorization code expired."
            )}, 400)  # fmt: skip
        return json_reply({"access_token": self.token, "expires_in": self.expires_in,
                           "scope": self.scope, "token_type": "Bearer",
                           "id_token": "eyJhbGciOiJSUzI1NiJ9.e30.sig"})  # fmt: skip

    # --- checks every API request gets ------------------------------------------------------

    def _check_auth(self, request: Request) -> Reply | None:
        if "oauth2_access_token" in request.query:
            self.violations.append(f"{request.method} {request.path}: oauth2_access_token")
        given = request.headers.get("authorization", "")
        if not given.startswith("Bearer "):
            return error(401, "Empty oauth2 access token", "EMPTY_ACCESS_TOKEN")
        if not self.token or given != f"Bearer {self.token}":
            return error(401, "Invalid access token", "INVALID_ACCESS_TOKEN")
        return None

    def _check_rest_headers(self, request: Request) -> Reply | None:
        version = request.headers.get("linkedin-version", "")
        if not version:
            return error(400, "A version must be present. Please specify a version by adding "
                         "the LinkedIn-Version header.", "VERSION_MISSING")  # fmt: skip
        if not _VERSION.fullmatch(version):
            return error(400, f"Invalid version format {version}", "INVALID_VERSION")
        if version < self.oldest_version:
            return error(426, f"Requested version {version} is not active", "NONEXISTENT_VERSION")
        if request.headers.get("x-restli-protocol-version") != "2.0.0":
            return error(400, "X-Restli-Protocol-Version 2.0.0 is required")
        return None

    def _json_body(self, request: Request) -> dict[str, Any] | Reply:
        if not request.headers.get("content-type", "").startswith("application/json"):
            return error(415, "Unsupported Media Type")
        try:
            body = json.loads(request.body)
        except ValueError:
            return error(400, "Malformed JSON body")
        return body if isinstance(body, dict) else error(400, "The body is not an object")

    # --- writes -----------------------------------------------------------------------------

    def _create_post(self, body: dict[str, Any]) -> Reply:
        problem = _missing(body, {
            "author": str, "commentary": str, "visibility": str, "distribution": dict,
            "lifecycleState": str, "isReshareDisabledByAuthor": bool,
        }) or _missing(body.get("distribution", {}), {
            "feedDistribution": str, "targetEntities": list, "thirdPartyDistributionChannels": list,
        }, "/distribution")  # fmt: skip
        if problem:
            return error(400, problem, "FIELD_VALIDATION")
        if body["visibility"] not in ("PUBLIC", "CONNECTIONS", "LOGGED_IN"):
            return error(400, f"/visibility :: {body['visibility']} is not a visibility")
        if body["lifecycleState"] != "PUBLISHED":
            return error(400, "/lifecycleState :: only PUBLISHED posts go out")
        if body["author"] != self.member:
            return error(403, f"Not enough permissions to post as {body['author']}",
                         "ACCESS_DENIED")  # fmt: skip
        shown = read_little_text(body["commentary"])
        if len(shown) > 3000:
            return error(422, "/commentary :: length exceeds 3000", "FIELD_VALIDATION")
        with self._state_lock:
            for post in self.posts:
                if post.author == body["author"] and post.shown == shown:
                    return json_reply({
                        "errorDetailType": "com.linkedin.common.error.BadRequest",
                        "message": f"Content is a duplicate of {post.urn}",
                        "errorDetails": {"inputErrors": [{
                            "description": "Duplicate post is detected", "input": {},
                            "code": "DUPLICATE_POST"}]},
                        "status": 422,
                    }, 422)  # fmt: skip
            urn = f"urn:li:share:{next(self._ids)}"
            self.posts.append(Posted(urn, body["author"], body["commentary"], shown, body))
            self.posts_known.add(urn)
        return Reply(201, b"", headers={"x-restli-id": urn, "x-linkedin-id": urn})

    def _comment(self, post: str, body: dict[str, Any]) -> Reply:
        problem = _missing(body, {"actor": str, "object": str, "message": dict}) or _missing(
            body.get("message", {}), {"text": str}, "/message"
        )
        if problem:
            return error(400, problem, "FIELD_VALIDATION")
        if body["object"] != post:
            return error(400, f"/object :: {body['object']} is not the post {post}")
        if body["actor"] != self.member:
            return error(403, f"Not enough permissions to comment as {body['actor']}")
        if post not in self.posts_known:
            return error(404, f"Not Found: {post}", "NOT_FOUND")
        comment_id = str(next(self._ids))
        urn = f"urn:li:comment:({post},{comment_id})"
        made = {"id": comment_id, "$URN": urn, "object": post, "actor": body["actor"],
                "message": {"text": body["message"]["text"]}}  # fmt: skip
        with self._state_lock:
            self.comments.append(made)
        return Reply(201, json.dumps(made).encode(), headers={"x-restli-id": urn})


def _missing(body: object, fields: dict[str, type], where: str = "") -> str:
    """LinkedIn's validation message for the first missing or mistyped field, or ""."""
    if not isinstance(body, dict):
        return f"{where or '/'} :: is not an object"
    for name, kind in fields.items():
        if name not in body:
            return f"{where}/{name} :: field is required but not found and has no default value"
        if not isinstance(body[name], kind):
            return f"{where}/{name} :: is not a {kind.__name__}"
    return ""


def read_little_text(text: str) -> str:
    """A commentary as LinkedIn shows it: escapes undone, and everything from the first
    unescaped reserved character on lost (LinkedIn's documented truncation)."""
    shown: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            shown.append(next(chars, ""))
        elif char in RESERVED:
            break
        else:
            shown.append(char)
    return "".join(shown)
