"""All rule files of a run: the bundled ones, then user directories that add or replace sites."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, final

from cleaner.errors import RuleFileError, RuleProblem, UnknownSiteError
from cleaner.patterns import USER_PATTERN_SECONDS, Pattern, source_with_flags, time_limited
from cleaner.plan import Plan, PlanBuilder
from cleaner.prefilter import NeedleIndex, needles, within_a_line
from cleaner.rulefile import COMMON, LoadedRule, SiteRules, load_rule_file

RULES_ENV: Final = "CLEANER_RULES"
"""Extra rule directories, separated like PATH; `--rules` directories come after them."""


def bundled_rules_dir() -> Path:
    """The rule files shipped with `cleaner`: inside the wheel, or `rules/` of a checkout."""
    packaged = Path(__file__).with_name("bundled_rules")
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "rules"


def environment_rule_dirs() -> list[Path]:
    """The directories named by `$CLEANER_RULES`."""
    return [Path(p) for p in os.environ.get(RULES_ENV, "").split(os.pathsep) if p]


def rule_dirs(
    extra: Iterable[Path] = (), *, bundled: bool = True, environment: bool = True
) -> list[Path]:
    """The directories to load, in order: bundled, `$CLEANER_RULES`, then `extra`."""
    dirs = [bundled_rules_dir()] if bundled else []
    dirs += environment_rule_dirs() if environment else []
    return dirs + [Path(p) for p in extra]


HOSTS_KEPT = 4096
"""Hosts whose site a rule book remembers; when full it forgets them all and starts again."""


@final
class Fingerprint:
    """A fingerprint of a site, with the texts (one of them) that every match of it holds.

    Where a match lies within one line and those texts are plain, `line_needles` holds them:
    only the lines that hold one need searching (a document has a few), not the whole text.
    """

    __slots__ = ("line_needles", "needs", "pattern", "site")

    def __init__(self, site: str, pattern: Pattern) -> None:
        self.site = site
        self.pattern = pattern
        source = source_with_flags(pattern)
        needs = self.needs = needles(source)
        self.line_needles: tuple[str, ...] = (
            tuple(text for _, text in needs)
            if needs is not None
            and all(kind == "text" for kind, _ in needs)
            and pattern.flags & re.MULTILINE
            and within_a_line(source)
            else ()
        )


@dataclass(frozen=True)
class RuleBook:
    """Every site's rules and the compiled plan for each; built once, then only read."""

    sites: Mapping[str, SiteRules]
    common: SiteRules | None
    plans: Mapping[str | None, Plan]
    domains: Mapping[str, str]
    #: Every site's fingerprints in one table, sites in id order, for detection's single pass.
    fingerprints: tuple[Fingerprint, ...]
    #: Which fingerprints a text holds a needle of, found in one search of the text.
    fingerprint_needles: NeedleIndex
    #: The site of each host met lately: a corpus holds a few hosts many times over.
    _host_sites: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def plan_for(self, site: str | None) -> Plan:
        """The plan for `site`, or the common rules alone for `None` (an unknown site)."""
        try:
            return self.plans[site]
        except KeyError:
            raise UnknownSiteError(str(site), sorted(self.sites)) from None

    def site_for_host(self, host: str) -> str | None:
        """The site publishing on `host` or on a domain it is a subdomain of."""
        known = self._host_sites
        if host in known:
            return known[host]
        site = self._site_of_domains(host)
        if len(known) >= HOSTS_KEPT:
            known.clear()
        known[host] = site
        return site

    def _site_of_domains(self, host: str) -> str | None:
        labels = host.lower().rstrip(".").split(".")
        for start in range(len(labels) - 1):
            site = self.domains.get(".".join(labels[start:]))
            if site is not None:
                return site
        return None


def load_rulebook(
    extra_dirs: Sequence[Path | str] = (), *, bundled: bool = True, environment: bool = True
) -> RuleBook:
    """Load and compile every rule file; raise `RuleFileError` listing all problems found."""
    problems: list[RuleProblem] = []
    by_site: dict[str, SiteRules] = {}
    extra = [Path(d) for d in extra_dirs]
    bundled_dir = bundled_rules_dir().resolve()
    for directory in rule_dirs(extra, bundled=bundled, environment=environment):
        if not directory.is_dir():
            problems.append(
                RuleProblem(
                    directory,
                    f"rule directory not found; check the path given with --rules or ${RULES_ENV}",
                )
            )
            continue
        limit = None if directory.resolve() == bundled_dir else USER_PATTERN_SECONDS
        for path in sorted(directory.glob("*.toml")):
            site, found = load_rule_file(path, limit)
            problems += found
            if site is not None:
                by_site[site.site] = site  # a later directory replaces a site of an earlier one
    common = by_site.pop(COMMON, None)
    problems += _check_links(by_site, common)
    if problems:
        raise RuleFileError(problems)
    plans: dict[str | None, Plan] = {None: _plan(None, None, common)}
    plans.update((site_id, _plan(site_id, site, common)) for site_id, site in by_site.items())
    domains = {domain: site.site for site in by_site.values() for domain in site.domains}
    fingerprints = tuple(
        Fingerprint(site_id, pattern)
        for site_id, site in sorted(by_site.items())
        for pattern in site.fingerprints
    )
    needed = NeedleIndex([fingerprint.needs for fingerprint in fingerprints])
    return RuleBook(by_site, common, plans, domains, fingerprints, needed)


def _check_links(sites: Mapping[str, SiteRules], common: SiteRules | None) -> list[RuleProblem]:
    """Problems that span files: unknown common rule ids, a domain claimed by two sites."""
    problems: list[RuleProblem] = []
    common_ids = {rule.ref.rule_id for rule in common.rules} if common else set()
    owner: dict[str, SiteRules] = {}
    for site in sites.values():
        for rule_id in sorted(site.disable - common_ids):
            problems.append(
                RuleProblem(
                    site.path,
                    f"disables {rule_id!r}, which is not a common rule id; check the spelling",
                    key="site.disable",
                )
            )
        for domain in site.domains:
            other = owner.setdefault(domain, site)
            if other is not site:
                problems.append(
                    RuleProblem(
                        site.path,
                        f"domain {domain!r} is also claimed by {other.path}; keep it in one file",
                        key="site.domains",
                    )
                )
    return problems


def _plan(site_id: str | None, site: SiteRules | None, common: SiteRules | None) -> Plan:
    """Site rules first, so that they win over a common rule matching the same line."""
    rules = list(site.rules) if site is not None else []
    if common is not None:
        disabled = site.disable if site is not None else frozenset()
        rules += [loaded for loaded in common.rules if loaded.ref.rule_id not in disabled]
    return compile_plan(site_id, rules, site.date_order if site is not None else None)


def compile_plan(
    site_id: str | None, rules: Iterable[LoadedRule], date_order: str | None = None
) -> Plan:
    """`rules`, in order, compiled into one plan, with the site's way of writing numeric dates;
    the patterns of a rule file that is not bundled get a time limit per match, wherever the
    plan is used."""
    builder = PlanBuilder(site_id, date_order)
    bundled_dir = bundled_rules_dir().resolve()
    bundled: dict[Path | None, bool] = {None: False}  # by file: resolved once, not per rule
    for loaded in rules:
        path = loaded.ref.path
        if path not in bundled:
            bundled[path] = path is not None and path.parent.resolve() == bundled_dir
        limit = None if bundled[path] else USER_PATTERN_SECONDS
        with time_limited(limit, loaded.ref.label, validated=True):
            loaded.rule.contribute(builder)
    return builder.build()
