"""Source quotes: the sentence of an agreement that a metadata value came from.

``k12check draft`` writes, on the lines directly after each value it sets, one
comment per supporting quote::

    breach:
      notify_district_within_hours: 72
      # source: ndpa.pdf, p. 4, ¶ 7.2: "notify the LEA within seventy-two (72) hours"

A value whose documents disagree carries one ``# source:`` line per document
and a ``# REVIEW`` line.  This module is the one place that writes and reads
that format, so the draft writer and every reader (lint evidence, the redline
memo) agree on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "# source: "
_LINE = re.compile(r'^\s*# source: (?P<file>[^,]+), (?P<where>.*?): "(?P<quote>.*)"\s*$')
_VALUE = re.compile(r"^\s*(?:- )?[^#\s][^#]*?:\s*\S")  # "key: value" or "- key: value"


@dataclass(frozen=True, slots=True)
class SourceQuote:
    """A quoted sentence and where it stands: file name and location (page, paragraph)."""

    file: str
    location: str
    quote: str

    def comment(self, indent: str = "") -> str:
        """The comment line the draft writes under a value."""
        quote = " ".join(self.quote.split()).replace('"', "'")
        return f'{indent}{PREFIX}{self.file}, {self.location}: "{quote}"'

    def cite(self) -> str:
        """Human-readable: ``"…" (ndpa.pdf, p. 4)``."""
        return f"\u201c{self.quote}\u201d ({self.file}, {self.location})"


def parse(line: str) -> SourceQuote | None:
    """The quote a comment line carries, or None when the line is not a source comment."""
    m = _LINE.match(line)
    if not m:
        return None
    return SourceQuote(m["file"].strip(), m["where"].strip(), m["quote"])


def quotes_by_line(text: str) -> dict[int, tuple[SourceQuote, ...]]:
    """Quotes keyed by the 1-based line of the value they follow.

    A run of ``# source:`` lines belongs to the nearest non-comment line above it.
    """
    out: dict[int, list[SourceQuote]] = {}
    owner = 0
    for number, line in enumerate(text.splitlines(), start=1):
        quote = parse(line)
        if quote is not None:
            if owner:
                out.setdefault(owner, []).append(quote)
            continue
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            owner = number if _VALUE.match(line) else 0
    return {k: tuple(v) for k, v in out.items()}
