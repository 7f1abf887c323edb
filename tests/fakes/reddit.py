"""A fake Reddit on loopback that praw talks to as if it were reddit.com.

It serves `/api/v1/access_token`, `/r/{a+b}/new` (JSON and `/.rss`), `/r/{a+b}/comments`,
`/comments/{id}`, `/api/info` and `/message/inbox` from an in-memory store, honouring `limit`,
`after` and `before`. The store is seeded from the real recorded responses in
tests/data/reddit-cassettes and/or from `generate_submissions()`; `store.now` hides items created
later, so a test or benchmark can let posts "arrive" between polls (from another process:
`POST /_fake/now?t=<epoch>`).

For publishing it takes `POST /api/comment` (a reply by `FakeReddit.username`, answered as in
the recorded TestSubmission.test_reply cassette, or refused with Reddit's API errors when the
parent is locked, archived or removed, or RATELIMIT when `comment_ratelimit` is set), and serves
`/api/v1/me` and the account's newest comments, `/user/{name}/comments` (JSON and `/.rss`).

For replies read back: `FakeReddit.answer` posts a colleague's reply and, when it answers one of
the account's comments or posts, delivers it to the inbox as Reddit does; `store.notify` delivers
any comment (a mention: "username_mention"). The inbox serves delivered comments in the inbox's
own shape (`inbox_item`: no link_id or permalink, the thread in `context`). A comment's public
feed, `/r/{sub}/comments/{thread}/{slug}/{comment}/.rss` (`depth` honoured), lists the comment
and the replies under it.
"""

from __future__ import annotations

import bisect
import json
import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from engage.demo_reddit import to36
from tests.fakes.server import CONTROL, LoopbackServer, Reply, Request, json_reply

CASSETTES = Path(__file__).resolve().parent.parent / "data" / "reddit-cassettes"
WEB = "https://www.reddit.com"
#: First ids handed out to generated things: above every id in the cassettes.
FIRST_POST_ID = int("2000000", 36)
FIRST_COMMENT_ID = int("p000000", 36)
#: The recorded answer to a reply; the fake answers with exactly its fields.
REPLY_CASSETTE = "TestSubmission.test_reply.json"




@dataclass(slots=True)
class Thing:
    kind: str
    data: dict[str, Any]
    number: int

    @property
    def fullname(self) -> str:
        return f"{self.kind}_{self.data['id']}"

    @property
    def subreddit(self) -> str:
        return str(self.data.get("subreddit", "")).lower()

    @property
    def created(self) -> float:
        return float(self.data.get("created_utc") or 0)

    def child(self) -> dict[str, Any]:
        return {"kind": self.kind, "data": self.data}


