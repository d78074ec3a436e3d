"""Every rule citation is a primary source with a stated jurisdiction."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from checker import jurisdictions
from checker.catalog import load_rules

ROOT = Path(__file__).resolve().parents[1]
ALLOWLIST = ROOT / "docs" / "reference-hosts.yaml"
RULES = load_rules().rules
REFS = [(r.id, ref) for r in RULES for ref in r.meta.references]


def _allowed() -> list[str]:
    return list(yaml.safe_load(ALLOWLIST.read_text())["hosts"])


def _ok(url: str, allowed: list[str]) -> bool:
    parsed = urlparse(url)
    where = f"{parsed.hostname}{parsed.path}"
    return parsed.scheme == "https" and any(
        where.startswith(entry) if "/" in entry else parsed.hostname == entry for entry in allowed
    )


def test_every_reference_url_is_on_the_official_host_list() -> None:
    allowed = _allowed()
    bad = sorted({f"{rid}: {ref.url}" for rid, ref in REFS if ref.url and not _ok(ref.url, allowed)})
    assert not bad, "references outside docs/reference-hosts.yaml:\n" + "\n".join(bad)


def test_every_allowlisted_host_says_whose_site_it_is() -> None:
    lines = [ln for ln in ALLOWLIST.read_text().splitlines() if ln.strip().startswith("- ")]
    assert lines and all(re.search(r"#\s*\S", ln) for ln in lines)


@pytest.mark.parametrize(
    "url",
    [
        "https://lawinsider.com/clause/data-breach/_2",
        "https://sites.google.com/cheshire.k12.ct.us/data-privacy/privacy-compliance",
        "https://github.com/GAM-team/GAM/wiki/Chrome-Policies",
        "http://www.ecfr.gov/current/title-34",
    ],
)
def test_secondary_sources_are_refused(url: str) -> None:
    assert not _ok(url, _allowed())


def test_every_reference_has_a_known_jurisdiction_and_no_citation_is_unconfirmed() -> None:
    assert REFS
    for rid, ref in REFS:
        assert jurisdictions.is_known(ref.jurisdiction), (rid, ref)
        assert "unconfirmed" not in ref.cite.lower(), (rid, ref.cite)
    for rule in RULES:
        assert "unconfirmed" not in rule.meta.description.lower(), rule.id


def test_state_citations_are_that_states_law() -> None:
    """A citation tagged with a state is on that state's official site, and vice versa for federal law."""
    state_hosts = {
        "CA": "leginfo.legislature.ca.gov", "CO": "leg.colorado.gov", "CT": "www.cga.ct.gov", "IL": "ilga.gov",
        "MT": "leg.mt.gov", "NY": "www.nysed.gov", "TX": "statutes.capitol.texas.gov", "UT": "le.utah.gov",
    }  # fmt: skip
    for rid, ref in REFS:
        if jurisdictions.is_state(ref.jurisdiction) and ref.url:
            assert (urlparse(ref.url).hostname or "").endswith(state_hosts[ref.jurisdiction]), (rid, ref)


def test_mdm_and_schema_rules_cite_no_state_law() -> None:
    """The old substring match filed MDM-INV-008, CTRL-015, BRCH-008 and SCHEMA-* under Connecticut."""
    for rule in RULES:
        if rule.id.startswith(("MDM-", "SCHEMA-")) or rule.id == "CTRL-015":
            assert not any(jurisdictions.is_state(r.jurisdiction) for r in rule.meta.references), rule.id
