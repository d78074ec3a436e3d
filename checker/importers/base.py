"""Small shared pieces of the importers: options, origins, names and the bundled mapping data."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import yaml

from ..errors import InputError
from ..yamlio import MAX_BYTES, SourceMap

AUDIENCES = ("students", "staff", "shared", "kiosk")
_DATA_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class ImportOptions:
    """How to read exports that do not say everything themselves.

    ``audience``: audience of scopes the file does not describe (default ``students``).
    ``scope_name``: put everything from the file into this one scope (instead of a
    scope named after the file, or the export's own OUs/blueprints).
    ``alias_overrides``: extra CSV column aliases, column header → model field
    (the config's ``import.csv_aliases``); they take precedence over the bundled table.
    ``platform``: platform of Apple profiles (``ios``, ``ipados`` or ``macos``) when
    the payloads do not reveal it.  ``vendor``: the MDM that produced the file
    (``jamf``, ``mosyle``, ``kandji`` …) when the file does not say.  ``max_bytes``:
    the largest file to read (``--max-file-size``), for every export format alike.
    """

    audience: str = "students"
    scope_name: str | None = None
    alias_overrides: Mapping[str, str] | None = None
    platform: str | None = None
    vendor: str | None = None
    max_bytes: int = MAX_BYTES


@dataclass(frozen=True)
class Origin:
    """Where a value came from in the original file: its key path there and (line, column)."""

    key_path: str
    line: int
    col: int = 1

    @property
    def pos(self) -> tuple[int, int]:
        return (self.line, self.col)


class Locator:
    """Dotted path in a JSON export → Origin at its key (or the nearest present parent)."""

    def __init__(self, smap: SourceMap) -> None:
        self.smap = smap

    def __call__(self, path: str) -> Origin:
        probe = path
        while probe not in self.smap and probe:
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return Origin(path, *self.smap.get(probe, (1, 1)))


@functools.cache
def load_data(name: str) -> Any:
    """A bundled mapping table (YAML data next to this module), parsed once."""
    text = (_DATA_DIR / name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def stem(file: str) -> str:
    """The file name without its last suffix (``NCSC iOS.mobileconfig`` → ``NCSC iOS``)."""
    name = PurePath(file.replace("\\", "/")).name
    return name.rsplit(".", 1)[0] if "." in name[1:] else name


def slug(text: str, fallback: str = "scope") -> str:
    """A scope or source id: lower case, words joined by hyphens (``/Students/High School`` → ``students-high-school``)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:80].strip("-") or fallback


def words(text: str) -> list[str]:
    """Lower-case words of a name or OU path, for the scope hints."""
    return re.findall(r"[a-z0-9]+", text.lower())


def check_size(data: bytes, file: str, max_bytes: int = MAX_BYTES) -> None:
    """Refuse oversized input before parsing (the CLI's reader checks too; direct API callers may not)."""
    if len(data) > max_bytes:
        raise InputError(
            file,
            f"file is {len(data) / 1048576:.1f} MiB, over the {max_bytes / 1048576:g} MiB limit",
            "split the export into smaller files",
        )


def plain(value: Any) -> Any:
    """A value the YAML writer and the schema accept: bytes → base64 text, nested containers copied."""
    import base64

    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
