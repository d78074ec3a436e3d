"""Outputs never destroy: checks made before a run starts.

* An output path (``-o``, ``--format NAME:PATH``, ``--write-baseline``, a decision
  record, a report or TCO file) that is an input of the same run, a folder, a
  device, a named pipe or a socket is refused before anything is read: writing
  would replace a contract with findings, or a device node with a regular file.

The writer's own guards (no folder, device or FIFO replaced; no temporary file left
on SIGTERM) are in :mod:`checker.safewrite`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError
from .filekinds import FileKey
from .safewrite import refuse_target


def _key(path: Path) -> FileKey | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def check_outputs(outputs: Iterable[Path | None], inputs: Iterable[Path | None]) -> None:
    """Refuse, before the run, any output that is unwritable or the same file as an input.

    ``inputs``: the files and folders the run reads (folders are walked for the
    files discovery would pick up).
    """
    wanted = [Path(p) for p in outputs if p is not None]
    if not wanted:
        return
    for path in wanted:
        refuse_target(path)
    existing = {path: key for path in wanted if (key := _key(path)) is not None}
    if not existing:  # nothing there yet: no input can be overwritten (and no walk is needed)
        return
    read = _input_keys(inputs)
    for path, key in existing.items():
        if key in read:
            raise UsageError(
                f"cannot write {path}: it is also an input of this run (it would be overwritten); "
                "write the output somewhere else"
            )


def _input_keys(inputs: Iterable[Path | None]) -> set[FileKey]:
    from .documents import Input, discover

    roots = [Path(p) for p in inputs if p is not None]
    keys: set[FileKey] = set()
    for item in discover(roots):
        if isinstance(item, Input):
            key = _key(item.path)
            if key is not None:
                keys.add(key)
    return keys
