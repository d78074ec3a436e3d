"""Assemble one imported file into a normalized district document with its source map.

Each importer reads its format and feeds a :class:`DistrictBuilder`: scopes, policy
records (one per scope and platform, :class:`~checker.importers.record.PolicyRecord`),
apps, devices and tenant settings, every value with the (line, column) of the key it
came from.  :meth:`DistrictBuilder.document` then returns a
:class:`~checker.document.Document` of kind ``district`` whose source map points at
the original file, so a finding on ``policies[0].passcode.min_length`` names the
``<key>minLength</key>`` line of the profile.
"""

from __future__ import annotations

from typing import Any

from ..document import Document
from ..yamlio import SourceMap
from .base import ImportOptions, Origin, load_data, plain, slug, stem, words
from .record import PolicyRecord

TOP = Origin("", 1, 1)
_ID_PREFIX = {
    "apple_bundle": "apple",
    "chrome_ext": "chrome",
    "android_pkg": "android",
    "win_product": "windows",
    "web_url": "web",
}


def scope_hints(text: str) -> tuple[str | None, str | None]:
    """(audience, grade band) suggested by the words of an OU path or scope name (``scopes.yaml``)."""
    hints = load_data("scopes.yaml")
    tokens = set(words(text))
    audience = grade = None
    for value, names in hints["audience_words"].items():
        if tokens & set(names):
            audience = value
    for value, names in hints["grade_words"].items():
        if tokens & set(names):
            grade = value
    return audience, grade


