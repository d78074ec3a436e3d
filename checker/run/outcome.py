"""``RunOutcome``: what one run produced, typed (no loose dictionaries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..document import Document
from ..models import Finding, Result

if TYPE_CHECKING:  # the records are made by the policy layer; the outcome only carries them
    from ..catalog import RuleSet
    from ..config import Config
    from ..engine import Tailoring
    from ..gate import Decision


@dataclass
class RunOutcome(Result):
    """A finished run: the :class:`~checker.models.Result` that formatters render, plus
    the rules that judged it, the configuration used, notes for the user, the gate's
    decision when asked for, and the documents themselves when kept (report, tco).

    The inherited fields hold the findings (sorted, waivers marked, baseline applied),
    the per-document outcomes (``documents``), the errors and skipped files, and the
    baseline and gate records.
    """

    ruleset: RuleSet | None = None
    config: Config | None = None
    tailoring: Tailoring | None = None  # the configuration's adjustments, as the engine applied them
    waivers_file: str | None = None  # the waivers file applied, if any
    notes: list[str] = field(default_factory=list)
    gate: Decision | None = None
    kept: list[Document] = field(default_factory=list)  # with RunOptions.keep_documents

    def classify(self, finding: Finding) -> str | None:
        """Gate class of a finding: "hard", "soft" or None (the configuration decides)."""
        from ..config import gate_class

        return gate_class(finding, self.config) if self.config is not None else None

    def config_record(self) -> dict[str, Any]:
        """The configuration as used, for the decision record and the report."""
        return self.config.as_record() if self.config is not None else {}

    def metas(self) -> dict[str, Any]:
        """What formatters may know of each rule, by id."""
        return dict(self.ruleset.metas()) if self.ruleset is not None else {}
