"""One line per finding, for reading a run fast: ``file:line severity rule message``.

Errors first (``error: ...``), then the findings in the one documented order, then
the summary by area and the one-line total.  No evidence, citation or fix lines:
``--format text`` (or ``k12check rules show RULE``) has them.  Input text has its
control characters escaped, as in the text format.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..models import Result
from ._common import RenderContext, message_of, one_line, ordered, ordered_errors, summary_line
from .by_area import AreaTally


def render(result: Result, ctx: RenderContext) -> str:
    return "".join(stream(result, ctx))


def stream(result: Result, ctx: RenderContext) -> Iterator[str]:
    for error in ordered_errors(result):
        yield f"error: {one_line(error.render())}\n"
    tally = AreaTally()
    for f in tally.counted(ordered(result)):
        mark = " [waived]" if f.waiver is not None else ""
        where = f"{f.file or '(no file)'}:{f.line}"
        yield f"{one_line(where)} {f.severity.label} {one_line(f.rule)} {one_line(message_of(f))}{mark}\n"
    yield "".join(line + "\n" for line in tally.lines())
    yield summary_line(result) + "\n"
