"""Every expected failure is an EngageError; the CLI prints it as one line, no traceback."""

from __future__ import annotations


class EngageError(Exception):
    """An expected failure the user can act on. `exit_code` follows the CLI convention."""

    exit_code = 1


class ConfigError(EngageError):
    """The configuration is missing or invalid; the message names the file, field and fix."""

    exit_code = 2


class UsageError(EngageError):
    """The command was called in a way that cannot work (unknown id, conflicting options)."""

    exit_code = 2


class SchemaTooNewError(EngageError):
    """The database was migrated by a newer engage than this one."""


class NotFoundError(UsageError):
    """A thread, draft or source id that does not exist."""


class TransitionError(EngageError):
    """A draft was not in the state a transition requires (someone else changed it first)."""


class SourceError(EngageError):
    """A source could not be fetched; `retryable` says whether trying again later may help."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable
