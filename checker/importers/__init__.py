"""Importers: real MDM exports → the normalized ``district`` model (shared/domain/district.md §3).

One module per format, chosen by :func:`detect` from the file's extension and content:

=================  ==========================================================  ================
importer           reads                                                       ``origin``
=================  ==========================================================  ================
``mobileconfig``   Apple configuration profiles (``.mobileconfig``, ``.plist``)  mobileconfig
``intune``         Microsoft Graph / Intune JSON (``@odata.type``)              graph_json
``chrome``         Chrome policy maps and GAM Chrome Policy API records         chrome_json / chrome_policy_api
``csv``            device inventory CSV (Google, Intune, Jamf, Kandji)          csv
=================  ==========================================================  ================

``importer.load(data, file, options)`` returns a :class:`~checker.document.Document` of
kind ``district`` whose source map points at the original file's lines.
:func:`~checker.importers.merge.import_files` merges several exports into one district
mapping and :func:`~checker.importers.merge.dump_district` writes it as YAML
(``k12check import``).  Every problem is an :class:`~checker.errors.InputError`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from ..document import Document
from ..errors import InputError
from ..nesting import json_too_deep
from ..yamlio import MAX_DEPTH, decode
from .base import ImportOptions

__all__ = ["IMPORTERS", "ImportOptions", "Importer", "detect", "dump_district", "import_files"]


@dataclass(frozen=True)
class Importer:
    """A format: its name (``--kind``), what it reads, and its loader."""

    name: str
    description: str
    loader: Callable[[bytes, str, ImportOptions], Document]

    def load(self, data: bytes, file: str, options: ImportOptions | None = None) -> Document:
        """Import ``data`` (the bytes of ``file``); InputError, never another exception, on bad input."""
        try:
            return self.loader(data, file, options or ImportOptions())
        except InputError:
            raise
        except (AttributeError, KeyError, TypeError, ValueError, IndexError, RecursionError) as exc:
            raise InputError(
                file,
                f"cannot import this {self.description} ({type(exc).__name__}: {exc})",
                "check that the file is a complete export; report it if it is",
            ) from None


def _mobileconfig(data: bytes, file: str, options: ImportOptions) -> Document:
    from . import mobileconfig

    return mobileconfig.load(data, file, options)


def _intune(data: bytes, file: str, options: ImportOptions) -> Document:
    from . import intune

    return intune.load(data, file, options)


def _chrome(data: bytes, file: str, options: ImportOptions) -> Document:
    from . import chrome

    return chrome.load(data, file, options)


def _csv(data: bytes, file: str, options: ImportOptions) -> Document:
    from . import inventory_csv

    return inventory_csv.load(data, file, options)


IMPORTERS: dict[str, Importer] = {
    "mobileconfig": Importer("mobileconfig", "Apple configuration profile", _mobileconfig),
    "intune": Importer("intune", "Intune Graph JSON export", _intune),
    "chrome": Importer("chrome", "Chrome policy export", _chrome),
    "csv": Importer("csv", "device inventory CSV", _csv),
}


def detect(file: str, data: bytes) -> Importer | None:
    """The importer for ``file`` by extension and content; None when it is not an MDM export.

    ``.mobileconfig``/``.plist`` → Apple; ``.csv`` → inventory; ``.json`` (or JSON
    Lines) with ``@odata.type`` objects or Intune tenant settings → Intune; a flat
    Chrome policy map or Chrome Policy API records → Chrome.  A JSON mapping with a
    ``kind:`` is a k12check document, not an export.
    """
    suffix = PurePath(file).suffix.lower()
    if suffix in (".mobileconfig", ".plist"):
        return IMPORTERS["mobileconfig"]
    if suffix == ".csv":
        return IMPORTERS["csv"]
    if suffix == ".xml" and b"<plist" in data[:4096]:
        return IMPORTERS["mobileconfig"]
    if suffix not in (".json", ".jsonl", ".ndjson"):
        return None
    return _detect_json(_peek_json(data, file))


def _detect_json(value: Any) -> Importer | None:
    from . import chrome, chrome_api, intune

    if value is None or (isinstance(value, dict) and "kind" in value):
        return None
    if chrome_api.looks_like(value) or chrome.flat_policies(value) is not None:
        return IMPORTERS["chrome"]
    if intune.looks_like(value):
        return IMPORTERS["intune"]
    return None


def _peek_json(data: bytes, file: str) -> Any:
    """The parsed JSON (or JSON Lines as a list), or None when it is neither."""
    try:
        text = decode(data, file)
    except InputError:
        return None
    if json_too_deep(text, MAX_DEPTH) is not None:  # json.loads recurses; the loader reports it
        return None
    try:
        return json.loads(text, parse_int=_peek_int)
    except ValueError:
        pass
    try:
        items = [json.loads(line, parse_int=_peek_int) for line in text.splitlines() if line.strip()]
    except (ValueError, RecursionError):
        return None
    return items if len(items) > 1 else None


def _peek_int(digits: str) -> int:
    """Detection only: a huge integer must not stop the peek (the loader refuses it, with its line)."""
    return 0 if len(digits) > 64 else int(digits)


def import_files(
    paths: list[str], options: ImportOptions | None = None, kind: str = "auto"
) -> dict[str, Any]:
    """Import and merge several exports into one normalized district mapping (see :mod:`.merge`)."""
    from .merge import import_files as run

    return run(paths, options or ImportOptions(), kind)


def dump_district(data: dict[str, Any], sources: list[str], target: str = "district.yaml") -> str:
    """The merged district mapping as commented YAML (see :mod:`.merge`)."""
    from .merge import dump_district as dump

    return dump(data, sources, target)
