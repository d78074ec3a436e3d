"""The text summary grouped by area: open findings per area, with their severities.

Counted while the findings stream past (a large run is read once), then written
as a few lines above the one-line total::

    By area:
      Privacy                          12  (2 critical, 6 high, 4 medium)
      Breach                            4  (1 critical, 3 high)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from .. import areas
from ..models import Finding, Severity
from ._common import one_line

_ORDER = sorted(Severity, reverse=True)


class AreaTally:
    """Unwaived findings per area and severity (waived ones are counted in the total line)."""

    def __init__(self) -> None:
        self._counts: defaultdict[str, Counter[Severity]] = defaultdict(Counter)

    def add(self, finding: Finding) -> Finding:
        if finding.waiver is None:
            self._counts[finding.area][finding.severity] += 1
        return finding

    def counted(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        """``findings`` unchanged, each counted as it passes."""
        return (self.add(f) for f in findings)

    def lines(self) -> list[str]:
        """``By area:`` and one line per area with open findings, in catalog order ([] when none)."""
        if not self._counts:
            return []
        out = ["By area:"]
        for area in sorted(self._counts, key=areas.order):
            sev = self._counts[area]
            parts = ", ".join(f"{sev[s]} {s.label}" for s in _ORDER if sev[s])
            out.append(f"  {one_line(areas.title(area)):<32} {sum(sev.values()):>5}  ({parts})")
        return out