class RedditStore:
    """Things by kind, ordered by id (Reddit's "new" order); thread-safe for the server."""

    def __init__(self) -> None:
        self.things: dict[str, Thing] = {}
        self.inbox: list[str] = []
        #: Comments delivered by `notify`, by fullname: their inbox `type`.
        self.delivered: dict[str, str] = {}
        #: Epoch seconds; things created later are invisible. None shows everything.
        self.now: float | None = None
        self._sorted: dict[str, list[Thing]] = {}
        self._numbers: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    def add(self, kind: str, data: dict[str, Any], *, inbox: bool = False) -> Thing:
        thing = Thing(kind, data, int(str(data["id"]), 36))
        with self._lock:
            self.things[thing.fullname] = thing
            self._sorted.pop(kind, None)
            if inbox:
                self.inbox.append(thing.fullname)
        return thing

    def add_many(self, kind: str, items: list[dict[str, Any]]) -> None:
        for data in items:
            self.add(kind, data)

    def add_children(self, payload: dict[str, Any]) -> int:
        """Add every t1/t3 child of a Listing payload (a cassette body); returns how many."""
        children = [c for c in payload["data"]["children"] if c["kind"] in ("t1", "t3")]
        for child in children:
            self.add(child["kind"], child["data"])
        return len(children)

    def update(self, fullname: str, **fields: Any) -> None:
        with self._lock:
            self.things[fullname].data.update(fields)

    def visible(self, thing: Thing) -> bool:
        return self.now is None or thing.created <= self.now

    def listing(
        self,
        kind: str,
        subreddits: set[str] | None,
        *,
        after: str | None = None,
        before: str | None = None,
        limit: int = 25,
        author: str | None = None,
    ) -> tuple[list[Thing], str | None]:
        """Newest first, like Reddit: items older than `after`, or the ones just newer than
        `before`; `after` in the answer is set when more items follow. `author` keeps one
        account's items (a user's comment history)."""
        things, numbers = self._ordered(kind)
        limit = max(1, min(limit, 100))

        def wanted(thing: Thing) -> bool:
            return (
                self.visible(thing)
                and (subreddits is None or thing.subreddit in subreddits)
                and (author is None or str(thing.data.get("author")).lower() == author.lower())
            )

        if before:
            start = bisect.bisect_right(numbers, int(before.rpartition("_")[2], 36))
            newer = []
            for thing in things[start:]:
                if wanted(thing):
                    newer.append(thing)
                    if len(newer) == limit:
                        break
            return newer[::-1], None
        end = (
            bisect.bisect_left(numbers, int(after.rpartition("_")[2], 36))
            if after
            else len(numbers)
        )
        page: list[Thing] = []
        more = False
        for index in range(end - 1, -1, -1):
            if wanted(things[index]):
                if len(page) == limit:
                    more = True
                    break
                page.append(things[index])
        return page, page[-1].fullname if more else None

    def get(self, fullname: str) -> Thing | None:
        thing = self.things.get(fullname)
        return thing if thing is not None and self.visible(thing) else None

    def thread_of(self, thing: Thing) -> Thing | None:
        """The submission a thing belongs to (itself for a submission)."""
        return thing if thing.kind == "t3" else self.get(str(thing.data.get("link_id")))

    def reply(self, parent: str, *, author: str, body: str) -> Thing:
        """A new comment answering `parent` (a fullname), newest of all, as Reddit stores it;
        also how a test posts "by hand"."""
        answered = self.get(parent)
        thread = answered and self.thread_of(answered)
        if answered is None or thread is None:
            raise KeyError(parent)
        numbers = self._ordered("t1")[1]
        id36 = to36(max(FIRST_COMMENT_ID, numbers[-1] + 1 if numbers else 0))
        created = self.now if self.now is not None else time.time()
        thread_link = str(thread.data.get("permalink") or f"/comments/{thread.data['id']}/_/")
        return self.add(
            "t1",
            {
                "id": id36,
                "name": f"t1_{id36}",
                "link_id": thread.fullname,
                "parent_id": answered.fullname,
                "subreddit": thread.data.get("subreddit"),
                "author": author,
                "body": body,
                "body_html": markdown_html(body),
                "created": created,
                "created_utc": created,
                "permalink": f"{thread_link.rstrip('/')}/{id36}/",
                "link_title": thread.data.get("title"),
            },
        )

    def notify(self, thing: Thing, type: str = "comment_reply") -> Thing:
        """Deliver a comment to the account's inbox as Reddit does: "comment_reply" (it answers
        one of the account's comments), "post_reply" (one of its posts) or "username_mention"."""
        with self._lock:
            self.delivered[thing.fullname] = type
            self.inbox.append(thing.fullname)
        return thing

    def under(self, comment: Thing, depth: int | None = None) -> list[Thing]:
        """A comment and the comments under it, depth first, `depth` levels in all (None: all)."""
        children: dict[str, list[Thing]] = {}
        for thing in self._ordered("t1")[0]:
            if self.visible(thing):
                children.setdefault(str(thing.data.get("parent_id")), []).append(thing)
        found: list[Thing] = []

        def walk(thing: Thing, level: int) -> None:
            found.append(thing)
            if depth is None or level < depth:
                for child in children.get(thing.fullname, []):
                    walk(child, level + 1)

        walk(comment, 1)
        return found

    def _ordered(self, kind: str) -> tuple[list[Thing], list[int]]:
        with self._lock:
            if kind not in self._sorted:
                ordered = sorted(
                    (t for t in self.things.values() if t.kind == kind), key=lambda t: t.number
                )
                self._sorted[kind] = ordered
                self._numbers[kind] = [t.number for t in ordered]
            return self._sorted[kind], self._numbers[kind]


