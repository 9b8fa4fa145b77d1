"""What a batch did: documents and bytes, sites, the rules that fired, and the inputs that failed.

Workers each count their share and the parent merges the counts, so nothing but these small
totals crosses between processes. `Stats.to_json` is the ``--stats`` file that rule-health
tooling reads; its shape is fixed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cleaner.api import CleanResult

UNKNOWN_SITE = "unknown"
_TOP_RULES = 8


@dataclass
class Stats:
    """Counts of one batch, or of one worker's share of it (see `merge`)."""

    documents: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    sites: Counter[str] = field(default_factory=Counter)
    rule_documents: Counter[str] = field(default_factory=Counter)
    rule_lines: Counter[str] = field(default_factory=Counter)
    rules_counted: bool = False
    warnings: int = 0
    failures: int = 0
    unshown: Counter[str] = field(default_factory=Counter)
    """Messages counted but not printed, by kind (see `cleaner.errors.RepeatLimit`)."""
    empty_inputs: int = 0
    resumed: int = 0
    timeouts: Counter[str] = field(default_factory=Counter)  # documents given up, per rule
    unread_dates: int = 0
    unread_date_example: str | None = None

    def add(self, result: CleanResult, bytes_in: int, bytes_out: int) -> None:
        """Count one cleaned document; its rules too when it was cleaned with a trace."""
        self.documents += 1
        self.bytes_in += bytes_in
        self.bytes_out += bytes_out
        self.sites[result.site or UNKNOWN_SITE] += 1
        if result.unread_date is not None:
            self.unread_dates += 1
            self.unread_date_example = self.unread_date_example or result.unread_date
        if result.removals is not None:
            self.rules_counted = True
            fired = Counter(removal.rule for removal in result.removals)
            self.rule_lines.update(fired)
            self.rule_documents.update(fired.keys())

    def merge(self, other: Stats) -> None:
        """Add the counts of `other` (a worker's share) to these."""
        self.documents += other.documents
        self.bytes_in += other.bytes_in
        self.bytes_out += other.bytes_out
        self.sites.update(other.sites)
        self.rule_documents.update(other.rule_documents)
        self.rule_lines.update(other.rule_lines)
        self.rules_counted = self.rules_counted or other.rules_counted
        self.warnings += other.warnings
        self.failures += other.failures
        self.unshown.update(other.unshown)
        self.empty_inputs += other.empty_inputs
        self.resumed += other.resumed
        self.timeouts.update(other.timeouts)
        self.unread_dates += other.unread_dates
        self.unread_date_example = self.unread_date_example or other.unread_date_example

    def to_json(self) -> dict[str, Any]:
        """The ``--stats`` document: documents, documents per site, documents and lines per rule.

        >>> Stats(documents=2, sites=Counter({"unknown": 2})).to_json()
        {'documents': 2, 'sites': {'unknown': 2}, 'rules': {}}
        """
        return {
            "documents": self.documents,
            "sites": dict(sorted(self.sites.items())),
            "rules": {
                rule: {"documents": self.rule_documents[rule], "lines": self.rule_lines[rule]}
                for rule in sorted(self.rule_lines)
            },
        }

    def summary(self, seconds: float) -> list[str]:
        """A screenful for the end of a batch: totals, sites, top rules, messages not shown.
        (The failures were reported as they happened, and the command counts them last.)"""
        megabytes_in = self.bytes_in / 1e6
        share = f" ({self.bytes_out / self.bytes_in:.0%} kept)" if self.bytes_in else ""
        rate = f"{megabytes_in / seconds:.1f} MB/s, {self.documents / seconds:,.0f} docs/s"
        lines = [
            f"{self.documents:,} document(s), {megabytes_in:,.1f} MB in, "
            f"{self.bytes_out / 1e6:,.1f} MB out{share} in {seconds:.1f} s ({rate})"
            if seconds > 0
            else f"{self.documents:,} document(s), {megabytes_in:,.1f} MB in",
        ]
        if self.sites:
            per_site = ", ".join(f"{site} {count:,}" for site, count in self.sites.most_common())
            lines.append(f"  sites: {per_site}")
        if self.rule_lines:
            lines.append("  rules that fired most (documents, lines):")
            lines += [
                f"    {rule}: {self.rule_documents[rule]:,}, {count:,}"
                for rule, count in self.rule_lines.most_common(_TOP_RULES)
            ]
        elif not self.rules_counted and self.documents:
            lines.append("  rules: not counted (pass --stats FILE or --removed FILE to count them)")
        if self.warnings:
            lines.append(f"  {self.warnings:,} warning(s), reported above")
        if self.unread_dates:
            lines.append(
                f"  {self.unread_dates:,} captured date(s) left out, not one day for certain "
                f"(first: {self.unread_date_example!r}; a numeric date needs the site's "
                "date_order, see docs/rules.md)"
            )
        if self.empty_inputs:
            lines.append(f"  {self.empty_inputs:,} input(s) held nothing to clean")
        if self.resumed:
            lines.append(f"  {self.resumed:,} input(s) skipped: their output was complete")
        if self.timeouts:
            lines.append("  documents not cleaned because a rule's pattern ran out of time:")
            lines += [f"    {rule}: {count:,}" for rule, count in self.timeouts.most_common()]
        for kind, count in self.unshown.most_common():
            lines.append(f"  {count:,} more like this were counted, not shown: {kind}")
        return lines
