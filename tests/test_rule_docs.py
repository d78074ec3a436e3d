"""The committed rule catalog in docs/rules/ is exactly what `k12check rules docs` generates."""

from __future__ import annotations

from pathlib import Path

from checker.catalog import load_rules
from checker.ruledocs import generate

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"


def test_committed_rule_docs_are_fresh() -> None:
    pages = generate(load_rules())
    stale = [n for n, text in pages.items() if not (DOCS / n).is_file() or (DOCS / n).read_text() != text]
    extra = [p.name for p in DOCS.glob("*.md") if p.name not in pages]
    assert not stale and not extra, (
        f"docs/rules is stale ({len(stale)} changed, {len(extra)} extra): run `k12check rules docs --out docs/rules/`"
    )


def test_index_groups_by_area_and_by_the_jurisdiction_field() -> None:
    index = generate(load_rules())["index.md"]
    assert "## By area" in index and "## By law or framework" in index
    sections = dict(part.split("\n", 1) for part in index.split("### ")[1:])
    assert "[PRIV-001]" in sections["California state law"] and "[MDM-ACC-001]" in sections["CIS Benchmarks"]
    # No MDM or SCHEMA rule (nor CTRL-015) sits under a state law it does not cite.
    for title, body in sections.items():
        if title.endswith("state law"):
            assert "[MDM-" not in body and "[SCHEMA-" not in body and "[CTRL-015]" not in body, title
