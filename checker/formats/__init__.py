"""Output formats: one module per format behind one name-keyed registry.

Formatters render a finished :class:`~checker.models.Result`; they never load
or evaluate anything (they import :mod:`checker.models` only)::

    from checker import formats
    text = formats.render("sarif", result, rules, tool_version=__version__)
    for name, path in formats.parse_specs(["sarif:out.sarif", "text"]):
        ...
    formats.write_atomic(Path("out.sarif"), text)

``stream`` gives the same text in pieces, and ``write_atomic`` takes pieces: text,
JSON, SARIF, GitHub and GitLab build each finding's output only as it is written,
so a run with 100,000 findings is never one string in memory.  JUnit (grouped by
rule and document) and Markdown (a comment of bounded size) render whole.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import UsageError
from ..models import Result, RuleMeta
from ..safewrite import refuse_target, signals_raise
from ..textsafe import encodable
from . import concise, github, gitlab, json_fmt, junit, markdown, sarif, text
from ._common import RenderContext

__all__ = [
    "FORMATS", "Formatter", "RenderContext", "available", "blocks", "parse_specs", "render", "stream", "write_atomic",
]  # fmt: skip


@dataclass(frozen=True)
class Formatter:
    """A registered output format: its name, a one-line description, a file suffix.

    ``stream`` yields the text in pieces; formats that render whole give one piece.
    """

    name: str
    description: str
    suffix: str
    render: Callable[[Result, RenderContext], str]
    stream: Callable[[Result, RenderContext], Iterator[str]] | None = None

    def pieces(self, result: Result, ctx: RenderContext) -> Iterator[str]:
        if self.stream is not None:
            return self.stream(result, ctx)
        return iter((self.render(result, ctx),))


FORMATS: dict[str, Formatter] = {
    f.name: f
    for f in (
        Formatter("text", "findings grouped by file, for people (default)", ".txt", text.render, text.stream),
        Formatter(
            "concise",
            "one line per finding: file:line severity rule message",
            ".txt",
            concise.render,
            concise.stream,
        ),
        Formatter("json", "versioned JSON (docs/json-output.md)", ".json", json_fmt.render, json_fmt.stream),
        Formatter("sarif", "SARIF 2.1.0 for code scanning", ".sarif", sarif.render, sarif.stream),
        Formatter("junit", "JUnit XML: one test case per rule and document", ".xml", junit.render),
        Formatter("markdown", "a pull-request comment", ".md", markdown.render),
        Formatter("github", "GitHub Actions workflow annotations", ".txt", github.render, github.stream),
        Formatter("gitlab", "GitLab Code Quality JSON", ".json", gitlab.render, gitlab.stream),
    )
}


def available() -> list[str]:
    """Names of the registered formats, sorted."""
    return sorted(FORMATS)


def get(name: str) -> Formatter:
    """The formatter called ``name``; a :class:`UsageError` naming the choices otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}; choose one of: {', '.join(available())}") from None


def render(name: str, result: Result, rules: Mapping[str, RuleMeta], **options: Any) -> str:
    """Render ``result`` in format ``name``: :func:`stream`'s pieces (same options), joined."""
    return "".join(stream(name, result, rules, **options))


def stream(
    name: str,
    result: Result,
    rules: Mapping[str, RuleMeta],
    *,
    tool_version: str,
    color: bool = False,
    show_passed: bool = False,
) -> Iterator[str]:
    """``result`` in format ``name``, in pieces (``rules``: id → metadata, for help text).

    Write the pieces as they come (``write_atomic`` takes them); a streaming format
    builds each finding's output only when its piece is asked for.
    """
    ctx = RenderContext(rules=rules, tool_version=tool_version, color=color, show_passed=show_passed)
    return map(encodable, get(name).pieces(result, ctx))  # no lone surrogate reaches an encoder


def parse_specs(specs: Iterable[str]) -> list[tuple[str, Path | None]]:
    """``--format F[:PATH]`` values (repeatable) → ``[(name, path or None), ...]``.

    ``None`` means standard output; at most one format may go there, and no two
    may share a file.  Only the first ``:`` separates, so ``sarif:C:/out.sarif``
    works.  No specs at all means ``[("text", None)]``.
    """
    out: list[tuple[str, Path | None]] = []
    for spec in specs:
        name, sep, path = spec.strip().partition(":")
        fmt = get(name.strip().lower())
        if sep and not path.strip():
            raise UsageError(
                f"--format {spec!r}: a file name must follow ':' (e.g. {fmt.name}:out{fmt.suffix})"
            )
        out.append((fmt.name, Path(path.strip()) if sep else None))
    if not out:
        return [("text", None)]
    if sum(1 for _, p in out if p is None) > 1:
        raise UsageError(
            "only one --format may write to standard output; give the others a file (FORMAT:PATH)"
        )
    files = [str(p) for _, p in out if p is not None]
    dupes = sorted({f for f in files if files.count(f) > 1})
    if dupes:
        raise UsageError(f"two --format options write to the same file: {', '.join(dupes)}")
    return out


def write_atomic(path: Path | str, content: str | bytes | Iterable[str]) -> None:
    """Write ``content`` to ``path`` so readers see the old file or the whole new one.

    ``content`` may be pieces of text (``stream``'s), written as they come.  The
    text goes to a temporary file in the same folder, is flushed and
    fsync'ed, then renamed over ``path`` (``os.replace`` is atomic on POSIX and
    Windows).  On any failure — including Ctrl-C and SIGTERM — the temporary file is
    removed and ``path`` is untouched.  Missing parent folders are created.  A
    ``path`` that is a folder, device, FIFO or socket is refused (UsageError).
    """
    target = Path(path)
    refuse_target(target)  # a folder, device or FIFO is never replaced by a regular file
    with signals_raise():  # SIGTERM/SIGINT: the temporary file is removed, the target untouched
        _write_via_temp(target, content)


def _write_via_temp(target: Path, content: str | bytes | Iterable[str]) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(content, bytes):
                handle.write(content)
            elif isinstance(content, str):
                handle.write(content.encode("utf-8"))
            else:
                write_pieces(handle, content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise


def write_pieces(handle: BinaryIO, pieces: Iterable[str]) -> None:
    """Write text pieces as UTF-8, a block at a time."""
    for block in blocks(pieces):
        handle.write(block.encode("utf-8"))


def blocks(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """Pieces of text gathered into blocks of about ``size`` characters (fewer, larger writes)."""
    batch: list[str] = []
    held = 0
    for piece in pieces:
        batch.append(piece)
        held += len(piece)
        if held >= size:
            yield "".join(batch)
            batch, held = [], 0
    if batch:
        yield "".join(batch)


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; else the usual umask-derived ones (not mkstemp's 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
