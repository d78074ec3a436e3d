"""The docs as a site and on GitHub: mkdocs.yml's nav holds every hand-written page and
only pages that exist, relative links between pages resolve (GitHub follows them as
files), and ``mkdocs build --strict`` passes when MkDocs is installed (``.[docs]``;
.ci/run installs it and builds the site too).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _nav_pages(items: Any) -> list[str]:
    out: list[str] = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        out += _nav_pages(value) if isinstance(value, list) else [value]
    return out


CONFIG = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
NAV = _nav_pages(CONFIG["nav"])
HAND_WRITTEN = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md") if p.parent.name != "rules")


def test_the_nav_holds_every_page_once() -> None:
    assert len(NAV) == len(set(NAV)), "a page is twice in the nav"
    missing = sorted(set(HAND_WRITTEN) - set(NAV))
    assert not missing, f"pages not in mkdocs.yml's nav: {missing}"
    assert "rules/index.md" in NAV and NAV[0] == "index.md"


@pytest.mark.parametrize("page", NAV)
def test_every_nav_page_exists(page: str) -> None:
    assert (DOCS / page).is_file(), f"mkdocs.yml names docs/{page}, which does not exist (yet)"


def _links(page: Path) -> list[str]:
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.S | re.M)
    return [m.group(1) for m in LINK.finditer(text)]


@pytest.mark.parametrize("page", [*HAND_WRITTEN, "rules/index.md"])
def test_relative_links_resolve(page: str) -> None:
    source = DOCS / page
    broken = []
    for target in _links(source):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        path = target.split("#", 1)[0]
        resolved = (source.parent / path).resolve()
        if not resolved.exists():
            broken.append(target)
        elif DOCS.resolve() not in resolved.parents:
            broken.append(f"{target} (outside docs/: a dead link on the site)")
    assert not broken, f"docs/{page}: {broken}"


def test_the_readme_links_into_the_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Documentation", 1)[1].split("\n## ", 1)[0]
    targets = [t for t in LINK.findall(section) if not re.match(r"^[a-z]+:", t)]
    assert "docs/index.md" in targets
    for target in targets:
        assert (ROOT / target.split("#", 1)[0]).exists(), f"README links {target}"


@pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None, reason="MkDocs not installed (pip install -e '.[docs]')"
)
def test_mkdocs_build_strict(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "ci" / "github-actions.yml").is_file()  # the CI files are on the site


def test_ci_runs_the_readme_commands_verbatim() -> None:
    """README's test command is what .ci/run runs; its install-and-run command is what the wheel check runs."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme.split("## Two commands", 1)[1], re.S)[:2]
    install_and_run, test_command = blocks
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()
    assert install_and_run.endswith("k12check lint examples/") and 'lint "$OLDPWD/examples/"' in ci
