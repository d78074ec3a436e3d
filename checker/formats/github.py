"""GitHub Actions workflow commands: one annotation per finding, on its file and line.

``::error file=F,line=L,col=C,title=RULE::message`` — critical/high are
``error``, medium ``warning``, low/info ``notice``; waived findings are notices
marked ``(waived)``.  Escaping follows ``@actions/core`` (``toolkit/command.ts``):
data escapes ``%``, ``\\r`` and ``\\n``; property values also ``:`` and ``,``.
Without it a message containing a newline followed by ``::`` could inject a
workflow command (for example ``::add-mask::`` or ``::stop-commands::``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import textsafe
from ..models import Finding, Result, Severity
from ._common import (
    RenderContext,
    citation,
    message_of,
    ordered,
    ordered_errors,
    posix_path,
    references_of,
    remediation_of,
    summary_line,
    waiver_text,
)

_UNSAFE = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def escape_data(text: str) -> str:
    """Escape a command's message (``@actions/core`` ``escapeData``); other control,
    bidi and surrogate characters are shown as ``\\xNN``/``\\uNNNN`` (no terminal
    escape sequences or reordered text in the log)."""
    text = _UNSAFE.sub(lambda m: textsafe.escape_char(m.group()), text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``@actions/core`` ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: object) -> str:
    """One workflow command line; properties with empty values are left out."""
    given = [f"{k}={escape_property(str(v))}" for k, v in props.items() if v not in (None, "", 0)]
    head = f"::{kind} {','.join(given)}" if given else f"::{kind}"
    return f"{head}::{escape_data(message)}"


def level(finding: Finding) -> str:
    if finding.waiver is not None or finding.severity <= Severity.LOW:
        return "notice"
    return "warning" if finding.severity == Severity.MEDIUM else "error"


def render(result: Result, ctx: RenderContext) -> str:
    return "".join(stream(result, ctx))


def stream(result: Result, ctx: RenderContext) -> Iterator[str]:
    """One workflow command per line, findings read once, in order."""
    for e in ordered_errors(result):
        yield (
            command("error", e.message, file=posix_path(e.file), line=e.line, title="k12check input error")
            + "\n"
        )
    for f in ordered(result):
        yield _annotation(f, ctx) + "\n"
    yield command("notice", summary_line(result), title="k12check summary") + "\n"


def _annotation(f: Finding, ctx: RenderContext) -> str:
    body = [f"{message_of(f)} [{f.severity.label}]"]
    fix = remediation_of(f, ctx.rules)
    if fix:
        body.append(f"Remediation: {fix}")
    body += [f"Citation: {citation(r)}" for r in references_of(f, ctx.rules)]
    if f.waiver is not None:
        body.append(f"Waived: {waiver_text(f)}")
    title = f"{f.rule} (waived)" if f.waiver is not None else f.rule
    return command(
        level(f),
        "\n".join(body),
        file=posix_path(f.file),
        line=f.line,
        col=f.column if f.line else 0,
        title=title,
    )
