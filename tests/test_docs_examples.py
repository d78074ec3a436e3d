"""Every code sample in the hand-written docs runs here.

A fenced ``yaml``, ``sh`` or ``json`` block in ``docs/`` (the generated ``docs/rules/`` and
model references aside) is preceded by a marker saying how it is tested::

    <!-- test: rule -->          a whole rule file: it loads, and its pass/fail examples behave
    <!-- test: condition -->     check + pass + fail (+ params, target, missing, applies, states,
                                 escalate): wrapped in a rule and its examples run
    <!-- test: cli -->           `k12check ...` lines, run in order in the page's sandbox; each
                                 exits 0, or N with `exit=N` in the marker or `exit N` in a
                                 trailing comment; globs expand as in a shell; lint, gate,
                                 explain and report run as of 2026-11-28 unless `--today` is
                                 given; `pip install` lines are not run
    <!-- test: config -->        a k12check.yaml: it loads and the rule ids and parameters exist
    <!-- test: waivers -->       a waivers file: it loads against the built-in rules
    <!-- test: contract -->      a contract (or `district`) document with no schema finding
    <!-- test: file PATH -->     the text of that repository file, verbatim
    <!-- test: json -->          valid JSON
    <!-- test: finding FILE RULE --> exactly the JSON of RULE's finding when FILE is linted
                                 (--today 2026-11-28)
    <!-- test: precommit -->     a user's .pre-commit-config.yaml using this repository's hooks
    <!-- test: bench -->         benchmark commands (too slow to run here): every script named
                                 exists, and every ``--option`` given to an argparse script is
                                 one its ``--help`` lists
    <!-- test: refused TEXT -->  a hostile input (any language; save=NAME picks its file name):
                                 linting it is an error, exit 2, whose message contains TEXT,
                                 and nothing is written beside it

Each page runs in a sandbox folder laid out like a district's repository: ``examples/`` (a
copy), ``contracts/`` (the example contracts), ``district.yaml`` (the example district) and
``exports/`` (its raw MDM exports).  ``save=NAME`` in a marker also writes the block to NAME in the page's sandbox, for the
commands after it.  ``git`` in any marker of a page makes its sandbox a git repository with
everything committed before the first sample runs, so ``--changed-since HEAD`` sees only
what later samples write.  A block that is not marked fails :func:`test_every_sample_is_marked`.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from checker.catalog import load_rules
from checker.cli import app
from checker.config import check_rules, load_config
from checker.ruletest import run_all
from checker.validate import validate
from checker.waivers import load_waivers

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GENERATED = {"contract-model.md", "district-model.md"}  # their hand-written part is checked too (below)
FENCE = re.compile(
    r"^(?:<!-- test: (?P<marker>[^>]*?) -->[ \t]*\n)?```(?P<lang>[\w-]*)\n(?P<body>.*?)^```", re.M | re.S
)
DATED = {"lint", "gate", "explain", "report"}  # commands whose verdicts depend on the date
TODAY = "2026-11-28"
CHECKED_LANGS = {"yaml", "yml", "sh", "bash", "json"}


@dataclass(frozen=True)
class Sample:
    page: str
    index: int
    lang: str
    marker: str
    body: str

    @property
    def kind(self) -> str:
        return self.marker.split()[0] if self.marker else ""

    def option(self, name: str) -> str | None:
        found = re.search(rf"\b{name}=(\S+)", self.marker)
        return found.group(1) if found else None

    @property
    def id(self) -> str:
        return f"{self.page}#{self.index}-{self.kind or 'unmarked'}"


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "rules" not in p.relative_to(DOCS).parts)


def samples_of(page: Path) -> list[Sample]:
    text = page.read_text(encoding="utf-8")
    if page.name in GENERATED and "<!-- generated below" in text:
        text = text.split("<!-- generated below", 1)[0]
    name = str(page.relative_to(ROOT))
    return [
        Sample(name, n, m["lang"], (m["marker"] or "").strip(), m["body"])
        for n, m in enumerate(FENCE.finditer(text), 1)
    ]


ALL = [s for page in _pages() for s in samples_of(page)]
PAGES = sorted({s.page for s in ALL if s.kind})


def test_every_sample_is_marked() -> None:
    unmarked = [s.id for s in ALL if s.lang in CHECKED_LANGS and not s.kind]
    assert not unmarked, f"code samples without a <!-- test: ... --> marker: {unmarked}"
    assert sum(1 for s in ALL if s.kind) >= 40  # the guides are full of runnable samples


@pytest.fixture(scope="module")
def builtin():  # type: ignore[no-untyped-def]
    return load_rules()


@pytest.mark.parametrize("page", PAGES)
def test_page_samples_run(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builtin) -> None:  # type: ignore[no-untyped-def]
    sandbox(tmp_path)
    monkeypatch.chdir(tmp_path)
    if any("git" in s.marker.split()[1:] for s in ALL if s.page == page):
        commit_all(tmp_path)
    for sample in (s for s in ALL if s.page == page and s.kind):
        save = sample.option("save")
        if save:
            Path(save).parent.mkdir(parents=True, exist_ok=True)
            Path(save).write_text(sample.body, encoding="utf-8")
        RUNNERS[sample.kind](sample, tmp_path, builtin)


def sandbox(folder: Path) -> None:
    """A district repository: the examples, plus contracts/, district.yaml and exports/ at the top."""
    shutil.copytree(ROOT / "examples", folder / "examples")
    shutil.copytree(ROOT / "examples" / "contracts", folder / "contracts")
    shutil.copytree(ROOT / "examples" / "district" / "exports", folder / "exports")
    shutil.copy(ROOT / "examples" / "district" / "district.yaml", folder / "district.yaml")


def commit_all(folder: Path) -> None:
    """Make the sandbox a git repository with one commit of everything in it."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    who = {"GIT_AUTHOR_NAME": "docs", "GIT_AUTHOR_EMAIL": "docs@example.org",
           "GIT_COMMITTER_NAME": "docs", "GIT_COMMITTER_EMAIL": "docs@example.org"}  # fmt: skip
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "district repository"]):
        subprocess.run(["git", *args], cwd=folder, env={**os.environ, **who}, check=True, capture_output=True)


