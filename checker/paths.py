"""Dotted paths: ``a.b[*].c``, ``a[0]``, ``a["odd.key"]``, and ``$.`` for the document root.

Paths are split once when a rule loads; resolving a compiled path yields
``(absolute_path, value)`` pairs, one per ``[*]`` element.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from .yamlio import join_key

STAR = object()
_TOKEN = re.compile(r'\.?([A-Za-z0-9_@$#:/+-]+)|\[(\*|\d+|"(?:[^"\\]|\\.)*")\]')


class PathSyntaxError(ValueError):
    """A path that cannot be parsed."""


class Path:
    """A compiled path: a tuple of steps (``str`` key, ``int`` index or :data:`STAR`)."""

    __slots__ = ("absolute", "canonical", "has_star", "steps", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.absolute = text.startswith("$.") or text == "$"
        body = text[2:] if text.startswith("$.") else ("" if text == "$" else text)
        self.steps = tuple(_split(body)) if body else ()
        self.has_star = any(s is STAR for s in self.steps)
        self.canonical = _canonical(self.steps) if not self.has_star else ""

    def __repr__(self) -> str:
        return f"Path({self.text!r})"

    def resolve(self, base: Any, base_path: str, root: Any) -> Iterator[tuple[str, Any]]:
        """Yield ``(absolute path, value)``; a missing step yields its path with None."""
        if self.absolute:
            base, base_path = root, ""
        if not self.has_star:
            yield self._walk(base, base_path)
            return
        yield from _walk_star(base, base_path, self.steps)

    def _walk(self, cur: Any, path: str) -> tuple[str, Any]:
        if not path:  # the common case: a path from the document root, text known in advance
            for step in self.steps:
                if isinstance(step, str):
                    cur = cur.get(step) if isinstance(cur, dict) else None
                else:
                    cur = cur[step] if isinstance(cur, list) and -len(cur) <= step < len(cur) else None
            return self.canonical, cur
        for step in self.steps:
            if isinstance(step, str):
                path = join_key(path, step)
                cur = cur.get(step) if isinstance(cur, dict) else None
            else:
                path = f"{path}[{step}]"
                cur = cur[step] if isinstance(cur, list) and -len(cur) <= step < len(cur) else None
        return path, cur

    def first(self, base: Any, base_path: str, root: Any) -> tuple[str, Any]:
        """The first resolution (for references and evidence)."""
        for hit in self.resolve(base, base_path, root):
            return hit
        return (base_path, None)


def _canonical(steps: tuple[Any, ...]) -> str:
    path = ""
    for step in steps:
        path = join_key(path, step) if isinstance(step, str) else f"{path}[{step}]"
    return path


def _walk_star(cur: Any, path: str, steps: tuple[Any, ...]) -> Iterator[tuple[str, Any]]:
    for i, step in enumerate(steps):
        if step is STAR:
            if not isinstance(cur, list):
                yield path, None
                return
            for n, item in enumerate(cur):
                yield from _walk_star(item, f"{path}[{n}]", steps[i + 1 :])
            return
        if isinstance(step, str):
            path = join_key(path, step)
            cur = cur.get(step) if isinstance(cur, dict) else None
        else:
            path = f"{path}[{step}]"
            cur = cur[step] if isinstance(cur, list) and -len(cur) <= step < len(cur) else None
    yield path, cur


def _split(text: str) -> Iterator[Any]:
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or (pos == 0 and text[0] == "."):
            raise PathSyntaxError(f"cannot read path {text!r} at character {pos + 1}")
        key, bracket = m.groups()
        if key is not None:
            yield key
        elif bracket == "*":
            yield STAR
        elif bracket.startswith('"'):
            yield json.loads(bracket)
        else:
            yield int(bracket)
        pos = m.end()
