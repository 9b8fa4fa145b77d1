"""From evidence to draft rules: which candidates are templates, and the rule for each.

A candidate becomes a rule only on evidence, and only when it is safe:

- it occurs on at least `min_pages` pages (near-duplicates counted once), a line of prose on at
  least three;
- it is never a page's headline (the line the URL spells, or the first line that does not recur);
- a shape with varying parts varies (two forms at least), is not prose, and its pattern, tried
  from widest to narrowest, must match none of the sampled article lines (lines of no recurring
  shape); a section-name shape must stand above the headline on nearly every page;
- a footer start is the line after which only template follows on most pages it is on;
- a caption credit comes from captions printed twice, and is left out if it ends more article
  paragraphs than captions.

Rules are grouped as the site prints them: the recurring lines of one box in one rule, each
footer start a `cut_block`, each varying shape a `drop_line` pattern, the credits one
`drop_caption`. Lines the common rules already drop are left to them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import regex

from cleaner.learn.generalise import alternation, literal, narrowings
from cleaner.learn.shapes import DATES, EXACT, LABEL, NAMES, PREFIX, SUFFIX, Slot, literal_words
from cleaner.learn.survey import Candidate, Survey, is_prose

FOOTER_SHARE = 0.75
"""A footer start: on at least this share of its pages, only template follows it."""
HEADER_SHARE = 0.8
"""A section-name shape: in the page's header on at least this share of its pages."""
PROSE_MIN_PAGES = 3
MAX_LINES_PER_RULE = 40

_SLOT_WORDS = {
    Slot.NUMBER: "numbers",
    Slot.MONTH: "dates",
    Slot.WEEKDAY: "dates",
    Slot.MERIDIEM: "times",
    Slot.NAME: "names",
    Slot.TEXT: "text",
    Slot.HEAD: "a label",
    Slot.TAIL: "a site's name",
    Slot.LABEL: "a section's name",
}


@dataclass
class DraftRule:
    """A rule of the draft, before its evidence is measured on the corpus."""

    id: str
    kind: str
    what: str  # what the rule takes, for its description
    options: dict[str, object]
    estimate: int  # pages the survey found it on
    instances: list[str] = field(default_factory=list)  # lines it was made from
    narrower: list[str] = field(default_factory=list)  # patterns to fall back to
    must_drop: list[str] = field(default_factory=list)
    must_keep: list[str] = field(default_factory=list)
    description: str = ""

    @property
    def anchor(self) -> str:
        """The word that near misses of this rule share with it: the first word of three
        letters or more of the first line it was made from."""
        found = re.findall(r"[^\W\d_]{3,}", self.instances[0] if self.instances else "")
        return str(found[0]).lower() if found else ""


def build_rules(
    survey: Survey, dropped_by_common: Callable[[Sequence[str]], bool]
) -> tuple[list[DraftRule], dict[str, int]]:
    """The draft rules the survey supports, widest safe pattern each, ranked by pages; and
    counts of the candidates left out, by reason, for the summary."""
    left_out: Counter[str] = Counter()
    sample = survey.article_sample
    footer = _footer_rules(survey, left_out)
    footer_lines = {str(rule.instances[0]) for rule in footer}
    literals: list[Candidate] = []
    patterns: list[DraftRule] = []
    for key, candidate in sorted(survey.candidates.items()):
        reason = _unsafe(candidate, survey)
        if reason:
            left_out[reason] += 1
            continue
        if key[0] == EXACT:
            if key[1:] not in footer_lines:
                literals.append(candidate)
            continue
        rule = _pattern_rule(key, candidate, sample)
        if rule is None:
            left_out["matches article lines"] += 1
        elif dropped_by_common(rule.instances[:8]):
            left_out["left to the common rules"] += 1
        else:
            patterns.append(rule)
    boxes = _box_rules(literals, survey, dropped_by_common, left_out)
    captions = _caption_rule(survey, sample)
    rules = footer + boxes + patterns + ([captions] if captions else [])
    rules.sort(key=_rank)
    _unique_ids(rules)
    return rules, dict(left_out)


def _rank(rule: DraftRule) -> tuple[int, bool, int, str]:
    """Rules on more pages first; among patterns on as many, the one with more literal text
    (the more specific template) first, since the first pattern that matches a line takes it."""
    source = str(rule.options.get("pattern") or rule.options.get("start") or "")
    literal_text = len(re.sub(r"\\.|\[[^]]*\]|\(\?:|[(){}?*+|,\d]", "", source))
    return (-rule.estimate, rule.kind != "cut_block", -literal_text, rule.id)


def _unsafe(candidate: Candidate, survey: Survey) -> str | None:
    """Why `candidate` is not a template, or None if it is one."""
    key = candidate.shape.key
    if candidate.pages < survey.min_pages:
        return "on too few pages"
    if candidate.headline_pages:
        return "a headline"
    if key[0] == EXACT:
        if is_prose(key[1:]) and candidate.pages < max(PROSE_MIN_PAGES, survey.min_pages):
            return "prose on too few pages"
        return None
    if len(candidate.instances) < 2:
        return "does not vary"
    if candidate.prose_pages:
        return "prose"
    if key[0] == LABEL and candidate.header_pages < HEADER_SHARE * candidate.pages:
        return "a label not above the headline"
    text_slot = {PREFIX: 1, SUFFIX: 0}.get(key[0])
    if text_slot is not None and len(candidate.values[text_slot]) < 2:
        return "does not vary"
    return None


