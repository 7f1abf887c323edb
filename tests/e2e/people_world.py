"""A little world for the relationships tests: a therapist in Orange County who works with sex
addiction, colleagues with handles on several platforms, their exchanges with the therapist,
all stored through the real models; the CLI run in-process."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from engage.app import make_engage
from engage.cli import cli
from engage.models import Interaction, Match, Person, Thread

TIMEZONE = "America/Los_Angeles"
CONFIG = f"""\
[profile]
name = "Grace Lee"
credentials = "LMFT"
location = "Diamond Bar, Orange County, CA"
licensed_in = ["CA"]
[profile.specialties]
sex_addiction = 1.0
[digest]
timezone = "{TIMEZONE}"
min_score = 0.3
"""


def write_config(folder: Path) -> Path:
    path = folder / "engage.toml"
    path.write_text(CONFIG)
    return path


def run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def as_json(config: Path, *args: str) -> Any:
    result = run(config, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def add_person(config: Path, platform: str, handle: str, *, name: str | None = None,
               seen: datetime | None = None, location: str | None = None) -> int:  # fmt: skip
    engage = make_engage(config)
    with engage.db.write() as session:
        person = Person(platform=platform, handle=handle, display_name=name, location=location,
                        first_seen_at=seen or datetime.now(UTC) - timedelta(days=20))  # fmt: skip
        session.add(person)
        session.flush()
        person_id = person.id
    engage.close()
    return person_id


def exchange(config: Path, person_id: int, direction: str, at: datetime | None = None,
             *, platform: str = "reddit", kind: str | None = None) -> None:  # fmt: skip
    """One reply between the therapist and a colleague, either way."""
    engage = make_engage(config)
    with engage.db.write() as session:
        count = session.query(Interaction).count()
        session.add(Interaction(
            person_id=person_id, direction=direction, platform=platform,
            kind=kind or ("replied_to_me" if direction == "in" else "replied_to_them"),
            external_id=f"x{count + 1}", excerpt="About pacing disclosure with couples",
            at=at or datetime.now(UTC) - timedelta(days=1),
        ))  # fmt: skip
    engage.close()


def authored_thread(config: Path, handle: str, title: str, body: str, specialties: list[str],
                    *, platform: str = "reddit") -> None:  # fmt: skip
    """A thread a colleague wrote, matched: what engage knows of their specialty and place."""
    engage = make_engage(config)
    with engage.db.write() as session:
        n = session.query(Thread).count()
        thread = Thread(platform=platform, external_id=f"own{n}", community="r/therapists",
                        author=handle, title=title, body=body,
                        url=f"https://www.reddit.com/r/therapists/comments/own{n}/",
                        created_at=datetime.now(UTC) - timedelta(days=5))  # fmt: skip
        session.add(thread)
        session.flush()
        session.add(Match(thread_id=thread.id, score=0.8, intent="consult_question",
                          profile_hash="t", specialties=specialties))  # fmt: skip
    engage.close()
