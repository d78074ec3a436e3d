"""--changed-since: only files changed since a revision; clear errors outside git."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from checker.errors import UsageError
from checker.gitchanges import changed_files, changed_in

GOLDEN = Path(__file__).parent / "golden" / "inputs"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_changed_and_untracked_files(tmp_path: Path) -> None:
    for name in ("ok-vendor.yaml", "ny-vendor.yaml"):
        shutil.copy(GOLDEN / name, tmp_path / name)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "init")
    assert changed_files("HEAD", tmp_path) == set()
    (tmp_path / "ny-vendor.yaml").write_text((GOLDEN / "ny-vendor.yaml").read_text() + "# edited\n")
    (tmp_path / "new.yaml").write_text("kind: contract\n")
    assert changed_files("HEAD", tmp_path) == {
        (tmp_path / "ny-vendor.yaml").resolve(),
        (tmp_path / "new.yaml").resolve(),
    }
    with pytest.raises(UsageError, match="unknown git revision"):
        changed_files("no-such-rev", tmp_path)


def test_outside_a_checkout_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="needs a git checkout"):
        changed_files("HEAD", tmp_path)


def test_the_checkout_is_the_inputs_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    (repo / "contracts").mkdir(parents=True)
    elsewhere.mkdir()
    shutil.copy(GOLDEN / "ok-vendor.yaml", repo / "contracts" / "ok-vendor.yaml")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "init")
    (repo / "contracts" / "new.yaml").write_text("kind: contract\n")
    monkeypatch.chdir(elsewhere)  # not a checkout: the working directory is not asked
    new = {(repo / "contracts" / "new.yaml").resolve()}
    assert changed_in("HEAD", [repo / "contracts"]) == new
    assert changed_in("HEAD", [repo / "contracts" / "ok-vendor.yaml", repo / "contracts"]) == new
    with pytest.raises(UsageError, match="needs a git checkout"):
        changed_in("HEAD", [elsewhere])


def test_one_checkout_is_asked_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker import gitchanges

    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(GOLDEN / "ok-vendor.yaml", tmp_path / folder / "ok-vendor.yaml")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "init")
    asked: list[Path] = []
    real = gitchanges._changes
    monkeypatch.setattr(gitchanges, "_changes", lambda rev, top: asked.append(top) or real(rev, top))
    assert changed_in("HEAD", [tmp_path / "a", tmp_path / "b" / "ok-vendor.yaml"]) == set()
    assert len(asked) == 1
