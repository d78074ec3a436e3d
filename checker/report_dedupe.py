"""The audit report counts identical documents once.

Two files with the same bytes (a contract copied into two folders, or saved twice
under different names) are one contract: the report keeps the first (in file
order), drops the copies' findings and statistics, and lists each copy with the
file it repeats.  Without this, every section keyed by the contract's identity
would multiply: 60 copies of one contract made a 237 MB report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .document import Document
from .models import Result


def dedupe(
    result: Result, documents: Sequence[Document]
) -> tuple[Result, list[Document], list[dict[str, str]]]:
    """``(result, documents, copies)`` with each identical document kept once.

    ``copies``: ``{"file": copy, "same_as": first}`` for every dropped file.
    """
    first: dict[str, str] = {}
    for stats in sorted(result.documents, key=lambda s: s.file):
        if stats.sha256:
            first.setdefault(stats.sha256, stats.file)
    for doc in sorted(documents, key=lambda d: d.file):
        if doc.sha256:
            first.setdefault(doc.sha256, doc.file)
    dropped: dict[str, str] = {}
    seen = [(s.file, s.sha256) for s in result.documents] + [(d.file, d.sha256) for d in documents]
    for file, sha in seen:
        original = first.get(sha) if sha else None
        if original is not None and original != file:
            dropped[file] = original
    if not dropped:
        return result, list(documents), []
    kept = replace(
        result,
        findings=[f for f in result.findings if f.file not in dropped],
        documents=[s for s in result.documents if s.file not in dropped],
    )
    copies = [{"file": file, "same_as": same} for file, same in sorted(dropped.items())]
    return kept, [d for d in documents if d.file not in dropped], copies
