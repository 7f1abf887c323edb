"""Typed settings from one TOML file plus the environment, and where that file is found.

The core sections live here; each platform's section lives with its platform
(engage/platforms/<name>/settings.py) and is one field of `Settings`. Every validation error
names the file, the dotted field path, the bad value and what is expected
(engage/config_problems.py), so a therapist can fix their config without reading code. Secrets
never live in the TOML: the config names the environment variable that holds each one. Must not
import the database or a platform library.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from datetime import time
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from engage.config_fields import HHMM, Email, EnvName, HttpUrl, Section, TimeZoneName, Weight
from engage.errors import ConfigError
from engage.platforms.bluesky.settings import BlueskySettings
from engage.platforms.feeds.settings import FeedSettings
from engage.platforms.linkedin.settings import LinkedInSettings
from engage.platforms.mastodon.settings import MastodonSettings
from engage.platforms.reddit.settings import RedditSettings
from engage.types import Profile

APP_NAME = "engage"
CONFIG_ENV = "ENGAGE_CONFIG"
HOME_ENV = "ENGAGE_HOME"
DATABASE_URL_ENV = "ENGAGE_DATABASE_URL"
LOCAL_CONFIG = Path("config") / "engage.toml"


class ProfileSettings(Section):
    name: str = ""
    credentials: str = ""
    location: str = ""
    licensed_in: tuple[str, ...] = ()
    delivery: tuple[Literal["in_person", "telehealth"], ...] = ()
    practice: str | None = None
    faith: str | None = None
    cultural_focus: str | None = None
    website: HttpUrl | None = None
    voice: str = ""
    voice_samples: tuple[str, ...] = ()
    specialties: dict[str, Weight] = Field(default_factory=dict)
    extra_terms: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()
    community_weights: dict[str, Weight] = Field(default_factory=dict)
    languages: tuple[str, ...] = ()
    insurance: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()

    def to_profile(self) -> Profile:
        return Profile(
            specialties=dict(self.specialties),
            name=self.name,
            credentials=self.credentials,
            location=self.location,
            licensed_in=self.licensed_in,
            delivery=self.delivery,
            practice=self.practice,
            faith=self.faith,
            cultural_focus=self.cultural_focus,
            extra_terms=self.extra_terms,
            exclusions=self.exclusions,
            community_weights=dict(self.community_weights),
            voice_samples=self.voice_samples,
            website=self.website,
            languages=self.languages,
            insurance=self.insurance,
            modalities=self.modalities,
            populations=self.populations,
        )


class DigestSettings(Section):
    enabled: bool = False
    to: Email | None = None
    sender: Email | None = None
    send_at: HHMM = time(7, 30)
    timezone: TimeZoneName = "UTC"
    max_threads: int = Field(default=10, ge=1, le=100)
    quiet_day: Literal["skip", "note"] = "note"
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["starttls", "tls"] = "starttls"
    smtp_username: str | None = None
    smtp_password_env: EnvName = "ENGAGE_SMTP_PASSWORD"
    smtp_ca_file: str | None = None
    smtp_timeout: float = Field(default=30.0, gt=0, le=120)
    min_score: float = Field(default=0.0, ge=0.0)
    list_unsubscribe: str | None = None


class PublishingSettings(Section):
    draft_threshold: float = Field(default=0.5, ge=0.0)
    daily_max_drafts: int = Field(default=5, ge=0)
    approval_max_age_hours: int = Field(default=72, ge=1)
    thread_max_age_days: int = Field(default=14, ge=1)
    link_allow_list: tuple[str, ...] = ()
    no_self_promotion_in: tuple[str, ...] = ()
    client_side_reply: Literal["pointer", "none"] = "pointer"
    #: Pace of publishing by API, so an account never looks like a bot: per platform and per
    #: community in any 24 hours, and a gap between two posts on one platform.
    max_posts_per_day: int = Field(default=8, ge=0)
    max_posts_per_community_per_day: int = Field(default=2, ge=0)
    min_minutes_between_posts: float = Field(default=15, ge=0)
    #: Communities published to by API besides the ones watched (subreddits: "r/" optional).
    post_to: tuple[str, ...] = ()
    #: Where a share of a new post on your own blog goes first (changed per share at the desk).
    share_to: Literal["linkedin", "mastodon", "bluesky", "hand"] = "linkedin"


class HousekeepingSettings(Section):
    """What the worker clears away, so a database used for months stays small."""

    keep_unmatched_days: int = Field(default=30, ge=1)
    keep_job_runs_days: int = Field(default=90, ge=1)


class LlmSettings(Section):
    model: str = ""
    api_base: HttpUrl | None = None
    key_env: EnvName = "ENGAGE_LLM_KEY"


class DatabaseSettings(Section):
    url: str = ""


class NetworkSettings(Section):
    """Bounds on every request a source makes, so one bad server can't stall or flood a poll."""

    request_deadline_seconds: float = Field(default=60.0, gt=0, le=3600)
    max_response_mb: float = Field(default=10.0, gt=0, le=1000)
    max_items_per_poll: int = Field(default=1000, ge=1, le=100_000)


