"""The safe, line-aware loader: values, the source map, and every input it refuses."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from checker.errors import InputError
from checker.yamlio import MAX_DEPTH, load_bytes, load_text


def test_values_and_lines() -> None:
    text = "kind: contract\nbreach:\n  notify_district_within_hours: 72\n  notice_contents: [date, contact]\n"
    loaded = load_text(text, "c.yaml")
    assert loaded.value["breach"]["notify_district_within_hours"] == 72
    assert loaded.source_map["breach.notify_district_within_hours"] == (3, 3)
    assert loaded.source_map["breach.notice_contents[1]"] == (4, 27)


def test_types_follow_the_core_schema_without_yes_no_booleans() -> None:
    v = load_text("a: 2024-07-01\nb: yes\nc: NO\nd: true\ne: 0x10\nf: 1.5\ng: ~\n", "t.yaml").value
    assert v == {"a": dt.date(2024, 7, 1), "b": "yes", "c": "NO", "d": True, "e": 16, "f": 1.5, "g": None}


def test_same_values_as_pyyaml_for_ordinary_documents() -> None:
    text = "x:\n  - {a: 1, b: [2, 3.5, null, 'q']}\n  - text\ny: 2026-01-02\n"
    assert load_text(text, "t.yaml").value == yaml.load(text, Loader=yaml.CSafeLoader)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a' (first at line 1)"),
        ("a: [1\n", 2, "invalid YAML"),
        ("!!python/object/apply:os.system ['true']\n", 1, "unsupported tag"),
        ("a: !!python/name:os.system\n", 1, "unsupported tag"),
        ("---\na: 1\n---\nb: 2\n", 3, "more than one YAML document"),
        ("? [a]\n: 1\n", 1, "mapping key must be plain text"),
        ("a: *nowhere\n", 1, "unknown alias"),
    ],
)
def test_refused_inputs_name_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(InputError) as err:
        load_text(text, "bad.yaml")
    assert err.value.line == line
    assert fragment in str(err.value)
    assert str(err.value).startswith(f"bad.yaml:{line}: ")
    assert "; " in str(err.value)  # every error says what to do


def test_empty_and_comment_only_files_are_errors() -> None:
    for text in ("", "   \n", "# only a comment\n"):
        with pytest.raises(InputError, match="file is empty"):
            load_text(text, "e.yaml")


def test_alias_bomb_is_bounded() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(InputError, match="alias bomb"):
        load_text("\n".join(lines) + "\n", "bomb.yaml")


def test_deep_nesting_is_refused_without_recursion() -> None:
    with pytest.raises(InputError, match=f"deeper than {MAX_DEPTH}"):
        load_text("a: " + "[" * 20000 + "]" * 20000 + "\n", "deep.yaml")
    with pytest.raises(InputError, match="deeper"):
        load_text("".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "v: 1\n", "deep.yaml")


def test_encodings() -> None:
    with pytest.raises(InputError, match="not valid UTF-8") as err:
        load_bytes(b"a: 1\nb: caf\xe9\n", "latin1.yaml")
    assert err.value.line == 2
    with pytest.raises(InputError, match="binary content"):
        load_bytes(b"a: \x00\x01", "bin.yaml")
    utf16 = b"\xff\xfe" + '{\r\n  "a": 1\r\n}'.encode("utf-16-le")
    assert load_bytes(utf16, "u.json", json_mode=True).value == {"a": 1}
    assert load_bytes(b"\xef\xbb\xbfa: 1\n", "bom.yaml").value == {"a": 1}


def test_size_limit() -> None:
    with pytest.raises(InputError, match="over the"):
        load_bytes(b"a: 1\n" * 100, "big.yaml", max_bytes=50)


def test_json_mode_numbers_and_tabs() -> None:
    loaded = load_text('{\n\t"a": 1e5,\n\t"b": [true, null, -3]\n}', "t.json", json_mode=True)
    assert loaded.value == {"a": 100000.0, "b": [True, None, -3]}
    assert loaded.source_map["b"] == (3, 2)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        load_bytes(data, "fuzz.yaml")
    except InputError as exc:
        assert str(exc).startswith("fuzz.yaml")


_PIECES = st.sampled_from([*"ab:- \n[]{},&*!#'\"?|>\t1.", "&a ", "*a", "!!str ", "key: ", "\n  - "])


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_arbitrary_yaml_text_never_crashes(text: str) -> None:
    try:
        loaded = load_text(text, "fuzz.yaml")
    except InputError:
        return
    assert "" in loaded.source_map or loaded.value is None


def test_json_that_yaml_cannot_read_falls_back_to_the_json_module() -> None:
    loaded = load_text('{\n "a": "\\ud83d\\ude00",\n "b": {"c": "x\x7fy"}\n}', "e.json", json_mode=True)
    assert loaded.value == {"a": "\U0001f600", "b": {"c": "x\\x7fy"}}  # DEL escaped at the edge
    assert loaded.source_map["b"][0] == 3
    with pytest.raises(InputError, match="duplicate key"):
        load_text('{"a": "\\ud83d\\ude00", "a": 2}', "d.json", json_mode=True)


def test_control_characters_are_one_line_errors() -> None:
    with pytest.raises(InputError) as err:
        load_text("a: 1\nb: \x01\n", "c.yaml")
    assert err.value.line == 2 and "\n" not in str(err.value)