class DistrictBuilder:
    """Collects what one file says, in the normalized model, with origins."""

    def __init__(self, file: str, fmt: str, options: ImportOptions, vendor: str | None = None) -> None:
        self.file = file
        self.fmt = fmt
        self.options = options
        self.vendor = options.vendor or vendor
        self.unmapped: dict[str, Any] = {}
        self.scopes: list[dict[str, Any]] = []
        self.scope_origins: list[Origin] = []
        self.policies: list[PolicyRecord] = []
        self.apps: list[dict[str, Any]] = []
        self.app_origins: list[Origin] = []
        self.devices: list[dict[str, Any]] = []
        self.device_origins: list[dict[str, Origin]] = []
        self.tenant: dict[str, Any] = {}
        self.tenant_origins: dict[str, Origin] = {}
        self.inferred: set[str] = set()  # scopes named after the file: it names no device group

    # -- scopes and policies ----------------------------------------------------------------
    def file_scope(self, origin: Origin = TOP) -> str:
        """The scope for a file that carries no scope information: named after the file."""
        sid = self.scope(self.options.scope_name or stem(self.file), origin=origin, hinted=False)
        if not self.options.scope_name:
            self.inferred.add(sid)
        return sid

    def scope(self, name: str, ou_path: str | None = None, origin: Origin = TOP, hinted: bool = True) -> str:
        """The id of the scope called ``name`` (an OU path, blueprint or file name), created on first use."""
        if self.options.scope_name:
            name, ou_path, hinted = self.options.scope_name, None, False
        sid = slug(ou_path, "root") if ou_path else slug(name)
        if any(s["id"] == sid for s in self.scopes):
            return sid
        audience, grade = scope_hints(ou_path or name) if hinted else (None, None)
        record = {
            "id": sid,
            "vendor": self.vendor,
            "name": name,
            "ou_path": ou_path,
            "audience": audience or self.options.audience,
            "grade_band": grade,
        }
        self.scopes.append({k: v for k, v in record.items() if v is not None})
        self.scope_origins.append(origin)
        return sid

    def audience_of(self, scope_id: str) -> str | None:
        return next((s.get("audience") for s in self.scopes if s["id"] == scope_id), None)

    def policy(self, scope_id: str, platform: str, name: str | None, origin: Origin) -> PolicyRecord:
        """The record for (scope, platform), created on first use; a second source adds its name."""
        for rec in self.policies:
            if rec.record.get("scope") == scope_id and rec.record.get("platform") == platform:
                rec.add_name(name)
                return rec
        head = {
            "scope": scope_id,
            "platform": platform,
            "audience": self.audience_of(scope_id),
            "vendor": self.vendor,
            "name": name,
            "source": self.file,
            # the file names no device group: what it does not set may be set elsewhere
            "partial": True if scope_id in self.inferred else None,
        }
        rec = PolicyRecord(head, origin, self.file)
        self.policies.append(rec)
        return rec

    # -- apps, devices, tenant, leftovers ------------------------------------------------------
    def app(
        self, id_type: str, app_id: str, install: str, scope_id: str, origin: Origin, name: str | None = None
    ) -> None:
        """An app the configuration deploys, allows or blocks (``apps[]``), merged by id and install mode."""
        for app in self.apps:
            if app["app_id"] == app_id and app["install"] == install:
                if scope_id not in app["scopes"]:
                    app["scopes"].append(scope_id)
                return
        key = f"{_ID_PREFIX.get(id_type, id_type)}:{app_id}"
        if any(a["key"] == key for a in self.apps):
            key = f"{key}@{install}"
        self.apps.append(
            {
                "key": key,
                "id_type": id_type,
                "app_id": app_id,
                "name": name or app_id,
                "install": install,
                "scopes": [scope_id],
            }
        )
        self.app_origins.append(origin)

    def device(self, record: dict[str, Any], origins: dict[str, Origin]) -> None:
        self.devices.append(record)
        self.device_origins.append(origins)

    def set_tenant(self, field: str, value: Any, origin: Origin) -> None:
        if value is not None and self.tenant.get(field) is None:
            self.tenant[field] = value
            self.tenant_origins[field] = origin

    def keep_unmapped(self, key_path: str, value: Any) -> None:
        """A source key no normalized field holds: kept under ``sources[].unmapped`` for the record."""
        self.unmapped[key_path] = plain(value)

    # -- output -------------------------------------------------------------------------------
    def build(self) -> tuple[dict[str, Any], SourceMap]:
        """The normalized district mapping and its source map (normalized path → original line, column)."""
        smap: SourceMap = {
            "": (1, 1),
            "kind": (1, 1),
            "schema_version": (1, 1),
            "sources": (1, 1),
            "sources[0]": (1, 1),
        }
        source: dict[str, Any] = {
            "id": slug(stem(self.file), "source"),
            "vendor": self.vendor,
            "path": self.file,
            "format": self.fmt,
        }
        source = {k: v for k, v in source.items() if v is not None}
        if self.unmapped:
            source["unmapped"] = self.unmapped
        data: dict[str, Any] = {"kind": "district", "schema_version": 1, "sources": [source]}
        if self.scopes:
            data["scopes"] = self.scopes
            self._map(smap, "scopes", self.scope_origins, ("id", "name", "ou_path", "audience"))
        if self.policies:
            data["policies"] = []
            for i, rec in enumerate(self.policies):
                data["policies"].append(rec.finish())
                for field, origin in rec.origins.items():
                    smap[f"policies[{i}].{field}" if field else f"policies[{i}]"] = origin.pos
            smap["policies"] = self.policies[0].origins[""].pos
        if self.tenant:
            data["tenant"] = self.tenant
            smap.update({f"tenant.{k}": o.pos for k, o in self.tenant_origins.items()})
            smap["tenant"] = next(iter(self.tenant_origins.values())).pos
        if self.apps:
            data["apps"] = self.apps
            self._map(smap, "apps", self.app_origins, ("key", "app_id", "install"))
        if self.devices:
            data["devices"] = self.devices
            for i, origins in enumerate(self.device_origins):
                smap.update(
                    {f"devices[{i}].{f}" if f else f"devices[{i}]": o.pos for f, o in origins.items()}
                )
            smap["devices"] = self.device_origins[0][""].pos
        return data, smap

    @staticmethod
    def _map(smap: SourceMap, name: str, origins: list[Origin], fields: tuple[str, ...]) -> None:
        smap[name] = origins[0].pos
        for i, origin in enumerate(origins):
            smap[f"{name}[{i}]"] = origin.pos
            smap.update({f"{name}[{i}].{f}": origin.pos for f in fields})

    def document(self) -> Document:
        data, smap = self.build()
        return Document(self.file, "district", data, smap, f"district@{self.file}", "", self.fmt)
