"""One normalized policy record (district.md §3 ``policies[]``) being assembled from a source.

Every value set here carries its :class:`~checker.importers.base.Origin`, which becomes
both ``provenance`` in the record (source file, key path and line, written to YAML by
``k12check import``) and the document's source map (so findings point at the
original file).  When two sources set a field differently the stricter value is kept
(``fields.yaml``) and the disagreement is listed under ``conflicts`` (MDM-OPS-005);
invalid, out-of-range or deprecated keys go to ``source_issues`` (MDM-OPS-007).
"""

from __future__ import annotations

import re
from typing import Any

from .base import Origin, load_data

SECTIONS = (
    "passcode",
    "encryption",
    "updates",
    "device_access",
    "apps",
    "content_filter",
    "data",
    "compliance",
)


def stricter(field: str, a: Any, b: Any) -> Any:
    """The stricter of two values of ``field`` (``fields.yaml``); ``a`` when unknown."""
    how = load_data("fields.yaml")["stricter"].get(field)
    if isinstance(how, bool):
        return how if how in (a, b) else a
    if how == "version_max":
        return b if _version(b) > _version(a) else a
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b))
    if how == "max" and numeric:
        return max(a, b)
    if how == "min" and numeric:
        return min(a, b)
    return a


def _version(text: Any) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", str(text))[:4])


def _larger(a: Any, b: Any) -> Any:
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b))
    return max(a, b) if numeric else a


class PolicyRecord:
    """A policy record plus where each of its values came from."""

    def __init__(self, head: dict[str, Any], origin: Origin, source: str) -> None:
        self.record: dict[str, Any] = {k: v for k, v in head.items() if v is not None}
        self.source = source
        self.origins: dict[str, Origin] = {"": origin}
        self.sources: dict[str, str] = {}
        self.issues: list[dict[str, Any]] = []
        self.conflicts: list[dict[str, Any]] = []

    def get(self, field: str) -> Any:
        node: Any = self.record
        for part in field.split("."):
            if not isinstance(node, dict):
                return None
            node = node.get(part)
        return node

    def _put(self, field: str, value: Any, origin: Origin, source: str | None = None) -> None:
        *parents, last = field.split(".")
        node = self.record
        for i, part in enumerate(parents):
            node = node.setdefault(part, {})
            self.origins.setdefault(".".join(parents[: i + 1]), origin)
        node[last] = value
        self.origins[field] = origin
        self.sources[field] = source or self.source

    def set(
        self, field: str, value: Any, origin: Origin, combine: str | None = None, source: str | None = None
    ) -> None:
        """Set ``field``.  ``combine``: ``all``/``any`` AND/OR booleans fed by several keys of one
        source; ``union`` joins lists; ``strict`` keeps the stricter value and ``max`` the larger
        one without a conflict (policies that all apply, as Intune compliance policies do);
        otherwise a different value is a conflict (the stricter one is kept)."""
        if value is None:
            return
        old = self.get(field)
        if old is None:
            self._put(field, value, origin, source)
        elif combine == "union" and isinstance(old, list) and isinstance(value, list):
            old.extend(v for v in value if v not in old)
        elif combine in ("strict", "max"):  # cumulative sources (Intune compliance): no conflict
            keep = stricter(field, old, value) if combine == "strict" else _larger(old, value)
            if keep != old:
                self._put(field, keep, origin, source)
        elif combine in ("all", "any") and isinstance(old, bool) and isinstance(value, bool):
            if (combine == "all" and old and not value) or (combine == "any" and not old and value):
                self._put(field, value, origin, source)
        elif old != value:
            keep = stricter(field, old, value)
            self.conflicts.append({"field": field, "values": [old, value], "effective": keep})
            self.origins.setdefault(f"conflicts[{len(self.conflicts) - 1}]", origin)
            if keep != old:
                self._put(field, keep, origin, source)

    def ensure(self, section: str, origin: Origin) -> None:
        """Make ``section`` present (an empty mapping) so rules see that it was configured."""
        if not isinstance(self.record.get(section), dict):
            self.record[section] = {}
            self.origins.setdefault(section, origin)

    def issue(self, key: str, problem: str, detail: str | None, value: Any, origin: Origin) -> None:
        """Record an invalid, out-of-range or deprecated source key (MDM-OPS-007)."""
        entry = {"key": key, "problem": problem, "detail": detail, "value": value}
        if entry in self.issues:
            return
        self.origins[f"source_issues[{len(self.issues)}]"] = origin
        self.issues.append(entry)

    def add_name(self, name: str | None) -> None:
        if name and name not in str(self.record.get("name", "")).split(" + "):
            self.record["name"] = f"{self.record['name']} + {name}" if self.record.get("name") else name

    def finish(self) -> dict[str, Any]:
        """The record as the model has it: sections in a stable order, then issues, conflicts, provenance."""
        out = {k: v for k, v in self.record.items() if k not in SECTIONS}
        out.update({k: self.record[k] for k in SECTIONS if k in self.record})
        if self.issues:
            out["source_issues"] = self.issues
            self.origins.setdefault("source_issues", self.origins["source_issues[0]"])
        if self.conflicts:
            out["conflicts"] = self.conflicts
            self.origins.setdefault("conflicts", self.origins.get("conflicts[0]", self.origins[""]))
        prov = {
            field: {"source": self.sources[field], "key_path": o.key_path, "line": o.line}
            for field, o in self.origins.items()
            if field in self.sources
        }
        if prov:
            out["provenance"] = dict(sorted(prov.items()))
        return out
