"""Drafting a site's rule file from a corpus of its pages: `cleaner rules learn`.

A site's template repeats from page to page and its article text does not. Learning reads the
corpus in passes, each streaming page by page in bounded memory:

1. count on how many pages each shape of each line occurs (`counting`, `shapes`);
2. survey the shapes that recur: where they stand, what varies in them, which boxes and footers
   they form, which pages are copies of others (`survey`);
3. turn the templates into rules (`rules`, `generalise`), write them as a rule file
   (`toml_draft`), and measure that file on the corpus with the engine (`verify`), narrowing or
   leaving out what is unsafe, until the draft is stable.

The result is an ordinary rule file: every rule says on how many pages it fires, and carries
lines of the corpus it must drop and article lines it must keep.
"""

from __future__ import annotations

import math
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import regex

from cleaner import engine
from cleaner.check import check_site
from cleaner.errors import CleanerError
from cleaner.learn.counting import DEFAULT_BUCKET_PAGES, PageCounter
from cleaner.learn.generalise import literal
from cleaner.learn.pages import Corpus, Page, site_id
from cleaner.learn.rules import FOOTER_SHARE, DraftRule, build_rules, literal_what
from cleaner.learn.shapes import EXACT, shape_keys
from cleaner.learn.survey import Surveyor
from cleaner.learn.toml_draft import DraftFile, render
from cleaner.learn.verify import Measurement, Verifier
from cleaner.plan import Plan
from cleaner.reader import RecordFields
from cleaner.rulebook import compile_plan, load_rulebook
from cleaner.rulefile import SiteRules, load_rule_file
from cleaner.thresholds import MIN_TEMPLATE_SHARE

MIN_SITE_PAGES = 5
MAX_ROUNDS = 4
FINGERPRINTS = 3
COVERED_SHARE = 0.5
"""A draft rule is one the --against file has when that file drops this share of its lines."""


class Progress(Protocol):
    """What learning reports as it reads: a pass begins, pages are read, it ends."""

    def start(self, stage: str, total: int | None) -> None: ...
    def advance(self, pages: int) -> None: ...
    def finish(self) -> None: ...


class _Silent:
    def start(self, stage: str, total: int | None) -> None:
        pass

    def advance(self, pages: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass(frozen=True)
class LearnOptions:
    """How to learn: the site (else one draft per domain of the pages' URLs), the share of
    pages a template needs, and a rule file to compare the draft with."""

    site: str | None = None
    domain: str | None = None
    against: Path | None = None
    min_share: float = MIN_TEMPLATE_SHARE
    bucket_pages: int = DEFAULT_BUCKET_PAGES
    fields: RecordFields = field(default_factory=RecordFields)


@dataclass
class Comparison:
    """The draft beside an existing rule file: what the file lacks, and its rules that never
    fire on the corpus."""

    path: Path
    lacking: list[tuple[DraftRule, int, int]]  # rule, its lines, lines the file drops too
    silent: list[str]  # ids of the file's rules that fire on no page


@dataclass
class SiteDraft:
    """One site's draft and what was found on the way."""

    site: str
    domain: str | None
    text: str
    rules: list[DraftRule]
    pages: int
    copies: int
    templates: int
    lines: int
    dropped: int
    left_out: dict[str, int]
    comparison: Comparison | None = None

    def summary(self) -> list[str]:
        """The lines the command prints on standard error about this draft."""
        share = f" ({self.dropped / self.lines:.1%})" if self.lines else ""
        lines = [
            f"{self.site}: {self.pages:,} page(s) read, {self.copies:,} near-duplicate(s) "
            f"counted once; {self.templates} template(s) found, {len(self.rules)} rule(s); "
            f"they cover {self.dropped:,} of {self.lines:,} lines{share}"
        ]
        if self.left_out:
            reasons = ", ".join(f"{n} {why}" for why, n in sorted(self.left_out.items()))
            lines.append(f"{self.site}: candidates left out: {reasons}")
        if self.comparison is not None:
            lines += comparison_lines(self.site, self.comparison)
        return lines


@dataclass
class LearnReport:
    """Every draft of a run, the sites skipped (and why), and the inputs that failed."""

    drafts: list[SiteDraft]
    skipped: list[str]
    problems: list[str]


class LearnError(CleanerError):
    """Learning cannot start: nothing to learn from, or a bad --against file."""


@dataclass
class _Site:
    """The state of one site's learning between passes."""

    site: str
    domain: str | None
    counts: PageCounter
    surveyor: Surveyor | None = None
    rules: list[DraftRule] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)
    measurement: Measurement | None = None
    stable: bool = False


