"""Derived facts: named, documented, pure functions over a document.

Rules read facts (``{fact: tco_5yr_usd}``); rules never contain arithmetic.
A fact is registered with :func:`fact` and computed at most once per document
(the engine memoizes it in :class:`FactContext`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

FactFn = Callable[[Mapping[str, Any], "FactContext"], Any]


@dataclass(frozen=True)
class FactInfo:
    name: str
    kinds: tuple[str, ...]
    doc: str
    fn: FactFn


FACTS: dict[str, FactInfo] = {}


def fact(name: str, *, kinds: tuple[str, ...] = ("contract",), doc: str = "") -> Callable[[FactFn], FactFn]:
    """Register ``fn(data, ctx) -> value`` as the fact ``name`` for documents of ``kinds``."""

    def register(fn: FactFn) -> FactFn:
        if name in FACTS:
            raise ValueError(f"fact {name!r} registered twice")
        FACTS[name] = FactInfo(name, kinds, (doc or fn.__doc__ or "").strip(), fn)
        return fn

    return register


@dataclass
class FactContext:
    """What a fact may read besides the document: the date and the district's state."""

    today: dt.date
    state: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # fact name -> why it could not be computed

    def get(self, name: str, data: Mapping[str, Any]) -> Any:
        """The fact's value for ``data`` (memoized; unknown names raise KeyError)."""
        memo = self._memo
        if name in memo:
            return memo[name]
        info = FACTS[name]
        try:
            value = info.fn(data, self)
        except Exception as exc:  # a fact over malformed data is unknown; SCHEMA-* findings say why
            self.failures[name] = f"{type(exc).__name__}: {exc}"
            value = None
        memo[name] = value
        return value


def dig(data: Mapping[str, Any], dotted: str) -> Any:
    """``dig(d, "a.b")`` → ``d["a"]["b"]`` or None when any step is absent."""
    cur: Any = data
    for part in dotted.split("."):
        if not isinstance(cur, Mapping):
            return None
        cur = cur.get(part)
    return cur


def as_date(value: Any) -> dt.date | None:
    """A date from a YAML date, datetime or ISO text; None otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def load_builtin_facts() -> None:
    """Import the modules that register the built-in facts."""
    from . import common  # noqa: F401

    for mod in ("contract", "district", "deadlines"):
        try:
            __import__(f"{__name__}.{mod}")
        except ModuleNotFoundError as exc:  # a fact module not written yet
            if exc.name != f"{__name__}.{mod}":
                raise
