"""Safe, line-aware loading of YAML and JSON text.

Values are built straight from libyaml's event stream (PyYAML's C parser), so
there is no node graph, no recursion (20,000-deep nesting cannot overflow the
stack) and no constructor that could run code: only the tags of the YAML core
schema are accepted.  While building, every value's line and column go into a
*source map* keyed by dotted path (``sla.severities[0].name``).

Deliberate choices, each a guard against a silent misreading of a contract:

* duplicate keys are errors (a duplicated clause hides one of its values);
* booleans are only ``true``/``false`` (any case): ``yes``, ``no``, ``on`` and
  ``off`` stay text, so a state code ``NO`` or ``ON`` is never read as a boolean;
* mapping keys are always text;
* one document per file; aliases are allowed but the values they would expand
  to are counted, so an alias bomb is an error, not an out-of-memory.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import warnings
from dataclasses import dataclass
from typing import Any

import yaml

from . import numcheck, textsafe
from .errors import InputError
from .nesting import is_parser_depth_error, json_too_deep

try:  # the C loader is ~10x faster; fall back (with a warning) where libyaml is missing
    from yaml import CSafeLoader as _Loader

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader

    HAVE_LIBYAML = False
    warnings.warn(
        "PyYAML was built without libyaml: loading uses the slow pure-Python parser; "
        "reinstall PyYAML with libyaml for full speed",
        RuntimeWarning,
        stacklevel=2,
    )

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 1_000_000  # values a document may expand to, aliases included

SourceMap = dict[str, tuple[int, int]]

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TS = (
    _TAG + "str",
    _TAG + "int",
    _TAG + "float",
    _TAG + "bool",
    _TAG + "null",
    _TAG + "timestamp",
)
_SEQ_TAGS = {None, "!", _TAG + "seq"}
_MAP_TAGS = {None, "!", _TAG + "map"}
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_@$#:/+-]+$")
_constructor = yaml.constructor.SafeConstructor()
_resolver = yaml.resolver.Resolver()
_TAG_CACHE: dict[str, str] = {}  # plain scalar text -> resolved tag (a pure function of the text)


@dataclass
class Loaded:
    """A parsed file: the value and the path → (line, column) map (1-based)."""

    value: Any
    source_map: SourceMap


def join_key(parent: str, key: str) -> str:
    """Dotted path of ``key`` under ``parent``; odd keys are quoted: ``a["x.y"]``."""
    if _PLAIN_KEY.match(key):
        return f"{parent}.{key}" if parent else key
    quoted = json.dumps(key)
    return f"{parent}[{quoted}]"


def decode(data: bytes, file: str) -> str:
    """Bytes → text: UTF-8 (BOM optional) or UTF-16 with a BOM; else an InputError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(file, f"broken UTF-16 text ({exc.reason})", "save the file as UTF-8") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(
            file, "binary content (NUL byte)", "k12check reads YAML, JSON, plist and CSV text", line
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise InputError(
            file,
            f"not valid UTF-8 (byte 0x{bad})",
            "save the file as UTF-8 (it looks like Latin-1 or Windows-1252)",
            line,
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def load_bytes(data: bytes, file: str, *, json_mode: bool = False, max_bytes: int = MAX_BYTES) -> Loaded:
    """Check size and encoding, then :func:`load_text`."""
    if len(data) > max_bytes:
        raise InputError(
            file,
            f"file is {len(data) / 1048576:.1f} MiB, over the {max_bytes / 1048576:g} MiB limit",
            "split it, or raise the limit with --max-file-size",
        )
    return load_text(decode(data, file), file, json_mode=json_mode)


def load_text(text: str, file: str, *, json_mode: bool = False) -> Loaded:
    """Parse one YAML (or JSON) document into plain Python values and a source map."""
    builder = _Builder(file, json_mode)
    loader = _Loader(text)
    try:
        builder.run(loader)
    except yaml.YAMLError as exc:
        if HAVE_LIBYAML and is_parser_depth_error(exc):  # libyaml's own limit fired before ours
            return _load_pure(text, file, json_mode)
        if json_mode:  # JSON that YAML cannot read (\ud83d surrogate escapes, raw DEL/C1 characters)
            fallback = _json_fallback(text, file)
            if fallback is not None:
                return fallback
        raise _input_error(exc, file, builder.lang, text) from None
    finally:
        loader.dispose()
    if builder.documents == 0:
        raise InputError(file, "file is empty", "write a document with a kind: field (see k12check init)")
    return Loaded(builder.root, builder.smap)


def _load_pure(text: str, file: str, json_mode: bool) -> Loaded:
    """Re-read with PyYAML's pure-Python parser (no nesting limit of its own, no recursion),
    so that k12check's MAX_DEPTH decides, with its own message and line."""
    builder = _Builder(file, json_mode)
    loader = yaml.SafeLoader(text)
    try:
        builder.run(loader)
    except yaml.YAMLError as exc:
        raise _input_error(exc, file, builder.lang, text) from None
    finally:
        loader.dispose()
    return Loaded(builder.root, builder.smap)


def _input_error(exc: yaml.YAMLError, file: str, lang: str, text: str) -> InputError:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        return InputError(
            file,
            f"invalid {lang}: control character U+{char:04X} is not allowed",
            "remove it or write it as an escape",
            line,
        )
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        at: int | None = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "invalid syntax"
        return InputError(file, f"invalid {lang}: {what}", "fix the syntax at this line", at)
    return InputError(file, f"invalid {lang}: {' '.join(str(exc).split())}", "fix the syntax")


def _json_fallback(text: str, file: str) -> Loaded | None:
    """Parse with the json module; lines are found by searching for each key in order."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise InputError(
                    file, f"duplicate key {key!r}", "keep one value: a duplicated clause hides one of them"
                )
            out[key] = value
        return out

    deep_at = json_too_deep(text, MAX_DEPTH)  # json.loads recurses per level: measure first
    if deep_at is not None:
        raise InputError(file, f"nesting deeper than {MAX_DEPTH} levels", "flatten the document", deep_at)

    def constant(name: str) -> Any:
        line = text.count("\n", 0, max(text.find(name), 0)) + 1
        raise InputError(file, f"invalid number {name} (not JSON)", numcheck.LIMIT_TEXT, line)

    def integer(digits: str) -> int:
        if numcheck.too_long_integer(digits):
            line = text.count("\n", 0, max(text.find(digits[:30]), 0)) + 1
            raise InputError(
                file, f"invalid number ({numcheck.long_integer_problem(digits)})", numcheck.LIMIT_TEXT, line
            )
        return int(digits)

    try:
        value = json.loads(text, object_pairs_hook=pairs, parse_constant=constant, parse_int=integer)
    except ValueError:
        return None
    smap: SourceMap = {"": (1, 1)}
    try:
        _locate_keys(text, value, "", 0, smap, 0)
    except InputError as exc:  # raised without the file name, deep in the walk
        raise InputError(file, exc.message, exc.hint) from None
    problem = numcheck.first_problem(value)  # the json module's values, held to the same rules
    if problem is not None:
        path, why = problem
        line = smap.get(path, (None, 0))[0]
        raise InputError(
            file, f"invalid number at {path or 'the top level'} ({why})", numcheck.LIMIT_TEXT, line
        )
    return Loaded(textsafe.clean_tree(value), smap)


def _locate_keys(text: str, value: Any, path: str, pos: int, smap: SourceMap, depth: int) -> int:
    if depth > MAX_DEPTH:
        raise InputError("<json>", f"nesting deeper than {MAX_DEPTH} levels", "flatten the document")
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        child_path = join_key(path, key) if isinstance(key, str) else f"{path}[{key}]"
        if isinstance(key, str):
            found = text.find(json.dumps(key), pos)
            pos = found if found >= 0 else pos
        smap[child_path] = (text.count("\n", 0, pos) + 1, 1)
        pos = _locate_keys(text, child, child_path, pos, smap, depth + 1)
    return pos


class _Frame:
    __slots__ = ("anchor", "container", "is_map", "key", "key_mark", "path", "size")

    def __init__(self, container: Any, path: str, anchor: str | None, is_map: bool) -> None:
        self.container = container
        self.path = path
        self.key: str | None = None
        self.key_mark: tuple[int, int] = (0, 0)
        self.anchor = anchor
        self.size = 1
        self.is_map = is_map


class _Builder:
    """Builds values from parser events; keeps the source map as it goes."""

    def __init__(self, file: str, json_mode: bool) -> None:
        self.file = file
        self.json_mode = json_mode
        self.lang = "JSON" if json_mode else "YAML"
        self.smap: SourceMap = {}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.values = 0
        self.documents = 0
        self.root: Any = None
        self.stack: list[_Frame] = []

    def fail(self, message: str, hint: str, mark: Any) -> InputError:
        return InputError(self.file, message, hint, mark.line + 1 if mark is not None else None)

    def run(self, loader: Any) -> None:
        stack: list[_Frame] = []
        self.stack = stack  # for the field a refused number names
        smap = self.smap
        get = loader.get_event
        while True:
            ev = get()
            if ev is None:
                return
            cls = type(ev)
            if cls is yaml.ScalarEvent:
                if stack and stack[-1].key is None and stack[-1].is_map:
                    self.take_key(stack[-1], ev.value, ev)  # keys are always text: no resolving
                    continue
                value: Any = self.scalar(ev)
                size = 1
                if not stack:
                    self.set_root(value, ev)
                    continue
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                is_map = cls is yaml.MappingStartEvent
                if ev.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                    raise self.fail(
                        f"unsupported tag {ev.tag!r}",
                        "remove the tag: only plain data is read",
                        ev.start_mark,
                    )
                if stack and stack[-1].is_map and stack[-1].key is None:
                    raise self.fail(
                        "a mapping key must be plain text", "write the key as text", ev.start_mark
                    )
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(
                        f"nesting deeper than {MAX_DEPTH} levels", "flatten the document", ev.start_mark
                    )
                path = self.child_path(stack, ev) if stack else ""
                mark = ev.start_mark
                if stack:
                    parent = stack[-1]
                    smap[path] = parent.key_mark if parent.is_map else (mark.line + 1, mark.column + 1)
                else:
                    smap[""] = (mark.line + 1, mark.column + 1)
                stack.append(_Frame({} if is_map else [], path, ev.anchor, is_map))
                continue
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                frame = stack.pop()
                value, size = frame.container, frame.size
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (value, size)
                if not stack:
                    self.root = value
                    continue
                self.add(stack[-1], value, size, ev, frame.path)
                continue
            elif cls is yaml.AliasEvent:
                if ev.anchor not in self.anchors:
                    raise self.fail(f"unknown alias *{ev.anchor}", "define the anchor first", ev.start_mark)
                value, size = self.anchors[ev.anchor]
                if not stack:
                    self.set_root(value, ev)
                    continue
            elif cls is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    raise self.fail(
                        "more than one YAML document in the file",
                        "put each contract or district in its own file",
                        ev.start_mark,
                    )
                continue
            else:  # stream start/end, document end
                if cls is yaml.StreamEndEvent:
                    return
                continue
            # a scalar or alias inside a collection
            top = stack[-1]
            if top.is_map and top.key is None:
                self.take_key(top, value, ev)
                continue
            path = self.child_path(stack, ev)
            if top.is_map:
                smap[path] = top.key_mark
            else:
                smap[path] = (ev.start_mark.line + 1, ev.start_mark.column + 1)
            if cls is yaml.ScalarEvent and ev.anchor is not None:
                self.anchors[ev.anchor] = (value, 1)
            self.add(top, value, size, ev, path)

    def set_root(self, value: Any, ev: Any) -> None:
        self.root = value
        self.smap[""] = (ev.start_mark.line + 1, ev.start_mark.column + 1)

    def take_key(self, frame: _Frame, value: Any, ev: Any) -> None:
        if type(ev) is not yaml.ScalarEvent:
            raise self.fail("a mapping key must be plain text", "write the key as text", ev.start_mark)
        key = ev.value if ev.style != '"' else textsafe.clean_input(ev.value)
        if key in frame.container:
            first = self.smap.get(join_key(frame.path, key), (0, 0))[0]
            raise self.fail(
                f"duplicate key {key!r} (first at line {first})",
                "keep one value: a duplicated clause hides one of them",
                ev.start_mark,
            )
        frame.key = key
        frame.key_mark = (ev.start_mark.line + 1, ev.start_mark.column + 1)

    def number(self, tag: str, value: str, ev: Any) -> int | float:
        if tag == _INT and numcheck.too_long_integer(value):
            raise self.refuse_number(numcheck.long_integer_problem(value), ev)
        try:  # an explicit !!int/!!float on any text
            if tag == _INT:
                number = _constructor.construct_yaml_int(_node(ev))
            else:
                number = _constructor.construct_yaml_float(_node(ev))
        except (ValueError, IndexError):
            raise self.fail(
                f"invalid number {_short(value)}", "write a plain number", ev.start_mark
            ) from None
        return self.checked(number, ev)

    def checked(self, number: Any, ev: Any) -> Any:
        why = numcheck.problem(number)
        if why is not None:
            raise self.refuse_number(why, ev)
        return number

    def refuse_number(self, why: str, ev: Any) -> InputError:
        field = self.child_path(self.stack, ev) if self.stack else ""
        hint = numcheck.INTEGER_HINT if "integer" in why else numcheck.LIMIT_TEXT
        return self.fail(f"invalid number at {field or 'the top level'} ({why})", hint, ev.start_mark)

    @staticmethod
    def child_path(stack: list[_Frame], ev: Any) -> str:
        top = stack[-1]
        if top.is_map:
            return join_key(top.path, top.key or "")
        return f"{top.path}[{len(top.container)}]"

    def add(self, frame: _Frame, value: Any, size: int, ev: Any, path: str) -> None:
        self.values += size
        if self.values > MAX_VALUES:
            raise self.fail(
                f"document expands to more than {MAX_VALUES:,} values (alias bomb?)",
                "remove the repeated aliases",
                ev.start_mark,
            )
        frame.size += size
        if frame.is_map:
            frame.container[frame.key] = value
            frame.key = None
        else:
            frame.container.append(value)

    def scalar(self, ev: Any) -> Any:
        tag = ev.tag
        value = ev.value
        if ev.style == '"':  # only escapes make surrogates and control characters
            value = textsafe.clean_input(value)
        if tag is None:
            if not ev.implicit[0]:
                return value
            if self.json_mode:
                return _json_scalar(value, self, ev)
            tag = _TAG_CACHE.get(value)
            if tag is None:
                tag = _resolver.resolve(yaml.ScalarNode, value, ev.implicit)
                if len(value) <= 40 and len(_TAG_CACHE) < 20000:
                    _TAG_CACHE[value] = tag
        elif tag == "!":
            return value
        if tag == _STR:
            return value
        if tag == _BOOL:
            low = value.lower()
            if low in ("true", "false"):
                return low == "true"
            return value  # yes/no/on/off stay text (see module docstring)
        if tag == _NULL:
            return None
        if tag in (_INT, _FLOAT):
            return self.number(tag, value, ev)
        if tag == _TS:
            try:
                return _constructor.construct_yaml_timestamp(_node(ev))
            except (ValueError, AttributeError) as exc:  # AttributeError: !!timestamp on non-date text
                why = f" ({exc})" if isinstance(exc, ValueError) else ""
                raise self.fail(
                    f"invalid date {_short(value)}{why}", "write dates as YYYY-MM-DD", ev.start_mark
                ) from None
        raise self.fail(f"unsupported tag {tag!r}", "remove the tag: only plain data is read", ev.start_mark)


def _short(value: str, limit: int = 40) -> str:
    """``repr`` of a scalar, cut so that an error message stays one readable line."""
    return repr(value) if len(value) <= limit else repr(value[:limit]) + f"... ({len(value):,} characters)"


def _node(ev: Any) -> yaml.ScalarNode:
    return yaml.ScalarNode(None, ev.value, ev.start_mark, ev.end_mark, ev.style)


def _json_scalar(value: str, builder: _Builder, ev: Any) -> Any:
    if value in ("NaN", "Infinity", "-Infinity"):
        raise builder.refuse_number(f"{value} is not JSON", ev)
    if numcheck.too_long_integer(value) and value.lstrip("-").isdigit():
        raise builder.refuse_number(numcheck.long_integer_problem(value), ev)
    try:
        return builder.checked(json.loads(value, parse_constant=_no_constant), ev)
    except ValueError:
        raise builder.fail(
            f"invalid JSON value {_short(value)}", "quote text values", ev.start_mark
        ) from None


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity, -Infinity: not JSON


def is_date(value: Any) -> bool:
    return isinstance(value, _dt.date)
