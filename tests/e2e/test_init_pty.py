"""`engage init` in a real terminal (a pty driven by pexpect), answered the way a new user
answers: sloppy, hostile, interrupted. Every answer is asked again until usable, nothing ends in
a traceback, Ctrl-C keeps what was typed, and the config written passes `engage config check`."""

from __future__ import annotations

import os
import re
import sys
import time
import tomllib
from pathlib import Path

import pexpect

CONTROL = "LMFT\x01\x02\x07\x0e\x1b[31m, CSAT\x1b[0m"
LONG = "x" * 10_000


def spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "COLUMNS": "100"}
    return pexpect.spawn(sys.executable, ["-m", "engage", "init", *args], env=env,
                         encoding="utf-8", timeout=30)  # fmt: skip


def answer(child: pexpect.spawn, steps: list[tuple[str, str | None]]) -> None:
    """Wait for each prompt (or hint) and type the answer (None: only wait)."""
    for prompt, text in steps:
        if text is None:
            child.expect_exact(prompt)
            continue
        # The whole question, up to the space input() writes last: a tail left unread would
        # look like the next question to skip_to.
        child.expect(re.escape(prompt) + r"[^\r\n]*: $")
        child.sendline(text)


def skip_to(child: pexpect.spawn, prompt: str) -> None:
    """Enter (the suggestion, or skip) at every question until `prompt` is asked."""
    for _ in range(30):
        if child.expect([re.escape(prompt), r"\): $", r"\]: $"]) == 0:
            return
        child.sendline("")
    raise AssertionError(f"never asked {prompt!r}")


def finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    output: str = child.before
    assert "Traceback" not in output, output
    return output


ABOUT_YOU: list[tuple[str, str | None]] = [
    ("Your name", ""),
    ("your name as you sign posts", None),  # the hint; then the question again
    ("Your name", "Dr. Grace Lee"),
    ("Your credentials", CONTROL),
    ("Your specialties", "garbage"),
    ("didn't recognise 'garbage'", None),
    ("Your specialties", LONG),
    ("characters; keep it under", None),
    ("Your specialties", "../../etc"),
    ("didn't recognise '../../etc'", None),
    ("Your specialties", "sex addiction, betrayal trauma"),
    ("Is that right?", "y"),
    ("Where you see clients", "Southern California"),
    ("States you are licensed in", "Pacific"),
    ("not a US state or Canadian province", None),
    ("States you are licensed in", "California"),
]


def test_sloppy_and_hostile_answers_end_in_a_config_that_checks(tmp_path: Path) -> None:
    path = tmp_path / "engage.toml"
    child = spawn("--path", str(path))
    answer(child, ABOUT_YOU)
    skip_to(child, "Your website")
    answer(child, [
        ("", "javascript:alert(1)"),
        ("a web address such as", None),
        ("Your website", "grace.example"),
        ("Your own blog's feed", "http://127.0.0.1:9/feed.xml"),
        ("couldn't reach it now; kept it", None),
        ("Reddit: rss, api", ""),
        ("Reddit communities to watch", "r/therapists, ../../etc"),
        ("is not a community name", None),
        ("Reddit communities to watch", "r/therapists, MFT"),
    ])  # fmt: skip
    skip_to(child, "Send the daily digest to")
    answer(child, [
        ("", "grace@gmail.com"),
        ("Send it from", ""),
        ("Whose mail is that", ""),
        ("myaccount.google.com/apppasswords", None),
        ("Which environment variable will hold the (app) password", ""),
        ("as one line: ENGAGE_SMTP_PASSWORD=...", None),
        ("Send it at", "whenever"),
        ("a time of day such as", None),
        ("Send it at", "7am"),
        ("Your time zone", "../../etc"),
        ("is not a time zone I know", None),
        ("Your time zone", "Pacific"),
    ])  # fmt: skip
    skip_to(child, "LLM model name")
    answer(child, [("", "")])
    output = finish(child)
    assert child.exitstatus == 0, output
    assert "engage config check: " in output and ": ok" in output
    assert f"next: engage --config {path} watch --once" in output
    config = tomllib.loads(path.read_text())
    assert config["profile"]["name"] == "Dr. Grace Lee"
    assert config["profile"]["credentials"] == "LMFT, CSAT"
    assert config["profile"]["specialties"] == {"sex_addiction": 1.0}
    assert config["profile"]["licensed_in"] == ["CA"]
    assert config["profile"]["website"] == "https://grace.example"
    assert config["digest"]["timezone"] == "America/Los_Angeles"
    assert config["digest"]["send_at"] == "07:00"
    assert config["feeds"] == [{"url": "http://127.0.0.1:9/feed.xml", "own": True}]
    check = pexpect.run(f"{sys.executable} -m engage config check {path}", withexitstatus=True,
                        encoding="utf-8", timeout=30)  # fmt: skip
    assert check[1] == 0, check[0]


