"""The findings of a run, sorted, in bounded memory: a list until it is large, then runs on disk.

A 100,000-file run can have 135,000 findings (about 90 MB as objects).  Every
consumer reads them in one order (file, line, rule, path, column) and most only
once (a formatter, the waivers, the baseline), so :class:`FindingsBuilder` keeps
at most ``spill_at`` of them in memory: when the buffer is full it is sorted and
pickled to an anonymous temporary file (a *run*), and reading merges the runs
back in order (an external merge sort).  Small runs never touch the disk.

:class:`Findings` is the finished, immutable sequence: iterate it (streaming),
``len()`` it, compare it with a list; the counts the exit code, summaries and
gate need (unwaived by severity, waived) are tallied while it is built, so they
cost no extra pass.  Indexing a spilled sequence reads it whole (tests and
small runs only).

This module imports nothing of the project's but its errors: :mod:`checker.models` uses it.
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any, overload

from .errors import UsageError

SPILL_AT = 16_384  # findings kept in memory before a run is written (~11 MB)
_CHUNK = 1_024  # findings per pickle in a run: what reading a run holds at once


class Findings(Sequence[Any]):
    """Sorted findings, some possibly on disk.  Build with :class:`FindingsBuilder` or ``of()``."""

    __slots__ = ("_file", "_len", "_memory", "_runs", "_severity", "_waived")

    def __init__(self) -> None:
        self._memory: list[Any] = []  # sorted
        self._runs: list[int] = []  # offsets in _file where each sorted run starts
        self._file: IO[bytes] | None = None
        self._len = 0
        self._severity: Counter[int] = Counter()  # unwaived findings by int(severity)
        self._waived = 0

    @classmethod
    def of(cls, findings: Iterable[Any], *, spill_at: int | None = None) -> Findings:
        """``findings`` sorted (stable: equal keys keep their order)."""
        builder = FindingsBuilder(spill_at=spill_at)
        builder.extend(findings)
        return builder.finish()

    # -- reading -----------------------------------------------------------------
    def __iter__(self) -> Iterator[Any]:
        if not self._runs:
            return iter(self._memory)
        return heapq.merge(*(self._read(i) for i in range(len(self._runs))), self._memory)

    def _read(self, index: int) -> Iterator[Any]:
        """Run ``index``, chunk by chunk (several runs are read at once: seek each time)."""
        assert self._file is not None
        pos = self._runs[index]
        while True:
            self._file.seek(pos)
            chunk: list[Any] = pickle.load(self._file)
            pos = self._file.tell()
            if not chunk:  # the end-of-run marker
                return
            yield from chunk

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if not self._runs:
            return self._memory[index]
        return list(self)[index]  # reads every run: for tests and small results

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Findings | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:  # pickles as its findings (the runs stay behind)
        return (Findings.of, (list(self),))

    def __repr__(self) -> str:
        where = f", {len(self._runs)} run(s) on disk" if self._runs else ""
        return f"Findings({self._len} finding(s){where})"

    @property
    def spilled(self) -> bool:
        """Whether some findings are on disk."""
        return bool(self._runs)

    def unwaived_by_severity(self) -> Counter[int]:
        """Unwaived findings counted by ``int(severity)`` (tallied while built)."""
        return Counter(self._severity)

    @property
    def waived(self) -> int:
        return self._waived

    def close(self) -> None:
        """Delete the runs on disk now (otherwise when the object is collected)."""
        if self._file is not None:
            self._file.close()
            self._file = None
            self._runs = []
            self._memory = []
            self._len = 0


class FindingsBuilder:
    """Collects findings in any order; ``finish()`` gives them sorted as :class:`Findings`.

    ``spill_at``: findings held in memory before a sorted run goes to disk (default
    :data:`SPILL_AT`, read when the builder is made).
    """

    def __init__(self, *, spill_at: int | None = None) -> None:
        self._out = Findings()
        self._buffer: list[Any] = []
        self._spill_at = max(1, SPILL_AT if spill_at is None else spill_at)

    def add(self, finding: Any) -> None:
        out = self._out
        out._len += 1
        if finding.waiver is None:
            out._severity[int(finding.severity)] += 1
        else:
            out._waived += 1
        self._buffer.append(finding)
        if len(self._buffer) >= self._spill_at:
            self._spill()

    def extend(self, findings: Iterable[Any]) -> None:
        for finding in findings:
            self.add(finding)

    def _spill(self) -> None:
        out = self._out
        if out._file is None:
            out._file = scratch_file("k12check-findings-")
        self._buffer.sort()
        try:
            out._file.seek(0, 2)
            out._runs.append(out._file.tell())
            for start in range(0, len(self._buffer), _CHUNK):
                pickle.dump(self._buffer[start : start + _CHUNK], out._file, pickle.HIGHEST_PROTOCOL)
            pickle.dump([], out._file, pickle.HIGHEST_PROTOCOL)
        except OSError as exc:
            raise scratch_error(exc) from None
        self._buffer = []

    def finish(self) -> Findings:
        """The sorted sequence; the builder must not be used afterwards."""
        out = self._out
        self._buffer.sort()
        out._memory = self._buffer
        self._buffer = []
        if out._file is not None:
            out._file.flush()
        return out


def scratch_file(prefix: str, *, in_memory: int = 0) -> IO[bytes]:
    """An anonymous temporary file (0600, unlinked at once, gone with the process).

    With ``in_memory`` bytes, the data stays in memory until it outgrows them, so a
    small run never touches the disk.
    """
    try:
        if in_memory:
            return tempfile.SpooledTemporaryFile(max_size=in_memory, prefix=prefix)
        return tempfile.TemporaryFile(prefix=prefix)
    except OSError as exc:
        raise scratch_error(exc) from None


def scratch_error(exc: OSError) -> UsageError:
    """The one-line error for a temporary folder that is full or not writable."""
    return UsageError(
        f"cannot write scratch data to the temporary folder {tempfile.gettempdir()} "
        f"({exc.strerror or exc}); free some space there, or point TMPDIR at a folder with room"
    )
