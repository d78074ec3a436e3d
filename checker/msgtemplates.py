"""Rule message templates, rendered in a sandbox with a size and a time limit.

A rule pack is data, but its message templates are Jinja2: a hostile or careless
one could loop for hours or build gigabytes.  On top of Jinja2's
``SandboxedEnvironment`` (no access to Python internals, ``range`` capped):

* a message is cut at :data:`MAX_CHARS` characters (rendering stops there);
* loops over ``range`` share :data:`MAX_STEPS` steps per message;
* ``*`` and ``**`` may not build text or lists over :data:`MAX_CHARS`, or powers
  over :data:`MAX_EXPONENT`; filter arguments (widths, counts) stay under
  :data:`MAX_CHARS`, format widths under 10,000;
* rendering stops after :data:`SECONDS` of wall-clock time (where a timer can be
  set: the main thread of a process on POSIX) — for rule packs given with
  ``--rules``; the packaged rules are k12check's own code and skip the clock.

A template that breaks a limit gives the rule's title with a note; the run goes on.
"""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import threading
from collections.abc import Iterator, Mapping
from typing import Any

from jinja2.sandbox import SandboxedEnvironment, safe_range

MAX_CHARS = 4096
MAX_STEPS = 10_000
MAX_EXPONENT = 256
SECONDS = 1.0


class TemplateLimit(Exception):
    """A message template went over one of the limits above."""


class _Budget(threading.local):
    steps = 0


_BUDGET = _Budget()


def _range(*args: int) -> Iterator[int]:
    for number in safe_range(*args):
        _BUDGET.steps += 1
        if _BUDGET.steps > MAX_STEPS:
            raise TemplateLimit(f"more than {MAX_STEPS:,} loop steps")
        yield number


def _sized(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


class BoundedSandbox(SandboxedEnvironment):
    """The sandbox, with ``*`` and ``**`` held to small results."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "%":
            _check_format(left)
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise TemplateLimit(f"a power over {MAX_EXPONENT}")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if _sized(seq) and isinstance(times, int) and _sized(seq) * times > MAX_CHARS:
                    raise TemplateLimit(f"a repeated value over {MAX_CHARS:,} characters")
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, str) and attribute in ("format", "format_map"):
            _check_format(obj)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, str) and argument in ("format", "format_map"):
            _check_format(obj)
        return super().getitem(obj, argument)


_WIDE = re.compile(r"\d{5,}")  # a width or precision of 10,000 or more


def _check_format(spec: Any) -> None:
    if isinstance(spec, str) and _WIDE.search(spec):
        raise TemplateLimit("a format width over 9,999")


def _bounded(fn: Any) -> Any:
    """A filter whose numeric arguments (a width, a count) stay under MAX_CHARS."""
    skip = 2 if getattr(fn, "jinja_pass_arg", None) is not None else 1  # context/env, then value

    @functools.wraps(fn)
    def filter_(*args: Any, **kwargs: Any) -> Any:
        for arg in (*args[skip:], *kwargs.values()):
            if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_CHARS:
                raise TemplateLimit(f"a filter argument over {MAX_CHARS:,}")
        if fn.__name__ in ("do_format", "format"):
            _check_format(args[skip - 1] if len(args) >= skip else None)
        return fn(*args, **kwargs)

    return filter_


def environment(finalize: Any) -> BoundedSandbox:
    return bound(BoundedSandbox(autoescape=False, finalize=finalize))


def bound(env: BoundedSandbox) -> BoundedSandbox:
    """``env`` with a step-counted ``range`` and filters whose arguments are bounded."""
    env.globals["range"] = _range
    env.filters = {name: _bounded(fn) for name, fn in env.filters.items()}
    return env


def render(template: Any, context: Mapping[str, Any], *, timed: bool = True) -> str:
    """The message, at most :data:`MAX_CHARS` characters; TemplateLimit past a limit.

    ``timed=False`` (the rules packaged with k12check, reviewed like its code) skips the
    clock and the streaming, which cost about 100 µs a message; the size limits stay.
    """
    _BUDGET.steps = 0
    if not timed:
        return _cut(str(template.render(**context)))
    out: list[str] = []
    size = 0
    with _deadline(SECONDS):
        for chunk in template.generate(**context):
            out.append(chunk)
            size += len(chunk)
            if size > MAX_CHARS:
                break
    return _cut("".join(out))


def _cut(text: str) -> str:
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS - 40].rstrip() + f"… (message cut at {MAX_CHARS:,} characters)"
    return text


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expired(_signum: int, _frame: Any) -> None:
        raise TemplateLimit(f"rendering took over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
