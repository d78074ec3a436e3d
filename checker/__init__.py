"""k12check: rule-based compliance checks for K-12 vendor contracts and MDM configurations.

The library API is what the CLI calls and what tests use::

    from checker import RunOptions, lint
    outcome = lint(["examples/contracts"], RunOptions(today=datetime.date(2026, 11, 28)))
    for finding in outcome.findings: ...

``lint`` is :func:`checker.run.run`: the same run ``k12check lint`` makes, with the
configuration (``k12check.yaml`` found upward from the working directory), waivers
and baseline applied, so the library and the command line give the same answers.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .models import Finding, Result, Severity

__all__ = ["Finding", "Result", "RunOptions", "RunOutcome", "Severity", "__version__", "lint", "load_rules"]


def __getattr__(name: str):  # lazy: keep `k12check --version` fast
    if name == "lint":
        from .run import run

        return run
    if name in ("RunOptions", "RunOutcome"):
        from . import run as _run

        return getattr(_run, name)
    if name == "load_rules":
        from .catalog import load_rules

        return load_rules
    raise AttributeError(name)
