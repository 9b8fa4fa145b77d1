"""Measuring a draft on the corpus it was learnt from, with the engine that will run it.

Each rule's evidence is what the rule file does, not what the survey expected: the draft is
loaded like any rule file and run over every page (near-duplicates left out), and each removal
is traced to its rule. That gives the numbers its description states (fires on X of Y pages),
the examples it carries (lines it dropped; article lines near it that it kept), and the faults
that make a rule unsafe: a headline dropped, an article line (a line of no recurring shape)
dropped by a pattern, a footer cut that takes article text on too many pages.

With ``--against FILE`` the other file runs beside the draft: which of its rules fire, and which
of the draft's removals it makes too.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

from cleaner import engine
from cleaner.learn.counting import stable_hash
from cleaner.learn.pages import Page, words
from cleaner.learn.survey import Surveyor, headline_index, is_prose
from cleaner.plan import Plan

EXAMPLES = 3
MAX_EXAMPLE_LINE = 200


class BottomK:
    """The `k` items of smallest stable hash offered: the same choice in every run."""

    def __init__(self, k: int) -> None:
        self.k = k
        self._heap: list[tuple[int, str]] = []
        self._items: set[str] = set()

    def offer(self, item: str) -> None:
        if item in self._items:
            return
        entry = (-stable_hash(item), item)
        if len(self._heap) < self.k:
            heapq.heappush(self._heap, entry)
        elif entry > self._heap[0]:
            self._items.discard(heapq.heapreplace(self._heap, entry)[1])
        else:
            return
        self._items.add(item)

    def items(self) -> list[str]:
        return sorted(self._items, key=lambda item: (stable_hash(item), item))


@dataclass
class RuleEvidence:
    """What one rule did to the corpus."""

    pages: int = 0
    lines: int = 0
    headlines: int = 0
    outside: int = 0  # article lines dropped: a pattern's, outside its template; a cut's prose
    outside_pages: int = 0
    covered: int = 0  # of its lines, dropped by the --against file too
    examples: BottomK = field(default_factory=lambda: BottomK(EXAMPLES))


@dataclass
class Measurement:
    """The draft's effect on the corpus, rule by rule, and the other file's, if any."""

    pages: int = 0
    lines: int = 0
    dropped: int = 0
    rules: dict[str, RuleEvidence] = field(default_factory=dict)
    near_misses: dict[str, BottomK] = field(default_factory=dict)
    any_article: BottomK = field(default_factory=lambda: BottomK(EXAMPLES))
    against: dict[str, int] = field(default_factory=dict)  # rule id -> pages it fired on
    against_dropped: int = 0


class Verifier:
    """Runs a draft's plan (and another file's) over pages and keeps the evidence."""

    def __init__(
        self,
        surveyor: Surveyor,
        plan: Plan,
        kinds: dict[str, str],
        anchors: Iterable[str],
        against: tuple[Plan, Iterable[str]] | None = None,
    ) -> None:
        self.surveyor = surveyor
        self.plan = plan
        self.kinds = kinds  # rule id -> kind
        self.measurement = Measurement()
        for anchor in anchors:
            if anchor:
                self.measurement.near_misses.setdefault(anchor, BottomK(EXAMPLES))
        for rule_id in kinds:
            self.measurement.rules[rule_id] = RuleEvidence()
        self.against_plan = against[0] if against else None
        if against:
            self.measurement.against = dict.fromkeys(against[1], 0)

    def add(self, page: Page) -> None:
        if page.number in self.surveyor.survey.copied:
            return
        measured = self.measurement
        measured.pages += 1
        measured.lines += len(page.lines)
        recurring = [self.surveyor.recurring_shapes(line) for line in page.lines]
        headline = headline_index(page, recurring)
        removals = engine.run(self.plan, page.lines, trace=True).removals or []
        other: set[int] = set()
        if self.against_plan is not None:
            other = self._against(page)
        dropped: dict[int, str] = {}
        fired: dict[str, int] = {}
        outside_here: set[str] = set()
        for removal in removals:
            if removal.action != "drop" and removal.action != "capture":
                continue
            index = removal.line - 1
            rule_id = removal.rule.split(":", 1)[1]
            dropped[index] = rule_id
            evidence = measured.rules[rule_id]
            first_of_rule = rule_id not in fired
            fired[rule_id] = fired.get(rule_id, 0) + 1
            evidence.lines += 1
            evidence.covered += index in other
            line = page.lines[index]
            if index == headline:
                evidence.headlines += 1
            is_article = not recurring[index]
            kind = self.kinds[rule_id]
            if kind == "cut_block":
                if first_of_rule:
                    evidence.examples.offer(line)
                elif is_article and is_prose(line):
                    evidence.outside += 1
                    outside_here.add(rule_id)
            else:
                if is_article and kind == "drop_line":
                    evidence.outside += 1
                    outside_here.add(rule_id)
                if len(line) <= MAX_EXAMPLE_LINE:
                    evidence.examples.offer(line)
        for rule_id in fired:
            measured.rules[rule_id].pages += 1
        for rule_id in outside_here:
            measured.rules[rule_id].outside_pages += 1
        measured.dropped += len(dropped)
        for index, line in enumerate(page.lines):
            if index not in dropped and not recurring[index] and len(line) <= MAX_EXAMPLE_LINE:
                self._near_miss(line)

    def _near_miss(self, line: str) -> None:
        measured = self.measurement
        measured.any_article.offer(line)
        for word in set(words(line)):
            bottom = measured.near_misses.get(word)
            if bottom is not None:
                bottom.offer(line)

    def _against(self, page: Page) -> set[int]:
        assert self.against_plan is not None
        removals = engine.run(self.against_plan, page.lines, trace=True).removals or []
        fired = {r.rule.split(":", 1)[1] for r in removals}
        for rule_id in fired:
            if rule_id in self.measurement.against:
                self.measurement.against[rule_id] += 1
        self.measurement.against_dropped += len({r.line for r in removals})
        return {r.line - 1 for r in removals if r.action in ("drop", "capture")}
