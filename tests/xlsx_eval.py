"""A tiny spreadsheet formula evaluator for the functions the TCO workbook uses.

Enough of Excel's semantics to check the workbook's live formulas against the
Python model: numbers, "text", cell references (``A1``, ``$B$3``, ``Sheet!C5``),
ranges inside SUM, + - * / ^ & and comparisons, unary minus, and IF, OR, MIN, N,
ROUND (half away from zero), SUM, ABS, ISTEXT.  A blank cell is None: 0 in
arithmetic, equal to "" in comparisons, skipped by SUM and MIN.  Anything else
raises, so a formula the workbook starts using without support here fails loudly.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>\"[^\"]*\")|"
    r"(?P<ref>(?:[A-Za-z][\w-]*!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)|"
    r"(?P<fn>[A-Z]+)\(|(?P<op><>|>=|<=|[-+*/^&=<>(),]))"
)


class Range(list):  # type: ignore[type-arg]
    """The cells of a range (only SUM and MIN take them)."""


def tokenize(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise ValueError(f"cannot tokenize {text[pos:]!r}")
        kind = m.lastgroup
        assert kind is not None
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def num(v: Any) -> float:
    if v is None or v == "":
        return 0.0
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    raise TypeError(f"#VALUE! ({v!r} in arithmetic)")


def _eq(a: Any, b: Any) -> bool:
    if a is None:
        a = "" if isinstance(b, str) else 0
    if b is None:
        b = "" if isinstance(a, str) else 0
    if isinstance(a, str) != isinstance(b, str):
        return False
    return bool(a == b)


def _cmp(op: str, a: Any, b: Any) -> bool:
    if op == "=":
        return _eq(a, b)
    if op == "<>":
        return not _eq(a, b)
    x, y = num(a), num(b)
    return {">=": x >= y, "<=": x <= y, ">": x > y, "<": x < y}[op]


def _round(x: Any, digits: Any) -> float:
    q = Decimal(1).scaleb(-int(num(digits)))
    return float(Decimal(repr(num(x))).quantize(q, rounding=ROUND_HALF_UP))


def _flat(args: list[Any]) -> list[Any]:
    out: list[Any] = []
    for a in args:
        out.extend(a if isinstance(a, Range) else [a])
    return out


FUNCS = {
    "SUM": lambda *a: sum(
        num(v) for v in _flat(list(a)) if isinstance(v, (int, float)) and not isinstance(v, bool)
    ),
    "MIN": lambda *a: min(num(v) for v in _flat(list(a)) if v is not None and v != ""),
    "ABS": lambda x: abs(num(x)),
    "N": lambda x: float(x) if isinstance(x, (int, float)) else 0.0,
    "ROUND": _round,
    "ISTEXT": lambda x: isinstance(x, str),
    "OR": lambda *a: any(bool(v) for v in a),
}


class Workbook:
    """Evaluate formulas of an openpyxl workbook (loaded without data_only)."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.cache: dict[tuple[str, str], Any] = {}

    def value(self, sheet: str, ref: str) -> Any:
        key = (sheet, ref.replace("$", ""))
        if key not in self.cache:
            raw = self.wb[sheet][key[1]].value
            self.cache[key] = (
                Parser(self, sheet, raw[1:]).parse() if isinstance(raw, str) and raw.startswith("=") else raw
            )
        return self.cache[key]

    def range(self, sheet: str, a: str, b: str) -> Range:
        (c1, r1), (c2, r2) = _split(a), _split(b)
        return Range(
            self.value(sheet, f"{get_column_letter(c)}{r}")
            for c in range(c1, c2 + 1)
            for r in range(r1, r2 + 1)
        )


def _split(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref)
    assert m, ref
    return column_index_from_string(m.group(1)), int(m.group(2))


Thunk = Callable[[], Any]


class Parser:
    """Recursive descent into thunks (so IF evaluates only the branch it takes).

    comparison < concat < additive < multiplicative < power < unary < atom.
    """

    def __init__(self, book: Workbook, sheet: str, text: str) -> None:
        self.book, self.sheet, self.toks, self.i = book, sheet, tokenize(text), 0

    def peek(self) -> str | None:
        return self.toks[self.i][1] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str]:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Any:
        thunk = self.comparison()
        if self.i != len(self.toks):
            raise ValueError(f"trailing tokens {self.toks[self.i :]}")
        return thunk()

    def _binary(
        self, ops: tuple[str, ...], sub: Callable[[], Thunk], apply: Callable[[str, Any, Any], Any]
    ) -> Thunk:
        left = sub()
        while self.peek() in ops:
            op, right = self.take()[1], sub()
            left = (lambda lf, rt, o: lambda: apply(o, lf(), rt()))(left, right, op)
        return left

    def comparison(self) -> Thunk:
        return self._binary(("=", "<>", ">=", "<=", ">", "<"), self.concat, _cmp)

    def concat(self) -> Thunk:
        return self._binary(
            ("&",), self.additive, lambda _, a, b: f"{'' if a is None else a}{'' if b is None else b}"
        )

    def additive(self) -> Thunk:
        return self._binary(
            ("+", "-"), self.term, lambda o, a, b: num(a) + num(b) if o == "+" else num(a) - num(b)
        )

    def term(self) -> Thunk:
        return self._binary(
            ("*", "/"), self.power, lambda o, a, b: num(a) * num(b) if o == "*" else num(a) / num(b)
        )

    def power(self) -> Thunk:
        return self._binary(("^",), self.unary, lambda _, a, b: math.pow(num(a), num(b)))

    def unary(self) -> Thunk:
        if self.peek() == "-":
            self.take()
            inner = self.unary()
            return lambda: -num(inner())
        return self.atom()

    def atom(self) -> Thunk:
        kind, text = self.take()
        if kind == "num":
            return lambda: float(text)
        if kind == "str":
            return lambda: text[1:-1]
        if kind == "ref":
            return lambda: self.reference(text)
        if kind == "fn":
            return self.call(text)
        if text == "(":
            inner = self.comparison()
            assert self.take()[1] == ")"
            return inner
        raise ValueError(f"unexpected {text!r}")

    def reference(self, text: str) -> Any:
        sheet, _, ref = text.rpartition("!")
        sheet = sheet or self.sheet
        if ":" in ref:
            a, b = ref.split(":")
            return self.book.range(sheet, a, b)
        return self.book.value(sheet, ref)

    def call(self, name: str) -> Thunk:
        args: list[Thunk] = []
        while self.peek() != ")":
            args.append(self.comparison())
            if self.peek() == ",":
                self.take()
        self.take()
        if name == "IF":
            cond, then, other = args
            return lambda: then() if _truthy(cond()) else other()
        if name not in FUNCS:
            raise ValueError(f"unsupported function {name}")
        fn = FUNCS[name]
        return lambda: fn(*(a() for a in args))


def _truthy(value: Any) -> bool:
    return value if isinstance(value, bool) else num(value) != 0
