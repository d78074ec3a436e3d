"""The cross-checks MDM-X-001..009 end to end: a district file and contract files on
disk, linted together through :func:`checker.lint` (the portfolio rules run
after every file has been read).  Each test asserts the finding, the line it
points at in the district file, and that a fixed variant clears it."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from checker.catalog import load_rules
from checker.models import Finding
from checker.run import run as lint

TODAY = dt.date(2026, 9, 1)
RULES = load_rules()

DISTRICT_HEAD = """\
kind: district
schema_version: 1
district: {id: lincoln, name: Lincoln Unified, state: CA, domains: [lincoln.k12.example.us]}
"""

CONTRACT_HEAD = """\
kind: contract
schema_version: 1
"""


def run(tmp_path: Path, district: str, contracts: list[str], rule: str) -> list[Finding]:
    """Lint the district and contracts in a fresh folder; the findings of ``rule``."""
    folder = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    (folder / "district.yaml").write_text(DISTRICT_HEAD + textwrap.dedent(district))
    for n, body in enumerate(contracts, 1):
        (folder / f"contract-{n}.yaml").write_text(CONTRACT_HEAD + textwrap.dedent(body))
    result = lint([folder], rules=RULES, today=TODAY)
    assert result.errors == []
    assert [
        f.message for f in result.findings if f.rule.startswith("SCHEMA-")
    ] == []  # fixtures fit the models
    return [f for f in result.findings if f.rule == rule]


def line_of(district: str, marker: str) -> int:
    """1-based line of ``marker`` in the district file as written by :func:`run`."""
    text = DISTRICT_HEAD + textwrap.dedent(district)
    return next(n for n, line in enumerate(text.splitlines(), 1) if marker in line)


def assert_one(findings: list[Finding], district: str, marker: str) -> Finding:
    assert len(findings) == 1, [f.message for f in findings]
    (finding,) = findings
    assert finding.file.endswith("district.yaml")
    assert finding.line == line_of(district, marker)
    return finding


READWELL_APP = """\
scopes:
  - {id: es-ipad, audience: students, grade_band: elem}
  - {id: hs-ipad, audience: students, grade_band: high}
apps:
  - {key: readwell, id_type: apple_bundle, app_id: com.readwell.app, name: ReadWell, vendor_ref: readwell, install: forced, scopes: [hs-ipad], student_data: "yes"}
"""

READWELL_ACTIVE = """\
vendor: {id: readwell, name: ReadWell Inc.}
contract: {status: signed, effective_date: 2025-07-01, term_months: 36, dpa: {type: ndpa_v2}}
"""

READWELL_ENDED = """\
vendor: {id: readwell, name: ReadWell Inc.}
contract: {status: signed, effective_date: 2022-07-01, term_months: 36, dpa: {type: ndpa_v2}}
"""


def test_x001_app_without_active_dpa(tmp_path: Path) -> None:
    found = run(tmp_path, READWELL_APP, [READWELL_ENDED], "MDM-X-001")
    finding = assert_one(found, READWELL_APP, "com.readwell.app")
    assert "ReadWell" in finding.message
    assert run(tmp_path, READWELL_APP, [READWELL_ACTIVE], "MDM-X-001") == []


def test_x001_unmapped_app_is_reported_and_mapping_by_app_id_clears_it(tmp_path: Path) -> None:
    district = READWELL_APP.replace("vendor_ref: readwell, ", "")
    finding = assert_one(
        run(tmp_path, district, [READWELL_ACTIVE], "MDM-X-001"), district, "com.readwell.app"
    )
    assert "not mapped to a vendor" in finding.message
    listed = READWELL_ACTIVE.replace(
        "}}\n", "}, products: [{name: ReadWell, app_ids: [com.readwell.app]}]}\n"
    )
    assert run(tmp_path, district, [listed], "MDM-X-001") == []


def test_cross_checks_need_contracts_in_the_run(tmp_path: Path) -> None:
    assert run(tmp_path, READWELL_APP, [], "MDM-X-001") == []


def test_x002_extension_outside_the_products_of_the_dpa(tmp_path: Path) -> None:
    district = """\
    apps:
      - {key: mathx, id_type: chrome_ext, app_id: abcdefghijklmnopabcdefghijklmnop, name: MathX Helper, vendor_ref: mathx, install: forced}
    """
    contract = """\
    vendor: {id: mathx}
    contract:
      status: signed
      end_date: 2028-06-30
      dpa: {type: ndpa_v2}
      products: [{name: MathX web, app_ids: ["https://app.mathx.example"]}]
    """
    assert_one(run(tmp_path, district, [contract], "MDM-X-002"), district, "abcdefghijklmnop")
    fixed = contract.replace(
        '"https://app.mathx.example"', '"https://app.mathx.example", abcdefghijklmnopabcdefghijklmnop'
    )
    assert run(tmp_path, district, [fixed], "MDM-X-002") == []


def test_x003_app_still_deployed_after_the_contract_ended(tmp_path: Path) -> None:
    found = run(tmp_path, READWELL_APP, [READWELL_ENDED], "MDM-X-003")
    assert_one(found, READWELL_APP, "com.readwell.app")
    removed = READWELL_APP.replace("install: forced", "install: blocked")
    assert run(tmp_path, removed, [READWELL_ENDED], "MDM-X-003") == []
    assert run(tmp_path, READWELL_APP, [READWELL_ENDED, READWELL_ACTIVE], "MDM-X-003") == []


def test_x004_elementary_app_without_coppa_terms(tmp_path: Path) -> None:
    district = READWELL_APP.replace("scopes: [hs-ipad]", "scopes: [es-ipad, hs-ipad]")
    assert_one(run(tmp_path, district, [READWELL_ACTIVE], "MDM-X-004"), district, "com.readwell.app")
    coppa = READWELL_ACTIVE + "data: {students_under_13: true}\nprivacy: {purpose_limited: true}\n"
    assert run(tmp_path, district, [coppa], "MDM-X-004") == []
    assert run(tmp_path, READWELL_APP, [READWELL_ACTIVE], "MDM-X-004") == []  # high school only


FILTERED = """\
scopes:
  - {id: hs-cb, audience: students}
