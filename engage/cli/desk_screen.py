"""How the desk shows a draft: as a full-screen card (`engage review` on a terminal), or line by
line (`engage review --plain` for screen readers, `engage drafts show`, `engage draft`).

Why a screen: printed line by line, every key reprinted the whole card below the last, a long
thread was cut off and pushed the draft off the top. On the screen the card is drawn from the
top of the alternate screen on every key, the thread whole, wrapped at word boundaries; what
does not fit scrolls (j/k, the arrows, PgUp/PgDn, space, g/G), and prompts are asked on its
bottom line. `card` gives the parts of a draft (the thread, the article shared, why it matched,
where it goes, the draft, the guard's warnings in words) that both ways show.

Must not query the database nor change a draft: it draws the rows engage.desk gives it, and
the actions are review.py's, through engage.desk and engage.publishing. Must not show a post's
own escape sequences (everything from outside goes through `visible`), approve a text that was
not on the screen (`draft_seen`), nor leave the terminal on the alternate screen, in raw mode or
without its cursor, however the desk ends (Ctrl-C too).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, Protocol

import click

from engage.cli.output import console, visible

if TYPE_CHECKING:
    from types import FrameType

    from rich.console import Console, RenderableType
    from rich.text import Text

Part = tuple[str, "RenderableType"]  # (what it is: "thread", "draft", "warning", …, renderable)

ENTER, LEAVE = "\x1b[?1049h\x1b[?25l", "\x1b[?25h\x1b[?1049l"  # alternate screen, cursor
CLEAR = "\x1b[H\x1b[2J"  # home, then clear: every frame starts with this
TOP, END, PAGE_DOWN, PAGE_UP = "top", "end", "page down", "page up"
#: Keys that scroll the card (as the terminal sends them): never an action on the draft.
SCROLL: dict[str, int | str] = {
    "j": 1, "\x1b[B": 1, "\x1bOB": 1, "k": -1, "\x1b[A": -1, "\x1bOA": -1,
    " ": PAGE_DOWN, "\x1b[6~": PAGE_DOWN, "\x1b[5~": PAGE_UP, "b": PAGE_UP,
    "g": TOP, "\x1b[H": TOP, "\x1b[1~": TOP, "\x1bOH": TOP,
    "G": END, "\x1b[F": END, "\x1b[4~": END, "\x1bOF": END,
}  # fmt: skip
SCROLL_HELP = "scroll: j/k ↓/↑ · space/b PgDn/PgUp · g/G"
#: Where an outline goes instead of a thread or a channel (engage ideas --outline N).
OUTLINE = "An outline for your article (never posted)"


def card(row: dict[str, Any]) -> list[Part]:
    """A draft as the desk shows it, part by part, everything from outside made visible."""
    from rich.panel import Panel
    from rich.text import Text

    from engage.cli.threads import age

    parts: list[Part] = []
    thread = row.get("thread")
    if thread:
        parts.append(("thread", Text(visible(str(thread["title"])), style="bold")))
        meta = [str(thread["community"])]
        if "created_at" in thread:
            meta += [age(thread["created_at"]), f"{thread['num_comments']} replies"]
        parts.append(("thread", Text(visible(" · ".join(meta)), style="dim")))
        body = body_text(str(thread.get("body") or ""))
        if body:
            parts.append(("thread", Text(visible(body))))
        parts.append(("thread", Text("")))
    article = row.get("article")
    if article:
        parts.append(("article", Text(visible(f"your article: {article['title']}"), style="bold")))
        summary = " ".join(str(article.get("summary") or "").split())
        if summary:
            parts.append(("article", Text(visible(summary), style="dim")))
        parts.append(("article", Text(visible(str(article["url"])))))
    match = row.get("match")
    if match:
        why = ", ".join(match["phrases"]) or ", ".join(match["specialties"])
        flags = f" · flags: {', '.join(match['flags'])}" if match["flags"] else ""
        parts.append(("why", Text(visible(f"why: {why} · {match['intent']}{flags}"))))
        if match.get("lowered"):
            parts.append(("why", Text(visible(f"{match['lowered']} (engage feedback to undo)"),
                                      style="dim")))  # fmt: skip
    goes = OUTLINE if row.get("kind") == "outline" else goes_to(row)
    if goes:
        shown = goes if goes == OUTLINE else f"goes to: {goes}"
        parts.append(("goes", Text(visible(shown), style="bold")))
    text = str(row["text"])
    parts.append(("draft", Panel(Text(visible(text)), title="draft", title_align="left")))
    for other in row.get("articles", []):
        parts.append(("hint", Text(visible(f"your article “{other['title']}” answers this thread: "
                                           "press m, then share_article"))))  # fmt: skip
    parts += [("warning", warning_text(w, text)) for w in row["warnings"]]
    return parts


def body_text(body: str) -> str:
    """A post's body whole: its own line breaks kept, runs of blank lines made one."""
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip("\n")


