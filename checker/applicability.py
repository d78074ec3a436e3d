"""Which contract rules concern which agreement: the table in ``rules/applicability.yaml``.

Two questions, answered once per document and checked per rule with two set lookups:

- **service profile**: ``contract.service_type`` (an app subscription is not judged on
  MDM tenants or on-site support);
- **agreement package**: ``contract.documents`` (a DPA-only review carries no prices
  or support terms, so commercial and service rules are not applicable).

A contract that states neither is judged by every rule; a service type outside the
model (a schema finding says so) restricts nothing: unknown input never turns rules off.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import RuleError
from .resources import rules_dir
from .yamlio import load_bytes

TERMS: tuple[str, ...] = ("privacy", "breach", "control", "commercial", "service")
DOCUMENT_TYPES: tuple[str, ...] = (
    "msa", "dpa", "state_exhibit", "terms_of_use", "privacy_policy", "order_form", "sow"
)  # fmt: skip
SERVICE_TYPES: tuple[str, ...] = (
    "mdm", "managed_service", "edtech_app", "platform", "filtering_monitoring", "sis", "other"
)  # fmt: skip
TABLE_FILE = "applicability.yaml"


@dataclass(frozen=True)
class Table:
    """The applicability table: kinds of terms by area and rule, by document type, service types."""

    area_terms: Mapping[str, str]
    rule_terms: Mapping[str, str]
    documents: Mapping[str, frozenset[str]]
    service_types: Mapping[str, frozenset[str]]  # area or rule id -> the service types it applies to

    def terms_of(self, rule_id: str, area: str) -> str | None:
        return self.rule_terms.get(rule_id) or self.area_terms.get(area)

    def service_types_of(self, rule_id: str, area: str) -> frozenset[str] | None:
        return self.service_types.get(rule_id, self.service_types.get(area))


def load_table(path: Path) -> Table:
    """Read and check the table; a bad entry is a RuleError with the file and line."""
    loaded = load_bytes(path.read_bytes(), str(path))
    raw, smap = loaded.value, loaded.source_map

    def bad(where: str, what: str) -> RuleError:
        line = smap.get(where, (1, 1))[0]
        return RuleError(str(path), f"{where}: {what}", "see the comments at the top of the file", line)

    if not isinstance(raw, dict):
        raise bad("", "the table must be a mapping with terms, documents and service_types")
    terms = raw.get("terms") or {}
    area_terms = _names(terms.get("areas"), TERMS, "terms.areas", bad)
    rule_terms = _names(terms.get("rules"), TERMS, "terms.rules", bad)
    documents: dict[str, frozenset[str]] = {}
    for doc, kinds in (raw.get("documents") or {}).items():
        if doc not in DOCUMENT_TYPES:
            raise bad(f"documents.{doc}", f"unknown document type (known: {', '.join(DOCUMENT_TYPES)})")
        documents[doc] = frozenset(_listed(kinds, TERMS, f"documents.{doc}", bad))
    services = {
        str(key): frozenset(_listed(types, SERVICE_TYPES, f"service_types.{key}", bad))
        for key, types in (raw.get("service_types") or {}).items()
    }
    return Table(area_terms, rule_terms, documents, services)


def _names(raw: Any, allowed: tuple[str, ...], where: str, bad: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (raw or {}).items():
        if value not in allowed:
            raise bad(f"{where}.{key}", f"must be one of {', '.join(allowed)} (got {value!r})")
        out[str(key)] = value
    return out


def _listed(raw: Any, allowed: tuple[str, ...], where: str, bad: Any) -> list[str]:
    if not isinstance(raw, list) or not raw:
        raise bad(where, f"must be a non-empty list of {', '.join(allowed)}")
    for value in raw:
        if value not in allowed:
            raise bad(where, f"must list only {', '.join(allowed)} (got {value!r})")
    return list(raw)


@functools.cache
def builtin_table() -> Table:
    """The table shipped with the built-in rules (empty when the file is absent)."""
    path = rules_dir() / TABLE_FILE
    return load_table(path) if path.is_file() else Table({}, {}, {}, {})


def bind(rules: Iterable[Any], table: Table) -> None:
    """Give every contract rule its kind of terms and service types (rule metadata)."""
    for rule in rules:
        if rule.meta.target != "contract" or rule.builtin:
            continue
        terms = table.terms_of(rule.id, rule.meta.area)
        services = table.service_types_of(rule.id, rule.meta.area)
        rule.terms, rule.service_types = terms, services
        rule.meta = replace(rule.meta, terms=terms or "", service_types=tuple(sorted(services or ())))


@dataclass(frozen=True, slots=True)
class Scope:
    """One contract's service type and the kinds of terms its package carries (None: not stated)."""

    service_type: str | None
    carried: frozenset[str] | None
    documents: tuple[str, ...] = ()

    def admits(self, rule: Any) -> bool:
        """Whether ``rule`` concerns this contract (called per rule: two set lookups)."""
        services = rule.service_types
        if services is not None and self.service_type is not None and self.service_type not in services:
            return False
        return rule.terms is None or self.carried is None or rule.terms in self.carried

    def why_not(self, rule: Any) -> str | None:
        """Why ``rule`` does not apply here, in a reader's words (None when it applies)."""
        services = rule.service_types
        if services is not None and self.service_type is not None and self.service_type not in services:
            return f"applies to {', '.join(sorted(services))} services, not {self.service_type}"
        if not self.admits(rule):
            return f"the agreement package ({', '.join(self.documents)}) holds no {rule.terms} terms"
        return None


def scope(data: Mapping[str, Any], table: Table | None = None) -> Scope:
    """The scope of a contract document (everything applies when it states neither field)."""
    contract = data.get("contract")
    if type(contract) is not dict:
        return Scope(None, None)
    service = contract.get("service_type")
    service = service if service in SERVICE_TYPES else None  # unknown value: restrict nothing
    docs = contract.get("documents")
    if not isinstance(docs, list) or not docs:
        return Scope(service, None)
    table = table or builtin_table()
    kinds: set[str] = set()
    types: list[str] = []
    for doc in docs:
        kind = doc.get("type") if isinstance(doc, dict) else None
        types.append(str(kind))
        kinds |= table.documents.get(kind, frozenset(TERMS)) if isinstance(kind, str) else set(TERMS)
    return Scope(service, frozenset(kinds), tuple(types))
