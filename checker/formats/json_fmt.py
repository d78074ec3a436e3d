"""JSON output, versioned (DESIGN §6; documented in ``docs/json-output.md``).

The shape is checked by ``checker/schemas/json-output.schema.json``.  Bump
``SCHEMA_VERSION`` on any incompatible change; adding keys is compatible.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models import DocumentStats, Result, jsonable
from ._common import TOOL_NAME, RenderContext, ordered, ordered_errors
from ._jsonstream import Lazy, iterencode

SCHEMA_VERSION = "1"


def render(result: Result, ctx: RenderContext) -> str:
    return "".join(stream(result, ctx))


def stream(result: Result, ctx: RenderContext) -> Iterator[str]:
    """The document in pieces: each finding is made into a dict only as it is written."""
    yield from iterencode(_document(result, ctx, Lazy))
    yield "\n"


def as_dict(result: Result, ctx: RenderContext) -> dict[str, Any]:
    """The JSON document as Python data (the decision record embeds it)."""
    return _document(result, ctx, list)


def _document(result: Result, ctx: RenderContext, array: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": ctx.tool_version},
        "findings": array(f.to_dict() for f in ordered(result)),
        "errors": [e.to_dict() for e in ordered_errors(result)],
        "stats": _stats(result, ctx, array),
    }
    extra = run_extras(result)
    if extra:
        out["extra"] = extra
    return out


def run_extras(result: Result) -> dict[str, Any]:
    """The ``extra`` object: what the command added to the run (skipped files, baseline, gate)."""
    extra: dict[str, Any] = {}
    if result.skipped:
        extra["skipped"] = list(result.skipped)
    if result.baseline is not None:
        extra["baseline"] = result.baseline.to_dict()
        extra["baseline_fixed"] = jsonable(list(result.baseline.fixed))
    if result.decision is not None:
        extra["decision"] = result.decision.verdict
        extra["reasons"] = list(result.decision.reasons)
    return extra


def _stats(result: Result, ctx: RenderContext, array: Any) -> dict[str, Any]:
    counts = result.counts()
    return {
        "documents": len(result.documents),
        "findings": sum(counts.values()),
        "by_severity": counts,
        "waived": result.waived(),
        "errors": len(result.errors),
        "rules_loaded": result.rules_loaded,
        "today": result.today,
        "fail_on": result.fail_on.label,
        "exit_code": result.exit_code(),
        "per_document": array(
            _doc(d, ctx.show_passed) for d in sorted(result.documents, key=lambda d: d.file)
        ),
    }


def _doc(doc: DocumentStats, show_passed: bool) -> dict[str, Any]:
    """Counts per document; the rule id lists only with ``--show-passed`` (they are large)."""
    full = doc.to_dict()
    if show_passed:
        return full
    return {k: v for k, v in full.items() if not k.endswith("_rules")}
