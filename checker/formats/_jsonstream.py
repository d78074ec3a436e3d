"""JSON written piece by piece, byte for byte what ``json.dumps(..., indent=2)`` writes.

The JSON-shaped formats (JSON, SARIF, GitLab) put one array of findings in a
document; on a large run that array does not fit in memory as dicts, let alone as
one string.  Wrap such an array in :class:`Lazy` and :func:`iterencode` yields the
document in chunks, building each element only when it is written::

    doc = {"version": "1", "findings": Lazy(f.to_dict() for f in findings)}
    for chunk in iterencode(doc):
        out.write(chunk)

Everything else is encoded by :func:`json.dumps` itself, so the output is the same
text as ``json.dumps(doc_with_lists, indent=2, ensure_ascii=False)``; a test holds
the two together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .. import strictjson

INDENT = 2


class Lazy:
    """A JSON array whose elements are made while it is written (iterate it once)."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def iterencode(value: Any, level: int = 0) -> Iterator[str]:
    """``value`` as indented JSON text, in pieces (``Lazy`` arrays streamed)."""
    if isinstance(value, Lazy):
        yield from _array(value.items, level)
    elif isinstance(value, dict) and value and _has_lazy(value):
        pad = "\n" + " " * (INDENT * (level + 1))
        sep = "{"
        for key, item in value.items():
            yield f"{sep}{pad}{strictjson.dumps(str(key), ensure_ascii=False)}: "
            yield from iterencode(item, level + 1)
            sep = ","
        yield "\n" + " " * (INDENT * level) + "}"
    elif isinstance(value, list | tuple) and value and _has_lazy(value):
        yield from _array(value, level)
    else:
        yield _dumps(value, level)


def _array(items: Iterable[Any], level: int) -> Iterator[str]:
    pad = "\n" + " " * (INDENT * (level + 1))
    sep = "["
    for item in items:
        yield sep + pad
        yield from iterencode(item, level + 1)
        sep = ","
    yield "[]" if sep == "[" else "\n" + " " * (INDENT * level) + "]"


def _dumps(value: Any, level: int) -> str:
    """``json.dumps`` of a plain value, indented as if nested ``level`` deep."""
    text = strictjson.dumps(value, indent=INDENT, ensure_ascii=False)  # no NaN, no lone surrogate
    # JSON text holds no raw newline inside strings, so every newline starts a line.
    return text.replace("\n", "\n" + " " * (INDENT * level)) if level else text


def _has_lazy(value: dict[Any, Any] | list[Any] | tuple[Any, ...]) -> bool:
    items = value.values() if isinstance(value, dict) else value
    return any(
        isinstance(v, Lazy) or (isinstance(v, dict | list | tuple) and v and _has_lazy(v)) for v in items
    )
