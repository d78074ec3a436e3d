"""Generate N contract files in the k12check model (deterministic: file i depends on seed and i).

Like the peer workload, about a third of the files break one to four terms; the rest are
compliant.  Compliant files start from tests/fixtures/compliant-contract.yaml with fresh
ids, names and amounts; broken ones then get a few leaf values flipped, nulled or
scaled.  ``--random`` instead draws every value from the contract schema (far more
findings per file: a stress test of finding output, not a realistic portfolio).

    python benchmarks/gen_contracts.py 1000 /tmp/k12-1000 [--seed 20261128]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checker.validate import load_schema

BASE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "compliant-contract.yaml"
STATES = ["NY", "CA", "IL", "CT", "TX", "CO", "UT", "WA", "OH", "FL"]


def value_for(name: str, rules: dict[str, Any], rng: random.Random, depth: int) -> Any:
    kind = rules.get("type")
    if "allowed" in rules and kind != "list":
        return rng.choice(list(rules["allowed"]))
    if kind == "dict":
        schema = rules.get("schema")
        if isinstance(schema, dict):
            return mapping(schema, rng, depth + 1)
        return {rng.choice(STATES): {"parents_bill_of_rights": True}} if "state_terms" in name else {}
    if kind == "list":
        item = rules.get("schema") or {}
        if "allowed" in item:
            pool = list(item["allowed"])
            return rng.sample(pool, rng.randint(1, min(4, len(pool))))
        if item.get("type") == "dict":
            return [mapping(item.get("schema") or {}, rng, depth + 1) for _ in range(rng.randint(1, 3))]
        if item.get("type") == "integer":
            return [rng.randint(20_000, 120_000) for _ in range(rng.randint(1, 5))]
        return [f"item-{rng.randint(1, 99)}" for _ in range(rng.randint(1, 3))]
    if kind == "boolean":
        return rng.random() < 0.88
    if kind == "integer":
        return _integer(name, rng)
    if kind in ("float", "number"):
        return round(rng.uniform(0, 5), 2) if "pct" in name else round(rng.uniform(1, 20), 2)
    if kind == "date":
        return dt.date(2025, 7, 1) + dt.timedelta(days=rng.randint(0, 500))
    if "state" in name:
        return rng.choice(STATES)
    if "timezone" in name:
        return rng.choice(["America/New_York", "America/Chicago", "America/Los_Angeles"])
    if name == "id":
        return f"vendor-{rng.randint(1, 400):03d}"
    return f"{name.replace('_', ' ').title()} {rng.randint(1, 9999)}"


def _integer(name: str, rng: random.Random) -> int:
    if name.endswith("_hours"):
        return rng.choice([24, 48, 72, 72, 96, 168])
    if name.endswith("_days"):
        return rng.choice([10, 30, 45, 60, 60, 90, 120])
    if name.endswith("_minutes"):
        return rng.choice([15, 30, 60, 60, 120])
    if name.endswith("_months"):
        return rng.choice([6, 12, 12, 24, 36])
    if name.endswith("_usd"):
        return rng.choice([0, 0, 1500, 25_000, 250_000, 1_000_000])
    return rng.randint(1, 12)


def mapping(schema: dict[str, Any], rng: random.Random, depth: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, rules in schema.items():
        if not isinstance(rules, dict) or name in ("kind", "schema_version"):
            continue
        if depth and not rules.get("required") and rng.random() < 0.04:
            continue  # the contract is silent here
        out[name] = value_for(name, rules, rng, depth)
    return out


def contract(i: int, seed: int, schema: dict[str, Any]) -> dict[str, Any]:
    rng = random.Random(seed * 1_000_003 + i)
    doc = {"kind": "contract", "schema_version": 1, **mapping(schema, rng)}
    doc["contract"]["id"] = f"K12-{i:06d}"
    doc["vendor"]["id"] = f"vendor-{i % 400:03d}"
    return doc


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*path, k))]
    if isinstance(node, list) and node and isinstance(node[0], dict):
        return [p for n, v in enumerate(node) for p in _leaves(v, (*path, n))]
    return [path]


def _break(doc: dict[str, Any], path: tuple[Any, ...], rng: random.Random) -> None:
    parent: Any = doc
    for step in path[:-1]:
        parent = parent[step]
    value = parent[path[-1]]
    if isinstance(value, bool):
        parent[path[-1]] = not value
    elif isinstance(value, (int, float)):
        parent[path[-1]] = type(value)(value * rng.choice([3, 10])) if value else 1
    else:
        parent[path[-1]] = None


def realistic(i: int, seed: int, base: dict[str, Any]) -> dict[str, Any]:
    rng = random.Random(seed * 1_000_003 + i)
    doc = copy.deepcopy(base)
    doc["contract"]["id"] = f"K12-{i:06d}"
    doc["contract"]["title"] = f"Managed services agreement {i}"
    doc["vendor"].update(id=f"vendor-{i % 400:03d}", name=f"Vendor {i % 400:03d} Inc.")
    doc["cost"]["initial_usd"] = rng.randint(5, 60) * 1000
    if rng.random() < 1 / 3:
        leaves = [p for p in _leaves(doc) if p[0] not in ("kind", "schema_version", "vendor", "contract")]
        for path in rng.sample(leaves, rng.randint(1, 4)):
            _break(doc, path, rng)
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--random", action="store_true", help="draw every value from the schema")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    schema = load_schema("contract")
    base = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    for i in range(args.n):
        doc = contract(i, args.seed, schema) if args.random else realistic(i, args.seed, base)
        text = yaml.safe_dump(doc, sort_keys=False, width=100)
        (args.out / f"contract-{i:06d}.yaml").write_text(text, encoding="utf-8")
    print(f"wrote {args.n} contracts to {args.out}")


if __name__ == "__main__":
    main()