class FakeReddit(LoopbackServer):
    """praw's view of Reddit. Point praw's `oauth_url`, `reddit_url` and `short_url` at `url`."""

    def __init__(self, store: RedditStore | None = None) -> None:
        super().__init__()
        self.store = store or RedditStore()
        #: Sent with every API answer when set, e.g. the real {"x-ratelimit-used": "3", ...}.
        self.ratelimit_headers: dict[str, str] = {}
        #: Exact (method, path) answers, e.g. from `serve_cassette`; checked before the store.
        self.canned: dict[tuple[str, str], Reply] = {}
        self.tokens_issued = 0
        #: The account every access token belongs to: replies posted through the API are its.
        self.username = "engage_therapist"
        #: Answer every reply with this RATELIMIT message (nothing is created) while set.
        self.comment_ratelimit: str | None = None
        #: Refuse every login the way Reddit refuses a wrong password (200, "invalid_grant").
        self.refuse_logins = False

    def serve_cassette(self, name: str) -> None:
        """Answer each recorded request of a cassette (except the token call) with its response."""
        for interaction in load_cassette(name):
            request, response = interaction["request"], interaction["response"]
            path = request["uri"].split("://", 1)[1].partition("/")[2].partition("?")[0]
            if path.startswith("api/v1/access_token"):
                continue
            body = response["body"]["string"].encode()
            self.canned[(request["method"], "/" + path.rstrip("/"))] = Reply(
                response["status"]["code"], body
            )

    def route(self, request: Request) -> Reply:
        path = request.path.rstrip("/")
        if request.method == "POST" and path == "/api/v1/access_token":
            return self._token(request)
        if not request.headers.get("authorization", "").startswith("bearer ") and not path.endswith(
            ".rss"
        ):
            return json_reply({"message": "Unauthorized", "error": 401}, 401)
        canned = self.canned.get((request.method, path))
        if canned is not None:
            return Reply(canned.status, canned.body, headers=dict(self.ratelimit_headers))
        reply = self._dynamic(request, path)
        reply.headers.update(self.ratelimit_headers)
        return reply

    def control(self, request: Request) -> Reply:
        """`POST /_fake/now?t=<epoch>` moves the store's clock (`t=` empty shows everything)."""
        if request.path == CONTROL + "now":
            value = request.query.get("t", "")
            self.store.now = float(value) if value else None
            return json_reply({"now": self.store.now})
        return super().control(request)

    def answer(self, parent: str, *, author: str, body: str) -> Thing:
        """A colleague's reply to `parent` (a fullname); delivered to the inbox when `parent` is
        the account's, as Reddit does."""
        thing = self.store.reply(parent, author=author, body=body)
        answered = self.store.things[parent]
        if str(answered.data.get("author", "")).lower() == self.username.lower():
            self.store.notify(thing, "comment_reply" if answered.kind == "t1" else "post_reply")
        return thing

    def _dynamic(self, request: Request, path: str) -> Reply:
        parts = path.strip("/").split("/")
        q = request.query
        limit = int(q.get("limit", "25"))
        at = parts.index("comments") if "comments" in parts else -1
        if parts[-1] == ".rss" and at >= 0 and len(parts) - at == 5:  # {thread}/{slug}/{comment}
            return self._comment_feed(parts[at + 3], q.get("depth"))
        if request.method == "POST" and parts == ["api", "comment"]:
            return self._comment(request.form)
        if parts == ["api", "v1", "me"]:
            return json_reply({"name": self.username, "id": "engage1"})
        if len(parts) >= 3 and parts[0] == "user" and parts[2] == "comments":
            things, after = self.store.listing(
                "t1", None, author=parts[1], after=q.get("after"), limit=limit
            )
            if parts[-1] == ".rss":
                return Reply(
                    200,
                    user_comments_feed(parts[1], things).encode(),
                    "application/atom+xml; charset=UTF-8",
                )
            return json_reply(listing(things, after))
        if len(parts) >= 3 and parts[0] == "r" and parts[2] in ("new", "comments"):
            subs = None if parts[1] in ("all", "popular") else set(parts[1].lower().split("+"))
            kind = "t3" if parts[2] == "new" else "t1"
            things, after = self.store.listing(
                kind, subs, after=q.get("after"), before=q.get("before"), limit=limit
            )
            if parts[-1] == ".rss":
                return Reply(
                    200, atom_feed(parts[1], things).encode(), "application/atom+xml; charset=UTF-8"
                )
            return json_reply(listing(things, after))
        if parts == ["api", "info"]:
            found = [self.store.get(name) for name in q.get("id", "").split(",") if name]
            return json_reply(listing([t for t in found if t is not None], None))
        if len(parts) >= 2 and parts[0] == "comments":
            thread = self.store.get(f"t3_{parts[1]}")
            if thread is None:
                return json_reply({"message": "Not Found", "error": 404}, 404)
            comments = [
                t
                for t in self.store.listing("t1", None, limit=100)[0]
                if t.data.get("link_id") == thread.fullname
            ]
            return json_reply([listing([thread], None), listing(comments, None)])
        if parts == ["message", "inbox"]:
            inbox = sorted(
                (t for name in self.store.inbox if (t := self.store.get(name)) is not None),
                key=lambda t: t.created,
                reverse=True,
            )
            if after := q.get("after"):
                names = [t.fullname for t in inbox]
                inbox = inbox[names.index(after) + 1 :] if after in names else []
            page = listing(inbox[:limit], inbox[limit - 1].fullname if len(inbox) > limit else None)
            page["data"]["children"] = [
                inbox_item(t, self.store.delivered[t.fullname], self.username)
                if t.fullname in self.store.delivered else t.child()
                for t in inbox[:limit]
            ]  # fmt: skip
            return json_reply(page)
        return json_reply({"message": "Not Found", "error": 404}, 404)

    def _comment_feed(self, id36: str, depth: str | None) -> Reply:
        """The public Atom feed of one comment and the replies under it."""
        comment = self.store.get(f"t1_{id36.lower()}")
        if comment is None:
            return json_reply({"message": "Not Found", "error": 404}, 404)
        things = self.store.under(comment, int(depth) if depth else None)
        feed = user_comments_feed(str(comment.data.get("author")), things).replace(
            f"<id>/user/{escape(str(comment.data.get('author')))}/comments/.rss</id>",
            f"<id>{escape(str(comment.data.get('permalink')))}.rss</id>",
        )
        return Reply(200, feed.encode(), "application/atom+xml; charset=UTF-8")

    def _comment(self, form: dict[str, str]) -> Reply:
        """A reply, or Reddit's refusal: API errors in a 200 body, 403 for an unknown parent."""
        parent = self.store.get(form.get("thing_id", ""))
        thread = parent and self.store.thread_of(parent)
        if parent is None or thread is None:
            return json_reply({"message": "Forbidden", "error": 403}, 403)
        if error := self._refusal(parent, thread):
            return json_reply({"json": {"errors": [error]}})
        data = self.store.reply(parent.fullname, author=self.username, body=form["text"]).data
        recorded = cassette_body(REPLY_CASSETTE, 1)["json"]["data"]["things"][0]
        thing = {"kind": "t1", "data": {k: data.get(k, v) for k, v in recorded["data"].items()}}
        return json_reply({"json": {"errors": [], "data": {"things": [thing]}}})

    def _refusal(self, parent: Thing, thread: Thing) -> list[str] | None:
        """The API error Reddit answers a reply to `parent` with (its words), if any."""
        if self.comment_ratelimit:
            return ["RATELIMIT", self.comment_ratelimit, "ratelimit"]
        if parent.kind == "t1" and parent.data.get("removed"):
            return ["DELETED_COMMENT", "that comment has been deleted", "parent"]
        if thread.data.get("removed"):
            return ["DELETED_LINK", "the link you are commenting on has been deleted", "parent"]
        if thread.data.get("archived"):
            return [
                "TOO_OLD",
                "that's a piece of history now; it's too late to reply to it",
                "parent",
            ]
        if thread.data.get("locked") or parent.data.get("locked"):
            return ["THREAD_LOCKED", "Comments are locked.", "parent"]
        return None

    def _token(self, request: Request) -> Reply:
        if not request.headers.get("authorization", "").startswith("Basic "):
            return json_reply({"error": "invalid_client"}, 401)
        if self.refuse_logins:
            return json_reply({"error": "invalid_grant"})
        self.tokens_issued += 1
        return json_reply(
            {
                "access_token": f"fake-token-{self.tokens_issued}",
                "token_type": "bearer",
                "expires_in": 86400,
                "scope": "*",
            }
        )


