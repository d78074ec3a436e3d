"""The CI files the docs hand out work: docs/ci/github-actions.yml, docs/ci/gitlab-ci.yml
and the pre-commit hooks.

Each file parses as YAML; every ``k12check ...`` line in it parses with the real CLI; and
each job's k12check commands run, in order, in a git repository laid out like a
district's (``contracts/``, ``district.yaml``) on a branch that changed one contract, with
the CI variables the jobs read (``BASE``, ``CI_MERGE_REQUEST_DIFF_BASE_SHA``) set as the
CI service would set them.  The reports the jobs upload must then exist and parse.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from checker import __version__
from checker.cli import app

ROOT = Path(__file__).resolve().parents[1]
CI = ROOT / "docs" / "ci"
TODAY = "2026-11-28"
CHANGED = "contracts/clean-mdm-2026.yaml"  # the contract the pull request changes
runner = CliRunner()


def _load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((CI / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict), name
    return data


def _lines(script: str | list[str]) -> list[str]:
    items = script if isinstance(script, list) else [script]
    return [line.strip() for item in items for line in str(item).splitlines() if line.strip()]


def github_jobs() -> dict[str, list[str]]:
    """Job name → the shell lines of its ``run:`` steps."""
    jobs = _load("github-actions.yml")["jobs"]
    return {
        name: [ln for s in job["steps"] if "run" in s for ln in _lines(s["run"])]
        for name, job in jobs.items()
    }


def gitlab_jobs() -> dict[str, list[str]]:
    """Job name → before_script and script lines (hidden ``.templates`` merged in)."""
    data = _load("gitlab-ci.yml")
    out = {}
    for name, job in data.items():
        if not isinstance(job, dict) or name.startswith(".") or "script" not in job:
            continue
        base = data.get(job.get("extends", ""), {})
        before = job.get("before_script", base.get("before_script", []))
        out[name] = _lines(before) + _lines(job["script"])
    return out


def k12check_lines(lines: list[str]) -> list[str]:
    return [ln for ln in lines if ln.startswith("k12check ")]


def _expand(line: str, env: dict[str, str]) -> list[str]:
    def var(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        assert name in env, f"{line!r} reads ${name}, which the test does not set"
        return env[name]

    return shlex.split(re.sub(r"\$\{(\w+)\}|\$(\w+)", var, line))


def _dated(words: list[str]) -> list[str]:
    return [*words, "--today", TODAY] if words[0] in {"lint", "gate", "report"} else words


# ---- the files parse ----------------------------------------------------------------------------


def test_every_ci_file_parses_and_runs_k12check() -> None:
    gh, gl = github_jobs(), gitlab_jobs()
    assert set(gh) == {"lint", "gate"} and set(gl) == {"k12check:lint", "k12check:gate"}
    for jobs in (gh, gl):
        for name, lines in jobs.items():
            assert k12check_lines(lines), f"job {name} runs no k12check command"
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"k12check", "k12check-gate"}
    own = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [r["repo"] for r in own["repos"]] == ["local"]  # reading it fetches nothing


def test_the_pinned_version_is_this_one() -> None:
    pins = [_load("github-actions.yml")["env"]["K12CHECK"], _load("gitlab-ci.yml")["variables"]["K12CHECK"]]
    assert pins == [f"k12check=={__version__}"] * 2, "update the pin in docs/ci/*.yml on a release"


def _every_command() -> list[tuple[str, str]]:
    out = [(f"github {job}", ln) for job, lines in github_jobs().items() for ln in k12check_lines(lines)]
    out += [(f"gitlab {job}", ln) for job, lines in gitlab_jobs().items() for ln in k12check_lines(lines)]
    for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()):
        out.append((f"hook {hook['id']}", " ".join([hook["entry"], *hook.get("args", [])])))
    for repo in yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"]:
        for hook in repo["hooks"]:
            if hook["entry"].startswith("python3 -m checker "):
                out.append(
                    (f"pre-commit {hook['id']}", hook["entry"].replace("python3 -m checker", "k12check"))
                )
    return out


@pytest.mark.parametrize(("where", "line"), _every_command(), ids=lambda v: str(v)[:60])
def test_every_command_line_parses_with_the_real_cli(where: str, line: str) -> None:
    env = {"BASE": "origin/main", "CI_MERGE_REQUEST_DIFF_BASE_SHA": "0" * 40}
    words = _expand(line, env)
    result = runner.invoke(app, [*words[1:], "--help"])
    assert result.exit_code == 0, f"{where}: `{line}` does not parse:\n{result.output[-1500:]}"


# ---- the jobs run -------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def district_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A district's repository on a pull-request branch; returns the CI variables."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    shutil.copytree(ROOT / "examples" / "contracts", tmp_path / "contracts")
    shutil.copy(ROOT / "examples" / "district" / "district.yaml", tmp_path / "district.yaml")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "the signed contracts")
    base = _git(tmp_path, "rev-parse", "HEAD")
    _git(tmp_path, "update-ref", "refs/remotes/origin/main", base)
    _git(tmp_path, "checkout", "-q", "-b", "renewal")
    with (tmp_path / CHANGED).open("a", encoding="utf-8") as fh:
        fh.write("# renewal draft, 2027\n")
    _git(tmp_path, "commit", "-q", "-am", "renewal draft")
    monkeypatch.chdir(tmp_path)
    return {"BASE": "origin/main", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base}


def _run_job(lines: list[str], env: dict[str, str]) -> list[int]:
    codes = []
    for line in k12check_lines(lines):
        words = _dated(_expand(line, env))
        result = runner.invoke(app, words[1:])
        assert result.exit_code in (0, 1), f"`{line}` exited {result.exit_code}:\n{result.output[-2000:]}"
        codes.append(result.exit_code)
    return codes


def _check_reports(files: list[str]) -> None:
    for name in files:
        path = Path(name)
        assert path.is_file(), f"the job uploads {name}, which its commands did not write"
        text = path.read_text(encoding="utf-8")
        if name.endswith(".sarif"):
            assert json.loads(text)["version"] == "2.1.0"
        elif name.endswith(".json"):
            json.loads(text)
        elif name.endswith(".xml"):
            ET.fromstring(text)


def _decision_inputs() -> list[str]:
    record = json.loads(Path("decision-record.json").read_text(encoding="utf-8"))
    text = json.dumps(record)
    return sorted(f for f in re.findall(r'"(contracts/[^"]+)"', text))


def test_the_github_jobs_run(district_repo: dict[str, str]) -> None:
    jobs = _load("github-actions.yml")["jobs"]
    assert _run_job(github_jobs()["lint"], district_repo) == [1]  # the examples have findings
    steps = jobs["lint"]["steps"]
    uploaded = [s["with"]["sarif_file"] for s in steps if "upload-sarif" in s.get("uses", "")]
    commented = re.findall(r"--body-file (\S+)", " ".join(s.get("run", "") for s in steps))
    assert uploaded == ["k12check.sarif"] and commented
    _check_reports(uploaded + commented)

    _run_job(github_jobs()["gate"], district_repo)
    kept = [s["with"]["path"] for s in jobs["gate"]["steps"] if "upload-artifact" in s.get("uses", "")]
    _check_reports(kept[0].split())
    assert set(_decision_inputs()) == {CHANGED}  # --changed-since: only the changed contract


def test_the_gitlab_jobs_run(district_repo: dict[str, str]) -> None:
    data = _load("gitlab-ci.yml")
    assert _run_job(gitlab_jobs()["k12check:lint"], district_repo) == [1]
    reports = data["k12check:lint"]["artifacts"]["reports"]
    _check_reports([reports["codequality"], reports["junit"]])
    quality = json.loads(Path(reports["codequality"]).read_text())
    assert (
        isinstance(quality, list)
        and quality
        and {"description", "fingerprint", "location"} <= set(quality[0])
    )

    _run_job(gitlab_jobs()["k12check:gate"], district_repo)
    _check_reports(data["k12check:gate"]["artifacts"]["paths"])
    assert set(_decision_inputs()) == {CHANGED}


def test_the_pre_commit_hook_runs_in_a_district_repository(district_repo: dict[str, str]) -> None:
    """The hook as pre-commit calls it: entry + args, no file names (pass_filenames: false)."""
    hook = next(
        h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()) if h["id"] == "k12check"
    )
    assert hook["pass_filenames"] is False
    Path(".pre-commit-config.yaml").write_text("repos: []\n")  # stray YAML a walk must skip
    Path("k12check.yaml").write_text("fail_on: critical\n")
    words = _dated(shlex.split(hook["entry"]) + hook["args"])
    result = runner.invoke(app, words[1:])
    assert result.exit_code == 1, result.output[-2000:]  # critical findings; no error for stray files
    assert "error:" not in result.output