# ---- runners ----------------------------------------------------------------------------------


def _yaml(sample: Sample) -> Any:
    return yaml.safe_load(sample.body)


def run_rule_file(sample: Sample, tmp: Path, builtin: Any, raw: dict[str, Any] | None = None) -> None:
    raw = raw if raw is not None else _yaml(sample)
    pack = tmp / f"doc-rules-{sample.index}"
    pack.mkdir()
    (pack / f"{raw['id']}.yaml").write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    ruleset = load_rules([pack], builtin=False)
    assert not ruleset.errors, f"{sample.id}: {[e.render() for e in ruleset.errors]}"
    bad = [o for o in run_all(ruleset) if not o.ok]
    assert not bad, f"{sample.id}: " + "; ".join(f"{o.name}: {o.detail}" for o in bad)


def run_condition(sample: Sample, tmp: Path, builtin: Any) -> None:
    spec = _yaml(sample)
    assert {"check", "pass", "fail"} <= set(spec), f"{sample.id}: a condition sample has check, pass and fail"
    rule = {
        "id": f"DOC-{sample.index:03d}", "title": "doc sample", "area": "custom", "severity": "low",
        "target": spec.pop("target", "contract"), "description": "A sample from the docs.",
        "message": spec.pop("message", "failed"), "remediation": "n/a", "references": [{"cite": "docs", "jurisdiction": "project"}],
        "examples": {"pass": spec.pop("pass"), "fail": spec.pop("fail")}, **spec,
    }  # fmt: skip
    run_rule_file(sample, tmp, builtin, rule)


def run_cli(sample: Sample, tmp: Path, builtin: Any) -> None:
    default = int(sample.option("exit") or 0)
    runner = CliRunner()
    for line in sample.body.splitlines():
        command, _, comment = line.partition(" #")
        command = command.strip()
        if not command or command.startswith(("#", "pip install")):
            continue
        words = _expand(shlex.split(command))
        assert words[0] == "k12check", f"{sample.id}: only k12check commands run here (got {line!r})"
        if words[1] in DATED and "--today" not in words:
            words += ["--today", TODAY]
        found = re.search(r"\bexit (\d)\b", comment)
        want = int(found.group(1)) if found else default
        result = runner.invoke(app, words[1:])
        assert result.exit_code == want, (
            f"{sample.id}: `{command}` exited {result.exit_code}, the docs say {want}\n{result.output[-2000:]}"
        )