def listing(things: list[Thing], after: str | None) -> dict[str, Any]:
    return {
        "kind": "Listing",
        "data": {
            "after": after,
            "before": None,
            "dist": len(things),
            "modhash": "",
            "children": [t.child() for t in things],
        },
    }


_INBOX_SUBJECTS = {"comment_reply": "comment reply", "post_reply": "post reply",
             "username_mention": "username mention"}  # fmt: skip


def inbox_item(thing: Thing, type: str, dest: str) -> dict[str, Any]:
    """A comment as reddit.com's inbox lists it: no link_id or permalink, the thread in
    `context`, what it is in `type` and `subject`."""
    data = thing.data
    sub = str(data.get("subreddit") or "")
    return {
        "kind": "t1",
        "data": {
            "first_message": None, "first_message_name": None, "subreddit": sub, "likes": None,
            "replies": "", "author_fullname": f"t2_{str(data.get('author', '')).lower()[:8]}",
            "id": data["id"], "subject": _INBOX_SUBJECTS.get(type, type), "score": 1,
            "author": data.get("author"), "num_comments": None, "parent_id": data.get("parent_id"),
            "subreddit_name_prefixed": f"r/{sub}", "new": True, "type": type,
            "body": data.get("body"), "link_title": data.get("link_title"), "dest": dest,
            "was_comment": True, "body_html": markdown_html(str(data.get("body") or "")),
            "name": thing.fullname, "created": data.get("created_utc"),
            "created_utc": data.get("created_utc"),
            "context": f"{data.get('permalink')}?context=3", "distinguished": None,
        },
    }  # fmt: skip


