"""Files changed since a git revision (``--changed-since REV``), for fast pull-request runs."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError


def _git(args: list[str], cwd: Path) -> str:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
        )
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which is not installed") from None
    if proc.returncode != 0:
        detail = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
        raise UsageError(f"--changed-since: git {' '.join(args[:2])} failed ({detail})")
    return proc.stdout


def changed_files(rev: str, cwd: Path | None = None) -> set[Path]:
    """Absolute paths added, copied, modified or renamed since ``rev``, plus untracked files."""
    return _changes(rev, _toplevel((cwd or Path.cwd()).resolve()))


def changed_in(rev: str, paths: Iterable[str | Path]) -> set[Path]:
    """:func:`changed_files` of the checkout each input is in (not the working directory's).

    ``k12check lint /srv/repo/contracts --changed-since main`` works from any folder;
    inputs in several checkouts get each one's changes (git is asked once per
    checkout).  An input that does not exist is looked up from the working directory
    (the run reports it as missing).
    """
    starts: set[Path] = set()
    for raw in list(paths) or [Path.cwd()]:
        path = Path(raw).absolute()
        start = path if path.is_dir() else path.parent
        starts.add((start if start.is_dir() else Path.cwd()).resolve())
    out: set[Path] = set()
    for top in {_toplevel(start) for start in sorted(starts)}:
        out |= _changes(rev, top)
    return out


def _toplevel(cwd: Path) -> Path:
    inside = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, text=True, check=False
    )
    if inside.returncode != 0:
        raise UsageError(f"--changed-since needs a git checkout, and {cwd} is not inside one")
    return Path(inside.stdout.strip())


def _changes(rev: str, top: Path) -> set[Path]:
    probe = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
        cwd=top,
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        raise UsageError(f"--changed-since: unknown git revision {rev!r} (try origin/main or HEAD~1)")
    names = _git(["diff", "--name-only", "--diff-filter=ACMR", rev, "--"], top).splitlines()
    names += _git(["ls-files", "--others", "--exclude-standard"], top).splitlines()
    return {(top / n).resolve() for n in names if n}
