"""A therapist's first hour, from the README: a clean clone of this repository, a fresh home
folder, and the README's shell blocks marked `<!-- newcomer -->` run in order, exactly as written
(install, the demo, `engage init` with flags, `config check`, `status`, export and backup), then
the command the demo's last line suggests, then `python3 dev.py uninstall`.

What differs from a therapist's machine, each so that nothing leaves this one (the README's
Development section says the same): `python3` is this test's Python; `dev.py install` runs with
ENGAGE_INSTALL_OFFLINE=1, so the user environment uses this Python's packages and the clone's
source in place instead of downloading and building; `~/.local/bin` is on the PATH from the
start; and every proxy variable names a closed port on 127.0.0.1, so any request that would
leave the machine fails instead."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^<!-- newcomer -->\n```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
DEAD_PROXY = "http://127.0.0.1:9"


def newcomer_blocks(readme: str) -> list[str]:
    return [match.group(1) for match in BLOCK.finditer(readme)]


def environment(home: Path, bin_dir: Path) -> dict[str, str]:
    """A fresh user: nothing of this session's engage, XDG folders or virtualenv carried over."""
    kept = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ENGAGE_", "XDG_", "PIP_"))
        and key.lower() not in ("virtual_env", "pythonpath", "pythonhome", "no_proxy")
        and not key.lower().endswith("_proxy")
    }
    proxies = {name: DEAD_PROXY for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")}
    return {
        **kept,
        **proxies,
        **{name.lower(): value for name, value in proxies.items()},
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        "PIP_NO_INDEX": "1",
        "HOME": str(home),
        "PATH": os.pathsep.join([str(home / ".local" / "bin"), str(bin_dir), "/usr/bin", "/bin"]),
        "ENGAGE_INSTALL_OFFLINE": "1",
        "TERM": "dumb",
        "BROWSER": "",
        "DISPLAY": "",
        "COLUMNS": "200",
    }


def bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", f"set -ex\n{script}"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout to clone")
def test_the_readme_guide_runs_as_written_from_a_clean_clone(tmp_path: Path) -> None:
    clone = tmp_path / "engage"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    home = tmp_path / "home"
    home.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python3 = bin_dir / "python3"
    python3.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n')
    python3.chmod(0o755)
    env = environment(home, bin_dir)

    blocks = newcomer_blocks((clone / "README.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 4, "the README's newcomer blocks: install, demo, init, your data"
    assert "python3 dev.py install" in blocks[0]
    done = bash("\n".join(blocks), tmp_path, env)
    shown = f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert done.returncode == 0, shown

    # engage is the clone's, installed in the user environment and linked onto the PATH.
    env_dir = home / ".local" / "share" / "engage" / "venv"
    link = home / ".local" / "bin" / "engage"
    assert link.is_symlink() and link.resolve() == (env_dir / "bin" / "engage").resolve()
    where = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", "import engage; print(engage.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).resolve().is_relative_to(clone.resolve())

    # The demo ran (in the clone, where the guide's `cd engage` left it) and its hints say
    # `engage`, as the installed command is called.
    demo = clone / "var" / "demo"
    assert (demo / "digest" / "digest.html").is_file()
    assert "ENGAGE_HOME=var/demo engage --config var/demo/engage.toml review" in done.stdout
    assert "engage demo --publish --dir var/demo" in done.stdout
    assert "nothing was published" in done.stdout
    assert ".venv/bin/engage" not in done.stdout

    # The command the demo's last line suggests works as printed.
    tries = re.findall(r"Try: (.+)$", done.stdout, re.MULTILINE)
    assert tries, shown
    again = bash(tries[-1], clone, env)
    assert again.returncode == 0, again.stderr
    assert "score" in again.stdout

    # Set-up for real: the config where engage looks for it, the data folder, the exports.
    assert (home / ".config" / "engage" / "engage.toml").is_file()
    assert "engage.toml: ok" in done.stdout
    assert (home / "engage-export" / "engagements.csv").is_file()
    assert (home / "engage-backup.db").stat().st_size > 0

    # Uninstalling removes the program, never the therapist's config or data.
    gone = bash("python3 dev.py uninstall", clone, env)
    assert gone.returncode == 0, gone.stderr
    assert not link.exists() and not link.is_symlink()
    assert not env_dir.exists()
    assert (home / ".config" / "engage" / "engage.toml").is_file()
    assert (home / ".local" / "share" / "engage" / "engage.db").is_file()