def atom_feed(name: str, things: list[Thing]) -> str:
    """Reddit's Atom feed of a (multi)subreddit, in the shape www.reddit.com serves it."""
    entries = "".join(_atom_entry(t.data) for t in things)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return (
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"'
        ' xmlns:media="http://search.yahoo.com/mrss/">'
        f'<category term="{escape(name)}" label="r/{escape(name)}"/><updated>{now}</updated>'
        f"<id>/r/{escape(name)}/new/.rss</id><title>newest submissions : {escape(name)}</title>"
        f"{entries}</feed>"
    )


def user_comments_feed(name: str, things: list[Thing]) -> str:
    """Reddit's Atom feed of a user's newest comments (`/user/{name}/comments/.rss`): each
    entry links to the comment's permalink and holds its HTML body."""
    entries = "".join(_comment_entry(t.data) for t in things)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    user = escape(name)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"'
        ' xmlns:media="http://search.yahoo.com/mrss/">'
        f"<updated>{now}</updated><id>/user/{user}/comments/.rss</id>"
        f'<link rel="self" href="{WEB}/user/{user}/comments/.rss" type="application/atom+xml" />'
        f'<link rel="alternate" href="{WEB}/user/{user}/comments/" type="text/html" />'
        f"<title>{user}'s comments</title>{entries}</feed>"
    )


