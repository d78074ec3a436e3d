"""One run of k12check: options in, outcome out.

:func:`run` is what ``k12check lint``, ``gate``, ``report``, ``explain`` and ``tco``
and the library's :func:`checker.lint` all call, so they see the same inputs with
the same limits, configuration, waivers and baseline.
"""

from __future__ import annotations

from .options import RunOptions
from .outcome import RunOutcome
from .run import prepare, run

__all__ = ["RunOptions", "RunOutcome", "prepare", "run"]
