"""`engage demo`: the whole daily job on fictional data, offline, in a throw-away data directory.

The demo's Reddit communities are served by a small local Reddit (engage.demo_reddit) that
engage reads through praw and the real Reddit watcher, and publishes approved replies to through
the real publisher; the other communities (a LinkedIn post, colleagues' blogs) and the demo
therapist's own blog are ordinary RSS feeds served on 127.0.0.1, read through exactly the code a
real feed goes through. Nothing here reaches the internet, and the demo's credentials are
made up and live only in the demo's own process.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from engage.config import DATABASE_URL_ENV, Config, parse_settings_file
from engage.demo_reddit import CREDENTIALS, age_minutes, demo_posts, on_loopback, subreddits
from engage.models import utcnow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from engage.types import EngagementView, PublishReport

CONFIG_FILE = "engage.toml"
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

# The demo's local Reddit (engage.demo_reddit), read and written through the API. Its app and
# account are made up; the demo puts them in its own process's environment, nowhere else.
[reddit]
mode = "api"
subreddits = [{subreddits}]
api_url = "{reddit}"
auth_url = "{reddit}"
client_id_env = "ENGAGE_DEMO_REDDIT_CLIENT_ID"
client_secret_env = "ENGAGE_DEMO_REDDIT_CLIENT_SECRET"
username_env = "ENGAGE_DEMO_REDDIT_USERNAME"
password_env = "ENGAGE_DEMO_REDDIT_PASSWORD"
refresh_token_env = "ENGAGE_DEMO_REDDIT_REFRESH_TOKEN"

[digest]
timezone = "America/Los_Angeles"
max_threads = 8
"""
#: Variables the demo must not inherit: a database elsewhere (the demo's is its directory's),
#: a refresh token that would be used instead of the demo account's password.
NOT_INHERITED = (DATABASE_URL_ENV, "ENGAGE_DEMO_REDDIT_REFRESH_TOKEN")


@contextmanager
def demo_environment() -> Iterator[None]:
    """The demo's made-up Reddit credentials in this process's environment (and no database
    override) while the block runs; the environment is as it was afterwards."""
    saved = {name: os.environ.get(name) for name in (*CREDENTIALS, *NOT_INHERITED)}
    os.environ.update(CREDENTIALS)
    for name in NOT_INHERITED:
        os.environ.pop(name, None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


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
    """Write the feeds of the communities that are not on Reddit, and the therapist's own blog,
    into `folder`; return their (url, own) pairs. Threads are dated as the local Reddit dates
    its own (engage.demo_reddit.age_minutes)."""
    now = now or utcnow()
    by_community: dict[str, list[tuple[str, str, str, datetime]]] = defaultdict(list)
    for n, post in enumerate(demo_posts()):
        if not post["community"].startswith("r/"):
            published = now - timedelta(minutes=age_minutes(n))
            item = (post["id"], post["title"], post["body"], published)
            by_community[post["community"]].append(item)
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


def write_config(path: Path, base: str, feeds: list[tuple[str, bool]], reddit: str) -> Path:
    """The demo's config: its profile, its local Reddit at `reddit`, its feeds at `base`."""
    names = ", ".join(f'"{name}"' for name in subreddits())
    blocks = [DEMO_PROFILE.format(base=base, reddit=reddit, subreddits=names)]
    blocks += [
        f'[[feeds]]\nurl = "{url}"\nown = {"true" if own else "false"}\n' for url, own in feeds
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def demo_config(folder: Path, reddit: str | None = None) -> Config:
    """The demo directory's config; `reddit`: where its local Reddit is served now (a later run
    serves it on another free port than the one the file was written with)."""
    path = folder / CONFIG_FILE
    settings = parse_settings_file(path)
    if reddit is not None:
        moved = settings.reddit.model_copy(update={"api_url": reddit, "auth_url": reddit})
        settings = settings.model_copy(update={"reddit": moved})
    return Config(settings, path, folder)


@dataclass(frozen=True, slots=True)
class LiveReply:
    """A reply as the local Reddit shows it."""

    subreddit: str
    thread_title: str
    body: str
    permalink: str
    author: str


def read_replies(config: Config, comment_ids: Sequence[str]) -> list[LiveReply]:
    """The replies with these ids (base 36), read back from the demo's Reddit through praw with
    the demo account, so what is shown is what the server holds, not what engage sent."""
    from engage.platforms.reddit.client import RedditCredentials, connect_reddit

    if not comment_ids:
        return []
    reddit = config.settings.reddit
    credentials = RedditCredentials(
        config.secret(reddit.client_id_env) or "",
        client_secret=config.secret(reddit.client_secret_env),
        username=config.secret(reddit.username_env),
        password=config.secret(reddit.password_env),
    )
    client = connect_reddit(credentials, api_url=reddit.api_url, auth_url=reddit.auth_url)

    def info(fullnames: list[str]) -> dict[str, dict[str, Any]]:
        answer = client.request(method="GET", path="/api/info", params={"id": ",".join(fullnames)})
        return {child["data"]["name"]: child["data"] for child in answer["data"]["children"]}

    comments = info([f"t1_{id36}" for id36 in comment_ids])
    threads = info(sorted({c["link_id"] for c in comments.values()}))
    return [
        LiveReply(
            subreddit=f"r/{c['subreddit']}",
            thread_title=threads.get(c["link_id"], {}).get("title", ""),
            body=c["body"],
            permalink=c["permalink"],
            author=c["author"],
        )
        for id36 in comment_ids
        if (c := comments.get(f"t1_{id36}")) is not None
    ]


@dataclass(frozen=True, slots=True)
class DemoPublished:
    """What `engage demo --publish` did: `report` is None when nothing was approved."""

    reddit: str
    report: PublishReport | None
    replies: list[LiveReply]
    log: list[EngagementView]


def publish_approved(folder: Path) -> DemoPublished:
    """The real publishing job on the demo directory, its local Reddit served with the replies
    earlier runs posted; the replies it put out are read back from that Reddit. Approves
    nothing: with nothing approved (or in flight) it runs no job at all."""
    from engage.app import make_engage
    from engage.demo_reddit import local_reddit
    from engage.desk import draft_rows
    from engage.jobs import run_publish
    from engage.publishing import engagements
    from engage.types import Result

    with demo_environment(), local_reddit(folder) as reddit:
        config = demo_config(folder, reddit)
        engage = make_engage(config)
        try:
            if not draft_rows(engage.db, ["approved", "publishing", "unknown"]):
                return DemoPublished(reddit, None, [], engagements(engage.db))
            report = run_publish(engage)
            live = (Result.PUBLISHED, Result.FOUND)
            sent = {item.draft_id for item in report.items if item.result in live}
            log = engagements(engage.db)
            ids = [row.external_id for row in log if row.draft_id in sent and row.external_id]
            return DemoPublished(reddit, report, read_replies(config, ids), log)
        finally:
            engage.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """The demo's output is engage's, not the server's access log."""


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    with on_loopback(server) as url:
        yield url
