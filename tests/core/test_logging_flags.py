"""`engage run --quiet` and `--verbose`: the terminal shows less or more, the log file in the data
directory keeps at least every info line (what happened while nobody watched), and asking for
both is a usage error. The worker runs as a real process against a loopback feed that is missing
(a warning, then a debug "still" line each poll)."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from engage.cli import cli
from engage.cli.app_context import AppContext
from engage.cli.run import configure_logging
from tests.core.test_redaction import clean_logging, wait_for
from tests.fakes.feeds import FeedServer

ROOT = Path(__file__).resolve().parents[2]

__all__ = ["clean_logging"]  # the fixture that removes the handlers each test adds


#: The start of a log line: "<date> <time> LEVEL name: message" (a traceback's lines are not).
LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ ([A-Z]+) ", re.MULTILINE)


def levels(text: str) -> set[str]:
    """The levels of the log lines in `text`."""
    return set(LINE.findall(text))


def run_worker(home: Path, feed_server: FeedServer, *flags: str) -> tuple[str, str]:
    """`engage run` with `flags` until its log file has both the missing feed's warning and a
    debug or later info line about it, then SIGTERM; its stderr and its log file."""
    config = home.parent / "engage.toml"
    config.write_text(f'[[feeds]]\nurl = "{feed_server.url}/missing.xml"\npoll_minutes = 0.005\n')
    env = {**os.environ, "ENGAGE_CONFIG": str(config), "ENGAGE_HOME": str(home)}
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "scheduler.py"), "--tick", "0.2", *flags],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    logfile = home / "logs" / "engage.log"
    try:
        wait_for(lambda: worker.poll() is not None or (
            logfile.exists() and "missing.xml" in logfile.read_text()
            and feed_server.count("/missing.xml") >= 3))  # fmt: skip
        worker.send_signal(signal.SIGTERM)
        _, err = worker.communicate(timeout=120)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, err
    return err, logfile.read_text()


def test_quiet_keeps_info_off_the_terminal_and_in_the_log_file(
    engage_env: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    configure_logging(AppContext(None), logging.INFO, stderr_level=logging.WARNING)
    log = logging.getLogger("engage.test")
    log.info("polled 3 sources")
    log.warning("source r/x: HTTP 503")
    terminal = capfd.readouterr().err
    logged = (engage_env / "logs" / "engage.log").read_text()
    assert "source r/x: HTTP 503" in terminal and "polled 3 sources" not in terminal
    assert "polled 3 sources" in logged and "source r/x: HTTP 503" in logged


@pytest.mark.slow
@pytest.mark.usefixtures("app_database")
def test_engage_run_quiet_shows_only_warnings_on_stderr_while_the_file_has_info(
    engage_env: Path, feed_server: FeedServer
) -> None:
    err, logged = run_worker(engage_env, feed_server, "--quiet")
    assert levels(err) == {"WARNING"} and "missing.xml" in err
    assert "worker started" not in err
    assert "worker started" in logged and {"INFO", "WARNING"} <= levels(logged)
    assert "DEBUG" not in levels(logged)


@pytest.mark.slow
@pytest.mark.usefixtures("app_database")
def test_engage_run_verbose_shows_debug_lines_on_stderr_and_in_the_file(
    engage_env: Path, feed_server: FeedServer
) -> None:
    err, logged = run_worker(engage_env, feed_server, "--verbose")
    assert {"DEBUG", "INFO", "WARNING"} <= levels(err)
    assert "DEBUG" in levels(logged)


def test_verbose_and_quiet_together_is_a_usage_error(engage_env: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--verbose", "--quiet"])
    assert result.exit_code == 2
    assert "--verbose and --quiet" in result.output
    assert "Traceback" not in result.output
    assert not (engage_env / "logs").exists()  # refused before anything started
