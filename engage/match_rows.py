"""Keep the matches table current: score threads with the pure matcher and store the results.

A thread gets a match row when it is relevant to the profile at all, or when it needs care
(a crisis disclosure); a re-score that finds neither removes the row. `profile_hash` records
which profile and taxonomy produced a score, so `engage status` can tell when a re-score
(`engage match --all`) is due. The scoring itself is engage.matching's (pure); this module must
not decide what gets drafted or shown, only keep the rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engage import crisis as crisis_rules
from engage.config import Config
from engage.errors import ConfigError
from engage.models import Draft, Match, Thread, utcnow
from engage.types import DraftStatus, MatchResult, ScoringInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engage.db import Database
    from engage.matching import Matcher

BATCH = 1000
ENGAGED = (DraftStatus.APPROVED, DraftStatus.PUBLISHING, DraftStatus.PUBLISHED, DraftStatus.UNKNOWN)


class ProfileMatcher:
    """The configured profile's matcher, the hash that identifies it, and the version of the
    crisis detector (a thread's stored triage is reused only when made by this version)."""

    def __init__(self, matcher: Matcher, profile_hash: str, crisis_version: str = "") -> None:
        self.matcher = matcher
        self.profile_hash = profile_hash
        self.crisis_version = crisis_version


def build_matcher(config: Config) -> ProfileMatcher:
    """The matcher for the config's profile. With no specialties yet it still triages every
    thread for crisis (nothing else is worth joining until specialties are configured)."""
    profile = config.settings.profile.to_profile()
    from engage.matching import Matcher, default_taxonomy_path, load_taxonomy

    where = str(config.path) if config.path else "config"
    try:
        path = default_taxonomy_path()
        taxonomy = load_taxonomy(path)
        _check_slugs(where, profile.specialties, list(taxonomy.specialties))
        matcher = Matcher(taxonomy, profile)
    except (ValueError, FileNotFoundError) as exc:
        message = str(exc)
        if not message.startswith("profile."):
            message = f"profile.specialties: {message}"
        raise ConfigError(f"{where}: {message}") from None
    # The crisis detector's rules and learned weights are part of what a match means: a new
    # version makes every stored match stale, and the next watch re-scores them (rescore_stale).
    crisis = crisis_version()
    fingerprint = hashlib.sha256(
        json.dumps(asdict(profile), sort_keys=True, default=str).encode()
        + path.read_bytes()
        + crisis.encode()
    ).hexdigest()
    return ProfileMatcher(matcher, fingerprint, crisis)


def crisis_version() -> str:
    """A hash of the crisis detector's rules and learned weights: a new version re-triages."""
    folder = Path(crisis_rules.__file__).parent
    rules = sorted([*folder.glob("*.py"), *folder.glob("*.json")])
    return hashlib.sha256(b"".join(rule.read_bytes() for rule in rules)).hexdigest()


def _check_slugs(where: str, wanted: dict[str, float], known: list[str]) -> None:
    import difflib

    problems = []
    for slug in wanted:
        if slug not in known:
            close = difflib.get_close_matches(slug, known, n=1)
            hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(sorted(known))}"
            problems.append(f"{where}: profile.specialties.{slug}: unknown specialty ({hint})")
    if problems:
        raise ConfigError("\n".join(problems))


def scoring_input(thread: Thread, crisis_version: str = "") -> ScoringInput:
    """What the scorer reads from a stored thread, with its stored triage when the current
    detector made it of the current text."""
    from engage.crisis.detector import from_record

    current = bool(crisis_version) and thread.triage_version == _triage_key(thread, crisis_version)
    return ScoringInput(
        title=thread.title,
        body=thread.body,
        community=thread.community,
        created_at=thread.created_at,
        num_comments=thread.num_comments,
        locked=thread.locked,
        removed=thread.removed,
        triage=from_record(thread.triage) if current and thread.triage else None,
    )


def triage_once(thread: Thread, crisis_version: str) -> None:
    """Read the thread with the crisis detector unless this detector already read this very
    text (an edit, a new detector: read again). It doesn't depend on the profile, so every
    re-scoring after a profile change reuses it."""
    from engage.crisis import assess
    from engage.crisis.detector import as_record
    from engage.matching.analysis import SEPARATOR

    key = _triage_key(thread, crisis_version)
    if thread.triage is not None and thread.triage_version == key:
        return
    thread.triage = as_record(assess(thread.title + SEPARATOR + thread.body, thread.community))
    thread.triage_version = key


