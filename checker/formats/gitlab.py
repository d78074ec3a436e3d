"""GitLab Code Quality report (a JSON list, CodeClimate subset GitLab reads).

Each item: ``description``, ``check_name``, ``fingerprint``, ``severity``
(info → info, low → minor, medium → major, high → critical, critical → blocker)
and ``location {path, lines {begin}}``.  GitLab has no suppression field, so
waived findings are listed as ``info`` with a ``[waived]`` description, and
input errors as ``critical`` items of check ``k12check-input-error``.
Fingerprints must be unique in a report (GitLab compares them between
branches); a repeated one is made unique deterministically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from itertools import chain
from typing import Any

from ..models import Finding, Result
from ._common import RenderContext, message_of, ordered, ordered_errors, posix_path, waiver_text
from ._jsonstream import Lazy, iterencode

SEVERITY = {"info": "info", "low": "minor", "medium": "major", "high": "critical", "critical": "blocker"}


def render(result: Result, ctx: RenderContext) -> str:
    return "".join(stream(result, ctx))


def stream(result: Result, ctx: RenderContext) -> Iterator[str]:
    """The report in pieces: each item is built only as it is written."""
    yield from iterencode(Lazy(_items(result)))
    yield "\n"


def as_list(result: Result) -> list[dict[str, Any]]:
    return list(_items(result))


def _items(result: Result) -> Iterator[dict[str, Any]]:
    """Errors, then findings; a repeated fingerprint is made unique (GitLab keys on it)."""
    items = chain((_error(e.file, e.line, e.render()) for e in ordered_errors(result)),
                  (_finding(f) for f in ordered(result)))  # fmt: skip
    seen: dict[str, int] = {}
    for item in items:
        fp = item["fingerprint"]
        n = seen.get(fp, 0)
        seen[fp] = n + 1
        if n:
            item["fingerprint"] = _hash(f"{fp}\x1f{n}")
        yield item


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _finding(f: Finding) -> dict[str, Any]:
    desc = f"{f.rule}: {message_of(f)}"
    if f.waiver is not None:
        desc = f"[waived] {desc} (waived: {waiver_text(f)})"
    return {
        "type": "issue",
        "description": desc,
        "check_name": f.rule,
        "fingerprint": f.fingerprint or _hash(f"{f.rule}\x1f{f.file}\x1f{f.path}\x1f{f.line}"),
        "severity": "info" if f.waiver is not None else SEVERITY[f.severity.label],
        "categories": ["Security"],
        "location": {"path": posix_path(f.file), "lines": {"begin": max(f.line or 1, 1)}},
    }


def _error(file: str, line: int | None, text: str) -> dict[str, Any]:
    return {
        "type": "issue",
        "description": text,
        "check_name": "k12check-input-error",
        "fingerprint": _hash(f"error\x1f{file}\x1f{line}\x1f{text}"),
        "severity": "critical",
        "categories": ["Security"],
        "location": {"path": posix_path(file), "lines": {"begin": max(line or 1, 1)}},
    }
