"""k12check's own nesting limit, whatever the parser underneath.

Two parsers can meet a deeply nested file before k12check's builder counts its levels:

* libyaml (PyYAML >= 6.0.4 bundles a version with its own nesting limit) stops on its own
  terms and message; :func:`is_parser_depth_error` recognises that so the loader can re-read
  the text with PyYAML's pure-Python parser (iterative, no limit of its own) and stop at
  k12check's limit with its own message and line;
* Python's ``json`` module recurses once per level, so JSON text is measured first by
  :func:`json_too_deep`, a flat scan that never recurses.
"""

from __future__ import annotations

import re

import yaml

# a JSON string (escapes included) or one bracket; everything else is skipped by finditer
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def is_parser_depth_error(exc: yaml.YAMLError) -> bool:
    """True when libyaml refused the text for its own nesting limit (not a syntax error)."""
    problem = getattr(exc, "problem", None) or str(exc)
    text = str(problem).lower()
    return "nesting" in text or "depth" in text


def json_too_deep(text: str, limit: int) -> int | None:
    """The 1-based line where JSON ``text`` nests deeper than ``limit`` levels, else None.

    Brackets inside strings do not count; malformed text is measured as far as it goes
    (the parser reports the syntax error itself).
    """
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        first = match.group()[0]
        if first in "[{":
            depth += 1
            if depth > limit:
                return text.count("\n", 0, match.start()) + 1
        elif first != '"':
            depth -= 1
    return None
