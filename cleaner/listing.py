"""What a run would load, in words: each site's domains, its rules by kind, and their origin."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from cleaner.rulebook import RuleBook, bundled_rules_dir
from cleaner.rulefile import SiteRules


@dataclass(frozen=True)
class SiteSummary:
    """One rule file as `cleaner rules list` shows it."""

    site: str
    domains: tuple[str, ...]
    kinds: tuple[tuple[str, int], ...]
    origin: str

    def __str__(self) -> str:
        count = sum(n for _, n in self.kinds)
        kinds = ", ".join(f"{kind} {n}" for kind, n in self.kinds)
        domains = ", ".join(self.domains) or "no domains"
        return f"{self.site}: {domains}; {count} rule(s) ({kinds}); {self.origin}"


def origin(site: SiteRules) -> str:
    """ "bundled", or the directory a user rule file was loaded from."""
    directory = site.path.parent
    return (
        "bundled" if directory.resolve() == bundled_rules_dir().resolve() else f"from {directory}"
    )


def site_summaries(rulebook: RuleBook) -> list[SiteSummary]:
    """The common rules first, then every site by id.

    >>> from cleaner import load_rulebook
    >>> common = site_summaries(load_rulebook(environment=False))[0]
    >>> common.site, common.origin
    ('common', 'bundled')
    """
    files = [rulebook.common] if rulebook.common is not None else []
    files += [rulebook.sites[site] for site in sorted(rulebook.sites)]
    return [
        SiteSummary(
            site.site,
            site.domains,
            tuple(Counter(loaded.ref.kind for loaded in site.rules).items()),
            origin(site),
        )
        for site in files
    ]
