"""The atomic writer's guards: what it may replace, and clean-up on signals.

* :func:`refuse_target`: a folder, device, named pipe or socket is never replaced by a
  regular file (``-o /dev/sda`` or ``-o some.fifo`` is refused).
* :func:`signals_raise` turns SIGTERM (and SIGINT) into an exception while a
  temporary output file exists, so the writer's clean-up runs and no ``.tmp``
  file is left beside the target.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import UsageError
from .filekinds import kind_of


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
