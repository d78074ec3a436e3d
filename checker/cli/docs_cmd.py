"""``k12check rules model-docs``: the contract and district model references in ``docs/``."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import guarded
from .rules_cmd import _load, rules_app


@rules_app.command("model-docs")
@guarded
def model_docs(
    out: Path = typer.Option(Path("docs"), "--out", help="The docs folder holding <model>-model.md."),
    check: bool = typer.Option(
        False, "--check", help="Only report whether the pages are up to date (exit 1 if not)."
    ),
) -> None:
    """Write the contract and district model references from the schemas and the rules.

    Each page keeps its hand-written part above the generated marker; below it, every
    field with its type, unit, allowed values and the rules that read it.

    Example: k12check rules model-docs --out docs/ --check
    """
    from ..modeldocs import generate

    pages = generate(_load([], False), out)
    stale = sorted(n for n, text in pages.items() if _text(out / n) != text)
    if check:
        for name in stale:
            typer.echo(f"stale: {out / name} (run k12check rules model-docs --out {out})")
        raise typer.Exit(1 if stale else 0)
    out.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (out / name).write_text(pages[name], encoding="utf-8")
    typer.echo(f"{len(pages)} model pages in {out} ({len(stale)} written)")


def _text(file: Path) -> str | None:
    return file.read_text(encoding="utf-8") if file.is_file() else None
