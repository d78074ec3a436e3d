"""The k12check command line: a thin Typer layer over the library API.

Only this package imports Typer and Rich.  Each command group lives in its own
module, which registers its commands on :data:`app` when imported below.
"""

from __future__ import annotations

# Command modules register themselves on `app` (one import line each); the order matters.
# isort: off
from . import explain_cmd, gate_cmd, init_cmd, lint_cmd, report_cmd, rules_cmd, schema_cmd, tco_cmd  # noqa: F401
from . import import_cmd  # noqa: F401
from . import docs_cmd  # noqa: F401  (after rules_cmd: adds `rules model-docs`)
from .app import app, main

# isort: on

__all__ = ["app", "main"]
