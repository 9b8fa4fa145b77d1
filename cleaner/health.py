"""Rule health over a corpus: which rules never fire, and which sites lost their footer cut.

`cleaner clean --stats FILE.json` counts, per site, the documents cleaned and, per rule, the
documents it fired in and the lines it removed. Two signs in those counts deserve a look:

- a rule that never fired although its site had documents: dead, or its chrome changed;
- a site whose terminal rules (``cut_block`` without ``end``: footer cuts) fired in far fewer
  documents than the site has: nearly every page has a footer, so when the cut stops firing the
  site has usually changed its template, and its footer now ends up in the cleaned text.

`rule_usage` lists, for every rule, in how many of the documents that got it it fired: a rule
that fires on one page of many names a sentence of that page, not a form of the template.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.errors import InputError
from cleaner.rulebook import RuleBook
from cleaner.rulefile import LoadedRule, SiteRules
from cleaner.thresholds import MIN_TERMINAL_SHARE


@dataclass(frozen=True)
class RuleCount:
    documents: int
    lines: int


@dataclass(frozen=True)
class CorpusStats:
    """The ``--stats`` file: documents in all, documents per site, counts per ``site:rule``."""

    documents: int
    sites: Mapping[str, int]
    rules: Mapping[str, RuleCount]

    def fired_in(self, rule: str) -> int:
        count = self.rules.get(rule)
        return count.documents if count is not None else 0


def read_stats(path: Path) -> CorpusStats:
    """Read a stats file, or raise `InputError` naming the file and what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            str(path), f"not JSON: {exc}; write it with cleaner clean --stats"
        ) from None
    try:
        return parse_stats(data)
    except (KeyError, TypeError, ValueError) as exc:
        problem = f"no key {exc}" if isinstance(exc, KeyError) else str(exc)
        raise InputError(
            str(path),
            f"not a stats file ({problem}); expected "
            '{"documents": N, "sites": {...}, '
            '"rules": {"site:rule": {"documents": n, "lines": n}}}',
        ) from None


def parse_stats(data: Any) -> CorpusStats:
    """Check the shape of a decoded stats file; a wrong shape raises KeyError/TypeError."""
    return CorpusStats(
        documents=_count(data["documents"]),
        sites={str(site): _count(n) for site, n in dict(data["sites"]).items()},
        rules={
            str(rule): RuleCount(_count(c["documents"]), _count(c["lines"]))
            for rule, c in dict(data["rules"]).items()
        },
    )


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError(f"{value!r} is not a count")
    return value


@dataclass(frozen=True)
class Finding:
    """One sign of trouble, about one rule (``site:rule-id``) or one site."""

    site: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


def rule_health(
    stats: CorpusStats,
    rulebook: RuleBook,
    *,
    min_share: float = MIN_TERMINAL_SHARE,
    sites: Collection[str] = (),
) -> list[Finding]:
    """Rules that never fired, and sites whose terminal rules fired too rarely.

    Only sites that had documents are judged, and only `sites` (``common`` for the common
    rules) when some are named; a common rule is judged against every document
    of a site that does not disable it, unknown sites included.

    >>> from cleaner import load_rulebook
    >>> stats = parse_stats({"documents": 4, "sites": {"unknown": 4}, "rules": {}})
    >>> [str(f) for f in rule_health(stats, load_rulebook(environment=False))][:1]
    ['common:repeated-lines: never fired in 4 document(s)']
    """
    findings: list[Finding] = []
    if rulebook.common is not None:
        for loaded in rulebook.common.rules:
            findings += _never_fired([loaded], stats, _documents_given(loaded, stats, rulebook))
    for site_id in sorted(stats.sites):
        site, documents = rulebook.sites.get(site_id), stats.sites[site_id]
        if site is None or not documents:
            continue
        findings += _never_fired(site.rules, stats, documents)
        findings += _terminal_share(site, stats, documents, min_share)
    return [finding for finding in findings if not sites or finding.site in sites]


@dataclass(frozen=True)
class RuleUsage:
    """How often one rule fired: in `documents` of the `of` documents that got it."""

    rule: str
    documents: int
    of: int
    lines: int

    def __str__(self) -> str:
        share = f" ({self.documents / self.of:.0%})" if self.of else ""
        note = "; on one page only: a sentence, or a form of the template?" * (
            self.documents == 1 and self.of >= MIN_PAGES_FOR_ONE_PAGE_NOTE
        )
        return (
            f"{self.rule}: fired in {self.documents} of {self.of} document(s){share}, "
            f"{self.lines} line(s){note}"
        )


MIN_PAGES_FOR_ONE_PAGE_NOTE = 10
"""A rule that fired in one document of at least this many gets a note."""


def rule_usage(
    stats: CorpusStats, rulebook: RuleBook, *, sites: Collection[str] = ()
) -> list[RuleUsage]:
    """Every rule of the sites that had documents (and the common rules), in file order,
    with the documents it fired in out of those that got it; only `sites` when some are
    named."""
    usage: list[RuleUsage] = []
    if rulebook.common is not None and (not sites or "common" in sites):
        for loaded in rulebook.common.rules:
            usage.append(_usage(loaded, stats, _documents_given(loaded, stats, rulebook)))
    for site_id in sorted(stats.sites):
        site = rulebook.sites.get(site_id)
        if site is None or not stats.sites[site_id] or (sites and site_id not in sites):
            continue
        usage += [_usage(loaded, stats, stats.sites[site_id]) for loaded in site.rules]
    return usage


def _usage(loaded: LoadedRule, stats: CorpusStats, documents: int) -> RuleUsage:
    count = stats.rules.get(str(loaded.ref), RuleCount(0, 0))
    return RuleUsage(str(loaded.ref), count.documents, documents, count.lines)


def _documents_given(loaded: LoadedRule, stats: CorpusStats, rulebook: RuleBook) -> int:
    """The documents a common rule ran on: those of every site that does not disable it."""
    disabled_in = sum(
        documents
        for site_id, documents in stats.sites.items()
        if site_id in rulebook.sites and loaded.ref.rule_id in rulebook.sites[site_id].disable
    )
    return stats.documents - disabled_in


def _never_fired(rules: Sequence[LoadedRule], stats: CorpusStats, documents: int) -> list[Finding]:
    """The `rules` that fired in no document although `documents` documents got them."""
    if not documents:
        return []
    return [
        Finding(loaded.ref.site, str(loaded.ref), f"never fired in {documents} document(s)")
        for loaded in rules
        if not stats.fired_in(str(loaded.ref))
    ]


def _terminal_share(
    site: SiteRules, stats: CorpusStats, documents: int, min_share: float
) -> list[Finding]:
    """A finding when the terminal rules of `site` together fired in too few documents.

    The stats give each rule's documents, not their union; the sum is at least the union, so
    a sum below the share proves the union is below it too.
    """
    terminal = [
        loaded
        for loaded in site.rules
        if loaded.ref.kind == "cut_block" and loaded.rule.options.get("end") is None
    ]
    if not terminal:
        return []
    fired = min(documents, sum(stats.fired_in(str(loaded.ref)) for loaded in terminal))
    if fired >= min_share * documents:
        return []
    names = ", ".join(loaded.ref.rule_id for loaded in terminal)
    return [
        Finding(
            site.site,
            site.site,
            f"terminal rules ({names}) fired in at most {fired} of {documents} document(s) "
            f"({fired / documents:.0%}, expected at least {min_share:.0%}); "
            "the site may have changed its template: run cleaner explain on one of its documents",
        )
    ]
