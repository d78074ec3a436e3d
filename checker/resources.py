"""Where the bundled rules, report templates and schemas live.

In a wheel, ``rules/`` and ``reports/`` are packaged under ``checker/_data/``;
in a source checkout they are the top-level folders beside ``checker/``.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _data(name: str) -> Path:
    packaged = _PKG / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PKG.parent / name


def rules_dir() -> Path:
    """The built-in rule packs."""
    return _data("rules")


def reports_dir() -> Path:
    """The report templates (``reports/templates/*.j2``)."""
    return _data("reports")


def schemas_dir() -> Path:
    """The Cerberus schemas (YAML data) for rules, documents, config and waivers."""
    return _PKG / "schemas"