def test_ctrl_c_says_how_to_resume_and_init_again_picks_up_there(
    tmp_path: Path, engage_env: Path
) -> None:
    path = tmp_path / "engage.toml"
    child = spawn("--path", str(path))
    answer(child, ABOUT_YOU)
    child.expect_exact("In person, telehealth, or both? [both]: ")
    # A person presses Ctrl-C while the question waits; a signal that lands between Python
    # writing the prompt and starting to read is only seen after the read, so wait a moment.
    time.sleep(0.5)
    child.sendcontrol("c")
    output = finish(child)
    assert child.exitstatus == 1
    assert "run `engage init` again to pick up where you left off" in output
    assert not path.exists()
    assert oct((engage_env / "init-progress.json").stat().st_mode & 0o777) == "0o600"

    again = spawn("--path", str(path))
    answer(again, [
        ("You stopped part-way last time (5 answers saved)", None),
        ("Pick up where you left off?", "y"),
        ("In person, telehealth, or both?", "telehealth"),
    ])  # fmt: skip
    again.expect_exact("Your practice")
    assert "Your name" not in again.before and "specialties" not in again.before
    again.sendline("")
    for _ in range(30):  # Enter for everything else (the time zone: its [suggestion])
        if again.expect([r"\): $", r"\]: $", pexpect.EOF]) == 2:
            break
        again.sendline("")
    again.close()
    assert again.exitstatus == 0, again.before
    config = tomllib.loads(path.read_text())
    assert config["profile"]["name"] == "Dr. Grace Lee"
    assert config["profile"]["specialties"] == {"sex_addiction": 1.0}
    assert config["profile"]["delivery"] == ["telehealth"]
    assert config["digest"]["timezone"] == "America/Los_Angeles"  # suggested from CA


def test_no_input_with_flags_needs_no_terminal(tmp_path: Path) -> None:
    path = tmp_path / "engage.toml"
    output, status = pexpect.run(
        f"{sys.executable} -m engage init --path {path} --no-input --name 'Dr. Kim' "
        "--specialty 'EMDR' --licensed-in 'New York' --timezone 'Eastern' --subreddit therapists",
        withexitstatus=True, encoding="utf-8", timeout=30,
    )  # fmt: skip
    assert status == 0, output
    config = tomllib.loads(path.read_text())
    assert config["profile"]["specialties"] == {"trauma": 1.0}
    assert config["digest"]["timezone"] == "America/New_York"


def test_an_existing_config_is_replaced_only_when_the_therapist_says_so(tmp_path: Path) -> None:
    path = tmp_path / "engage.toml"
    path.write_text("# mine\n")
    child = spawn("--path", str(path))
    answer(child, [("already exists. Replace it when the questions are done? [y/N]", "")])
    output = finish(child)
    assert child.exitstatus == 2 and "use --force to overwrite" in output
    assert path.read_text() == "# mine\n"
