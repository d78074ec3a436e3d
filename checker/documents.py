"""Find input files and load them into :class:`~checker.document.Document` objects.

Directories are walked in sorted order without following directory symlinks
(so a symlink loop cannot trap the walk).  YAML and JSON files carry their
model in ``kind:``; MDM exports (plist, Graph JSON, Chrome JSON, CSV) go
through the importers.  Every problem is an :class:`~checker.errors.InputError`
with file and line; the caller records it and carries on with the next file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import filekinds, textsafe
from .document import KINDS, Document
from .errors import InputError
from .yamlio import MAX_BYTES, load_bytes

SCHEMA_VERSION = 1
ANY_KIND = "document"  # the kind of a mapping of any shape, linted with custom rules only
DOC_SUFFIXES = (".yaml", ".yml", ".json")
IMPORT_SUFFIXES = (".mobileconfig", ".plist", ".csv", ".jsonl", ".ndjson")  # JSON Lines: GAM output


@dataclass(frozen=True, slots=True)
class Input:
    """A file to check: its display name (relative, posix) and whether it was named explicitly."""

    path: Path
    display: str
    explicit: bool


class Skipped(Exception):
    """A file met in a directory walk that is not a k12check document (not an error)."""


def display_name(path: Path) -> str:
    """Relative posix path as shown in messages; bytes that are not UTF-8 shown as ``\\xNN``."""
    try:
        shown = path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        shown = path.as_posix()
    return textsafe.display_path(shown)


def discover(paths: Iterable[str | Path]) -> Iterator[Input | InputError]:
    """Files to check, in a stable order; missing, special and unreadable paths come back
    as errors; a file met twice (named twice, through a link or a hard link) comes once."""
    seen: set[filekinds.FileKey] = set()
    for raw in paths:
        path = Path(raw)
        found = _walk(path) if path.is_dir() else iter((Input(path, display_name(path), True),))
        for item in found:
            if isinstance(item, InputError):
                yield item
                continue
            problem, key = filekinds.inspect(item.path, item.display)
            if problem is not None:
                yield problem
            elif key not in seen:
                seen.add(key)  # type: ignore[arg-type]
                yield item


def _walk(root: Path) -> Iterator[Input | InputError]:
    unreadable: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable.append, followlinks=False):
        yield from _folder_errors(unreadable)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")) and d != "node_modules")
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(DOC_SUFFIXES + IMPORT_SUFFIXES):
                continue
            path = Path(dirpath) / name
            yield Input(path, display_name(path), False)
    yield from _folder_errors(unreadable)


def _folder_errors(unreadable: list[OSError]) -> Iterator[InputError]:
    while unreadable:
        exc = unreadable.pop(0)
        yield filekinds.folder_error(exc, display_name(Path(exc.filename or ".")))


def read_bounded(path: Path, display: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, refusing (before reading) anything over ``max_bytes``, and
    anything that is not a regular file (never opened: a FIFO would block)."""
    return filekinds.read_regular(path, display, max_bytes)


