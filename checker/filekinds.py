"""What a path is, before anything opens it: only regular files are ever read.

A named pipe called ``contract.yaml`` would block a reader forever, a device node
could return endless bytes, a socket cannot be read at all; each is refused from its
``stat`` with a one-line error, and never opened.  The check is made again on the
open descriptor (opened non-blocking), so a file swapped for a pipe between the two
is refused as well.  Symbolic-link loops, missing files and permission problems
get a message of their own instead of Python's.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import InputError

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
NOT_REGULAR_HINT = "k12check reads regular files only; remove it or point at the real file"


def kind_of(mode: int) -> str | None:
    """``None`` for a regular file, else what it is (``"a named pipe (FIFO)"``…)."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def why_unreadable(exc: OSError) -> str:
    """A short reason for an OSError from stat, open or a folder listing."""
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    return exc.strerror or str(exc)


FileKey = tuple[int, int]  # (device, inode): the same file however it is named


def inspect(path: Path, display: str) -> tuple[InputError | None, FileKey | None]:
    """``(None, key)`` for a regular file (links followed); ``(error, None)`` otherwise."""
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and not os.path.islink(path):
            return InputError(display, "no such file or directory", "check the path"), None
        return InputError(
            display, f"cannot read file ({why_unreadable(exc)})", "check the path and permissions"
        ), None
    what = kind_of(info.st_mode)
    if what is None:
        return None, (info.st_dev, info.st_ino)
    return InputError(display, f"{what}, not a regular file: skipped, not opened", NOT_REGULAR_HINT), None


def special_file(path: Path, display: str) -> InputError | None:
    """An error when ``path`` (links followed) is not a regular file; None when it is one."""
    return inspect(path, display)[0]


def folder_problem(path: Path) -> str | None:
    """Why ``path`` is no folder to walk (None when it is a folder)."""
    try:
        what = kind_of(os.stat(path).st_mode)
    except OSError as exc:
        return why_unreadable(exc)
    return None if what == "a folder" else (what or "a file")


def folder_error(exc: OSError, display: str) -> InputError:
    """An error entry for a folder a walk could not list (never a silent skip)."""
    return InputError(
        display,
        f"cannot read folder ({why_unreadable(exc)})",
        "check its permissions: nothing in it was checked",
    )


def read_regular(path: Path, display: str, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of a regular file; InputError for anything else."""
    refused = special_file(path, display)
    if refused is not None:
        if refused.message == "no such file or directory":  # one form for every read failure
            raise InputError(display, "cannot read file (no such file or directory)", "check the path")
        raise refused
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(display, f"cannot read file ({why_unreadable(exc)})", "check permissions") from None
    with os.fdopen(fd, "rb") as fh:
        try:
            info = os.fstat(fd)
            what = kind_of(info.st_mode)
            if what is not None:  # swapped for something else since the stat
                raise InputError(display, f"{what}, not a regular file: skipped", NOT_REGULAR_HINT)
            if info.st_size > max_bytes:
                raise InputError(
                    display,
                    f"file is {info.st_size / 1048576:.1f} MiB, over the {max_bytes / 1048576:g} MiB limit",
                    "split it, or raise the limit with --max-file-size",
                )
            return fh.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(
                display, f"cannot read file ({why_unreadable(exc)})", "check permissions"
            ) from None
