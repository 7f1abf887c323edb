"""`make_engage(config)`: the one object the CLI, the worker and the tests all build."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engage.config import Config, load_config
from engage.db import Database
from engage.worker import Conditions

if TYPE_CHECKING:
    from engage.match_rows import ProfileMatcher


class Engage:
    """The configured application: settings, data directory and database (upgraded on first use)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        #: Source clients kept between polls by a long-running worker (tokens, connections).
        self.fetchers: dict[str, Any] = {}
        #: Publishers by platform, built on first use and kept (a session, a login).
        self.publishers: dict[str, Any] = {}
        #: What the worker is warning about, so it warns once per change, not every tick.
        self.conditions = Conditions()

    @property
    def home(self) -> Path:
        return self.config.home

    @cached_property
    def db(self) -> Database:
        database = Database(self.config.database_url)
        database.ensure_schema()
        return database

    @cached_property
    def matcher(self) -> ProfileMatcher:
        """The profile's matcher (crisis triage even before specialties are configured)."""
        from engage.match_rows import build_matcher

        return build_matcher(self.config)

    def close(self) -> None:
        if "db" in self.__dict__:
            self.db.dispose()


def make_engage(config: Config | str | Path | None = None) -> Engage:
    """Build the app from a Config, a config file path, or the usual search (None)."""
    if not isinstance(config, Config):
        config = load_config(config)
    return Engage(config)
