"""The k12check command line: a thin Typer layer over the library API.

Only this package imports Typer and Rich.  Each command group lives in its own
module, which registers its commands on :data:`app` when imported below.
"""

from __future__ import annotations

from .app import app, main

# Command modules register themselves on `app` (one import line each).
from . import lint_cmd  # noqa: E402,F401

__all__ = ["app", "main"]
