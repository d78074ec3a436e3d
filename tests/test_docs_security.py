"""What docs/security.md promises, checked: no network, no code from inputs, the limits
it states are the ones in the code.

* A static scan of ``checker/``: no network library, no ``eval``/``exec``, one
  subprocess user (``gitchanges``: git for ``--changed-since``), pickle only for the
  worker processes and the anonymous scratch files of a large run, YAML only through safe loaders, XML only through expat.
* Every command of the getting-started path runs with sockets disabled.
* The numbers in the page's limits table are the constants in the code.
"""

from __future__ import annotations

import ast
import shutil
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker import msgtemplates, numcheck, runlimits, yamlio
from checker.cli import app
from checker.importers import cms, inventory_csv

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
SOURCES = sorted((ROOT / "checker").rglob("*.py"))
NETWORK = {"socket", "ssl", "http", "urllib.request", "requests", "httpx", "ftplib", "smtplib", "xmlrpc",
           "telnetlib", "asyncio", "aiohttp", "urllib3"}  # fmt: skip
ONLY_IN = {  # module → the one file allowed to import it (and why)
    "subprocess": "checker/gitchanges.py",  # git, for --changed-since
}
PICKLE = (
    "checker/run/run.py",
    "checker/run/executor.py",
    "checker/findings.py",
)  # own objects, in anonymous temporary files


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_package_never_imports_a_network_library_or_runs_code(source: Path) -> None:
    name = str(source.relative_to(ROOT))
    tree = ast.parse(source.read_text(encoding="utf-8"))
    imported = _imports(tree)
    for module in imported:
        top = module.split(".")[0]
        assert module not in NETWORK and top not in NETWORK - {"urllib"}, f"{name} imports {module}"
        assert module not in ("marshal", "shelve", "plistlib", "ctypes", "xml.sax", "xml.dom.minidom")
        if top in ONLY_IN:
            assert name == ONLY_IN[top], f"{name} imports {top}"
        if top == "pickle":
            assert name in PICKLE, f"{name} imports pickle"
    if "xml.etree.ElementTree" in imported:
        assert name == "checker/formats/junit.py"  # writes JUnit; never parses input
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("eval", "exec", "compile"), f"{name}:{node.lineno}"
            if node.func.id == "Environment":  # unsandboxed Jinja: only for the package's report templates
                assert name == "checker/report_render.py", f"{name}:{node.lineno}"
            if node.func.id == "__import__":  # the built-in facts' own modules, by fixed names
                assert name == "checker/facts/__init__.py", f"{name}:{node.lineno}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value.id if isinstance(node.func.value, ast.Name) else ""
            call = f"{owner}.{node.func.attr}"
            assert call not in ("yaml.unsafe_load", "yaml.full_load", "os.system"), f"{name}"
            if call == "pickle.load":  # only the scratch files the same module wrote
                assert name in PICKLE and "scratch_file(" in source.read_text(encoding="utf-8"), name
            if call == "yaml.load":  # only with a safe loader
                assert "SafeLoader" in ast.unparse(node), f"{name}:{node.lineno}: {ast.unparse(node)}"


def test_rule_messages_render_in_the_jinja_sandbox() -> None:
    from jinja2.sandbox import SandboxedEnvironment

    from checker import messages

    assert isinstance(messages.ENVIRONMENT, SandboxedEnvironment)


# ---- no network ---------------------------------------------------------------------------------


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Sockets that raise, and a list of every attempt (in case an attempt is swallowed)."""
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args)[:200])
        raise OSError("network disabled by the test")

    class NoSocket(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            refuse(*args)

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        monkeypatch.setattr(socket, name, refuse)
    return attempts


def test_every_command_runs_offline(
    offline: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "examples" / "contracts", tmp_path / "contracts")
    shutil.copytree(ROOT / "examples" / "district" / "exports", tmp_path / "exports")
    shutil.copy(ROOT / "examples" / "district" / "district.yaml", tmp_path / "district.yaml")
    shutil.copy(ROOT / "examples" / "audit-2025.json", tmp_path / "audit-2025.json")
    monkeypatch.chdir(tmp_path)
    day = ["--today", "2026-11-28"]
    commands = [
        (["lint", "contracts/", "district.yaml", *day, "--format", "sarif:out.sarif"], 1),
        (["lint", "exports/", *day], 1),
        (["gate", "contracts/clean-mdm-2026.yaml", "--decision-record", "rec", *day], 0),
        (
            [
                "report",
                "contracts/",
                "district.yaml",
                "--year",
                "2026",
                "--previous",
                "audit-2025.json",
                "-o",
                "audit.html",
                *day,
            ],
            0,
        ),
        (["tco", "contracts/", "--in-house", "district.yaml", "-f", "xlsx", "-o", "tco.xlsx"], 0),
        (
            [
                "import",
                *sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "exports").rglob("*.*")),
                "-o",
                "imported.yaml",
            ],
            0,
        ),
        (["init", "contract", "-o", "new.yaml"], 0),
        (["schema", "contract"], 0),
        (["rules", "test"], 0),
    ]
    for args, code in commands:
        result = CliRunner().invoke(app, args)
        assert result.exit_code == code, f"k12check {' '.join(args)}: {result.output[-1500:]}"
    assert offline == []
    assert "<script" not in Path("audit.html").read_text(encoding="utf-8")


# ---- the limits table ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "written"),
    [
        (yamlio.MAX_BYTES, 5 * 1024 * 1024, "5 MiB"),
        (yamlio.MAX_DEPTH, 64, "64 levels"),
        (yamlio.MAX_VALUES, 1_000_000, "1,000,000 values"),
        (numcheck.MAX_MAGNITUDE, 2**63 - 1, "9,223,372,036,854,775,807"),
        (msgtemplates.MAX_CHARS, 4096, "4,096 characters"),
        (msgtemplates.MAX_STEPS, 10_000, "10,000 loop steps"),
        (int(msgtemplates.SECONDS), 1, "1 second"),
        (int(runlimits.MAX_FILE_MIB), 1024, "1,024 MiB"),
        (inventory_csv.MAX_ROWS, 200_000, "200,000 rows"),
        (cms.MAX_DEPTH, 32, "32 levels"),
        (cms.MAX_NODES, 20_000, "20,000 nodes"),
    ],
)
def test_the_limits_the_page_states_are_the_code_s(value: int, expected: int, written: str) -> None:
    assert value == expected, f"the limit changed: update docs/security.md ({written})"
    assert written in PAGE
