"""Generate N contract files in the k12check model (deterministic: file i depends on seed and i).

Values are drawn from the contract schema itself (checker/schemas/contract.yaml), mostly
compliant-looking with some silence and some weak terms, so every rule does real work.

    python benchmarks/gen_contracts.py 1000 /tmp/k12-1000 [--seed 20261128]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checker.validate import load_schema

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    schema = load_schema("contract")
    for i in range(args.n):
        text = yaml.safe_dump(contract(i, args.seed, schema), sort_keys=False, width=100)
        (args.out / f"contract-{i:06d}.yaml").write_text(text, encoding="utf-8")
    print(f"wrote {args.n} contracts to {args.out}")


if __name__ == "__main__":
    main()
