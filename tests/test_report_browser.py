"""The HTML report as a person sees it: rendered by headless Chromium to PNG, PDF and DOM.

Skips (saying why) when no Chromium is installed; on Debian `apt-get install -y chromium`.
"""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from checker.report import load_previous, make_report
from checker.report_render import to_html

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"
BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="headless Chromium not installed (Debian: apt-get install -y chromium)"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    cmd = [BROWSER, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    tmp = tmp_path_factory.mktemp("browser")
    previous = load_previous(EXAMPLES / "audit-2025.json")
    report = make_report(
        [EXAMPLES / "contracts", EXAMPLES / "district" / "district.yaml"],
        year=2026,
        today=dt.date(2026, 9, 1),
        previous=previous,
    )
    html = tmp / "audit-2026.html"
    html.write_text(to_html(report), encoding="utf-8")
    return html, report


def test_screenshot(page: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    html, _ = page
    png = html.with_suffix(".png")
    run = chromium(html.parent, f"--screenshot={png}", "--window-size=1280,4000", html.as_uri())
    assert png.exists(), run.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a blank page compresses to a few KB
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 4000)


def test_print_to_pdf(page: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    html, _ = page
    pdf = html.with_suffix(".pdf")
    run = chromium(html.parent, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.as_uri())
    assert pdf.exists(), run.stderr[-2000:]
    data = pdf.read_bytes()
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert data.startswith(b"%PDF") and pages >= 4  # the major sections start new pages


def test_dom_has_names_totals_and_charts_and_no_script_errors(page: tuple[Path, dict]) -> None:  # type: ignore[type-arg]
    html, report = page
    run = chromium(html.parent, "--dump-dom", html.as_uri())
    dom = run.stdout
    assert "Executive summary" in dom, run.stderr[-2000:]
    for card in report["scorecards"]:
        assert card["vendor"].replace("&", "&amp;") in dom
    assert f"${report['money']['portfolio_total']:,.0f}" in dom
    assert dom.count("<svg") == 5 and "<script" not in dom
    assert "Uncaught" not in run.stderr and ":CONSOLE(" not in run.stderr
