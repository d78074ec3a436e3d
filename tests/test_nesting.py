"""k12check's nesting limit is its own, whatever the PyYAML version (issue 13 point 7).

PyYAML 6.0.4 bundles a libyaml with a nesting limit of its own; JSON that libyaml cannot
read falls back to Python's recursive ``json`` module.  Neither may decide what a user sees.
"""

from __future__ import annotations

import json

import pytest
import yaml

from checker import importers, yamlio
from checker.errors import InputError
from checker.nesting import is_parser_depth_error, json_too_deep
from checker.yamlio import MAX_DEPTH, load_text


class _LimitedLoader:
    """Stands in for a libyaml whose own nesting limit (here 10) fires before k12check's."""

    LIMIT = 10

    def __init__(self, text: str) -> None:
        self._inner = yaml.CSafeLoader(text) if yamlio.HAVE_LIBYAML else yaml.SafeLoader(text)
        self._depth = 0

    def get_event(self) -> object:
        event = self._inner.get_event()
        if isinstance(event, yaml.CollectionStartEvent):
            self._depth += 1
            if self._depth > self.LIMIT:
                raise yaml.MarkedYAMLError(
                    problem="exceeded maximum nesting depth", problem_mark=event.start_mark
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            self._depth -= 1
        return event

    def dispose(self) -> None:
        self._inner.dispose()


@pytest.fixture
def limited_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "_Loader", _LimitedLoader)
    monkeypatch.setattr(yamlio, "HAVE_LIBYAML", True)


def _block(depth: int) -> str:
    return "kind: contract\n" + "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v\n"


def test_the_parser_limit_does_not_decide_the_message_or_the_line(limited_libyaml: None) -> None:
    with pytest.raises(InputError) as err:
        load_text(_block(200), "deep.yaml")
    assert f"nesting deeper than {MAX_DEPTH} levels" in str(err.value)
    assert err.value.line == MAX_DEPTH + 2  # the line of the 65th level, as with any PyYAML
    with pytest.raises(InputError, match=f"nesting deeper than {MAX_DEPTH}"):
        load_text('{"x": ' + "[" * 20000 + "]" * 20000 + "}", "deep.json", json_mode=True)


def test_a_document_within_k12checks_limit_loads_whatever_the_parser_limit(limited_libyaml: None) -> None:
    loaded = load_text(_block(30), "ok.yaml")
    value = loaded.value
    for i in range(30):
        value = value[f"k{i}"]
    assert value == "v"
    assert loaded.source_map["k0.k1"] == (3, 2)


def test_json_fallback_never_recurses() -> None:
    """A lone surrogate sends JSON to the json module: depth is measured first, with its line."""
    text = '{"kind": "contract",\n "s": "\\ud83d",\n "x": ' + "[" * 20000 + "]" * 20000 + "}"
    with pytest.raises(InputError) as err:
        load_text(text, "deep.json", json_mode=True)
    assert f"nesting deeper than {MAX_DEPTH} levels" in str(err.value)
    assert err.value.line == 3
    shallow = load_text('{"kind": "contract", "s": "\\ud83d", "x": [[1]]}', "ok.json", json_mode=True)
    assert shallow.value["x"] == [[1]]


def test_json_depth_ignores_brackets_in_strings() -> None:
    assert json_too_deep('{"a": "[[[[\\"[[[", "b": [1]}', 2) is None
    assert json_too_deep('{"a": [[1]]}', 2) == 1
    assert json_too_deep('{"a":\n [\n  [\n   [1]]]}', 3) == 4
    assert json_too_deep("[" * 10, 64) is None  # malformed: the parser reports it


def test_format_detection_does_not_recurse_on_deep_json(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = json.loads
    monkeypatch.setattr(importers.json, "loads", lambda text, **kw: calls.append(1) or real(text, **kw))
    assert importers._peek_json(("[" * 20000 + "]" * 20000).encode(), "deep.json") is None
    assert calls == []


def test_depth_errors_are_told_from_syntax_errors() -> None:
    assert is_parser_depth_error(yaml.MarkedYAMLError(problem="exceeded maximum nesting depth"))
    assert not is_parser_depth_error(yaml.MarkedYAMLError(problem="found unexpected end of stream"))
