"""The resume file: every answer `engage init` has accepted so far, saved after each one, so an
interruption (Ctrl-C, a closed laptop, a crash) loses nothing and `engage init` picks up there.

It lives in the data directory as init-progress.json, readable by its owner only (0600, written
to a temporary file and renamed, so it is never half-written). It holds the text of the accepted
answers, keyed by question: never a password or token (init never asks for one; it asks only
the NAMES of the environment variables that hold them), and keys that look like a secret are
refused on write and dropped on read. A damaged file is ignored, never fatal.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

FILE_NAME = "init-progress.json"
VERSION = 1
MAX_BYTES = 200_000
_SECRET_KEY = re.compile(r"(^|_)(password|passwd|secret|token|api_key|apikey|key)$")


class Progress:
    """Answers (question key -> the accepted text) for one config path, saved as they come."""

    def __init__(self, home: Path, target: Path) -> None:
        self.path = home / FILE_NAME
        self.target = target
        self.answers: dict[str, str] = {}
        self.problem: str | None = None  # why saving doesn't work, once known

    def load(self) -> dict[str, str] | None:
        """The saved answers, or None when there are none (or the file can't be used)."""
        try:
            if not self.path.is_file() or self.path.stat().st_size > MAX_BYTES:
                return None
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None
        answers = data.get("answers")
        if not isinstance(answers, dict):
            return None
        return {
            str(k): v
            for k, v in answers.items()
            if isinstance(v, str) and not _SECRET_KEY.search(str(k).lower())
        } or None

    def saved_for(self) -> str:
        """The config path the saved answers were for (as recorded), or ''."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return str(data.get("path", "")) if isinstance(data, dict) else ""
        except (OSError, ValueError):
            return ""

    def record(self, key: str, answer: str) -> None:
        if _SECRET_KEY.search(key.lower()):
            raise ValueError(f"{key}: a secret is never saved in the resume file")
        self.answers[key] = answer
        self.save()

    def forget(self, key: str) -> None:
        if self.answers.pop(key, None) is not None:
            self.save()

    def save(self) -> None:
        if self.problem is not None:
            return
        document = {
            "version": VERSION,
            "path": str(self.target),
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "answers": self.answers,
        }
        temporary = self.path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                os.fchmod(file.fileno(), 0o600)
                json.dump(document, file, ensure_ascii=False, indent=1)
            os.replace(temporary, self.path)
        except OSError as exc:
            self.problem = f"can't save your answers in {self.path.parent} ({exc.strerror})"
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)

    def clear(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
