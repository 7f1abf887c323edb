"""The end-to-end tests' shared config: a therapist with one specialty (modules that need more
define their own `config`)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "engage.toml"
    path.write_text('[profile]\nname = "Grace Lee"\n[profile.specialties]\nsex_addiction = 1.0\n')
    return path