policies:
  - scope: hs-cb
    platform: chromeos
    content_filter: {present: true, mechanism: extension, vendor_ref: safeweb}
devices:
  - {serial: 5CD001, platform: chromeos, scope: hs-cb}
  - {serial: 5CD002, platform: chromeos, scope: hs-cb}
  - {serial: 5CD003, platform: chromeos, scope: hs-cb}
"""


@pytest.mark.parametrize(
    "contract",
    [
        "vendor: {id: safeweb}\ncontract: {status: signed, end_date: 2027-06-30}\ncost: {device_count: 2}\n",
        "vendor: {id: safeweb}\ncontract: {status: signed, end_date: 2026-06-30}\ncost: {device_count: 500}\n",
    ],
    ids=["too-few-licences", "expired"],
)
def test_x005_filter_contract_short_or_expired(tmp_path: Path, contract: str) -> None:
    assert_one(run(tmp_path, FILTERED, [contract], "MDM-X-005"), FILTERED, "- scope: hs-cb")
    fixed = (
        "vendor: {id: safeweb}\ncontract: {status: signed, end_date: 2027-06-30}\ncost: {device_count: 3}\n"
    )
    assert run(tmp_path, FILTERED, [fixed], "MDM-X-005") == []


def test_x005_student_scope_without_filter(tmp_path: Path) -> None:
    district = FILTERED.replace("present: true", "present: false")
    contract = "vendor: {id: safeweb}\ncontract: {status: signed, end_date: 2027-06-30}\n"
    assert_one(run(tmp_path, district, [contract], "MDM-X-005"), district, "{id: hs-cb, audience")


SOURCES = """\
sources:
  - {vendor: jamf, path: exports/jamf-ipads.csv, format: csv}
devices:
  - {serial: DMP001, platform: ipados, source: jamf, assigned_user: s1@lincoln.k12.example.us}
  - {serial: DMP002, platform: ipados, source: jamf, assigned_user: s2@lincoln.k12.example.us}
"""


def test_x006_mdm_vendor_without_dpa(tmp_path: Path) -> None:
    contract = "vendor: {id: jamf}\ncontract: {status: signed, end_date: 2028-06-30, dpa: {type: none}}\n"
    assert_one(run(tmp_path, SOURCES, [contract], "MDM-X-006"), SOURCES, "vendor: jamf")
    fixed = contract.replace("type: none", "type: vendor_paper")
    assert run(tmp_path, SOURCES, [fixed], "MDM-X-006") == []


def test_x007_more_devices_than_licences(tmp_path: Path) -> None:
    contract = (
        "vendor: {id: jamf}\ncontract: {status: signed, end_date: 2028-06-30}\ncost: {device_count: 1}\n"
    )
    assert_one(run(tmp_path, SOURCES, [contract], "MDM-X-007"), SOURCES, "vendor: jamf")
    fixed = contract.replace("device_count: 1", "device_count: 2")
    assert run(tmp_path, SOURCES, [fixed], "MDM-X-007") == []


def test_x007_google_licences_spent_on_post_aue_devices(tmp_path: Path) -> None:
    district = """\
    sources:
      - {vendor: google, path: exports/cros.csv, format: csv}
    devices:
      - {serial: 5CD001, platform: chromeos, source: google, aue_date: 2025-06-01}
      - {serial: 5CD002, platform: chromeos, source: google, aue_date: 2031-06-01}
    """
    contract = (
        "vendor: {id: google}\ncontract: {status: signed, end_date: 2028-06-30}\ncost: {device_count: 10}\n"
    )
    finding = assert_one(run(tmp_path, district, [contract], "MDM-X-007"), district, "vendor: google")
    assert "past their Auto Update Expiration" in finding.message
    fixed = district.replace(
        "source: google, aue_date: 2025-06-01", "source: google, aue_date: 2025-06-01, status: retired"
    )
    assert run(tmp_path, fixed, [contract], "MDM-X-007") == []


def test_x008_lease_outlasts_aue(tmp_path: Path) -> None:
    district = """\
    devices:
      - {serial: 5CD001, platform: chromeos, model: Lenovo 100e Gen 2, aue_date: 2027-06-01}
      - {serial: 5CD002, platform: chromeos, model: Lenovo 100e Gen 4, aue_date: 2032-06-01}
    """
    lease = "vendor: {id: leaseco}\ncontract: {status: signed, end_date: 2029-06-30}\nstrat: {vendor_functions: [procurement]}\n"
    assert_one(run(tmp_path, district, [lease], "MDM-X-008"), district, "5CD001")
    shorter = lease.replace("2029-06-30", "2027-05-31")
    assert run(tmp_path, district, [shorter], "MDM-X-008") == []


def test_x009_retired_device_without_destruction_evidence(tmp_path: Path) -> None:
    district = """\
    devices:
      - {serial: 5CD001, platform: chromeos, status: retired}
      - {serial: 5CD002, platform: chromeos}
    """
    contract = "vendor: {id: recycler}\ncontract: {status: signed, end_date: 2027-06-30}\nsec: {retire_wipe_standard: nist_800_88}\n"
    assert_one(run(tmp_path, district, [contract], "MDM-X-009"), district, "5CD001")
    fixed = district.replace("status: retired}", "status: retired, destruction_evidence: CERT-0142}")
    assert run(tmp_path, fixed, [contract], "MDM-X-009") == []
