"""A line-aware XML property-list parser on expat that never expands XML entities.

``plistlib`` gives no line numbers, and findings on an imported profile must point
at the ``<key>`` line of the original file.  This parser builds the same values
(dict, list, str, int, float, bool, datetime, bytes) plus a map from dotted path
(``PayloadContent[0].minLength``, same syntax as :func:`checker.yamlio.join_key`)
to the (line, column) of the key — or of the element, for list items.

Safety: a DOCTYPE that declares entities (entity bombs, XXE) is refused; parameter
entities and external DTDs are never read (``XML_PARAM_ENTITY_PARSING_NEVER``); a
reference to an undeclared entity is refused.  The usual Apple
``<!DOCTYPE plist PUBLIC ...>`` without an internal subset is fine.
Quirks accepted: ``<plist version="1">``, hexadecimal integers, CMS-signed wrappers,
duplicate keys in a dict (the last one wins, as in Apple's parser; they are listed in
``duplicates`` so the importer can report them).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from .. import numcheck
from ..errors import InputError
from ..yamlio import MAX_DEPTH, SourceMap, join_key
from .cms import looks_signed, unwrap_signed

ENTITY_HINT = "k12check never expands XML entities — remove the DOCTYPE entity declarations"
_SCALARS = frozenset({"string", "integer", "real", "true", "false", "date", "data"})
_TRUNCATED = {
    expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
}


@dataclass
class ParsedPlist:
    """The root value and the path → (line, column) map (1-based)."""

    value: Any
    positions: SourceMap
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)  # (path, first line, line)


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: str
    key: str | None = None
    key_pos: tuple[int, int] = (0, 0)
    first_at: dict[str, int] = field(default_factory=dict)


class _Refused(Exception):
    def __init__(self, error: InputError) -> None:
        super().__init__(str(error))
        self.error = error


def parse_plist(data: bytes, file: str) -> ParsedPlist:
    """Parse an XML plist (or the plist inside a CMS-signed profile); InputError with a line on any problem."""
    if data.startswith(b"bplist"):
        raise InputError(
            file, "a binary property list", "convert it to XML first: plutil -convert xml1 FILE", 1
        )
    if looks_signed(data):
        data = unwrap_signed(data, file)
    return _Parser(file).run(data)


class _Parser:
    def __init__(self, file: str) -> None:
        self.file = file
        self.p = expat.ParserCreate()
        self.p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.p.buffer_text = True
        self.p.EntityDeclHandler = self._entity
        self.p.UnparsedEntityDeclHandler = self._entity
        self.p.ExternalEntityRefHandler = self._entity
        self.p.SkippedEntityHandler = self._skipped
        self.p.StartElementHandler = self._start
        self.p.EndElementHandler = self._end
        self.p.CharacterDataHandler = self._text
        self.stack: list[_Frame] = []
        self.leaf: tuple[str, tuple[int, int]] | None = None
        self.text: list[str] = []
        self.root: Any = None
        self.have_root = False
        self.in_plist = False
        self.positions: SourceMap = {}
        self.duplicates: list[tuple[str, int, int]] = []

    def run(self, data: bytes) -> ParsedPlist:
        try:
            self.p.Parse(data, True)
        except _Refused as exc:
            raise exc.error from None
        except expat.ExpatError as exc:
            raise self._xml_error(exc) from None
        except (LookupError, UnicodeError) as exc:  # encoding="klingon", or bytes that do not fit it
            raise InputError(
                self.file,
                f"the XML declaration names an encoding Python cannot read ({str(exc)[:80]})",
                'export the profile again, or write encoding="UTF-8"',
                self.p.CurrentLineNumber or 1,
            ) from None
        if not self.have_root:
            raise self.fail("the property list holds no value", "export the profile again", 1)
        return ParsedPlist(self.root, self.positions, self.duplicates)

    # -- errors -----------------------------------------------------------------------------
    def fail(self, message: str, hint: str, line: int | None = None) -> _Refused:
        return _Refused(InputError(self.file, message, hint, line or self.p.CurrentLineNumber))

    def _xml_error(self, exc: expat.ExpatError) -> InputError:
        text = expat.ErrorString(exc.code)
        if exc.code in _TRUNCATED:
            return InputError(
                self.file,
                f"the property list ends early ({text}; truncated?)",
                "export the profile again",
                exc.lineno,
            )
        return InputError(
            self.file, f"invalid XML ({text})", "fix the XML or export the profile again", exc.lineno
        )

    def _entity(self, *_args: Any) -> int:
        raise self.fail("XML DOCTYPE declares entities", ENTITY_HINT)

    def _skipped(self, name: str, _is_param: int) -> None:
        raise self.fail(f"reference to the undeclared XML entity {name!r}", ENTITY_HINT)

    # -- elements ---------------------------------------------------------------------------
    def _pos(self) -> tuple[int, int]:
        return (self.p.CurrentLineNumber, self.p.CurrentColumnNumber + 1)

    def _start(self, name: str, _attrs: dict[str, str]) -> None:
        if self.leaf is not None:
            raise self.fail(f"<{name}> inside <{self.leaf[0]}>", "a plist value holds text only")
        if name == "plist":
            if self.in_plist or self.stack:
                raise self.fail("nested <plist>", "a property list has one <plist> root")
            self.in_plist = True
            return
        if name in ("dict", "array"):
            if len(self.stack) >= MAX_DEPTH:
                raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", "flatten the profile")
            container: dict[str, Any] | list[Any] = {} if name == "dict" else []
            path = self._attach(container, self._pos())
            self.stack.append(_Frame(container, path))
            return
        if name == "key":
            frame = self.stack[-1] if self.stack else None
            if frame is None or not isinstance(frame.container, dict) or frame.key is not None:
                raise self.fail(
                    "<key> where a value is expected", "each <key> in a <dict> is followed by one value"
                )
        elif name not in _SCALARS:
            raise self.fail(
                f"unknown plist element <{name}>",
                "use dict, array, key, string, integer, real, true, false, date or data",
            )
        self.leaf = (name, self._pos())
        self.text = []

    def _text(self, data: str) -> None:
        if self.leaf is not None:
            self.text.append(data)
        elif data.strip():
            raise self.fail(f"stray text {data.strip()[:30]!r} outside a value", "put text inside <string>")

    def _end(self, name: str) -> None:
        if name == "plist":
            return
        if name in ("dict", "array"):
            frame = self.stack.pop()
            if frame.key is not None:
                raise self.fail(f"key {frame.key!r} has no value", "add the value after the <key>")
            return
        assert self.leaf is not None
        tag, pos = self.leaf
        self.leaf = None
        text = "".join(self.text)
        if tag == "key":
            frame = self.stack[-1]
            frame.key, frame.key_pos = text, pos
            return
        self._attach(self._scalar(tag, text, pos[0]), pos)

    def _attach(self, value: Any, pos: tuple[int, int]) -> str:
        if not self.stack:
            if self.have_root:
                raise self.fail("a second value at the top level", "a property list has one root value")
            self.root, self.have_root = value, True
            self.positions[""] = pos
            return ""
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            path = f"{frame.path}[{len(frame.container)}]"
            frame.container.append(value)
            self.positions[path] = pos
            return path
        if frame.key is None:
            raise self.fail("a value without a <key> in a <dict>", "put a <key> before each value")
        key, key_pos = frame.key, frame.key_pos
        frame.key = None
        path = join_key(frame.path, key)
        if key in frame.container:  # Apple's parser keeps the last one; the importer reports it
            self.duplicates.append((path, frame.first_at[key], key_pos[0]))
            frame.container.pop(key)
        frame.container[key] = value
        frame.first_at[key] = key_pos[0]
        self.positions[path] = key_pos
        return path

    def _number(self, tag: str, raw: str, line: int) -> int | float:
        if tag == "integer" and numcheck.too_long_integer(raw):
            why: str | None = numcheck.long_integer_problem(raw)
        else:
            value = (int(raw, 16) if "0x" in raw.lower() else int(raw)) if tag == "integer" else float(raw)
            why = numcheck.problem(value)
        if why is not None:
            raise self.fail(
                f"<{tag}> {raw[:40]!r} at {_number_at(self.stack)} is refused ({why})",
                numcheck.LIMIT_TEXT,
                line,
            )
        return value

    def _scalar(self, tag: str, text: str, line: int) -> Any:
        if tag in ("true", "false"):
            if text.strip():
                raise self.fail(f"<{tag}/> holds text", f"write <{tag}/>", line)
            return tag == "true"
        if tag == "string":
            return text
        raw = text.strip()
        try:
            if tag in ("integer", "real"):
                return self._number(tag, raw, line)
            if tag == "date":
                return _date(raw)
            return base64.b64decode("".join(raw.split()), validate=True)
        except (ValueError, binascii.Error):
            raise self.fail(
                f"<{tag}> {raw[:40]!r} is not a valid {tag}", f"fix the <{tag}> value", line
            ) from None


def _number_at(stack: list[_Frame]) -> str:
    """The field a refused number sits in: the pending key, or the next array index."""
    if not stack:
        return "the top level"
    frame = stack[-1]
    if isinstance(frame.container, dict):
        return join_key(frame.path, frame.key or "")
    return f"{frame.path}[{len(frame.container)}]"


def _date(raw: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