def load_document(
    item: Input, *, max_bytes: int = MAX_BYTES, import_options: Any = None, any_shape: bool = False
) -> Document:
    """Load one input; raises InputError, or Skipped for a stray file met in a directory walk.

    With ``any_shape`` (custom rules only, no model: ``--no-builtin --no-schema``) a
    mapping without a known ``kind`` is still a document, of kind :data:`ANY_KIND`,
    which rules with ``target: any`` check.
    """
    data = read_bounded(item.path, item.display, max_bytes)
    suffix = item.path.suffix.lower()
    if suffix in IMPORT_SUFFIXES:
        return _import(item, data, import_options, max_bytes)
    try:
        loaded = load_bytes(data, item.display, json_mode=suffix == ".json", max_bytes=max_bytes)
    except InputError:
        # Not one JSON value: JSON Lines saved as .json (GAM) is still an export.
        if suffix == ".json" and _detect(item.display, data) is not None:
            return _import(item, data, import_options, max_bytes)
        raise
    value, smap = loaded.value, loaded.source_map
    if any_shape and isinstance(value, dict) and value.get("kind") not in KINDS:
        origin = "json" if suffix == ".json" else "yaml"
        sha = hashlib.sha256(data).hexdigest()
        return Document(item.display, ANY_KIND, value, smap, f"{ANY_KIND}@{item.display}", sha, origin)
    if not isinstance(value, dict) or "kind" not in value:
        importer = _detect(item.display, data) if suffix == ".json" else None
        if importer is not None:
            return _import(item, data, import_options, max_bytes)
        looks = _looks_like(value)
        if not item.explicit and looks is None:
            raise Skipped(item.display)
        if looks is not None:
            raise InputError(
                item.display,
                f"no kind: field, but its sections ({', '.join(looks[1])}) are those of a {looks[0]}",
                f"add kind: {looks[0]} at the top",
                1,
            )
        if not isinstance(value, dict):
            raise InputError(
                item.display,
                f"the top level is a {_type(value)}, not a mapping",
                "a k12check document is a mapping that starts with kind: contract or kind: district",
                1,
            )
        raise InputError(item.display, "no kind: field", "add kind: contract or kind: district at the top", 1)
    kind = value["kind"]
    if kind not in KINDS:
        raise InputError(
            item.display,
            f"unknown kind {kind!r}",
            "use kind: contract or kind: district",
            smap.get("kind", (1, 1))[0],
        )
    version = value.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise InputError(
            item.display,
            f"schema_version {version} is newer than this k12check supports ({SCHEMA_VERSION})",
            "upgrade k12check",
            smap.get("schema_version", (1, 1))[0],
        )
    return Document(
        item.display,
        kind,
        value,
        smap,
        identity_of(kind, value, item.display),
        hashlib.sha256(data).hexdigest(),
        "json" if suffix == ".json" else "yaml",
    )


def _looks_like(value: Any) -> tuple[str, list[str]] | None:
    """``(kind, sections)`` when a mapping without ``kind:`` has two or more top-level
    sections only that kind's model has (a contract with its ``kind:`` line lost must
    not be skipped as a stray file); None otherwise."""
    if not isinstance(value, dict) or "kind" in value:
        return None
    from .validate import load_schema

    models = {k: set(load_schema(k)) - {"kind", "schema_version"} for k in ("contract", "district")}
    for kind, fields in models.items():
        other = set().union(*(f for k, f in models.items() if k != kind))
        own = sorted(k for k in value if isinstance(k, str) and k in fields - other)
        if len(own) >= 2:
            return kind, own[:4]
    return None


def identity_of(kind: str, data: dict[str, Any], display: str) -> str:
    """Document identity for fingerprints: the contract/district id, else the file path."""
    section = data.get("contract") if kind == "contract" else data.get("district")
    ident = section.get("id") if isinstance(section, dict) else None
    return f"{kind}:{ident}" if isinstance(ident, str) and ident else f"{kind}@{display}"


def _type(value: Any) -> str:
    return {list: "list", str: "text", int: "number", float: "number", bool: "boolean"}.get(
        type(value), "value"
    )


def _detect(display: str, data: bytes) -> Any:
    try:
        from .importers import detect
    except ImportError:  # importers not installed in this build
        return None
    return detect(display, data)


def _import(item: Input, data: bytes, options: Any, max_bytes: int = MAX_BYTES) -> Document:
    importer = _detect(item.display, data)
    if importer is None:
        if not item.explicit:
            raise Skipped(item.display)
        raise InputError(
            item.display,
            "not a recognised MDM export",
            "k12check imports Apple .mobileconfig, Intune Graph JSON, Chrome policy JSON and inventory CSV",
        )
    from dataclasses import replace

    from .importers import ImportOptions

    options = replace(options or ImportOptions(), max_bytes=max_bytes)  # --max-file-size, CSV too
    doc: Document = importer.load(data, item.display, options)
    if not doc.sha256:
        doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc
