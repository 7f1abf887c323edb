"""Loopback fakes of a Mastodon instance (hashtag timelines) and of Bluesky (login and post
search), with generators of realistic posts. Both keep a `now` clock like the fake Reddit."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from html import escape
from typing import Any

from tests.fakes.server import LoopbackServer, Reply, Request, json_reply

START = 1_780_000_000.0
TEXTS = [
    "Supervision question: how do you pace #EMDR with clients who dissociate?",
    "New post on perinatal anxiety & sleep 🌙 — feedback welcome",
    "Thread: what I wish I'd known about #OCD exposure work, year one.",
    "Zero\u200bwidth, RTL \u202eטקסט\u202c and e\u0301: odd text still counts",
    "Angst vor der Angst – Erfahrungen mit Expositionstherapie?",
]


def _iso(epoch: float) -> str:
    return (
        datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def generate_statuses(
    count: int, tags: list[str], *, start: float = START, interval: float = 1.0, seed: int = 0
) -> list[dict[str, Any]]:
    """Mastodon statuses with increasing ids, each carrying one of `tags` (some also others)."""
    rng = random.Random(seed)
    statuses = []
    for n in range(count):
        tag = rng.choice(tags)
        text = rng.choice(TEXTS)
        sid = str(110_000_000_000_000_000 + n * 1000)
        domain = rng.choice(["mastodon.social", "mental.health", "fosstodon.org"])
        statuses.append(
            {
                "id": sid,
                "uri": f"https://{domain}/users/u{n % 7}/statuses/{sid}",
                "url": f"https://{domain}/@u{n % 7}/{sid}",
                "created_at": _iso(start + n * interval),
                "content": f"<p>{escape(text)} <a href='https://x/tags/{tag}'>#<span>{tag}</span></a></p>",
                "spoiler_text": "mental health, suicide mention" if n % 11 == 0 else "",
                "account": {"acct": f"u{n % 7}@{domain}", "username": f"u{n % 7}"},
                "tags": [{"name": tag}] + ([{"name": "mentalhealth"}] if n % 3 == 0 else []),
                "replies_count": rng.randint(0, 20),
                "favourites_count": rng.randint(0, 50),
                "reblog": None,
                "card": {"url": f"https://blog.example.org/{n}"} if n % 5 == 0 else None,
            }
        )
    return statuses


class FakeMastodon(LoopbackServer):
    """`GET /api/v1/timelines/tag/{tag}` with `any[]`, `limit`, `min_id`, `max_id`, `since_id`."""

    def __init__(self) -> None:
        super().__init__()
        self.statuses: list[dict[str, Any]] = []
        self.now: float | None = None
        #: When set, timelines need this bearer token (instances may require login).
        self.token: str | None = None

    def route(self, request: Request) -> Reply:
        prefix = "/api/v1/timelines/tag/"
        if not request.path.startswith(prefix):
            return json_reply({"error": "Record not found"}, 404)
        if self.token and request.headers.get("authorization") != f"Bearer {self.token}":
            return json_reply({"error": "This API requires an authenticated user"}, 401)
        tags = {request.path[len(prefix) :].lower(), *request.query_all.get("any[]", [])}
        limit = min(int(request.query.get("limit", "20")), 40)
        visible = sorted(
            (
                s
                for s in self.statuses
                if {t["name"] for t in s["tags"]} & tags
                and (
                    self.now is None
                    or datetime.fromisoformat(s["created_at"]).timestamp() <= self.now
                )
            ),
            key=lambda s: int(s["id"]),
        )
        q = request.query
        if "max_id" in q:
            visible = [s for s in visible if int(s["id"]) < int(q["max_id"])]
        if "min_id" in q:  # the page just after min_id
            page = [s for s in visible if int(s["id"]) > int(q["min_id"])][:limit]
        else:
            floor = int(q.get("since_id", "-1"))
            page = [s for s in visible if int(s["id"]) > floor][-limit:]
        return json_reply(page[::-1])


def generate_bluesky_posts(
    count: int, *, start: float = START, interval: float = 1.0, seed: int = 0
) -> list[dict[str, Any]]:
    """Bluesky PostViews as searchPosts returns them."""
    rng = random.Random(seed)
    posts = []
    for n in range(count):
        did = f"did:plc:user{n % 5}"
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": rng.choice(TEXTS),
            "createdAt": _iso(start + n * interval),
            "langs": ["en"],
        }
        if n % 4 == 0:
            record["embed"] = {
                "$type": "app.bsky.embed.external",
                "external": {"uri": f"https://blog.example.org/{n}", "title": "A post"},
            }
        posts.append(
            {
                "uri": f"at://{did}/app.bsky.feed.post/3k{n:011d}",
                "cid": f"bafy{n}",
                "author": {"did": did, "handle": f"therapist{n % 5}.bsky.social"},
                "record": record,
                "replyCount": rng.randint(0, 9),
                "likeCount": rng.randint(0, 99),
                "indexedAt": _iso(start + n * interval + 0.5),
            }
        )
    return posts


class FakeBluesky(LoopbackServer):
    """`createSession` (one account) and `searchPosts` (`q` as a case-insensitive substring,
    `sort=latest`, `since`, `limit`, offset cursors)."""

    def __init__(self, handle: str = "dr-lena.bsky.social", password: str = "app-pass") -> None:
        super().__init__()
        self.posts: list[dict[str, Any]] = []
        self.now: float | None = None
        self.require_auth = False
        self._account = (handle, password)

    def route(self, request: Request) -> Reply:
        if request.path == "/xrpc/com.atproto.server.createSession" and request.method == "POST":
            body = json.loads(request.body or b"{}")
            if (body.get("identifier"), body.get("password")) != self._account:
                return json_reply({"error": "AuthenticationRequired", "message": "Invalid"}, 401)
            return json_reply(
                {"accessJwt": "jwt-1", "refreshJwt": "r-1", "handle": self._account[0]}
            )
        if request.path != "/xrpc/app.bsky.feed.searchPosts":
            return json_reply({"error": "MethodNotImplemented"}, 501)
        if self.require_auth and request.headers.get("authorization") != "Bearer jwt-1":
            return json_reply({"error": "AuthMissing"}, 403)
        q = request.query
        since = q.get("since")
        hits = sorted(
            (
                p
                for p in self.posts
                if q.get("q", "").lower() in p["record"]["text"].lower()
                and (self.now is None or _epoch(p["indexedAt"]) <= self.now)
                and (since is None or _epoch(p["indexedAt"]) >= _epoch(since))
            ),
            key=lambda p: str(p["indexedAt"]),
            reverse=True,
        )
        offset, limit = int(q.get("cursor", "0")), min(int(q.get("limit", "25")), 100)
        page = hits[offset : offset + limit]
        more = offset + limit < len(hits)
        return json_reply({"posts": page, "cursor": str(offset + limit) if more else None})


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
