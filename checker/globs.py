"""File globs for ``rules.disable`` and waivers, relative to the config file's folder.

``*`` and ``?`` stay within one folder, ``**/`` spans any number of folders,
``[abc]``/``[!abc]`` are character classes — the same meaning as ``.gitignore``
and GitHub's path filters, so ``contracts/*.yaml`` does not reach into
``contracts/old/``.  (``fnmatch`` would: its ``*`` crosses ``/``.)
"""

from __future__ import annotations

import os
import re
from pathlib import Path


def glob_match(file: str, pattern: str, base_dir: Path) -> bool:
    """Does ``file`` (a path as given on the command line) match ``pattern``?

    ``pattern`` is relative to ``base_dir`` (the config's folder) and uses ``/``:
    ``*`` and ``?`` stay within one folder, ``**/`` spans folders.  Absolute
    patterns are matched against the absolute path.
    """
    absolute = os.path.abspath(file)
    if pattern.startswith("/") or re.match(r"^[A-Za-z]:[/\\]", pattern):
        subject = Path(absolute).as_posix()
    else:
        try:
            subject = Path(os.path.relpath(absolute, os.path.abspath(base_dir))).as_posix()
        except ValueError:  # another drive (Windows): no relative path exists
            return False
    return _compile(pattern.replace("\\", "/").removeprefix("./")).match(subject) is not None


_GLOBS: dict[str, re.Pattern[str]] = {}


def glob_error(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable glob, or ``None`` when it is."""
    try:
        _compile(pattern.replace("\\", "/").removeprefix("./"))
    except re.error as exc:
        return f"invalid glob {pattern!r} ({exc.msg})"
    return None


def _compile(pattern: str) -> re.Pattern[str]:
    hit = _GLOBS.get(pattern)
    if hit is None:
        hit = _GLOBS[pattern] = re.compile(_translate(pattern))
    return hit


def _translate(pattern: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end].replace("\\", "\\\\").replace("/", "")
            out.append(
                "[^/" + body[1:] + "]" if body.startswith("!") else "[" + re.sub(r"^\^", r"\\^", body) + "]"
            )
            i = end + 1
        else:
            out.append({"*": "[^/]*", "?": "[^/]"}.get(pattern[i]) or re.escape(pattern[i]))
            i += 1
    return r"\A" + "".join(out) + r"\Z"
