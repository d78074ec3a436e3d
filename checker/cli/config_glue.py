"""Apply k12check.yaml to a run (wired to checker.config once it lands)."""

from __future__ import annotations

from typing import Any


def apply_config(opts: Any, args: Any) -> None:
    """Placeholder: no configuration is read yet."""
    return None
