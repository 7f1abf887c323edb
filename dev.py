#!/usr/bin/env python3
"""Set-up and everyday tasks on a machine that has only Python.

    python3 dev.py demo    run engage on the embedded default (SQLite, offline demo data)
    python3 dev.py test    run the whole test suite
    python3 dev.py lint    ruff and mypy

    python3 dev.py install     put `engage` on your PATH (again after `git pull` to upgrade)
    python3 dev.py uninstall   take it off again (your data and config stay)

demo, test and lint create ./.venv and install the project into it on first use (and again
whenever pyproject.toml changes), so nothing else needs installing first. install makes its own
environment in ~/.local/share/engage/venv ($ENGAGE_INSTALL_DIR) and links `engage` into
~/.local/bin ($ENGAGE_BIN_DIR). `install --offline` (or ENGAGE_INSTALL_OFFLINE=1) downloads
nothing: the environment uses the packages of the Python running dev.py and this checkout's
source in place (what tests/e2e/test_newcomer.py does).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".engage-installed"


def ensure_venv() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing engage and its test tools into .venv ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def run(*command: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run(command, cwd=ROOT, env={**os.environ, **(env or {})}).returncode


def demo(args: list[str]) -> int:
    """`dev.py demo` runs the demo; `dev.py demo --publish` its publishing step."""
    return run(str(BIN / "engage"), "demo", "--dir", str(ROOT / "var" / "demo"), *args)


def test(args: list[str]) -> int:
    return run(str(BIN / "python"), "-m", "pytest", *args)


def lint() -> int:
    return run(str(BIN / "ruff"), "check", ".") or run(str(BIN / "mypy"))


def install_dirs() -> tuple[Path, Path]:
    """Where `install` puts the environment and the `engage` link."""
    home = Path.home()
    env = os.environ.get("ENGAGE_INSTALL_DIR") or home / ".local" / "share" / "engage" / "venv"
    bin_dir = os.environ.get("ENGAGE_BIN_DIR") or home / ".local" / "bin"
    return Path(env), Path(bin_dir)


def _env_python(env: Path) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _env_script(env: Path) -> Path:
    return env / ("Scripts/engage.exe" if os.name == "nt" else "bin/engage")


def install(args: list[str]) -> int:
    """A user-level environment with engage from this checkout, and `engage` on the PATH."""
    if sys.version_info < (3, 11):  # noqa: UP036 (a therapist may run an older python3)
        print(f"engage needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
        return 2
    offline = "--offline" in args or os.environ.get("ENGAGE_INSTALL_OFFLINE") == "1"
    env, bin_dir = install_dirs()
    python = _env_python(env)
    if not python.exists():
        print(f"creating {env} ...", flush=True)
        venv.EnvBuilder(with_pip=not offline).create(env)
    if offline:
        _install_in_place(env)
    else:
        print(f"installing engage from {ROOT} into {env} ...", flush=True)
        pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
        done = subprocess.run([*pip, "install", "--upgrade", str(ROOT)])
        if done.returncode:
            return done.returncode
    return _link(_env_script(env), bin_dir)


def _install_in_place(env: Path) -> None:
    """Offline: the environment sees this checkout's source and the packages of the Python
    running dev.py (no download, no build), and gets an `engage` script of its own."""
    python = _env_python(env)
    ask = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = subprocess.run([str(python), "-c", ask], capture_output=True, text=True, check=True)
    deps = subprocess.run([sys.executable, "-c", ask], capture_output=True, text=True, check=True)
    Path(site.stdout.strip(), "engage-offline.pth").write_text(f"{ROOT}\n{deps.stdout.strip()}\n")
    script = _env_script(env)
    if os.name == "nt":
        script = script.with_suffix(".cmd")
        script.write_text(
            f'@"{python}" -c "import sys; from engage.cli import main; sys.exit(main())" %*\n'
        )
        return
    script.write_text(f"#!{python}\nimport sys\nfrom engage.cli import main\nsys.exit(main())\n")
    script.chmod(0o755)


def _link(script: Path, bin_dir: Path) -> int:
    """Put `engage` in bin_dir (a symbolic link to the environment's script), and say how to
    put bin_dir on the PATH if it isn't."""
    if os.name == "nt":
        print(
            f"installed: {script.parent}\\engage\nAdd {script.parent} to your PATH "
            "(or use WSL, where engage installs as on Linux)."
        )
        return 0
    bin_dir.mkdir(parents=True, exist_ok=True)
    link = bin_dir / "engage"
    if link.is_symlink() or not link.exists():
        link.unlink(missing_ok=True)
        link.symlink_to(script)
    else:
        print(f"{link} exists and is not engage's link: left alone; run {script}")
        return 1
    print(f"installed: {link} -> {script}")
    paths = os.environ.get("PATH", "").split(os.pathsep)
    on_path = [Path(p).expanduser().resolve() for p in paths if p]
    if bin_dir.resolve() not in on_path:
        rc = "~/.zshrc" if sys.platform == "darwin" else "~/.bashrc"
        print(
            f"{bin_dir} is not on your PATH. Add it (then open a new terminal):\n"
            f"  echo 'export PATH=\"{bin_dir}:$PATH\"' >> {rc}"
        )
    print("Next: engage demo, then engage init")
    return 0


def uninstall() -> int:
    """Remove the link and the environment `install` made; never your data or config."""
    env, bin_dir = install_dirs()
    link = bin_dir / "engage"
    if link.is_symlink() and Path(os.readlink(link)) == _env_script(env):
        link.unlink()
        print(f"removed {link}")
    if env.exists():
        shutil.rmtree(env)
        print(f"removed {env}")
    print(
        "Your config and data stay (engage status says where; delete them by hand if you "
        "want them gone)."
    )
    return 0


def main(argv: list[str]) -> int:
    if argv and argv[0] == "install":
        return install(argv[1:])
    if argv and argv[0] == "uninstall":
        return uninstall()
    if not argv or argv[0] not in ("demo", "test", "lint"):
        print(__doc__)
        return 2
    ensure_venv()
    task, rest = argv[0], argv[1:]
    return demo(rest) if task == "demo" else test(rest) if task == "test" else lint()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
