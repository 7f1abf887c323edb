"""Typed settings from one TOML file plus the environment.

Every validation error names the file, the dotted field path, the bad value and what is
expected, so a therapist can fix their config without reading code. Secrets never live in the
TOML: the config names the environment variable that holds each one.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from datetime import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

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

# Keys that hold secrets if written in the TOML; the fix is always "name an environment variable".
SECRET_KEY_PATTERN = re.compile(r"(^|_)(password|passwd|secret|token|api_key|apikey|key)$")


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
    problems = list(_secret_problems(raw, ()))
    if not problems:
        try:
            settings = Settings.model_validate(raw)
        except ValidationError as exc:
            problems = [_describe(error, raw) for error in exc.errors()]
        else:
            problems = _combination_problems(settings)
            if not problems:
                return settings
    raise ConfigError("\n".join(f"{path}: {problem}" for problem in problems))


def _combination_problems(settings: Settings) -> list[str]:
    """Settings that are each valid but can't work together, and a database URL that is no
    URL or holds a password (named without its value, which may be that password)."""
    digest = settings.digest
    needed = [("to", digest.to), ("sender", digest.sender)]
    problems = [
        f"digest.{name}: is missing (needed when digest.enabled = true)"
        for name, value in needed
        if digest.enabled and not value
    ]
    if settings.database.url:
        if problem := database_url_problem(settings.database.url):
            problems.append(f"database.url: {problem}")
        elif _url_password(settings.database.url):
            problems.append(
                f"database.url: holds a password, and secrets never go in the config file: "
                f"remove the URL here and set it, password included, in {DATABASE_URL_ENV} "
                f"(or keep the password in ~/.pgpass or PGPASSWORD)"
            )
    return problems


DATABASE_SCHEMES = ("sqlite", "postgresql", "postgres", "postgresql+psycopg")
DATABASE_URL_FORMS = "sqlite:///PATH or postgresql://USER@HOST[:PORT]/DBNAME"


def database_url_problem(url: str) -> str | None:
    """Why `url` can't be engage's database URL (without naming it: it may hold a password)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number)
    except ValueError:
        return f"is not a database URL ({DATABASE_URL_FORMS})"
    scheme = parts.scheme.lower()
    if scheme not in DATABASE_SCHEMES:
        shown = f"{scheme}://" if scheme else "no scheme"
        return f"has {shown}, not a database engage can use ({DATABASE_URL_FORMS})"
    if scheme == "sqlite" and (parts.netloc or not parts.path.strip("/")):
        return "is not a SQLite URL (sqlite:///relative/path or sqlite:////absolute/path)"
    return None


def _url_password(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        return bool(urlsplit(url.strip()).password)
    except ValueError:
        return False


def environment_problems(config: Config) -> list[str]:
    """What `config check` can see wrong outside the file, without the network: a database URL
    in the environment that is no URL, credentials the chosen modes need but can't find."""
    problems = []
    if (url := os.environ.get(DATABASE_URL_ENV)) and (problem := database_url_problem(url)):
        problems.append(f"{DATABASE_URL_ENV} (environment): {problem}")
    reddit = config.settings.reddit
    if reddit.mode == "api" and not config.secret(reddit.client_id_env):
        where = config.path or "the defaults"
        problems.append(
            f'{where}: reddit.mode = "api" needs your Reddit app\'s client id: set '
            f"{reddit.client_id_env} in the environment or a .env file beside the config "
            f'(reddit.client_id_env names the variable), or use mode = "rss"'
        )
    return problems


def _secret_problems(node: object, where: tuple[str | int, ...]) -> Iterator[str]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            here = (*where, key)
            if SECRET_KEY_PATTERN.search(str(key).lower()):
                yield (
                    f"{_dotted(here)}: secrets never go in the config file; remove it and put "
                    f"the value in an environment variable or .env file (the variable's name "
                    f"is set by {_dotted((*where, f'{key}_env'))})"
                )
            else:
                yield from _secret_problems(value, here)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _secret_problems(item, (*where, index))


FRIENDLY = {
    "missing": "is missing",
    "string_type": "is not text (put it in quotes)",
    "int_type": "is not a whole number",
    "int_parsing": "is not a whole number",
    "int_from_float": "is not a whole number",
    "float_type": "is not a number",
    "float_parsing": "is not a number",
    "bool_type": "is not true or false",
    "bool_parsing": "is not true or false",
    "list_type": "is not a list (use [ ... ])",
    "tuple_type": "is not a list (use [ ... ])",
    "dict_type": "is not a table",
    "model_type": "is not a table",
    "model_attributes_type": "is not a table",
}


def _describe(error: Mapping[str, Any], raw: Mapping[str, Any]) -> str:
    location = tuple(error["loc"])
    kind = error["type"]
    field = _dotted(location)
    if kind == "extra_forbidden":
        return f"{field}: unknown key{_did_you_mean(location)}"
    if kind == "missing":
        return f"{field}: is missing"
    value = _value_at(raw, location)
    shown = json.dumps(value, default=str, ensure_ascii=False)
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
    elif kind == "literal_error":
        message = f"is not one of: {error['ctx']['expected']}"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        message = f"is out of range ({error['msg'].lower()})"
    elif kind == "string_pattern_mismatch":
        message = f"does not have the expected form ({error['ctx']['pattern']})"
    else:
        message = FRIENDLY.get(kind, error["msg"])
    return f"{field}: {shown} {message}"


def _did_you_mean(location: tuple[Any, ...]) -> str:
    model: type[BaseModel] = Settings
    for part in location[:-1]:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[str(part)].annotation
        inner = _model_in(annotation)
        if inner is None:
            return ""
        model = inner
    close = difflib.get_close_matches(str(location[-1]), list(model.model_fields), n=1)
    return (
        f" (did you mean {close[0]}?)"
        if close
        else f" (known keys: {', '.join(model.model_fields)})"
    )


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _value_at(raw: Mapping[str, Any], location: tuple[Any, ...]) -> object:
    node: Any = raw
    for part in location:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _dotted(location: tuple[str | int, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