def _expand(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        hits = sorted(glob.glob(word)) if any(ch in word for ch in "*?[") else []
        out += hits or [word]
    return out


def run_config(sample: Sample, tmp: Path, builtin: Any) -> None:
    path = tmp / f"config-{sample.index}" / "k12check.yaml"
    path.parent.mkdir()
    path.write_text(sample.body, encoding="utf-8")
    check_rules(load_config(path), builtin.metas())


def run_waivers(sample: Sample, tmp: Path, builtin: Any) -> None:
    path = tmp / f"waivers-{sample.index}.yaml"
    path.write_text(sample.body, encoding="utf-8")
    assert load_waivers(path, builtin.metas()), f"{sample.id}: no waiver read"


def run_document(sample: Sample, tmp: Path, builtin: Any) -> None:
    data = _yaml(sample)
    assert data.get("kind") == sample.kind, f"{sample.id}: kind: {sample.kind} expected"
    assert validate(sample.kind, data) == []


def run_file(sample: Sample, tmp: Path, builtin: Any) -> None:
    name = sample.marker.split()[1]
    assert (ROOT / name).read_text(encoding="utf-8") == sample.body, f"{sample.id}: differs from {name}"


def run_json(sample: Sample, tmp: Path, builtin: Any) -> None:
    json.loads(sample.body)


def run_bench(sample: Sample, tmp: Path, builtin: Any) -> None:
    for line in sample.body.splitlines():
        words = shlex.split(line, comments=True)
        scripts = [w for w in words if w.endswith(".py")]
        for script in scripts:
            path = ROOT / script
            assert path.is_file(), f"{sample.id}: {script} is not in the repository"
            if "argparse" not in path.read_text(encoding="utf-8"):
                continue
            shown = subprocess.run(
                [sys.executable, str(path), "--help"], capture_output=True, text=True, timeout=60, cwd=ROOT
            )
            assert shown.returncode == 0, f"{sample.id}: {script} --help: {shown.stderr[-500:]}"
            listed = set(re.findall(r"--[\w-]+", shown.stdout))
            for option in (w for w in words if w.startswith("--")):
                assert option in listed, f"{sample.id}: {script} has no {option}"


def run_finding(sample: Sample, tmp: Path, builtin: Any) -> None:
    _, file, rule = sample.marker.split()
    result = CliRunner().invoke(app, ["lint", file, "--format", "json", "--today", TODAY])
    found = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == rule]
    assert found == [json.loads(sample.body)], f"{sample.id}: the {rule} finding on {file} differs"


def run_precommit(sample: Sample, tmp: Path, builtin: Any) -> None:
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    used = [h["id"] for repo in _yaml(sample)["repos"] for h in repo["hooks"]]
    assert used and set(used) <= hooks, f"{sample.id}: hooks {used} not all in .pre-commit-hooks.yaml"


def run_refused(sample: Sample, tmp: Path, builtin: Any) -> None:
    says = " ".join(w for w in sample.marker.split()[1:] if not w.startswith("save="))
    name = sample.option("save") or f"refused-{sample.index}.{sample.lang or 'yaml'}"
    Path(name).write_text(sample.body, encoding="utf-8")
    before = sorted(p.name for p in Path(".").iterdir())
    result = CliRunner().invoke(app, ["lint", name, "--format", "json", "--today", TODAY])
    assert result.exit_code == 2, f"{sample.id}: exited {result.exit_code}, not 2\n{result.output[-1500:]}"
    errors = json.loads(result.stdout)["errors"]
    assert len(errors) == 1 and says in errors[0]["message"], f"{sample.id}: {errors}"
    assert sorted(p.name for p in Path(".").iterdir()) == before, f"{sample.id}: wrote a file"


RUNNERS = {
    "rule": run_rule_file,
    "condition": run_condition,
    "cli": run_cli,
    "config": run_config,
    "waivers": run_waivers,
    "contract": run_document,
    "district": run_document,
    "file": run_file,
    "json": run_json,
    "finding": run_finding,
    "bench": run_bench,
    "precommit": run_precommit,
    "refused": run_refused,
}


def test_markers_are_known() -> None:
    unknown = [s.id for s in ALL if s.kind and s.kind not in RUNNERS]
    assert not unknown, f"unknown test markers: {unknown} (known: {sorted(RUNNERS)})"


def test_a_wrong_exit_code_in_the_docs_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The runner is honest: a documented exit code that is wrong fails."""
    sandbox(tmp_path)
    monkeypatch.chdir(tmp_path)
    lying = Sample(
        "x.md", 1, "sh", "cli", "k12check lint examples/contracts/problem-vendor-2026.yaml  # exit 0\n"
    )
    with pytest.raises(AssertionError, match="exited 1"):
        run_cli(lying, tmp_path, None)
    broken = Sample(
        "x.md", 2, "yaml", "condition", "check: {path: a, lte: 3}\npass: [{a: 4}]\nfail: [{a: 5}]\n"
    )
    with pytest.raises(AssertionError, match="pass-1"):
        run_condition(broken, tmp_path, None)
