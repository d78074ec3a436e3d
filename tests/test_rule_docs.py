"""The committed rule catalog in docs/rules/ is exactly what `k12check rules docs` generates."""

from __future__ import annotations

from pathlib import Path

from checker.catalog import load_rules
from checker.ruledocs import generate, statute_of

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"


def test_committed_rule_docs_are_fresh() -> None:
    pages = generate(load_rules())
    stale = [n for n, text in pages.items() if not (DOCS / n).is_file() or (DOCS / n).read_text() != text]
    extra = [p.name for p in DOCS.glob("*.md") if p.name not in pages]
    assert not stale and not extra, (
        f"docs/rules is stale ({len(stale)} changed, {len(extra)} extra): run `k12check rules docs --out docs/rules/`"
    )


def test_index_groups_by_area_and_statute() -> None:
    index = generate(load_rules())["index.md"]
    assert "## By area" in index and "## By statute or framework" in index
    assert statute_of("34 CFR 99.31(a)(1)(i)(B)") == "FERPA (34 CFR 99)"
    assert statute_of("8 NYCRR 121.10(a)") == "New York Ed Law 2-d / 8 NYCRR 121"