def learn(
    inputs: Sequence[str], options: LearnOptions, progress: Progress | None = None
) -> LearnReport:
    """Draft a rule file for each site of the pages in `inputs` (see the module docstring)."""
    progress = progress or _Silent()
    against = _load_against(options.against)
    with tempfile.TemporaryDirectory(prefix="cleaner-learn-") as scratch:
        corpus = Corpus(inputs, domain=options.domain, fields=options.fields, spool_dir=None)
        try:
            return _learn(corpus, options, progress, against, Path(scratch))
        finally:
            corpus.close()


def _learn(
    corpus: Corpus,
    options: LearnOptions,
    progress: Progress,
    against: SiteRules | None,
    scratch: Path,
) -> LearnReport:
    sites: dict[str | None, _Site] = {}
    single = options.site is not None or options.domain is not None
    domains: Counter[str] = Counter()
    total = 0
    progress.start("counting", None)
    for page in corpus.pages():
        total += 1
        progress.advance(1)
        key = "*" if single else page.domain
        if page.domain:
            domains[page.domain] += 1
        if key is None:
            continue
        state = sites.get(key)
        if state is None:
            state = sites[key] = _Site("", page.domain, PageCounter(options.bucket_pages))
        state.counts.add_page(key for line in page.lines for key in shape_keys(line))
    progress.finish()
    skipped: list[str] = []
    if single and "*" in sites:
        state = sites["*"]
        state.domain = options.domain or (domains.most_common(1)[0][0] if domains else None)
        state.site = options.site or (site_id(state.domain) if state.domain else "site")
    taken: Counter[str] = Counter(site_id(str(key)) for key in sites if key != "*")
    for key, state in list(sites.items()):
        if not state.site:  # two domains with one name (example.com, example.org) keep both
            name = site_id(str(key))
            state.site = name if taken[name] == 1 else site_id(str(key).replace(".", "-"))
        if state.counts.pages < MIN_SITE_PAGES:
            skipped.append(
                f"{state.site}: only {state.counts.pages} page(s); at least {MIN_SITE_PAGES} "
                "are needed to tell a template from article text"
            )
            del sites[key]
        else:
            pages = state.counts.pages
            min_pages = max(2, math.ceil(options.min_share * pages))
            state.surveyor = Surveyor(state.counts, min_pages, state.site)
    if not sites:
        return LearnReport([], skipped or ["no pages with a site to learn from"], corpus.problems)
    without_site = total - sum(s.counts.pages for s in sites.values())

    def by_site(page: Page) -> _Site | None:
        return sites.get("*" if single else page.domain)

    progress.start("surveying", total)
    for page in corpus.pages():
        progress.advance(1)
        state = by_site(page)
        if state is not None and state.surveyor is not None:
            state.surveyor.add(page)
    progress.finish()
    common = load_rulebook().plan_for(None)
    for state in sites.values():
        assert state.surveyor is not None
        state.rules, state.left_out = build_rules(
            state.surveyor.survey, lambda lines: _dropped_by(common, lines)
        )
        _unshadow(state.rules)
        _drop_unchecked(state, scratch)
    against_plan = (
        (compile_plan(against.site, against.rules), [r.ref.rule_id for r in against.rules])
        if against is not None
        else None
    )
    for round_number in range(MAX_ROUNDS):
        verifiers = {
            key: Verifier(
                state.surveyor,
                _plan(state, scratch),
                {r.id: r.kind for r in state.rules},
                [r.anchor for r in state.rules],
                against_plan,
            )
            for key, state in sites.items()
            if not state.stable and state.surveyor is not None
        }
        if not verifiers:
            break
        progress.start(f"measuring ({round_number + 1})", total)
        for page in corpus.pages():
            progress.advance(1)
            key = "*" if single else page.domain
            verifier = verifiers.get(key)
            if verifier is not None:
                verifier.add(page)
        progress.finish()
        for key, verifier in verifiers.items():
            state = sites[key]
            state.measurement = verifier.measurement
            state.stable = not _apply(state, verifier.measurement)
            if round_number == MAX_ROUNDS - 1:
                state.stable = True
    drafts = [_finish(state, scratch, against) for state in sites.values()]
    drafts.sort(key=lambda d: d.site)
    if without_site and not single:
        skipped.append(
            f"{without_site} page(s) without a URL were left out; give --site and --domain "
            "to learn from pages that do not name their site"
        )
    return LearnReport(drafts, skipped, corpus.problems)