def goes_to(row: dict[str, Any]) -> str | None:
    """Where the draft will be posted, in words: the share's channel, or the thread's place."""
    channel, thread = row.get("channel"), row.get("thread")
    if channel:
        return str(channel["label"])
    if thread:
        return f"{thread['community']} on {row['platform']}, as a reply to this thread"
    return str(row["platform"]) if row.get("platform") else None


def warning_text(warning: dict[str, Any], text: str) -> Text:
    """One guard warning in words: what and why, then the words it points at, never offsets."""
    from rich.text import Text

    message = str(warning["message"])
    if message.endswith("”") and ": “" in message:  # the guard's own excerpt, cut at 80
        message = message[: message.rindex(": “")]
    start, end = (int(n) for n in warning.get("span") or (0, 0))
    quoted = " ".join(text[start:end].split())
    if quoted == " ".join(text.split()):
        quoted = ""  # the whole draft: nothing to point at
    elif len(quoted) > 400:
        quoted = quoted[:400].rsplit(" ", 1)[0] + " …"
    label = Text("BLOCKING " if warning["blocking"] else "warning ",
                 style="bold red" if warning["blocking"] else "yellow")  # fmt: skip
    line = label + Text(visible(f"{warning['slug']}: {message}"))
    if quoted:
        line += Text(visible(f": “{quoted}”"), style="italic")
    return line


class Desk(Protocol):
    """What review.py needs from a way of showing the desk."""

    def __enter__(self) -> Desk: ...
    def __exit__(self, *exc: object) -> None: ...
    def show(self, row: dict[str, Any] | None, position: str, keys: dict[str, str]) -> None: ...
    def read_key(self) -> str: ...
    def say(self, message: str, style: str = "") -> None: ...
    def unknown_key(self) -> None: ...
    def hand_over(self, text: str) -> None: ...
    def menu(self, options: list[str]) -> None: ...
    def prompt(self, text: str, **options: Any) -> Any: ...
    def suspended(self) -> AbstractContextManager[None]: ...
    def draft_seen(self) -> bool: ...
    def show_draft(self) -> None: ...


def keys_line(keys: dict[str, str], markup: bool = True) -> str:
    return "  ".join(f"[bold]{key}[/bold] {label}" if markup else f"{key} {label}"
                     for key, label in keys.items())  # fmt: skip


def keys_text(keys: dict[str, str], width: int) -> Text:
    """The keys in as many lines as the width needs, never a key apart from its label."""
    from rich.text import Text

    lines: list[Text] = [Text()]
    for key, label in keys.items():
        item = Text.assemble((key, "bold"), f" {label}")
        if lines[-1].cell_len and lines[-1].cell_len + 2 + item.cell_len > width:
            lines.append(Text())
        lines[-1] += Text("  ") + item if lines[-1].cell_len else item
    return Text("\n").join(lines)


class PlainDesk:
    """Line by line, as `engage review --plain` and screen readers want it: every card printed
    below the last, nothing redrawn."""

    def __init__(self) -> None:
        self.out = console()
        self.keys: dict[str, str] = {}
        self.position = ""

    def __enter__(self) -> PlainDesk:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def show(self, row: dict[str, Any] | None, position: str, keys: dict[str, str]) -> None:
        from engage.cli.drafts import print_draft

        self.keys, self.position = keys, position or self.position
        if row is not None:
            self.out.rule()
            print_draft(row, self.position)
        self.out.print(keys_line(keys))

    def read_key(self) -> str:
        key = click.getchar()
        return key.lower() if len(key) == 1 else key

    def say(self, message: str, style: str = "") -> None:
        self.out.print(message, style=style or None, markup=False)

    def unknown_key(self) -> None:
        self.out.print(f"keys: {keys_line(self.keys)}")

    def hand_over(self, text: str) -> None:
        from rich.panel import Panel
        from rich.text import Text

        self.out.print(Panel(Text(visible(text)), title="post exactly this", title_align="left"))

    def menu(self, options: list[str]) -> None:
        for number, option in enumerate(options, start=1):
            self.out.print(f"  {number}. {option}", markup=False)

    def prompt(self, text: str, **options: Any) -> Any:
        return click.prompt(text, **options)

    def suspended(self) -> AbstractContextManager[None]:
        return nullcontext()

    def draft_seen(self) -> bool:
        return True

    def show_draft(self) -> None:
        return None


