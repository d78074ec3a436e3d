"""CHANGELOG.md keeps its promises: the sections of shared/STYLE.md under Unreleased, a
version policy, and retired rule ids that no rule uses again."""

from __future__ import annotations

import re
from pathlib import Path

from checker.catalog import load_rules

ROOT = Path(__file__).resolve().parents[1]
TEXT = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
RULE_ID = re.compile(r"\b[A-Z]+(?:-[A-Z]+)*-\d{3}\b")


def _sections(release: str) -> dict[str, str]:
    body = TEXT.split(f"## {release}\n", 1)[1].split("\n## ", 1)[0]
    parts = re.split(r"^### (.+)$", body, flags=re.M)
    return {title.strip(): text for title, text in zip(parts[1::2], parts[2::2], strict=True)}


def test_unreleased_has_the_style_sections() -> None:
    sections = _sections("[Unreleased]")
    for name in ("New rules", "Fixed false positives", "Fixed false negatives", "Changed", "Retired rules"):
        assert name in sections, f"CHANGELOG.md: Unreleased has no '### {name}'"


def test_there_is_a_version_policy() -> None:
    policy = TEXT.split("## Version policy\n", 1)[1].split("\n## ", 1)[0]
    for promise in ("Semantic Versioning", "never reused", "Retired rules", "severity"):
        assert promise in policy


def test_retired_rule_ids_are_never_reused() -> None:
    retired = {
        rule_id
        for title, text in re.findall(r"^### (.+)$\n(.*?)(?=^##)", TEXT + "\n##", flags=re.M | re.S)
        if title.strip() == "Retired rules"
        for rule_id in RULE_ID.findall(text)
    }
    reused = retired & set(load_rules().by_id)
    assert not reused, f"retired rule ids back in use: {sorted(reused)}"
