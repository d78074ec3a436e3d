"""The Document: one loaded input (a contract, a district, an imported MDM export)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .yamlio import SourceMap

KINDS = ("contract", "district")


@dataclass
class Document:
    """A loaded input file in one of the models (``kind``), with its source map.

    ``source_map`` maps dotted paths (``breach.notify_district_within_hours``,
    ``devices[3].serial``) to 1-based (line, column) in ``file``.  Importers may
    record values that come from another file in ``foreign`` (path →
    (file, line, column)); :meth:`locate` consults it first.
    """

    file: str
    kind: str
    data: dict[str, Any]
    source_map: SourceMap
    identity: str = ""
    sha256: str = ""
    origin: str = "yaml"  # yaml | json | mobileconfig | graph_json | chrome_json | chrome_policy_api | csv
    foreign: dict[str, tuple[str, int, int]] = field(default_factory=dict)

    def locate(self, path: str) -> tuple[str, int, int]:
        """(file, line, column) of ``path``, or of its nearest present parent."""
        probe = path
        while True:
            hit = self.foreign.get(probe) if self.foreign else None
            if hit is not None:
                return hit
            pos = self.source_map.get(probe)
            if pos is not None:
                return (self.file, pos[0], pos[1])
            if not probe:
                return (self.file, 1, 1)
            probe = parent_path(probe)


def parent_path(path: str) -> str:
    """``a.b[2].c`` → ``a.b[2]`` → ``a.b`` → ``a`` → ``""``."""
    if path.endswith("]"):
        cut = path.rfind("[")
        return path[:cut]
    cut = path.rfind(".")
    return path[:cut] if cut > 0 else ""