def _comment_entry(data: dict[str, Any]) -> str:
    permalink = escape(WEB + str(data.get("permalink", "")))
    user = escape(str(data.get("author") or "[deleted]"))
    when = datetime.fromtimestamp(float(data["created_utc"]), UTC).isoformat(timespec="seconds")
    content = f"<!-- SC_OFF -->{markdown_html(str(data.get('body') or ''))}<!-- SC_ON -->"
    sub = escape(str(data.get("subreddit")))
    return (
        f"<entry><author><name>/u/{user}</name><uri>{WEB}/user/{user}</uri></author>"
        f'<category term="{sub}" label="r/{sub}"/>'
        f'<content type="html">{escape(content)}</content><id>t1_{data["id"]}</id>'
        f'<link href="{permalink}"/><updated>{when}</updated>'
        f"<title>/u/{user} on {escape(str(data.get('link_title') or ''))}</title></entry>"
    )


def markdown_html(text: str) -> str:
    """Text as Reddit renders it into `body_html`: one `<p>` per paragraph in `div.md`."""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
    return f'<div class="md">{paragraphs}\n</div>'


def _atom_entry(data: dict[str, Any]) -> str:
    permalink = WEB + str(data.get("permalink", ""))
    author = str(data.get("author") or "[deleted]")
    when = datetime.fromtimestamp(float(data["created_utc"]), UTC).isoformat(timespec="seconds")
    selftext = str(data.get("selftext") or "")
    md = f"<!-- SC_OFF -->{markdown_html(selftext)}<!-- SC_ON -->" if selftext else ""
    link = permalink if data.get("is_self", True) else str(data.get("url"))
    user = escape(author)
    content = (
        f'{md} &#32; submitted by &#32; <a href="{WEB}/user/{user}"> /u/{user} </a>'
        f' <br/> <span><a href="{escape(link)}">[link]</a></span> &#32; '
        f'<span><a href="{escape(permalink)}">[comments]</a></span>'
    )
    sub = escape(str(data.get("subreddit")))
    return (
        f"<entry><author><name>/u/{user}</name></author>"
        f'<category term="{sub}" label="r/{sub}"/>'
        f'<content type="html">{escape(content)}</content><id>t3_{data["id"]}</id>'
        f'<link href="{escape(permalink)}" /><updated>{when}</updated><published>{when}</published>'
        f"<title>{escape(str(data.get('title', '')))}</title></entry>"
    )


def load_cassette(name: str) -> list[dict[str, Any]]:
    """The interactions of one recorded cassette in tests/data/reddit-cassettes."""
    with (CASSETTES / name).open(encoding="utf-8") as handle:
        return list(json.load(handle)["interactions"])


def cassette_body(name: str, index: int) -> Any:
    """The parsed JSON body of a cassette's `index`-th interaction (0 is the token call)."""
    return json.loads(load_cassette(name)[index]["response"]["body"]["string"])


_TOPICS = [
    ("How do you handle {x} with new clients?", "therapists"),
    ("Anyone have experience treating {x} in teens?", "psychotherapy"),
    ("Struggling with {x} after a breakup", "anxiety"),
    ("Looking for a therapist who understands {x}", "askatherapist"),
    ("What helped you with {x}?", "depression"),
]
_SUBJECTS = [
    "perinatal anxiety",
    "OCD & intrusive thoughts",
    "EMDR for complicated grief",
    "ADHD burnout",
    "couples conflict <after> a baby",
    "panic attacks at work",
    "exposure therapy",
    "insomnia",
    "Angst und Panik — Erfahrungen?",
    "ansiedad social 😟",
    "self-compassion",
    "trauma in refugees",
]
_BODIES = [
    "I've been a counselor for {n} years and I keep running into {x}. What do you all do?",
    "Throwaway account. My partner says I should get help for {x}; where do I even start? 🙏",
    "Posting on behalf of a friend &amp; colleague: is {x} something a generalist can treat?",
    "Zero\u200bwidth and RTL \u202etext\u202c and e\u0301 combining: {x}",
    "",
]


