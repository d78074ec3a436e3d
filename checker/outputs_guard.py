"""Outputs never destroy: checks made before a run starts, and a signal-safe writer.

* An output path (``-o``, ``--format NAME:PATH``, ``--write-baseline``, a decision
  record, a report or TCO file) that is an input of the same run, a folder, a
  device, a named pipe or a socket is refused before anything is read: writing
  would replace a contract with findings, or a device node with a regular file.
* :func:`signals_raise` turns SIGTERM (and SIGINT) into an exception while a
  temporary output file exists, so the writer's clean-up runs and no ``.tmp``
  file is left beside the target.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import UsageError
from .filekinds import FileKey, kind_of


def target_problem(path: Path) -> str | None:
    """Why ``path`` may not be written (None: a regular file, or nothing there yet)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc.strerror or str(exc)
    what = kind_of(mode)
    return None if what is None else f"{what}; an output must be a regular file"


def refuse_target(path: Path) -> None:
    """A UsageError when ``path`` is a folder, device, FIFO or socket."""
    why = target_problem(path)
    if why is not None:
        raise UsageError(f"cannot write {path}: it is {why}")


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
    read = _input_keys(inputs)
    for path in wanted:
        key = _key(path)
        if key is not None and key in read:
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


class Terminated(SystemExit):
    """SIGTERM arrived while an output was being written (exit code 143)."""


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """While inside: SIGTERM raises :class:`Terminated`, SIGINT KeyboardInterrupt.

    Only in the main thread (where Python runs signal handlers); elsewhere a no-op.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum: int, _frame: Any) -> None:
        raise Terminated(128 + signum)

    previous = {
        signal.SIGTERM: signal.signal(signal.SIGTERM, on_term),
        signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler),
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
