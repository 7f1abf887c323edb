"""`engage demo`: the whole daily job on fictional data, offline, in a throw-away data directory.

The demo threads are published as ordinary RSS feeds (one per community, plus the demo
therapist's own blog) by a small HTTP server on 127.0.0.1, and engage watches them through
exactly the code a real feed goes through: HTTP, feedparser, ingest, matching, the digest.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.utils import format_datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from engage.models import utcnow

DEMO_DATA = Path(__file__).parent / "data" / "demo"
OWN_BLOG = [
    ("Why partners need their own support before a formal disclosure",
     "Betrayal trauma is real trauma. Before any couples work, the partner deserves a space of "
     "their own to be heard, to stabilise and to decide what they need to know."),
    ("Five questions to ask a CSAT before you refer",
     "Training, supervision, how they handle disclosure, how they involve partners, and whether "
     "they see couples themselves: what I'd want a colleague to ask me."),
]  # fmt: skip
DEMO_PROFILE = """\
[profile]
name = "Dr. Grace Lee (demo)"
credentials = "LMFT, CSAT"
location = "Southern California"
licensed_in = ["CA"]
delivery = ["in_person", "telehealth"]
practice = "solo private practice"
faith = "Christian"
cultural_focus = "Asian American"
website = "{base}/my-blog"

[profile.specialties]
sex_addiction = 1.0
couples = 0.6
faith_integration = 0.4
asian_american = 0.4
private_practice_business = 0.2

[reddit]
mode = "off"

[digest]
timezone = "America/Los_Angeles"
max_threads = 8
"""


def demo_threads() -> list[dict[str, Any]]:
    with (DEMO_DATA / "threads.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def feed_name(community: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in community.lower()).strip("-") + ".xml"


def rss(title: str, link: str, items: list[tuple[str, str, str, datetime]]) -> str:
    """An RSS 2.0 document; items are (guid, title, text, published)."""
    entries = "".join(
        f'<item><guid isPermaLink="false">{escape(guid)}</guid><title>{escape(item_title)}</title>'
        f"<link>{escape(link)}/{escape(guid)}</link><description>{escape(text)}</description>"
        f"<pubDate>{format_datetime(published)}</pubDate></item>"
        for guid, item_title, text, published in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<description>engage demo feed</description>{entries}</channel></rss>"
    )


def build_site(folder: Path, base: str, now: datetime | None = None) -> list[tuple[str, bool]]:
    """Write the demo feeds into `folder`; return their (url, own) pairs."""
    now = now or utcnow()
    by_community: dict[str, list[tuple[str, str, str, datetime]]] = defaultdict(list)
    for n, post in enumerate(demo_threads()):
        published = now - timedelta(minutes=17 * n + 5)
        by_community[post["community"]].append((post["id"], post["title"], post["body"], published))
    folder.mkdir(parents=True, exist_ok=True)
    feeds = []
    for community, items in sorted(by_community.items()):
        (folder / feed_name(community)).write_text(rss(community, f"{base}/{community}", items))
        feeds.append((f"{base}/{feed_name(community)}", False))
    own = [(f"own-{n}", title, text, now - timedelta(days=n + 1))
           for n, (title, text) in enumerate(OWN_BLOG)]  # fmt: skip
    (folder / "my-blog.xml").write_text(rss("Grace Lee, LMFT: notes", f"{base}/my-blog", own))
    feeds.append((f"{base}/my-blog.xml", True))
    return feeds


def write_config(path: Path, base: str, feeds: list[tuple[str, bool]]) -> Path:
    blocks = [DEMO_PROFILE.format(base=base)]
    blocks += [
        f'[[feeds]]\nurl = "{url}"\nown = {"true" if own else "false"}\n' for url, own in feeds
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """The demo's output is engage's, not the server's access log."""


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
