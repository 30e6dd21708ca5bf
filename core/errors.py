"""Errors a user can act on. The CLI prints them as one line and exits 2; nothing else reaches the user as a traceback."""


class UserError(Exception):
    """Bad input or configuration: one line, exit code 2."""

    exit_code = 2


class ConfigError(UserError):
    """A profile, catalogue or environment setting is wrong; the message names the file, key and problem."""


class InputError(UserError):
    """The request itself cannot be used (empty, too large, binary)."""
