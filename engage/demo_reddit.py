"""The demo's own Reddit: a small server on 127.0.0.1 that answers praw as reddit.com would.

`engage demo` watches the demo's fictional Reddit threads through praw and the real Reddit
watcher, and `engage demo --publish` posts approved replies through the real publisher, so the
demo needs a Reddit that speaks what praw 8 asks for, in Reddit's JSON shapes: a script app's
login (`POST /api/v1/access_token`, password grant, Basic auth), listings newest first with
`limit`/`after`/`before` (`/r/{a+b}/new`, `/r/{a+b}/comments`, `/user/{name}/comments`,
`/message/inbox`), `/api/info`, `/comments/{id}`, `/api/v1/me`, and replies (`POST
/api/comment`) by the demo's one account. Each `r/…` community of engage/data/demo/threads.jsonl
is a subreddit; each thread gets a stable base-36 id (`demo…`, newest largest, as Reddit counts).

The replies it takes are kept in `reddit.json` in the demo directory, with the time the demo
began (so threads keep their age), so a later `engage demo --publish` sees what an earlier one
posted. Only for the demo: it must never touch the internet (it binds 127.0.0.1 and calls
nothing), knows only fictional threads and one account with made-up credentials, and imports no
database code. Tests use their own fake (tests/fakes/reddit.py), which can also misbehave.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from engage.platforms.reddit.listing import id_number

DEMO_DATA = Path(__file__).parent / "data" / "demo"
STATE_FILE = "reddit.json"
#: The demo account and its app: made up, valid only on this server. The demo puts them in
#: its own process's environment under these names (the demo config's `[reddit] *_env`).
CLIENT_ID = "engage-demo-app"
CLIENT_SECRET = "demo-secret-not-real"
USERNAME = "grace_lee_demo"
PASSWORD = "demo-password-not-real"
CREDENTIALS = {
    "ENGAGE_DEMO_REDDIT_CLIENT_ID": CLIENT_ID,
    "ENGAGE_DEMO_REDDIT_CLIENT_SECRET": CLIENT_SECRET,
    "ENGAGE_DEMO_REDDIT_USERNAME": USERNAME,
    "ENGAGE_DEMO_REDDIT_PASSWORD": PASSWORD,
}
#: First ids: every thread id reads "demo…" and every reply id "democ…" in base 36.
FIRST_THREAD = int("demo000", 36)
FIRST_REPLY = int("democ00", 36)
#: Reddit's authors of the demo threads: invented, like the threads.
AUTHORS = ("quiet_clinician", "lmft_in_progress", "pnw_counselor", "throwaway_therapist_22",
           "sw_supervisor", "group_practice_owner", "newgrad_mhc")  # fmt: skip
WEB = "https://www.reddit.com"


def to36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def demo_posts() -> list[dict[str, Any]]:
    """The demo's fictional threads in file order (newest first, as the demo dates them)."""
    with (DEMO_DATA / "threads.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def age_minutes(index: int) -> int:
    """How old the demo makes the `index`-th thread: a few hours to a day and a half."""
    return 17 * index + 5


def subreddits() -> list[str]:
    """The demo's subreddits (the `r/…` communities of its threads), as they are spelled."""
    return sorted({p["community"][2:] for p in demo_posts() if p["community"].startswith("r/")})


def _slug(title: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in title.lower())[:40].strip("_") or "_"


def _listing(things: list[dict[str, Any]], after: str | None = None) -> dict[str, Any]:
    children = [{"kind": t["name"][:2], "data": t} for t in things]
    return {
        "kind": "Listing",
        "data": {"after": after, "before": None, "dist": len(things), "children": children},
    }


def _page(things: list[dict[str, Any]], query: dict[str, str]) -> dict[str, Any]:
    """A listing page as Reddit cuts one: newest first, `limit` at most (100), older than
    `after` or just newer than `before`; `after` in the answer when more follow."""
    newest = sorted(things, key=lambda t: id_number(t["id"]) or 0, reverse=True)
    limit = max(1, min(int(query.get("limit") or 25), 100))
    if before := id_number(query.get("before") or ""):
        return _listing([t for t in newest if (id_number(t["id"]) or 0) > before][-limit:])
    if after := id_number(query.get("after") or ""):
        newest = [t for t in newest if (id_number(t["id"]) or 0) < after]
    page = newest[:limit]
    return _listing(page, page[-1]["name"] if len(newest) > limit else None)


class DemoRedditStore:
    """The demo's threads (built from the data file) and the replies posted (kept in a file)."""

    def __init__(self, folder: Path) -> None:
        self._path = folder / STATE_FILE
        self._lock = threading.Lock()
        state = json.loads(self._path.read_text(encoding="utf-8")) if self._path.exists() else {}
        self.started = float(state.get("started") or time.time())
        self.comments: list[dict[str, Any]] = list(state.get("comments", []))
        posts = demo_posts()
        self.threads: list[dict[str, Any]] = [
            self._thread(index, len(posts), post)
            for index, post in enumerate(posts)
            if post["community"].startswith("r/")
        ]
        self.save()

    def _thread(self, index: int, count: int, post: dict[str, Any]) -> dict[str, Any]:
        id36, sub = to36(FIRST_THREAD + count - index), post["community"][2:]
        permalink = f"/r/{sub}/comments/{id36}/{_slug(post['title'])}/"
        created = self.started - 60 * age_minutes(index)
        return {
            "id": id36, "name": f"t3_{id36}", "subreddit": sub,
            "subreddit_name_prefixed": f"r/{sub}", "author": AUTHORS[index % len(AUTHORS)],
            "title": post["title"], "selftext": post["body"], "created_utc": created,
            "num_comments": 0, "score": 1, "locked": False, "archived": False, "is_self": True,
            "removed_by_category": None, "permalink": permalink, "url": f"{WEB}{permalink}",
        }  # fmt: skip

    def get(self, fullname: str) -> dict[str, Any] | None:
        found = (t for t in self.threads + self.comments if t["name"] == fullname)
        thing = next(found, None)
        if thing is not None and thing["name"].startswith("t3_"):
            replies = sum(1 for c in self.comments if c["link_id"] == thing["name"])
            thing = {**thing, "num_comments": replies}
        return thing

    def in_subreddits(self, things: list[dict[str, Any]], multi: str) -> list[dict[str, Any]]:
        names = set(multi.lower().split("+"))
        return [t for t in things if t["subreddit"].lower() in names]

    def reply(self, parent_name: str, body: str) -> dict[str, Any] | None:
        """A reply by the demo account to a thread or comment, kept; None if there is no parent."""
        with self._lock:
            parent = self.get(parent_name)
            thread = parent and self.get(str(parent.get("link_id") or parent["name"]))
            if parent is None or thread is None:
                return None
            id36 = to36(FIRST_REPLY + len(self.comments) + 1)
            now = time.time()
            comment = {
                "id": id36, "name": f"t1_{id36}", "link_id": thread["name"],
                "parent_id": parent["name"], "subreddit": thread["subreddit"],
                "subreddit_name_prefixed": thread["subreddit_name_prefixed"], "author": USERNAME,
                "body": body, "created": now, "created_utc": now, "score": 1, "replies": "",
                "permalink": f"{thread['permalink']}{id36}/", "link_title": thread["title"],
            }  # fmt: skip
            self.comments.append(comment)
            self.save()
            return comment

    def save(self) -> None:
        """Write the state whole, then move it into place: a crash never leaves half a file."""
        state = {"started": self.started, "comments": self.comments}
        partial = self._path.with_suffix(".tmp")
        partial.write_text(json.dumps(state, indent=1), encoding="utf-8")
        os.replace(partial, self._path)


class _Handler(BaseHTTPRequestHandler):
    """Routes a request to Reddit's answer; `server.store` and `server.tokens` are the state."""

    server: _Server

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def log_message(self, format: str, *args: Any) -> None:
        """The demo's output is engage's, not the server's access log."""

    def _answer(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        path = [p for p in parts.path.split("/") if p]
        if method == "POST" and path == ["api", "v1", "access_token"]:
            status, payload = self._token(form)
        elif self._bearer() not in self.server.tokens:
            status, payload = 401, {"message": "Unauthorized", "error": 401}
        else:
            status, payload = self._api(method, path, query, form)
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _bearer(self) -> str:
        return self.headers.get("Authorization", "").removeprefix("bearer ")

    def _token(self, form: dict[str, str]) -> tuple[int, Any]:
        """A script app's password grant, as Reddit answers it (a wrong password is a 200)."""
        basic = self.headers.get("Authorization", "").removeprefix("Basic ")
        app = base64.b64decode(basic or "=").decode(errors="replace")
        if app != f"{CLIENT_ID}:{CLIENT_SECRET}":
            return 401, {"message": "Unauthorized", "error": 401}
        if (form.get("username"), form.get("password")) != (USERNAME, PASSWORD):
            return 200, {"error": "invalid_grant"}
        token = f"demo-token-{len(self.server.tokens) + 1}"
        self.server.tokens.add(token)
        return 200, {"access_token": token, "token_type": "bearer", "expires_in": 86400,
                     "scope": "*"}  # fmt: skip

    def _api(
        self, method: str, path: list[str], query: dict[str, str], form: dict[str, str]
    ) -> tuple[int, Any]:
        store = self.server.store
        if method == "POST" and path == ["api", "comment"]:
            if not form.get("text", "").strip():
                return 200, {"json": {"errors": [["NO_TEXT", "we need something here", "text"]]}}
            comment = store.reply(form.get("thing_id", ""), form["text"])
            if comment is None:
                return 403, {"message": "Forbidden", "error": 403}
            return 200, {"json": {"errors": [], "data": {"things": [
                {"kind": "t1", "data": comment}]}}}  # fmt: skip
        if method != "GET":
            return 404, {"message": "Not Found", "error": 404}
        if path == ["api", "v1", "me"]:
            return 200, {"name": USERNAME, "id": "demo1"}
        if path == ["message", "inbox"]:
            return 200, _listing([])
        if path == ["api", "info"]:
            found = [store.get(name) for name in query.get("id", "").split(",")]
            return 200, _listing([thing for thing in found if thing is not None])
        if len(path) == 3 and path[0] == "r" and path[2] in ("new", "comments"):
            things = store.threads if path[2] == "new" else store.comments
            return 200, _page(store.in_subreddits(things, path[1]), query)
        if len(path) == 3 and path[0] == "user" and path[2] == "comments":
            mine = [c for c in store.comments if c["author"].lower() == path[1].lower()]
            return 200, _page(mine, query)
        if len(path) >= 2 and path[0] == "comments" and (thread := store.get(f"t3_{path[1]}")):
            replies = [c for c in store.comments if c["link_id"] == thread["name"]]
            return 200, [_listing([thread]), _page(replies, {"limit": "100"})]
        return 404, {"message": "Not Found", "error": 404}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    store: DemoRedditStore
    tokens: set[str]


@contextmanager
def local_reddit(folder: Path) -> Iterator[str]:
    """The demo's Reddit on 127.0.0.1 (a free port), with the state kept in `folder`, while the
    block runs; yields its base URL (praw's `oauth_url` and `reddit_url` both)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.store, server.tokens = DemoRedditStore(folder), set()
    with on_loopback(server) as url:
        yield url


@contextmanager
def on_loopback(server: ThreadingHTTPServer) -> Iterator[str]:
    """Serve on a thread while the block runs; yields the base URL, shuts down after."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
