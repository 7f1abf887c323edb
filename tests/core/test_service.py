"""`engage service`: the worker as a per-user service, a systemd unit on Linux and a launchd
agent on macOS, running this installation's engage with the same config and data directory.

systemd's user manager can't run in this sandbox, so `systemctl` is a script on PATH that
records how it was called (and answers is-active), as the real one's command line does."""

from __future__ import annotations

import os
import plistlib
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engage.cli import cli
from engage.service import service_for


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "engage.toml"
    path.write_text('[profile]\nname = "Grace Lee"\n')
    return path


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user whose ~/.config is in tmp_path and whose PATH has no service manager."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("ENGAGE_HOME", str(tmp_path / "home"))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    return bin_dir


def engage(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), "service", *args])


def fake_systemctl(bin_dir: Path, active: bool = True) -> Path:
    calls = bin_dir / "calls.txt"
    script = bin_dir / "systemctl"
    answer = 0 if active else 3
    script.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n'
                      f'case "$*" in *is-active*) exit {answer};; esac\nexit 0\n')  # fmt: skip
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return calls


def test_the_unit_runs_this_engage_with_the_same_config_and_data(
    config: Path, machine: Path, tmp_path: Path
) -> None:
    result = engage(config, "install", "--print")
    assert result.exit_code == 0, result.output
    assert f"ExecStart={sys.executable} -m engage --config {config.resolve()} run" in result.output
    assert f"Environment=ENGAGE_HOME={(tmp_path / 'home').resolve()}" in result.output
    assert not (tmp_path / "xdg" / "systemd").exists()  # --print writes nothing


def test_install_writes_the_unit_and_starts_it(config: Path, machine: Path, tmp_path: Path) -> None:
    calls = fake_systemctl(machine)
    result = engage(config, "install")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "xdg" / "systemd" / "user" / "engage.service").exists()
    assert calls.read_text().splitlines() == [
        "--user daemon-reload",
        "--user enable --now engage.service",
    ]


def test_status_asks_the_service_manager(config: Path, machine: Path) -> None:
    fake_systemctl(machine, active=False)
    engage(config, "install")
    assert "systemd: stopped" in engage(config, "status").output


def test_without_a_service_manager_the_unit_is_written_and_the_way_to_run_said(
    config: Path, machine: Path, tmp_path: Path
) -> None:
    result = engage(config, "install")
    assert result.exit_code == 0, result.output
    assert "systemctl is not on this machine" in result.output
    assert (tmp_path / "xdg" / "systemd" / "user" / "engage.service").exists()


def test_uninstall_stops_and_removes_it(config: Path, machine: Path, tmp_path: Path) -> None:
    calls = fake_systemctl(machine)
    engage(config, "install")
    result = engage(config, "uninstall")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "xdg" / "systemd" / "user" / "engage.service").exists()
    assert calls.read_text().splitlines()[-1] == "--user disable --now engage.service"


def test_the_launchd_agent_is_a_valid_plist_running_the_same_command(
    config: Path, tmp_path: Path
) -> None:
    service = service_for(config, tmp_path / "home", system="Darwin")
    agent = plistlib.loads(service.text.encode())
    assert agent["ProgramArguments"] == [sys.executable, "-m", "engage", "--config",
                                         str(config.resolve()), "run"]  # fmt: skip
    assert agent["EnvironmentVariables"]["ENGAGE_HOME"] == str((tmp_path / "home").resolve())
    assert agent["KeepAlive"] == {"SuccessfulExit": False} and agent["RunAtLoad"] is True


def test_without_a_config_file_it_says_to_run_init_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ENGAGE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("ENGAGE_CONFIG", raising=False)
    result = CliRunner().invoke(cli, ["service", "install"], env={**os.environ})
    assert result.exit_code == 2
    assert "engage init" in result.output
