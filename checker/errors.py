"""The exception tree of k12check.

::

    K12Error                 base: the CLI catches it and exits 2
    ├── InputError           a file could not be read or loaded (file:line)
    │   ├── RuleError        a rule file is invalid
    │   └── ConfigError      k12check.yaml, a waivers file or a baseline is invalid
    └── UsageError           a command was called with options that do not fit

Every error renders as one line: ``file:line: what is wrong; what to do``.
"""

from __future__ import annotations


class K12Error(Exception):
    """Base class of every error k12check raises on purpose."""


class InputError(K12Error):
    """A file that cannot be loaded.  ``str()`` is the one-line diagnostic."""

    def __init__(self, file: str, message: str, hint: str = "", line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "message": self.message, "hint": self.hint}


class RuleError(InputError):
    """A rule file that does not follow the rule schema."""


class ConfigError(InputError):
    """A configuration, waivers or baseline file that is invalid."""


class UsageError(K12Error):
    """Options that cannot be combined, or a value the command cannot use."""
