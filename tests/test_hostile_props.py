"""Fuzzers for the classes of hostile input round two (issue 14): lone surrogates and
control characters in any text, non-finite and huge numbers in YAML, JSON and plists,
and duplicate inputs.  Whatever the input, loading either gives plain values every
writer can encode or one InputError with a line; and every output format stays
encodable, and strict JSON where it is JSON."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from checker import formats, numcheck
from checker.errors import InputError
from checker.importers.plist import parse_plist
from checker.yamlio import load_text
from tests.strategies import results, rules_for

ANY_CHAR = st.characters(codec=None, exclude_categories=())  # surrogates and controls included
ANY_TEXT = st.text(ANY_CHAR, max_size=20)
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([2**63 - 1, 2**63, -(2**63), 10**4000]),
)
_UNSAFE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _no_constant(name: str) -> None:
    raise ValueError(name)


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in (k, *_leaves(v))]
    if isinstance(value, list):
        return [x for v in value for x in _leaves(v)]
    return [value]


def _clean(value: object) -> bool:
    for leaf in _leaves(value):
        if isinstance(leaf, str) and _UNSAFE.search(leaf):
            return False
        if numcheck.problem(leaf) is not None:
            return False
    return True


@given(st.dictionaries(ANY_TEXT, st.one_of(ANY_TEXT, NUMBERS), max_size=4))
def test_json_of_any_text_and_number_loads_clean_or_fails_with_a_line(data: dict[str, object]) -> None:
    text = "{\n" + ",\n".join(f"{json.dumps(k)}: {_number_text(v)}" for k, v in data.items()) + "\n}"
    try:
        loaded = load_text(text, "f.json", json_mode=True)
    except InputError as exc:
        assert exc.line is not None and exc.line >= 1, exc
        assert "Exceeds the limit" not in exc.message
        return
    assert _clean(loaded.value)


def _number_text(value: object) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return {"inf": "1e400", "-inf": "-1e400"}.get(str(value), "NaN")
    if isinstance(value, int) and abs(value) > 10**300:
        return str(value)[:4000]
    return json.dumps(value)


@given(st.one_of(NUMBERS, st.sampled_from([".inf", "-.inf", ".nan", ".NaN", "1.0e+999"])))
def test_yaml_numbers_are_finite_and_within_64_bits_or_refused_at_their_line(number: object) -> None:
    raw = number if isinstance(number, str) else repr(number) if isinstance(number, float) else str(number)
    raw = {"inf": ".inf", "-inf": "-.inf", "nan": ".nan"}.get(raw, raw)
    try:
        value = load_text(f"a:\n  b: {raw[:4000]}\n", "f.yaml").value
    except InputError as exc:
        assert exc.line == 2 and "a.b" in exc.message, exc
        return
    assert numcheck.problem(value["a"]["b"]) is None


@given(st.sampled_from(["inf", "-inf", "nan", "1e309", "-1e400", "NaN", "Infinity"]))
def test_plist_reals_that_are_not_finite_are_refused(raw: str) -> None:
    data = f'<?xml version="1.0"?>\n<plist version="1.0">\n<dict>\n<key>x</key>\n<real>{raw}</real>\n</dict>\n</plist>\n'
    try:
        parse_plist(data.encode(), "p.plist")
    except InputError as exc:
        assert exc.line == 5 and ("refused" in exc.message or "not a valid real" in exc.message)
    else:
        raise AssertionError(f"<real>{raw}</real> was accepted")


@given(results(), ANY_TEXT, st.floats(allow_nan=True, allow_infinity=True))
def test_every_format_encodes_surrogates_controls_and_non_finite_values(
    result, text: str, number: float
) -> None:  # type: ignore[no-untyped-def]
    findings = list(result.findings)
    if findings:
        findings[0] = replace(findings[0], message=text, title=text, file=text or "f", value=number)
    result = replace(result, findings=findings)
    for name in formats.available():
        out = formats.render(name, result, rules_for(result), tool_version="1")
        out.encode("utf-8")
        if name in ("json", "sarif", "gitlab"):
            json.loads(out, parse_constant=_no_constant)
