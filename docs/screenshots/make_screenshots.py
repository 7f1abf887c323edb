"""Remake the README's screenshots from the demo: the digest at phone and desktop widths, and
the desk (`engage review`) as a 100x30 terminal shows it.

    .venv/bin/python docs/screenshots/make_screenshots.py

Needs Debian's `chromium`, and pyte for the desk (not one of engage's dependencies: put it on
PYTHONPATH, e.g. `python3 -m pip install --target /tmp/pyte pyte` then PYTHONPATH=/tmp/pyte).
Runs offline: the demo serves its threads on 127.0.0.1.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROWS, COLS = 30, 100
COLOURS = {
    "default": "#d8d8d8",
    "black": "#1e1e1e",
    "red": "#e06c75",
    "green": "#98c379",
    "brown": "#e5c07b",
    "yellow": "#e5c07b",
    "blue": "#61afef",
    "magenta": "#c678dd",
    "cyan": "#56b6c2",
    "white": "#d8d8d8",
}


def browser_flags(width: int, height: int, profile: Path) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "--hide-scrollbars",
    ]


def browser() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        sys.exit("chromium is not installed")
    return found


def page_height(page: Path, width: int, profile: Path) -> int:
    """How tall the page is at this width, so the screenshot holds all of it. Measured in an
    iframe of that width: headless Chromium lays its window out at least 500 px wide."""
    probe = page.with_name(f"probe-{width}.html")
    measure = "document.title = 'H' + this.contentDocument.documentElement.scrollHeight"
    probe.write_text(
        f'<!doctype html><body style="margin:0"><iframe src="{page.name}" '
        f'style="width:{width}px;height:100px;border:0" onload="{measure}"></iframe></body>'
    )
    flags = [*browser_flags(width, 800, profile), "--allow-file-access-from-files"]
    dom = subprocess.run(
        [browser(), *flags, "--dump-dom", probe.as_uri()],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.search(r"<title>H(\d+)</title>", dom)
    return int(found[1]) if found else 1800


def chromium(page: Path, shot: Path, width: int, height: int, profile: Path) -> None:
    flags = browser_flags(width, height, profile)
    subprocess.run(
        [browser(), *flags, f"--screenshot={shot}", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    print(f"wrote {shot.relative_to(Path.cwd()) if shot.is_relative_to(Path.cwd()) else shot}")


def desk_screen(folder: Path) -> Any:
    """The desk's first card, as a pyte screen after the frame has settled."""
    import pexpect
    import pyte

    screen = pyte.Screen(COLS, ROWS)
    stream = pyte.Stream(screen)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update({"TERM": "xterm-256color", "BROWSER": "", "DISPLAY": "", "ENGAGE_HOME": str(folder)})
    child = pexpect.spawn(
        sys.executable,
        ["-m", "engage", "--config", str(folder / "engage.toml"), "review"],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(ROWS, COLS),
    )
    deadline = time.monotonic() + 60
    drawn, quiet = False, 0
    while time.monotonic() < deadline and not (drawn and quiet >= 2):
        try:
            stream.feed(child.read_nonblocking(65536, timeout=0.5))
            quiet = 0
        except pexpect.TIMEOUT:
            quiet += 1
        drawn = drawn or any("q quit" in line for line in screen.display)
    if not drawn:
        sys.exit("the desk drew no card within a minute")
    child.close(force=True)
    return screen


def screen_html(screen: Any) -> str:
    """The screen as a page: one <pre>, each run of characters in its colours."""
    lines = []
    for y in range(screen.lines):
        row = screen.buffer[y]
        out = []
        for x in range(screen.columns):
            char = row[x]
            fg = COLOURS.get(char.fg, f"#{char.fg}" if len(char.fg) == 6 else COLOURS["default"])
            bg = COLOURS.get(char.bg, f"#{char.bg}" if len(char.bg) == 6 else "")
            if char.bg == "default":
                bg = ""
            if char.reverse:
                fg, bg = bg or "#1e1e1e", fg
            style = f"color:{fg};" + (f"background:{bg};" if bg else "")
            style += "font-weight:bold;" if char.bold else ""
            out.append(f'<span style="{style}">{html.escape(char.data or " ")}</span>')
        lines.append("".join(out))
    body = "\n".join(lines)
    return (
        "<!doctype html><meta charset=utf-8><body style='margin:0;background:#1e1e1e'>"
        "<pre style='margin:0;padding:12px;font:15px/1.25 \"DejaVu Sans Mono\",monospace'>"
        f"{body}</pre></body>"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "demo"
        subprocess.run(
            [sys.executable, "-m", "engage", "demo", "--dir", str(folder)],
            check=True,
            capture_output=True,
            cwd=work,
        )
        digest = folder / "digest" / "digest.html"
        for name, width in (("phone", 390), ("desktop", 1000)):
            profile = work / name
            height = page_height(digest, width, profile)
            chromium(digest, HERE / f"digest-{name}.png", width, height, profile)
        screen = desk_screen(folder)
        text = "\n".join(line.rstrip() for line in screen.display)
        (HERE / "desk.txt").write_text(text.rstrip() + "\n", encoding="utf-8")
        page = work / "desk.html"
        page.write_text(screen_html(screen), encoding="utf-8")
        chromium(page, HERE / "desk.png", 24 + COLS * 9 + 10, 24 + ROWS * 19 + 6, work / "p3")


if __name__ == "__main__":
    main()
