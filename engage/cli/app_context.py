"""What every subcommand gets: the config (loaded on first use) and the app built from it."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from engage.config import Config, load_config

if TYPE_CHECKING:
    from engage.app import Engage


class AppContext:
    def __init__(self, config_path: str | None) -> None:
        self.config_path = config_path

    @cached_property
    def config(self) -> Config:
        from engage.failures import home_problem
        from engage.redact import remember_secrets, secrets_of

        config = load_config(self.config_path)
        remember_secrets(secrets_of(config))
        problem = home_problem(config.home)
        if problem is not None:
            raise problem
        return config

    @cached_property
    def engage(self) -> Engage:
        from engage.app import make_engage

        return make_engage(self.config)

    def close(self) -> None:
        if "engage" in self.__dict__:
            self.engage.close()