def _load_against(path: Path | None) -> SiteRules | None:
    if path is None:
        return None
    site, problems = load_rule_file(path)
    if site is None:
        details = "; ".join(str(p) for p in problems) or "it could not be read"
        raise LearnError(f"{path}: cannot compare with this rule file: {details}")
    return site


def _dropped_by(plan: Plan, lines: Sequence[str]) -> bool:
    """True when `plan` drops every one of `lines`, each given alone."""
    return bool(lines) and all(not engine.run(plan, [line]).lines for line in lines)


def _unshadow(rules: list[DraftRule]) -> None:
    """Leave out of literal lines those a pattern of the draft takes first (patterns are tried
    before literal lines), so that every rule sees the lines it lists."""
    patterns = [
        regex.compile(str(r.options.get("pattern") or r.options["start"]), regex.VERSION0)
        for r in rules
        if "pattern" in r.options or "start" in r.options
    ]
    for rule in list(rules):
        lines = rule.options.get("lines")
        if isinstance(lines, list):
            kept = [line for line in lines if not any(p.fullmatch(line) for p in patterns)]
            rule.options["lines"] = kept
            rule.instances = kept
            rule.what = literal_what(len(kept))
            if not kept:
                rules.remove(rule)


def _draft_file(state: _Site, fingerprints: tuple[str, ...] = ()) -> DraftFile:
    assert state.surveyor is not None
    survey = state.surveyor.survey
    name = survey.site_names.most_common(1)[0][0] if survey.site_names else state.site
    return DraftFile(
        site=state.site,
        name=name,
        domains=(state.domain,) if state.domain else (),
        fingerprints=fingerprints,
        comment="",
        rules=tuple(state.rules),
    )


def _load(state: _Site, scratch: Path, draft: DraftFile) -> SiteRules:
    """The draft as the engine loads any rule file, from a file named after the site."""
    path = scratch / f"{state.site}.toml"
    path.write_text(render(draft), encoding="utf-8")
    site, problems = load_rule_file(path)
    if site is None:
        raise LearnError(
            f"the draft for {state.site} does not load; this is a bug: "
            + "; ".join(str(p) for p in problems)
        )
    return site


def _plan(state: _Site, scratch: Path) -> Plan:
    site = _load(state, scratch, _draft_file(state))
    return compile_plan(site.site, site.rules)


def _drop_unchecked(state: _Site, scratch: Path) -> None:
    """Leave out the rules `cleaner rules check` would find fault with (a slow pattern)."""
    site = _load(state, scratch, _draft_file(state))
    faulty = {p.rule_id for p in check_site(site) if p.rule_id is not None}
    if faulty:
        state.left_out["failing rules check"] = len(faulty)
        state.rules = [r for r in state.rules if r.id not in faulty]


def _apply(state: _Site, measured: Measurement) -> bool:
    """Narrow or leave out the rules the measurement shows unsafe or idle; True if any was."""
    assert state.surveyor is not None
    min_pages = state.surveyor.survey.min_pages
    changed = False
    kept: list[DraftRule] = []
    for rule in state.rules:
        evidence = measured.rules[rule.id]
        unsafe = evidence.headlines > 0 or (
            rule.kind == "drop_line" and "pattern" in rule.options and evidence.outside > 0
        )
        if unsafe and rule.narrower:
            rule.options["pattern"] = rule.narrower.pop(0)
            changed = True
        elif unsafe:
            _leave_out(state, "dropping article text")
            changed = True
            continue
        elif rule.kind == "cut_block" and evidence.outside_pages > (1 - FOOTER_SHARE) * max(
            evidence.pages, 1
        ):
            _leave_out(state, "cutting article text")
            changed = True
            continue
        elif evidence.pages < min_pages:
            _leave_out(state, "firing on too few pages")
            changed = True
            continue
        kept.append(rule)
    state.rules = kept
    return changed


def _leave_out(state: _Site, reason: str) -> None:
    state.left_out[reason] = state.left_out.get(reason, 0) + 1