def _pattern_rule(key: str, candidate: Candidate, sample: Sequence[str]) -> DraftRule | None:
    """A `drop_line` pattern for a varying shape: the widest of its narrowings that matches
    no sampled article line."""
    parts = candidate.shape.parts
    options = list(narrowings(parts, candidate.values))
    for index, source in enumerate(options):
        compiled = regex.compile(source, regex.VERSION0)
        if not all(compiled.fullmatch(line) for line in candidate.instances):
            continue  # a narrowing that loses the template's own forms is no use
        if any(compiled.fullmatch(line) for line in sample):
            continue
        slots = sorted({_SLOT_WORDS[p] for p in parts if isinstance(p, Slot)})
        what = {
            DATES: "a line that differs only in its " + " and ".join(slots),
            NAMES: "a line that differs only in a name",
            PREFIX: "a label and a link or title after it",
            SUFFIX: "a title and the name after it (a page title)",
            LABEL: "a section's name above the headline",
        }[key[0]]
        named = literal_words(parts) or (key[1:].split() if key[0] in (PREFIX, SUFFIX) else [])
        return DraftRule(
            id=_rule_id(named or ["section", "name"]),
            kind="drop_line",
            what=f"{what}, seen in {len(candidate.instances)} forms",
            options={"pattern": source},
            estimate=candidate.pages,
            instances=sorted(candidate.instances, key=lambda i: (-candidate.instances[i], i)),
            narrower=options[index + 1 :],
        )
    return None


def _footer_rules(survey: Survey, left_out: Counter[str]) -> list[DraftRule]:
    """A `cut_block` to the end of the page for each line where the footer starts on enough
    pages, and on most of the pages it is on."""
    rules = []
    for line, starts in sorted(survey.footer_starts.items()):
        candidate = survey.candidates.get(EXACT + line)
        if candidate is None or _unsafe(candidate, survey):
            continue
        tails = survey.footer_tails[line]
        if starts < survey.min_pages or tails < FOOTER_SHARE * candidate.pages:
            left_out["a recurring line that article text follows"] += 1
            continue
        rules.append(
            DraftRule(
                id=_rule_id(re.findall(r"[^\W_]+", line)),
                kind="cut_block",
                what=f"the footer's first line ({starts} pages start their footer with it): "
                "it and everything after it are cut",
                options={"start": literal(line)},
                estimate=candidate.pages,
                instances=[line],
            )
        )
    return rules


def _box_rules(
    literals: list[Candidate],
    survey: Survey,
    dropped_by_common: Callable[[Sequence[str]], bool],
    left_out: Counter[str],
) -> list[DraftRule]:
    """Recurring lines grouped by the box they are printed in (the run of recurring lines
    they most often belong to, named by its first line), one `drop_line` rule per box."""
    boxes: dict[str, list[Candidate]] = {}
    for candidate in literals:
        line = candidate.shape.key[1:]
        if dropped_by_common([line]):
            left_out["left to the common rules"] += 1
            continue
        heads = survey.box_heads.get(line, Counter())
        head = min(heads, key=lambda h: (-heads[h], h)) if heads else line
        boxes.setdefault(head, []).append(candidate)
    rules = []
    for head, members in sorted(boxes.items()):
        members.sort(key=lambda c: (-c.pages, c.shape.key))
        worded = [m.shape.key[1:] for m in members if re.search(r"[^\W_]", m.shape.key[1:])]
        name = head if re.search(r"[^\W_]", head) or not worded else worded[0]
        for start in range(0, len(members), MAX_LINES_PER_RULE):
            chunk = members[start : start + MAX_LINES_PER_RULE]
            lines = [c.shape.key[1:] for c in chunk]
            rules.append(
                DraftRule(
                    id=_rule_id(re.findall(r"[^\W_]+", name)),
                    kind="drop_line",
                    what=literal_what(len(lines)),
                    options={"lines": lines},
                    estimate=max(c.pages for c in chunk),
                    instances=lines,
                )
            )
    return rules


def literal_what(lines: int) -> str:
    """What a rule of `lines` literal lines takes, for its description."""
    if lines == 1:
        return "a line printed word for word on many pages"
    return f"a box of {lines} lines printed together, word for word"


def _caption_rule(survey: Survey, sample: Sequence[str]) -> DraftRule | None:
    """A `drop_caption` for the credits of captions printed twice, as long as the longest such
    caption; a credit that ends more sampled article lines longer than that than shorter is
    the end of paragraphs, not of captions, and is left out."""
    credits: list[str] = []
    longest = 0
    pages = 0
    for credit, record in sorted(survey.captions.items()):
        if record.pages < survey.min_pages:
            continue
        length = max(len(line) for line in record.instances)
        ending = f"({credit})"
        ended = [line for line in sample if line.endswith(ending)]
        if sum(len(line) > length for line in ended) > sum(len(line) <= length for line in ended):
            continue
        credits.append(credit)
        longest = max(longest, length)
        pages = max(pages, record.pages)
    if not credits:
        return None
    instances = [line for c in credits for line in survey.captions[c].instances]
    return DraftRule(
        id="captions",
        kind="drop_caption",
        what=f"an image caption ending in the credit its captions printed twice carry "
        f"({', '.join(credits)})",
        options={"credit": rf"\s?\({alternation(credits)}\)", "max_length": -(-longest // 10) * 10},
        estimate=pages,
        instances=sorted(instances),
    )


def _rule_id(words: Iterable[str]) -> str:
    slug = "-".join(w.lower() for w in list(words)[:4] if w)
    return re.sub(r"[^a-z0-9-]+", "", slug).strip("-")[:40] or "template"


def _unique_ids(rules: list[DraftRule]) -> None:
    seen: Counter[str] = Counter()
    for rule in rules:
        seen[rule.id] += 1
        if seen[rule.id] > 1:
            rule.id = f"{rule.id}-{seen[rule.id]}"
