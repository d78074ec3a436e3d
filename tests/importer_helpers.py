"""Helpers shared by the importer tests: fixture paths and the line of a needle in a fixture."""

from __future__ import annotations

from pathlib import Path

FIX = Path(__file__).resolve().parent / "fixtures" / "importers"


def line_of(path: Path, needle: str, nth: int = 1, encoding: str = "utf-8") -> int:
    """1-based line of the nth occurrence of ``needle`` in a text fixture."""
    seen = 0
    for n, line in enumerate(path.read_text(encoding=encoding).splitlines(), 1):
        if needle in line:
            seen += 1
            if seen == nth:
                return n
    raise AssertionError(f"{needle!r} not in {path}")