def _finish(state: _Site, scratch: Path, against: SiteRules | None) -> SiteDraft:
    """Describe each rule by its evidence, add its examples, rank, and write the file."""
    assert state.surveyor is not None and state.measurement is not None
    measured = state.measurement
    pages = measured.pages
    for rule in state.rules:
        evidence = measured.rules[rule.id]
        rule.description = (
            f"Fires on {evidence.pages} of {pages} pages ({evidence.pages / max(pages, 1):.0%}),"
            f" dropping {evidence.lines} line(s): {rule.what}."
        )
        rule.must_drop = evidence.examples.items()
        near = measured.near_misses.get(rule.anchor)
        rule.must_keep = (near.items() if near is not None else []) or measured.any_article.items()
    state.rules.sort(key=lambda r: (-measured.rules[r.id].pages, -measured.rules[r.id].lines, r.id))
    fingerprints = _fingerprints(state)
    draft = _draft_file(state, fingerprints)
    survey = state.surveyor.survey
    comment = (
        f"Draft rules for {draft.name}"
        + (f" ({state.domain})" if state.domain else "")
        + f", learnt by `cleaner rules learn` from {survey.pages:,} pages"
        + (f" ({survey.copies:,} near-duplicates counted once)" if survey.copies else "")
        + f". The rules drop {measured.dropped:,} of {measured.lines:,} lines. Each rule says on"
        " how many pages it fires; review them with `cleaner explain --rules DIR PAGE`, then edit."
    )
    draft = DraftFile(
        draft.site, draft.name, draft.domains, draft.fingerprints, comment, draft.rules
    )
    site = _load(state, scratch, draft)
    failing = {p.rule_id for p in check_site(site) if p.rule_id is not None}
    for rule in state.rules:  # an example can fail only where rules interact: drop it
        if rule.id in failing:
            rule.must_keep = []
    text = render(draft)
    comparison = None
    if against is not None and against.path is not None:
        comparison = Comparison(
            against.path,
            [
                (rule, measured.rules[rule.id].lines, measured.rules[rule.id].covered)
                for rule in state.rules
                if measured.rules[rule.id].covered
                < COVERED_SHARE * max(measured.rules[rule.id].lines, 1)
            ],
            sorted(rule_id for rule_id, fired in measured.against.items() if not fired),
        )
    templates = len(state.rules)
    return SiteDraft(
        site=state.site,
        domain=state.domain,
        text=text,
        rules=state.rules,
        pages=survey.pages,
        copies=survey.copies,
        templates=templates,
        lines=measured.lines,
        dropped=measured.dropped,
        left_out=state.left_out,
        comparison=comparison,
    )


def _fingerprints(state: _Site) -> tuple[str, ...]:
    """The recurring lines that best tell the site's pages from others: those on most pages,
    naming the site first."""
    assert state.surveyor is not None and state.measurement is not None
    survey = state.surveyor.survey
    names = [n.lower() for n in survey.site_names]
    lines = [
        line
        for rule in state.rules
        if rule.kind == "cut_block" or "lines" in rule.options
        for line in rule.instances
    ]
    pages = {
        line: survey.candidates[EXACT + line].pages
        for line in lines
        if EXACT + line in survey.candidates
    }
    ranked = sorted(
        pages, key=lambda line: (not any(n in line.lower() for n in names), -pages[line], line)
    )
    titles = [  # page titles end in the site's name: the surest sign of all
        f"^{r.options['pattern']}$" for r in state.rules if r.what.startswith("a title and")
    ]
    return tuple([*titles, *(f"^{literal(line)}$" for line in ranked)][:FINGERPRINTS])


def comparison_lines(site: str, comparison: Comparison) -> list[str]:
    """The comparison with the --against file, as printed."""
    out = [
        f"{site}: compared with {comparison.path}: it lacks {len(comparison.lacking)} of the "
        f"draft's rules; {len(comparison.silent)} of its rules fire on no page of the corpus"
    ]
    for rule, lines, covered in comparison.lacking:
        example = rule.must_drop[0] if rule.must_drop else ""
        out.append(
            f"  lacks {rule.id} ({rule.kind}; {rule.description.split(',')[0].lower()}; "
            f"the file drops {covered} of its {lines} line(s)): e.g. {example!r}"
        )
    for rule_id in comparison.silent:
        out.append(f"  never fires: {rule_id}")
    return out


__all__ = ["LearnError", "LearnOptions", "LearnReport", "Progress", "SiteDraft", "learn"]