class ScreenDesk:
    """The card on the alternate screen, redrawn in place: a header line, the card scrolled to
    `offset`, then the scroll position, the keys and the latest messages at the bottom."""

    def __init__(self) -> None:
        self.out: Console = console()
        self.header = ""
        self.keys: dict[str, str] = {}
        self.position = ""
        self.lines: list[str] = []
        self.parts: list[Part] = []
        self.width = 0
        self.draft_lines = range(0)
        self.seen: set[int] = set()
        self.notes: list[Text] = []
        self.offset, self.body_height = 0, 1
        self.draft_id: object = None
        self.on = False
        self._winch: Any = None
        self.asking = ""  # the question on the bottom line, while it is asked
        self.drawing = False  # a resize mid-frame waits for the frame

    # -- the terminal -------------------------------------------------------------------------

    def __enter__(self) -> ScreenDesk:
        self._write(ENTER)
        self.on = True
        if hasattr(signal, "SIGWINCH"):
            try:
                self._winch = signal.signal(signal.SIGWINCH, self._resized)
            except ValueError:  # not the main thread: redraw on the next key instead
                self._winch = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._winch is not None:
            signal.signal(signal.SIGWINCH, self._winch)
        self._write(LEAVE)
        self.on = False

    @contextmanager
    def suspended(self) -> Iterator[None]:
        """Back on the ordinary screen while another program has the terminal ($EDITOR)."""
        self._write(LEAVE)
        self.on = False
        try:
            yield
        finally:
            self._write(ENTER)
            self.on = True

    def _write(self, text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    def _resized(self, signum: int, frame: FrameType | None) -> None:
        """Redrawn at the new size at once, even while waiting for a key or an answer."""
        if self.on and self.lines and not self.drawing:
            try:
                self._draw(prompting=bool(self.asking))
                self._write(f"{self.asking}: " if self.asking else "")
            except OSError:  # the terminal went away: the next read says so
                pass

    def size(self) -> tuple[int, int]:
        try:
            columns, lines = os.get_terminal_size(sys.stdout.fileno())
        except OSError:
            columns, lines = 80, 24
        return max(columns, 20), max(lines, 8)

    def _render(self, renderable: RenderableType, width: int) -> list[str]:
        with self.out.capture() as captured:
            self.out.print(renderable, width=width, crop=True)
        return captured.get().split("\n")[:-1]

    # -- what the desk shows ------------------------------------------------------------------

    def show(self, row: dict[str, Any] | None, position: str, keys: dict[str, str]) -> None:
        """Draw this draft's card (None: the last one again), keeping the scroll position while
        it is the same draft."""
        self.keys, self.position = keys, position or self.position
        if row is not None:
            if row["id"] != self.draft_id:
                self.offset, self.seen, self.draft_id = 0, set(), row["id"]
            head = f"draft {row['id']} · {row['status']} · {row['move'] or row['kind']}"
            blocking = sum(1 for w in row["warnings"] if w["blocking"])
            head += f" · {blocking} blocking warning{'s' * (blocking > 1)}" if blocking else ""
            self.header = f"{head}{' · ' + self.position if self.position else ''}"
            self._lay_out(card(row))
        self._draw()

    def _lay_out(self, parts: list[Part]) -> None:
        """The parts as lines at the screen's width; what has to be seen before an approval is
        the draft and the guard's warnings under it."""
        width = self.size()[0]
        lines: list[str] = []
        draft = range(0)
        for name, renderable in parts:
            rendered = self._render(renderable, width)
            if name == "draft":
                draft = range(len(lines), len(lines) + len(rendered))
            elif name == "warning" and draft:
                draft = range(draft.start, len(lines) + len(rendered))
            lines += rendered
        before = [self.lines[i] for i in self.draft_lines if i < len(self.lines)]
        if draft != self.draft_lines or lines[draft.start : draft.stop] != before:
            self.seen = set()  # another text (or width): it has to be on screen again
        self.parts, self.width = parts, width
        self.lines, self.draft_lines = lines, draft

    def hand_over(self, text: str) -> None:
        """The exact text to post by hand, alone on the card."""
        from rich.panel import Panel
        from rich.text import Text

        self.offset = 0
        panel = Panel(Text(visible(text)), title="post exactly this", title_align="left")
        self._lay_out([("hand", panel)])
        self._draw()

    def _footer(self, width: int, height: int) -> list[str]:
        from rich.text import Text

        footer: list[str] = []
        if len(self.lines) > self.body_height or self.offset:
            last = min(self.offset + self.body_height, len(self.lines))
            more = " · more below" if last < len(self.lines) else ""
            footer += self._render(Text(f"lines {self.offset + 1}–{last} of {len(self.lines)}"
                                        f"{more} · {SCROLL_HELP}", style="dim"), width)  # fmt: skip
        footer += self._render(keys_text(self.keys, width), width)
        for note in self.notes[-6:]:
            footer += self._render(note, width)
        return footer[-(height - 2) :]

    def _draw(self, prompting: bool = False) -> None:
        self.drawing = True
        try:
            self._draw_frame(prompting)
        finally:
            self.drawing = False

    def _draw_frame(self, prompting: bool) -> None:
        width, height = self.size()
        if width != self.width:
            self._lay_out(self.parts)  # resized: wrapped again at the new width
        footer = self._footer(width, height)
        self.body_height = max(1, height - 1 - len(footer) - (1 if prompting else 0))
        footer = self._footer(width, height)  # the scroll line depends on the body's height
        self.body_height = max(1, height - 1 - len(footer) - (1 if prompting else 0))
        self.offset = max(0, min(self.offset, len(self.lines) - self.body_height))
        shown = self.lines[self.offset : self.offset + self.body_height]
        self.seen.update(range(self.offset, self.offset + len(shown)))
        shown += [""] * (self.body_height - len(shown))
        header = self._render(self._styled(self.header, "bold reverse"), width)[:1]
        frame = "\r\n".join([*header, *shown, *footer])
        self._write(CLEAR + frame + ("\r\n" if prompting else ""))

    def _styled(self, text: str, style: str) -> Text:
        from rich.text import Text

        return Text(text.ljust(self.size()[0]), style=style, no_wrap=True, overflow="crop")

    def read_key(self) -> str:
        """The next key that is not a scroll: scrolling redraws here. Of keys typed ahead only
        the scrolls and the first action count, so nothing is approved unseen."""
        while True:
            chunk = click.getchar()
            self.notes.clear()
            for key in split_keys(chunk):
                move = SCROLL.get(key)
                if move is None:
                    return key.lower() if len(key) == 1 else key
                self.scroll(move)
            self._draw()

    def scroll(self, move: int | str) -> None:
        page = max(1, self.body_height - 1)
        steps = {TOP: -len(self.lines), END: len(self.lines), PAGE_DOWN: page, PAGE_UP: -page}
        self.offset += move if isinstance(move, int) else steps[move]
        self.offset = max(0, min(self.offset, len(self.lines) - self.body_height))

    def draft_seen(self) -> bool:
        return set(self.draft_lines) <= self.seen

    def show_draft(self) -> None:
        """Scroll so the draft is on screen (its top, when it is taller than the screen)."""
        self.offset = self.draft_lines.start
        if len(self.draft_lines) <= self.body_height:
            self.offset = max(0, self.draft_lines.stop - self.body_height)
        self._draw()

    def say(self, message: str, style: str = "") -> None:
        from rich.text import Text

        self.notes.append(Text(message, style=style))
        self._draw()

    def unknown_key(self) -> None:
        self.say("not a key here: the keys are listed at the bottom", "yellow")

    def menu(self, options: list[str]) -> None:
        from rich.text import Text

        self.notes += [Text(f"  {n}. {option}") for n, option in enumerate(options, start=1)]

    def prompt(self, text: str, **options: Any) -> Any:
        """Ask on the bottom line of the screen, the card still above it."""
        self._draw(prompting=True)
        self._write("\x1b[?25h")
        self.asking = text
        try:
            return click.prompt(text, **options)
        finally:
            self.asking = ""
            self._write("\x1b[?25l")
            self.notes.clear()


def split_keys(chunk: str) -> list[str]:
    """What one read from the terminal holds, key by key (an arrow is one key: ESC [ A)."""
    keys: list[str] = []
    i = 0
    while i < len(chunk):
        if chunk.startswith("\x1b[", i):
            j = i + 2
            while j < len(chunk) and not ("@" <= chunk[j] <= "~"):
                j += 1
            keys.append(chunk[i : j + 1])
            i = j + 1
        elif chunk.startswith("\x1bO", i) and i + 2 < len(chunk):
            keys.append(chunk[i : i + 3])
            i += 3
        else:
            keys.append(chunk[i])
            i += 1
    return keys


def desk_for(plain: bool) -> Desk:
    """The screen on a terminal that can draw one; line by line with --plain or TERM=dumb."""
    if plain or os.environ.get("TERM") == "dumb":
        return PlainDesk()
    return ScreenDesk()
