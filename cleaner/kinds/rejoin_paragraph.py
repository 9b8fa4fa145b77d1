"""rejoin_paragraph: join a paragraph that a removed ad slot split in two.

Where a page had an ad in the middle of a sentence, the scraper prints the sentence's two halves
as two paragraphs. The first half gives it away: it is long and does not end like a sentence
(`unfinished`); the next non-blank line (`continuation`) is joined to it with one space. Blank
lines between the halves go with the join. Headlines and sub-headings are short and end in a
capitalised word, so they are left alone.

Options:
    unfinished (regex, default: ends in a lower-case word or a comma): a first half, in full.
    continuation (regex, default: starts with a word or a quote): a second half, in full.
    min_length (int, default 60): shorter lines are never first halves.
    max_gap (int, default 3): most blank lines between the halves.

Example:
    [[rule]]
    id = "split-paragraph"
    kind = "rejoin_paragraph"
    [[rule.example]]
    input = '''
    The council voted to extend the tram line despite objections from

    locals.'''
    output = "The council voted to extend the tram line despite objections from locals."
"""

from __future__ import annotations

from typing import ClassVar

from cleaner.kinds.base import RuleKind
from cleaner.patterns import Pattern
from cleaner.plan import Line, PlanBuilder, Removal, Trace
from cleaner.schema import Opt


class RejoinParagraph(RuleKind):
    KIND: ClassVar[str] = "rejoin_paragraph"
    OPTIONS: ClassVar[dict[str, Opt]] = {
        "unfinished": Opt("pattern", "a first half, in full", default=r".*\s[a-z][\w'\u2019-]*,?"),
        "continuation": Opt("pattern", "a second half, in full", default=r"[\w\"\u201c\u2018(].*"),
        "min_length": Opt("int", "shorter lines are never first halves", default=60, minimum=1),
        "max_gap": Opt("int", "most blank lines between the halves", default=3, minimum=0),
    }

    def contribute(self, plan: PlanBuilder) -> None:
        unfinished = self.compile(self.options["unfinished"], "unfinished")
        continuation = self.compile(self.options["continuation"], "continuation")
        rule, min_length, max_gap = (
            str(self.ref),
            self.options["min_length"],
            self.options["max_gap"],
        )
        plan.sequence(lambda: JoinFilter(rule, unfinished, continuation, min_length, max_gap))


class JoinFilter:
    """Holds an unfinished line and the blank lines after it until the next line decides."""

    def __init__(
        self, rule: str, unfinished: Pattern, continuation: Pattern, min_length: int, max_gap: int
    ) -> None:
        self.rule = rule
        self.unfinished = unfinished
        self.continuation = continuation
        self.min_length = min_length
        self.max_gap = max_gap
        self.held: Line | None = None
        self.gap: list[Line] = []

    def push(self, line: Line, out: list[Line], trace: Trace | None) -> None:
        held = self.held
        stripped = line.text.strip()
        if held is not None:
            if not stripped and len(self.gap) < self.max_gap:
                self.gap.append(line)
                return
            if stripped and self.continuation.fullmatch(stripped):
                joined = held.text.rstrip() + " " + stripped
                if trace is not None:
                    trace.append(Removal(line.number, self.rule, "join", line.text, joined))
                self.held, self.gap = None, []
                self._take(Line(held.number, joined), out)
                return
            self.flush(out, trace)
        self._take(line, out)

    def _take(self, line: Line, out: list[Line]) -> None:
        stripped = line.text.strip()
        if len(stripped) >= self.min_length and self.unfinished.fullmatch(stripped):
            self.held = line
        else:
            out.append(line)

    def flush(self, out: list[Line], trace: Trace | None) -> None:
        if self.held is not None:
            out.append(self.held)
            out.extend(self.gap)
            self.held, self.gap = None, []
