"""Findings sorted on disk (checker.findings): the same sequence, order and counts as a
sorted list, however small the in-memory buffer (issue 7: flat memory at 100k files)."""

from __future__ import annotations

import pickle
from dataclasses import replace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from strategies import findings as finding_strategy

from checker import strictjson
from checker.findings import Findings, FindingsBuilder
from checker.formats._jsonstream import Lazy, iterencode
from checker.models import AppliedWaiver, Finding, Severity

WAIVER = AppliedWaiver("accepted", "CISO", "2027-06-30")


@given(st.lists(finding_strategy(), max_size=40), st.integers(1, 12))
def test_spilled_findings_are_the_sorted_list(found: list[Finding], spill_at: int) -> None:
    store = Findings.of(found, spill_at=spill_at)
    expected = sorted(found)
    assert store.spilled == (len(found) >= spill_at)  # a full buffer really goes to disk
    assert list(store) == expected
    assert list(store) == expected  # and can be read again
    assert len(store) == len(found)
    assert store == expected and store == Findings.of(found)
    if found:
        assert store[0] == expected[0] and store[-1] == expected[-1] and store[1:3] == expected[1:3]


@given(st.lists(finding_strategy(), max_size=30), st.integers(1, 6))
def test_counts_are_tallied_while_building(found: list[Finding], spill_at: int) -> None:
    store = Findings.of(found, spill_at=spill_at)
    unwaived = [f for f in found if f.waiver is None]
    assert store.waived == len(found) - len(unwaived)
    tally = store.unwaived_by_severity()
    assert {s: tally[int(s)] for s in Severity} == {
        s: sum(f.severity == s for f in unwaived) for s in Severity
    }


def test_equal_keys_keep_their_order_across_runs() -> None:
    """Sorting is stable, as ``sorted`` is: findings that differ only in their message."""
    base = Finding("a.yaml", 3, "CTRL-001", "x", fingerprint="f")
    found = [replace(base, message=str(i)) for i in range(10)] + [Finding("0.yaml", 1, "R", "p")]
    store = Findings.of(found, spill_at=3)
    assert store.spilled
    assert [f.message for f in store] == ["", *map(str, range(10))]


def test_a_spilled_store_pickles_as_its_findings_and_closes() -> None:
    found = [Finding(f"{i % 7}.yaml", i, "R", "p", waiver=WAIVER if i % 3 else None) for i in range(50)]
    store = Findings.of(found, spill_at=8)
    copy = pickle.loads(pickle.dumps(store))
    assert copy == sorted(found) and copy.waived == store.waived and not copy.spilled
    store.close()
    assert len(store) == 0 and list(store) == []


def test_a_builder_can_be_fed_in_pieces() -> None:
    builder = FindingsBuilder(spill_at=2)
    builder.add(Finding("b.yaml", 1, "R", "p"))
    builder.extend([Finding("a.yaml", 9, "R", "p"), Finding("a.yaml", 2, "R", "p")])
    assert [(f.file, f.line) for f in builder.finish()] == [("a.yaml", 2), ("a.yaml", 9), ("b.yaml", 1)]


# --- JSON in pieces ------------------------------------------------------------------------

_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=6) | st.floats(allow_nan=False)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=25,
)


def _lazify(value: Any, pick: st.DrawFn) -> Any:
    """``value`` with some of its lists (at any depth) made :class:`Lazy`."""
    if isinstance(value, dict):
        return {k: _lazify(v, pick) for k, v in value.items()}
    if isinstance(value, list):
        items = [_lazify(v, pick) for v in value]
        return Lazy(iter(items)) if pick(st.booleans()) else items
    return value


@given(_json, st.data())
def test_iterencode_writes_what_json_dumps_writes(value: Any, data: st.DataObject) -> None:
    lazy = _lazify(value, data.draw)
    # strict JSON: json.dumps but a non-finite number is null (never a bare NaN/Infinity)
    assert "".join(iterencode(lazy)) == strictjson.dumps(value, indent=2, ensure_ascii=False)
