"""Merge several imported exports into one district mapping, and write it as YAML.

``k12check import`` reads Jamf profiles, Intune JSON, Chrome policies and inventory
CSVs of one district and writes one normalized ``district.yaml``.  Sources, scopes,
apps and devices are concatenated (scopes and apps merged by id); policy records of
the same scope and platform are merged into one, keeping the stricter value of a
setting two exports disagree on and listing the disagreement under ``conflicts``
(MDM-OPS-005), with each field's ``provenance`` naming the export it came from.
The output is deterministic: same inputs, same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from .base import ImportOptions
from .record import SECTIONS, stricter

ORDER = ("kind", "schema_version", "district", "sources", "scopes", "policies", "tenant", "apps", "devices")
_TOP_FIELDS = ("removal_disallowed", "removal_passcode")


def import_files(paths: list[str], options: ImportOptions, kind: str = "auto") -> dict[str, Any]:
    """Import every file (``kind`` auto-detects per file) and merge them; InputError on the first bad one."""
    from ..documents import display_name, read_bounded
    from . import IMPORTERS, detect

    parts: list[dict[str, Any]] = []
    for raw in paths:
        path = Path(raw)
        shown = display_name(path)
        if not path.is_file():
            raise InputError(shown, "no such file", "check the path")
        data = read_bounded(path, shown)
        importer = IMPORTERS.get(kind) if kind != "auto" else detect(shown, data)
        if importer is None:
            raise InputError(
                shown,
                "not a recognised MDM export",
                "k12check imports Apple .mobileconfig, Intune Graph JSON, Chrome policy JSON and inventory CSV; "
                "name the format with --kind",
            )
        parts.append(importer.load(data, shown, options).data)
    return merge(parts)


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """One district mapping from several imported ones."""
    out: dict[str, Any] = {
        "kind": "district",
        "schema_version": 1,
        "district": {"id": None, "name": None, "state": None, "domains": None},
    }
    for part in parts:
        for source in part.get("sources", []):
            _add_source(out.setdefault("sources", []), dict(source))
        for scope in part.get("scopes", []):
            _add_scope(out.setdefault("scopes", []), scope)
        for policy in part.get("policies", []):
            _add_policy(out.setdefault("policies", []), policy)
        for key, value in (part.get("tenant") or {}).items():
            out.setdefault("tenant", {}).setdefault(key, value)
        for app in part.get("apps", []):
            _add_app(out.setdefault("apps", []), app)
        out.setdefault("devices", []).extend(dict(d) for d in part.get("devices", []))
    return {k: out[k] for k in ORDER if out.get(k) not in (None, [], {})}


def _add_source(sources: list[dict[str, Any]], source: dict[str, Any]) -> None:
    base, n = source.get("id", "source"), 2
    while any(s.get("id") == source.get("id") for s in sources):
        source["id"], n = f"{base}-{n}", n + 1
    sources.append(source)


def _add_scope(scopes: list[dict[str, Any]], scope: dict[str, Any]) -> None:
    same = next((s for s in scopes if s.get("id") == scope.get("id")), None)
    if same is None:
        scopes.append(dict(scope))
    else:
        for key, value in scope.items():
            same.setdefault(key, value)


def _add_app(apps: list[dict[str, Any]], app: dict[str, Any]) -> None:
    same = next((a for a in apps if a["app_id"] == app["app_id"] and a["install"] == app["install"]), None)
    if same is not None:
        same["scopes"] += [s for s in app.get("scopes", []) if s not in same["scopes"]]
        return
    app = {**app, "scopes": list(app.get("scopes", []))}
    if any(a["key"] == app["key"] for a in apps):
        app["key"] = f"{app['key']}@{app['install']}"
    apps.append(app)


def _add_policy(policies: list[dict[str, Any]], policy: dict[str, Any]) -> None:
    same = next(
        (
            p
            for p in policies
            if (p.get("scope"), p.get("platform")) == (policy.get("scope"), policy.get("platform"))
        ),
        None,
    )
    if same is None:
        policies.append(_copy(policy))
        return
    names = [n for n in (same.get("name"), policy.get("name")) if n]
    if names:
        same["name"] = " + ".join(dict.fromkeys(names))
    for field, value in _leaves(policy):
        _merge_field(same, policy, field, value)
    for key in ("source_issues", "conflicts", "assignments"):
        if policy.get(key) is not None:
            same[key] = (same.get(key) or []) + [v for v in policy[key] if v not in (same.get(key) or [])]


def _merge_field(same: dict[str, Any], policy: dict[str, Any], field: str, value: Any) -> None:
    old = _get(same, field)
    if old is None:
        _put(same, field, value)
    elif isinstance(old, list) and isinstance(value, list):
        old.extend(v for v in value if v not in old)
        return
    elif old != value:
        keep = stricter(field, old, value)
        same.setdefault("conflicts", []).append({"field": field, "values": [old, value], "effective": keep})
        if keep == old:
            return
        _put(same, field, keep)
    else:
        return
    prov = (policy.get("provenance") or {}).get(field)
    if prov is not None:
        same.setdefault("provenance", {})[field] = prov


def _leaves(policy: dict[str, Any]) -> list[tuple[str, Any]]:
    out = [(f, policy[f]) for f in _TOP_FIELDS if policy.get(f) is not None]
    for section in SECTIONS:
        values = policy.get(section)
        if isinstance(values, dict):
            out += [(f"{section}.{k}", v) for k, v in values.items() if v is not None]
    return out


def _get(policy: dict[str, Any], field: str) -> Any:
    node: Any = policy
    for part in field.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _put(policy: dict[str, Any], field: str, value: Any) -> None:
    *parents, last = field.split(".")
    node = policy
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


HEADER = """\
# Generated by `k12check import` from {count}: {names}
# This is the normalized district model (kind: district, schema_version 1).
# Fill in `district:` (id, name, two-letter state, the sign-in domains you own),
# check each scope's audience and grade band, then: k12check lint {target}
# `provenance` names the export file, key and line each value came from;
# `sources[].unmapped` keeps settings no model field holds.
# `partial: true` marks a policy from a file that names no device group: rules judge
# what it sets and skip what it lacks. Once a record holds everything its scope's
# devices get (or with `--scope GROUP`), delete the mark so gaps are reported too.
"""


def dump_district(data: dict[str, Any], sources: list[str], target: str = "district.yaml") -> str:
    """The district mapping as YAML, with a header saying it was generated and from what."""
    names = (
        ", ".join(sources) if len(sources) <= 6 else ", ".join(sources[:6]) + f" and {len(sources) - 6} more"
    )
    count = f"{len(sources)} export{'s' if len(sources) != 1 else ''}"
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return HEADER.format(count=count, names=names, target=target) + body
