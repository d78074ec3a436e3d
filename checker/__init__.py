"""k12check: rule-based compliance checks for K-12 vendor contracts and MDM configurations.

The library API is what the CLI calls and what tests use::

    from checker import lint
    result = lint(["examples/contracts"])
    for finding in result.findings: ...
"""

from __future__ import annotations

__version__ = "0.1.0"

from .models import Finding, Result, Severity

__all__ = ["Finding", "Result", "Severity", "__version__", "lint", "load_rules"]


def __getattr__(name: str):  # lazy: keep `k12check --version` fast
    if name == "lint":
        from .api import lint

        return lint
    if name == "load_rules":
        from .catalog import load_rules

        return load_rules
    raise AttributeError(name)