def generate_submissions(
    count: int,
    subreddits: list[str],
    *,
    first_id: int = FIRST_POST_ID,
    start: float = 1_780_000_000.0,
    interval: float = 1.0,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Realistic submission payloads, ids and times increasing, spread over `subreddits`.

    The mix covers what sources must survive: deleted authors, removed and locked threads, link
    posts without text, crossposts, fields missing from older payloads, odd unicode and a few
    very large bodies.
    """
    rng = random.Random(seed)
    posts = []
    for n in range(count):
        id36 = to36(first_id + n)
        sub = subreddits[rng.randrange(len(subreddits))]
        subject = rng.choice(_SUBJECTS)
        title = rng.choice(_TOPICS)[0].format(x=subject)
        body = rng.choice(_BODIES).format(x=subject, n=rng.randint(1, 30))
        slug = "".join(c if c.isalnum() else "_" for c in title.lower())[:40]
        data: dict[str, Any] = {
            "id": id36,
            "name": f"t3_{id36}",
            "subreddit": sub,
            "subreddit_name_prefixed": f"r/{sub}",
            "author": rng.choice(["calm_clinician", "throwaway_2291", "Dr_Lena_LPC", "ü_ñ_user"]),
            "title": title,
            "selftext": body,
            "created_utc": start + n * interval,
            "num_comments": rng.randint(0, 80),
            "score": rng.randint(0, 500),
            "locked": False,
            "over_18": False,
            "is_self": True,
            "removed_by_category": None,
            "permalink": f"/r/{sub}/comments/{id36}/{slug}/",
            "url": f"{WEB}/r/{sub}/comments/{id36}/{slug}/",
        }
        roll = rng.random()
        if roll < 0.05:
            data["author"] = "[deleted]"
        elif roll < 0.08:
            data.update(selftext="[removed]", removed_by_category="moderator")
        elif roll < 0.10:
            data["locked"] = True
        elif roll < 0.18:
            data.update(is_self=False, selftext="", url=f"https://blog.example.org/{id36}")
        elif roll < 0.20:
            data.update(
                is_self=False,
                selftext="",
                url=f"/r/therapists/comments/{id36}x/original/",
                crosspost_parent_list=[{"id": f"{id36}x", "selftext": "The original post's text."}],
            )
        elif roll < 0.25:
            for key in ("removed_by_category", "locked", "subreddit_name_prefixed", "is_self"):
                del data[key]
        elif roll < 0.251:
            data["selftext"] = "A very long vent. " * 8000
        posts.append(data)
    return posts


def generate_comments(
    threads: list[dict[str, Any]],
    count: int,
    *,
    first_id: int = FIRST_COMMENT_ID,
    start: float = 1_780_000_000.0,
    interval: float = 1.0,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Comment payloads on the given threads (top-level or replies), ids and times increasing."""
    rng = random.Random(seed)
    comments: list[dict[str, Any]] = []
    for n in range(count):
        thread = rng.choice(threads)
        id36 = to36(first_id + n)
        siblings = [c for c in comments[-50:] if c["link_id"] == thread["name"]]
        parent = rng.choice(siblings)["name"] if siblings and rng.random() < 0.5 else thread["name"]
        comments.append(
            {
                "id": id36,
                "name": f"t1_{id36}",
                "link_id": thread["name"],
                "parent_id": parent,
                "subreddit": thread["subreddit"],
                "author": rng.choice(["peer_support_pat", "[deleted]", "therapist_jo"]),
                "body": rng.choice(["Thank you, this helps.", "[removed]", "Same here 💙"]),
                "created_utc": start + n * interval,
                "permalink": f"/r/{thread['subreddit']}/comments/{thread['id']}/_/{id36}/",
                "link_title": thread["title"],
            }
        )
    return comments