class Settings(Section):
    profile: ProfileSettings = ProfileSettings()
    reddit: RedditSettings = RedditSettings()
    feeds: tuple[FeedSettings, ...] = ()
    mastodon: MastodonSettings = MastodonSettings()
    bluesky: BlueskySettings = BlueskySettings()
    linkedin: LinkedInSettings = LinkedInSettings()
    digest: DigestSettings = DigestSettings()
    publishing: PublishingSettings = PublishingSettings()
    housekeeping: HousekeepingSettings = HousekeepingSettings()
    llm: LlmSettings = LlmSettings()
    database: DatabaseSettings = DatabaseSettings()
    network: NetworkSettings = NetworkSettings()


class Config:
    """Validated settings plus where they came from (the file, the data directory)."""

    def __init__(self, settings: Settings, path: Path | None, home: Path) -> None:
        self.settings = settings
        self.path = path
        self.home = home

    @property
    def database_url(self) -> str:
        url = os.environ.get(DATABASE_URL_ENV) or self.settings.database.url
        return url or f"sqlite:///{self.home / 'engage.db'}"

    def secret(self, env_name: str) -> str | None:
        """A secret from the environment, else from a .env file beside the config or in cwd."""
        value = os.environ.get(env_name)
        if value:
            return value
        for env_file in self._env_files():
            found = _read_env_file(env_file).get(env_name)
            if found:
                return found
        return None

    def _env_files(self) -> Iterator[Path]:
        seen: set[Path] = set()
        candidates = [Path.cwd() / ".env"]
        if self.path is not None:
            candidates.insert(0, self.path.parent / ".env")
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved not in seen and resolved.is_file():
                seen.add(resolved)
                yield resolved


def _read_env_file(path: Path) -> dict[str, str]:
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def default_home() -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


def user_config_path() -> Path:
    from platformdirs import user_config_path as platform_config

    return platform_config(APP_NAME) / "engage.toml"


def find_config_path(explicit: str | Path | None = None) -> Path | None:
    """--config, then $ENGAGE_CONFIG, then ./config/engage.toml, then the user config directory.

    An explicitly named file must exist; the implicit places are only used when present.
    """
    named = explicit or os.environ.get(CONFIG_ENV)
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            source = "--config" if explicit else CONFIG_ENV
            raise ConfigError(f"{path}: config file not found (named by {source})")
        return path
    for candidate in (LOCAL_CONFIG, user_config_path()):
        if candidate.is_file():
            return candidate
    return None


def load_config(explicit: str | Path | None = None) -> Config:
    path = find_config_path(explicit)
    settings = Settings() if path is None else parse_settings_file(path)
    return Config(settings, path, default_home())


def parse_settings_file(path: Path) -> Settings:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: is not UTF-8 text") from None
    return parse_settings(raw, path)


def parse_settings(raw: Mapping[str, Any], path: Path | str) -> Settings:
    """Validate parsed TOML; raise ConfigError listing every problem, one per line."""
    from engage.config_problems import combination_problems, describe, secret_problems

    problems = list(secret_problems(raw, ()))
    if not problems:
        try:
            settings = Settings.model_validate(raw)
        except ValidationError as exc:
            problems = [describe(error, raw) for error in exc.errors()]
        else:
            problems = combination_problems(settings)
            if not problems:
                return settings
    raise ConfigError("\n".join(f"{path}: {problem}" for problem in problems))
