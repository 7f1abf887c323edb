"""What `engage config check` checks, in one place, so `engage init` runs the very same checks
on the file it has just written.

Reads the config file and the environment (and .env files, through Config) only; never the
network, never the database.
"""

from __future__ import annotations

from pathlib import Path

from engage.errors import ConfigError


def check_file(chosen: Path) -> None:
    """ConfigError listing every problem `engage config check` finds in `chosen`, or None."""
    from engage.config import Config, default_home, parse_settings_file
    from engage.config_problems import environment_problems, feed_problems
    from engage.match_rows import build_matcher

    if not chosen.is_file():
        raise ConfigError(f"{chosen}: config file not found")
    config = Config(parse_settings_file(chosen), chosen, default_home())
    build_matcher(config)
    in_file = [f"{chosen}: {problem}" for problem in feed_problems(config.settings)]
    if problems := in_file + environment_problems(config):
        raise ConfigError("\n".join(problems))
