"""Text made safe at the edges: what comes in, and what each output format can carry.

On input, a string from a document (YAML, JSON, CSV) is kept as read unless it holds
a character no output can carry faithfully: a lone UTF-16 surrogate (``"\\udfff"`` in
JSON) or a C0/C1 control character other than tab, newline and carriage return.
Those are replaced by a visible escape (``\\udfff``, ``\\x01``), so the value is still
judged and shown, and no writer (JSON, SARIF, XML, XLSX, HTML, terminal) meets a
character it cannot encode.

File names that are not valid UTF-8 reach Python as surrogate escapes
(:func:`os.fsdecode`); :func:`display_path` shows their bytes as ``\\xNN``.

:func:`markdown` is THE Markdown escaper (pull-request comments, SARIF
``help.markdown``): Markdown and HTML syntax, ``@mentions``, autolinks and bidi
controls are neutralised.
"""

from __future__ import annotations

import re
from typing import Any

# lone surrogates, C0 (but tab/newline/CR), DEL and C1 controls
_UNSAFE_INPUT = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# for one output line: all controls, surrogates, and bidi overrides/isolates
_UNSAFE_LINE = re.compile(r"[\ud800-\udfff\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def escape_char(ch: str) -> str:
    """A visible, ASCII escape of one character: ``\\xNN`` or ``\\uNNNN``."""
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _sub(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(lambda m: escape_char(m.group()), text) if pattern.search(text) else text


def clean_input(text: str) -> str:
    """A string read from a document, with surrogates and control characters escaped."""
    return _sub(_UNSAFE_INPUT, text)


def clean_tree(value: Any) -> Any:
    """Plain values (the json module's) with every key and text cleaned (depth already bounded)."""
    if isinstance(value, str):
        return clean_input(value)
    if isinstance(value, dict):
        return {clean_input(k): clean_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(v) for v in value]
    return value


def one_line(text: str) -> str:
    """Text for one output line (terminal, logs): every control and bidi character escaped."""
    return _sub(_UNSAFE_LINE, text)


def display_path(name: str) -> str:
    """A file name for messages and reports: undecodable bytes and controls as ``\\xNN``."""
    return _sub(_UNSAFE_LINE, name)


def encodable(text: str) -> str:
    """``text`` that encodes as UTF-8: lone surrogates become visible escapes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return re.sub(r"[\ud800-\udfff]", lambda m: escape_char(m.group()), text)
    return text


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~!#])")
_MENTION = re.compile(r"(?<![\w`])@(?=[A-Za-z0-9])")
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)(:|\.)")


def markdown(text: object) -> str:
    """Inline-safe Markdown from untrusted text: one line, no HTML, no links, no mentions.

    Escapes ``& < >`` (raw HTML) and Markdown syntax; breaks ``@name`` (no
    notification) and ``http://``/``www.`` (no autolink) with an invisible
    zero-width joiner; shows bidi controls as ``\\u202e``; folds control characters.
    """
    out = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = _MD_SPECIAL.sub(r"\\\1", out)
    out = _MENTION.sub("@&#8288;", out)
    out = _AUTOLINK.sub(lambda m: f"{m.group(1)}&#8288;{m.group(2)}", out)
    out = BIDI.sub(lambda m: escape_char(m.group()).replace("\\", "\\\\"), out)
    out = re.sub(r"[\x00-\x1f\x7f-\x9f]+", " ", out)
    return encodable(out).strip()
