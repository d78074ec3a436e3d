"""The command line as the docs describe it: every command's --help shows an example,
``rules list`` filters by area, state and severity, the progress bar stays off when
stderr is not a terminal (and in CI), and ``NO_COLOR`` turns colour off.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from checker.cli import app, common

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def _commands() -> list[tuple[str, ...]]:
    """Every command path of the CLI, groups included: (), ("lint",), ("rules", "list"), ..."""
    found: list[tuple[str, ...]] = []

    def walk(cmd: Any, path: tuple[str, ...]) -> None:
        found.append(path)
        for name, sub in sorted((getattr(cmd, "commands", None) or {}).items()):  # a group
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


COMMANDS = _commands()


def test_the_walk_sees_the_nested_commands() -> None:
    assert {("lint",), ("gate",), ("report",), ("tco",), ("rules", "list"), ("init", "contract")} <= set(
        COMMANDS
    )
    assert len(COMMANDS) >= 18


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "k12check")
def test_every_help_has_an_example(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`k12check {' '.join(path)} --help` shows no example"
    assert "k12check " in result.output.split("Example", 1)[1], "the example is a k12check command line"


# ---- rules list --------------------------------------------------------------------------------


def _listed(*args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["rules", "list", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["rules"]


def test_rules_list_filters_by_area_state_and_severity() -> None:
    every = _listed()
    breach = _listed("--area", "breach")
    assert breach and {r["area"] for r in breach} == {"breach"}
    assert len(breach) == sum(1 for r in every if r["area"] == "breach")

    critical = _listed("--severity", "CRITICAL")
    assert critical and {r["severity"] for r in critical} == {"critical"}

    ny = _listed("--state", "ny")
    assert all(not r["states"] or "NY" in r["states"] for r in ny)
    ny_only = {r["id"] for r in ny if r["states"]}
    assert {"PRIV-019", "PRIV-020"} <= ny_only  # New York's own rules
    assert not {r["id"] for r in _listed("--state", "CA") if r["states"]} & ny_only
    assert len(ny) < len(every)

    both = _listed("--area", "breach", "--state", "NY", "--severity", "critical")
    assert both == [r for r in breach if r in critical and r in ny]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--area", "brach"], "unknown area 'brach'; choose one of: breach"),
        (["--severity", "hgh"], "unknown severity 'hgh'"),
        (["--state", "New York"], "two-letter state code"),
        (["--format", "yaml"], "--format must be table or json"),
    ],
)
def test_rules_list_rejects_a_bad_filter(args: list[str], says: str) -> None:
    result = runner.invoke(app, ["rules", "list", *args])
    assert result.exit_code == 2
    assert says in result.output


# ---- progress bar and colour -------------------------------------------------------------------


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(
    ("tty", "ci", "shown"), [(False, None, False), (True, "true", False), (True, None, True)]
)
def test_the_progress_bar_only_on_a_terminal_outside_ci(
    tty: bool, ci: str | None, shown: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stderr", _Stream(tty))
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    assert common.show_progress() is shown


@pytest.mark.parametrize(("value", "off"), [(None, False), ("", False), ("1", True), ("false", True)])
def test_no_color_turns_colour_off(value: str | None, off: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """https://no-color.org: present and not empty, whatever the value."""
    if value is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", value)
    assert common.no_color() is off


def test_text_on_a_terminal_is_coloured_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from checker import formats

    seen: list[bool] = []

    def stream(name: str, *args: object, color: bool = False, **kw: object) -> Iterator[str]:
        seen.append(color)
        return iter(())

    monkeypatch.setattr(formats, "stream", stream)
    monkeypatch.setattr(sys, "stdout", _Stream(True))
    paths = [ROOT / "examples" / "contracts" / "clean-mdm-2026.yaml"]
    outcome = common.run_checks(paths, common.run_options(paths, today="2026-11-28"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    common.emit(outcome, ["text"])
    monkeypatch.setenv("NO_COLOR", "1")
    common.emit(outcome, ["text"])
    assert seen == [True, False]
