"""The console-script entry point: --version answers without importing the CLI stack."""

from __future__ import annotations

import subprocess
import sys

from checker import __version__


def test_version_does_not_import_typer_rich_or_the_engine() -> None:
    code = (
        "import sys; sys.argv = ['k12check', '--version']\n"
        "from checker.__main__ import main; main()\n"
        "print(sorted(m for m in ('typer', 'rich', 'click', 'checker.engine', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [f"k12check {__version__}", "[]"]


def test_everything_else_goes_to_the_cli() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "rules", "list", "--area", "cost", "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and '"COST-001"' in proc.stdout
