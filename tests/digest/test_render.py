"""The digest stays inert and readable whatever the posts contain."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest

from engage.app import Engage
from engage.digest import send_today, write_preview
from engage.digest.render import clean, safe_link
from tests.digest.conftest import SmtpServer, add_thread

MakeApp = Callable[..., Engage]
ROOT = Path(__file__).resolve().parents[2]
HOSTILE_TITLE = "Consult?\r\nBcc: everyone@example.com <script>alert(1)</script> \u202egnp.exe"
HOSTILE_BODY = (
    "Look <img src='https://tracker.example/p.gif'> [click](javascript:alert(1)) "
    "z\u200be\u200dr\u2060o width and <a href='https://evil.example'>link</a> &amp; entities"
)


def html_part(message: EmailMessage) -> str:
    body = message.get_body(("html",))
    assert body is not None
    return str(body.get_content())


@pytest.fixture
def hostile_digest(smtp_server: SmtpServer, make_app: MakeApp) -> EmailMessage:
    app = make_app(smtp_server)
    add_thread(app, title=HOSTILE_TITLE, body=HOSTILE_BODY, url="javascript:alert(document.cookie)")
    add_thread(
        app, title="Look-alike host", url="https://www.\u0440ayp\u0430l.com/login", score=0.9
    )
    add_thread(app, title="I can't go on anymore", crisis=True)
    assert send_today(app).status == "sent"
    return smtp_server.mailbox.messages[0]


@pytest.mark.usefixtures("app_database")
def test_hostile_posts_still_send_and_the_html_stays_inert(hostile_digest: EmailMessage) -> None:
    html = html_part(hostile_digest)
    assert "<script" not in html and "<img" not in html
    assert "javascript:" not in html.replace("[click](javascript:", "")  # only as escaped text
    assert not re.search(r'href="(?!https?://)', html)
    assert "<a href='https://evil.example'>" not in html


@pytest.mark.usefixtures("app_database")
def test_newlines_in_a_title_never_reach_a_header(hostile_digest: EmailMessage) -> None:
    assert "Bcc" not in hostile_digest and "everyone@example.com" not in hostile_digest["Subject"]


@pytest.mark.usefixtures("app_database")
def test_invisible_and_direction_characters_are_stripped(hostile_digest: EmailMessage) -> None:
    for part in (html_part(hostile_digest), hostile_digest.get_body(("plain",)).get_content()):  # type: ignore[union-attr]
        assert not re.search("[\u200b-\u200f\u202a-\u202e\u2060-\u2069]", part)


@pytest.mark.usefixtures("app_database")
def test_a_look_alike_host_is_shown_as_punycode(hostile_digest: EmailMessage) -> None:
    assert "www.xn--" in html_part(hostile_digest)


@pytest.mark.usefixtures("app_database")
def test_crisis_threads_get_their_own_section_not_a_networking_slot(
    hostile_digest: EmailMessage,
) -> None:
    text = hostile_digest.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    crisis_section = text.split("SOMEONE MAY NEED CRISIS SUPPORT")[1]
    assert "I can't go on anymore" in crisis_section
    assert "I can't go on anymore" not in text.split("SOMEONE MAY NEED CRISIS SUPPORT")[0]
    assert "988" in crisis_section


@pytest.mark.parametrize(
    ("url", "href", "host"),
    [
        ("https://www.reddit.com/r/x/", "https://www.reddit.com/r/x/", "www.reddit.com"),
        ("javascript:alert(1)", None, "link removed"),
        ("data:text/html,hi", None, "link removed"),
        ("https://b\u00fccher.example/", "https://b\u00fccher.example/", "xn--bcher-kva.example"),
    ],
)
def test_safe_link_allows_only_http_and_names_the_real_host(
    url: str, href: str | None, host: str
) -> None:
    link = safe_link(url)
    assert (link.href, link.host) == (href, host)


def test_clean_flattens_lines_and_drops_format_characters() -> None:
    assert clean("a\r\nb\u200b\u202ec\x00") == "a bc"


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.usefixtures("app_database")
@pytest.mark.slow
@pytest.mark.skipif(
    chromium() is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)
@pytest.mark.parametrize(("label", "width"), [("phone", 390), ("desktop", 1280)])
def test_the_html_fits_phone_and_desktop_widths_in_chromium(
    smtp_server: SmtpServer, make_app: MakeApp, tmp_path: Path, label: str, width: int
) -> None:
    app = make_app(smtp_server)
    add_thread(app, title="A very long title " * 12, body="word " * 200)
    add_thread(app, title="https://example.org/" + "x" * 200, community="r/psychotherapy")
    add_thread(app, title="Someone in crisis", crisis=True)
    html_path, _ = write_preview(app, tmp_path / "preview")
    artifacts = Path(os.environ.get("ENGAGE_TEST_ARTIFACTS", ROOT / "ci-artifacts")) / "digest"
    artifacts.mkdir(parents=True, exist_ok=True)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},1400",
             "--hide-scrollbars"]  # fmt: skip
    shot = artifacts / f"digest-{label}.png"
    subprocess.run([chromium(), *flags, f"--screenshot={shot}", html_path.as_uri()],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    assert shot.stat().st_size > 10_000
    probe = tmp_path / "probe.html"
    probe.write_text(
        html_path.read_text().replace(
            "</body>",
            "<script>document.title = 'W' + document.documentElement.scrollWidth + '/' + "
            "window.innerWidth</script></body>",
        )
    )
    dom = subprocess.run([chromium(), *flags, "--dump-dom", probe.as_uri()], check=True,
                         capture_output=True, text=True, timeout=120).stdout  # fmt: skip
    found = re.search(r"<title>W(\d+)/(\d+)</title>", dom)
    assert found is not None, dom[:500]
    content, viewport = int(found[1]), int(found[2])
    assert content <= viewport, f"the digest scrolls sideways: {content}px in a {viewport}px view"
