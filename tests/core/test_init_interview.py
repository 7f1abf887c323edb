"""`engage init` as a whole, without a terminal: a scripted therapist answers, sloppily; the
config written passes `engage config check`'s own checks; an interruption loses nothing; flags
for scripts go through the same readers; a test email goes through the digest's sender."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from engage.cli import cli
from engage.config import DigestSettings, ProfileSettings
from engage.errors import UsageError
from engage.setup.check import check_file
from engage.setup.init_run import Interrupted, run_init
from engage.setup.progress import FILE_NAME
from engage.setup.reach import feed_note, send_test_email
from tests.digest.conftest import PASSWORD, SmtpServer, ca, ca_file, smtp_server
from tests.fakes.feeds import Document, Entry, FeedServer, rss

__all__ = ["ca", "ca_file", "smtp_server"]  # fixtures used here, defined with the digest tests


class Scripted:
    """A therapist at a terminal: answers by words of the prompt, in order; Enter otherwise.
    `stop_at` raises KeyboardInterrupt (Ctrl-C) at the first prompt containing it."""

    def __init__(self, answers: dict[str, list[str]], stop_at: str | None = None) -> None:
        self.answers = {key: list(values) for key, values in answers.items()}
        self.stop_at = stop_at
        self.prompts: list[str] = []
        self.said: list[str] = []

    def ask(self, prompt: str, default: str) -> str:
        self.prompts.append(prompt)
        assert len(self.prompts) < 200, f"asked forever: {self.prompts[-5:]}"
        if self.stop_at and self.stop_at in prompt:
            raise KeyboardInterrupt
        for key, values in self.answers.items():
            if key in prompt and values:
                return values.pop(0) or default
        return default

    def say(self, text: str) -> None:
        self.said.append(text)


SLOPPY = {
    "Your name": ["", "Dr. Grace Lee"],
    "credentials": ["LMFT, CSAT\x1b[31m\x07"],
    "specialties": ["garbage", "x" * 10_000, "sex addiction, betrayal trauma", "couples"],
    "right": ["maybe", "n", "y"],
    "Where you see": ["Southern California"],
    "licensed": ["Pacific", "California, calif"],
    "both": ["in-person and video"],
    "Reddit communities": ["r/therapists, MFT"],
    "Reddit username": ["u/grace_lee"],
    "digest to": ["not an email", "grace@gmail.com"],
    "Send it at": ["25:00", "7am"],
    "time zone": ["../../etc", "Pacific"],
}


def written(path: Path) -> dict[str, object]:
    return tomllib.loads(path.read_text())


def test_sloppy_answers_are_asked_again_and_end_in_a_config_that_checks(tmp_path: Path) -> None:
    path = tmp_path / "engage.toml"
    terminal = Scripted(SLOPPY)
    run_init(path, {}, terminal, echo=terminal.say)
    check_file(path)  # what `engage config check` runs
    config = written(path)
    profile = config["profile"]
    assert isinstance(profile, dict)
    assert profile["name"] == "Dr. Grace Lee" and profile["credentials"] == "LMFT, CSAT"
    assert profile["specialties"] == {"couples": 1.0}  # the confirmed answer, not the rejected
    assert profile["licensed_in"] == ["CA"]
    assert profile["delivery"] == ["in_person", "telehealth"]
    assert config["digest"] == {
        "enabled": True, "to": "grace@gmail.com", "sender": "grace@gmail.com",
        "send_at": "07:00", "timezone": "America/Los_Angeles", "smtp_host": "smtp.gmail.com",
        "smtp_port": 587, "smtp_security": "starttls", "smtp_username": "grace@gmail.com",
        "smtp_password_env": "ENGAGE_SMTP_PASSWORD",
    }  # fmt: skip
    assert config["reddit"] == {"mode": "rss", "subreddits": ["therapists", "MFT"],
                                "username": "grace_lee"}  # fmt: skip
    hints = "\n".join(terminal.said)
    assert "is not a time zone I know" in hints and "10,000 characters" in hints
    assert "myaccount.google.com/apppasswords" in hints  # the app-password steps
    assert "RSS feed by default, because Reddit now approves new API apps" in hints
    assert any(line.startswith("next: engage --config") for line in terminal.said)


def test_what_was_understood_is_shown_before_it_is_kept(tmp_path: Path) -> None:
    terminal = Scripted({**SLOPPY, "specialties": ["sex addiction, betrayal trauma, EMDR"],
                         "right": ["y"]})  # fmt: skip
    run_init(tmp_path / "engage.toml", {}, terminal, echo=terminal.say)
    shown = "\n".join(terminal.said)
    assert "Sex and porn addiction, betrayal trauma (main) <- sex addiction, betrayal" in shown
    assert "Trauma, PTSD, EMDR, IFS, dissociation (also, weight 0.8) <- EMDR" in shown
    profile = written(tmp_path / "engage.toml")["profile"]
    assert isinstance(profile, dict)
    assert profile["specialties"] == {"sex_addiction": 1.0, "trauma": 0.8}


def test_an_interruption_keeps_every_answer_and_the_next_run_resumes(
    tmp_path: Path, engage_env: Path
) -> None:
    path = tmp_path / "engage.toml"
    first = Scripted(SLOPPY, stop_at="Reddit communities")
    with pytest.raises(Interrupted, match="run `engage init` again to pick up where you left"):
        run_init(path, {}, first, echo=first.say)
    assert not path.exists() and (engage_env / FILE_NAME).is_file()
    saved = (engage_env / FILE_NAME).read_text()
    assert "Dr. Grace Lee" in saved and "garbage" not in saved  # only accepted answers

    again = Scripted({"Pick up": ["y"], "Reddit communities": ["EMDR"], "time zone": ["Eastern"]})
    run_init(path, {}, again, echo=again.say)
    assert not any("Your name" in p or "specialties" in p for p in again.prompts)
    assert "Your name, as colleagues know you: Dr. Grace Lee  (saved)" in again.said
    profile = written(path)["profile"]
    assert isinstance(profile, dict)
    assert (profile["name"], profile["specialties"]) == ("Dr. Grace Lee", {"couples": 1.0})
    assert not (engage_env / FILE_NAME).exists()  # written: nothing left to resume


def test_declining_to_resume_starts_afresh(tmp_path: Path, engage_env: Path) -> None:
    path = tmp_path / "engage.toml"
    with pytest.raises(Interrupted):
        run_init(path, {}, Scripted(SLOPPY, stop_at="Where you see"))
    fresh = Scripted({**SLOPPY, "Pick up": ["n"], "Your name": ["Dr. Ana Ruiz"]})
    run_init(path, {}, fresh, echo=fresh.say)
    profile = written(path)["profile"]
    assert isinstance(profile, dict) and profile["name"] == "Dr. Ana Ruiz"


def test_a_data_directory_that_cant_hold_the_resume_file_is_said_once_and_init_goes_on(
    tmp_path: Path, engage_env: Path
) -> None:
    engage_env.parent.mkdir(parents=True, exist_ok=True)
    engage_env.write_text("a file where the data directory should be")
    terminal = Scripted(SLOPPY)
    run_init(tmp_path / "engage.toml", {}, terminal, echo=terminal.say)
    notes = [line for line in terminal.said if "an interruption would lose them" in line]
    assert len(notes) == 1 and "can't save your answers" in notes[0]
    check_file(tmp_path / "engage.toml")


def test_reddit_api_without_a_client_id_keeps_rss_and_the_check_passes(tmp_path: Path) -> None:
    path = tmp_path / "engage.toml"
    terminal = Scripted({**SLOPPY, "Reddit: rss": ["api"], "Use rss until": ["y"]})
    run_init(path, {}, terminal, echo=terminal.say)
    reddit = written(path)["reddit"]
    assert isinstance(reddit, dict) and reddit["mode"] == "rss"
    check_file(path)


def test_a_test_email_is_offered_when_the_password_is_set_and_failure_is_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRACTICE_MAIL_PASSWORD", "app-password")
    terminal = Scripted({
        **SLOPPY, "digest to": ["grace@leecounseling.example"], "Whose mail": ["other"],
        "Outgoing mail server": ["127.0.0.1"], "Its port": ["9"],
        "environment variable will hold": ["PRACTICE_MAIL_PASSWORD"], "test email": ["y"],
    })  # fmt: skip
    run_init(tmp_path / "engage.toml", {}, terminal, echo=terminal.say)
    assert any("Send a test email to grace@leecounseling.example" in p for p in terminal.prompts)
    assert any(line.startswith("the test email didn't go: ") for line in terminal.said)
    assert "app-password" not in (tmp_path / "engage.toml").read_text()
    check_file(tmp_path / "engage.toml")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_no_input_flags_in_plain_words_still_work(tmp_path: Path) -> None:
    path = tmp_path / "engage.toml"
    code, output = run(
        "init", "--path", str(path), "--no-input", "--name", "Dr. Lee",
        "--specialty", "sex addiction", "--specialty", "EMDR", "--licensed-in", "California",
        "--timezone", "Pacific", "--digest-to", "lee@icloud.com", "--send-at", "6:30pm",
        "--subreddit", "r/therapists", "--delivery", "telehealth",
    )  # fmt: skip
    assert code == 0, output
    config = written(path)
    assert config["profile"] == {
        "name": "Dr. Lee", "credentials": "", "location": "", "licensed_in": ["CA"],
        "delivery": ["telehealth"], "specialties": {"sex_addiction": 1.0, "trauma": 0.8},
    }  # fmt: skip
    digest = config["digest"]
    assert isinstance(digest, dict)
    assert (digest["timezone"], digest["send_at"], digest["smtp_host"]) == (
        "America/Los_Angeles", "18:30", "smtp.mail.me.com")  # fmt: skip
    assert run("config", "check", str(path))[0] == 0


@pytest.mark.skipif(
    "languages" not in ProfileSettings.model_fields, reason="the config has no profile.languages"
)
def test_languages_and_insurance_are_asked_when_the_config_has_them(tmp_path: Path) -> None:
    path = tmp_path / "engage.toml"
    terminal = Scripted({**SLOPPY, "Languages": ["Spanish, Korean"], "Insurance": ["Aetna"]})
    run_init(path, {}, terminal, echo=terminal.say)
    profile = written(path)["profile"]
    assert isinstance(profile, dict)
    assert (profile["languages"], profile["insurance"]) == (["Spanish", "Korean"], ["Aetna"])
    check_file(path)


@pytest.mark.parametrize(
    ("flag", "value", "says"),
    [("--timezone", "Mars/Base", "is not a time zone"), ("--specialty", "garbage", "--specialty"),
     ("--licensed-in", "Narnia", "--licensed-in 'Narnia'"), ("--send-at", "25:00", "--send-at")],
)  # fmt: skip
def test_a_flag_that_cant_be_used_is_a_one_line_usage_error(
    tmp_path: Path, flag: str, value: str, says: str
) -> None:
    code, output = run("init", "--path", str(tmp_path / "x.toml"), "--no-input", flag, value,
                       "--digest-to", "a@example.org")  # fmt: skip
    assert code == 2 and says in output and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1
    assert not (tmp_path / "x.toml").exists()


def test_a_flag_that_would_be_ignored_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run("init", "--path", str(tmp_path / "x.toml"), "--no-input", "--send-at", "7")
    assert (code, output.strip()) == (2, "error: --send-at: not used without --digest-to")


def test_a_flag_value_is_a_usage_error_naming_the_flag_in_run_init(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--timezone 'Pacific Ocean Standard'"):
        run_init(tmp_path / "x.toml", {"timezone": "Pacific Ocean Standard"}, None)


# -- what init reaches over the network --------------------------------------------------------


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def test_a_feed_is_checked_and_kept_whether_or_not_it_answers(feeds: FeedServer) -> None:
    url = feeds.serve("/feed.xml", Document(rss([Entry("1", "Hello", "https://x.example/1")])))
    page = feeds.serve("/blog", Document(b"<!doctype html><html></html>", "text/html"))
    assert feed_note(url) == "reached it: a feed"
    assert "a web page, not a feed; kept it" in feed_note(page)
    assert feed_note("http://127.0.0.1:9/feed.xml").startswith("couldn't reach it now; kept it")


def test_the_test_email_goes_through_the_digests_sender(smtp_server: SmtpServer) -> None:
    digest = DigestSettings(
        enabled=True, to="grace@example.org", sender="engage@example.org",
        smtp_host=smtp_server.host, smtp_port=smtp_server.port, smtp_username="grace",
        smtp_ca_file=str(smtp_server.ca_file), timezone="America/Los_Angeles",
    )  # fmt: skip
    assert send_test_email(digest, PASSWORD) == "sent a test email to grace@example.org: " \
        "check your inbox"  # fmt: skip
    [message] = smtp_server.mailbox.messages
    assert message["Subject"] == "engage: test email"
    nowhere = digest.model_copy(update={"smtp_port": 9})
    assert send_test_email(nowhere, PASSWORD).startswith("the test email didn't go: ")