def _triage_key(thread: Thread, crisis_version: str) -> str:
    """The detector's version and the exact text it read (title, body, community)."""
    read = "\x00".join((crisis_version, thread.community, thread.title, thread.body))
    return hashlib.sha256(read.encode("utf-8", "surrogatepass")).hexdigest()


def stored_scoring_input(db: Database, thread_id: int) -> ScoringInput:
    """What the scorer reads from a stored thread (`engage match --explain`)."""
    from engage.errors import NotFoundError

    with db.read() as session:
        thread = session.get(Thread, thread_id)
        if thread is None:
            raise NotFoundError(f"thread {thread_id} does not exist (see engage threads list)")
        return scoring_input(thread)


def match_values(result: MatchResult) -> dict[str, Any]:
    """A MatchResult as the columns of a match row (reasons as plain JSON)."""
    return {
        "score": result.score,
        "intent": result.intent.value,
        "specialties": sorted(result.specialties, key=lambda s: -result.specialties[s]),
        "reasons": [_jsonable(asdict(reason)) for reason in result.reasons],
        "flags": sorted(flag.value for flag in result.flags),
        "crisis": result.crisis,
        "client_side": result.client_side,
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, float):
        return round(value, 4)
    return value if isinstance(value, int | str | bool) or value is None else str(value)


def keep(result: MatchResult) -> bool:
    return result.relevance > 0 or result.crisis


def score_threads(
    session: Session, scorer: ProfileMatcher, thread_ids: Sequence[int], now: datetime | None = None
) -> int:
    """Score the given threads and upsert or drop their match rows; returns how many are kept."""
    from sqlalchemy import delete, select

    now = now or utcnow()
    kept = 0
    for start in range(0, len(thread_ids), BATCH):
        chunk = thread_ids[start : start + BATCH]
        threads = session.scalars(select(Thread).where(Thread.id.in_(chunk))).all()
        engaged = set(
            session.scalars(
                select(Draft.thread_id).where(Draft.thread_id.in_(chunk), Draft.status.in_(ENGAGED))
            )
        )
        existing = {
            m.thread_id: m for m in session.scalars(select(Match).where(Match.thread_id.in_(chunk)))
        }
        dropped = []
        for thread in threads:
            triage_once(thread, scorer.crisis_version)
            result = scorer.matcher.score(
                scoring_input(thread, scorer.crisis_version), now=now, engaged=thread.id in engaged
            )
            row = existing.get(thread.id)
            if not keep(result):
                if row is not None:
                    dropped.append(thread.id)
                continue
            kept += 1
            values = {**match_values(result), "profile_hash": scorer.profile_hash, "scored_at": now}
            if row is None:
                session.add(Match(thread_id=thread.id, **values))
            else:
                for column, value in values.items():
                    setattr(row, column, value)
        if dropped:
            session.execute(delete(Match).where(Match.thread_id.in_(dropped)))
    return kept


def rescore_stale(db: Database, scorer: ProfileMatcher) -> int:
    """Re-score every thread when any stored match was made by another profile, taxonomy or
    crisis detector (an upgrade, an edited config): threads that never matched are re-triaged
    too. Returns how many threads were re-scored (0 when nothing was stale)."""
    from sqlalchemy import select

    with db.read() as session:
        stale = session.scalar(
            select(Match.thread_id).where(Match.profile_hash != scorer.profile_hash).limit(1)
        )
    return 0 if stale is None else rescore_all(db, scorer)[0]


def rescore_all(
    db: Database, scorer: ProfileMatcher, progress: Callable[[int, int], None] | None = None
) -> tuple[int, int]:
    """Re-score every thread (after the profile or taxonomy changed): (threads, kept)."""
    from sqlalchemy import select

    with db.read() as session:
        ids: list[int] = list(session.scalars(select(Thread.id).order_by(Thread.id)))
    kept = 0
    for start in range(0, len(ids), BATCH):
        with db.write() as session:
            kept += score_threads(session, scorer, ids[start : start + BATCH])
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    return len(ids), kept
