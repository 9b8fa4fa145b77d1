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
from cleaner.patterns import Pattern, PatternTimeout, source_with_flags
from cleaner.plan import Lines, PlanBuilder, Removal, Trace
from cleaner.prefilter import last_test
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
        plan.sequence(JoinFilter(rule, unfinished, continuation, min_length, max_gap))


class JoinFilter:
    """Joins each unfinished line to the next non-blank line when that one continues it."""

    def __init__(
        self, rule: str, unfinished: Pattern, continuation: Pattern, min_length: int, max_gap: int
    ) -> None:
        self.rule = rule
        self.unfinished = unfinished
        self.continuation = continuation
        self.min_length = min_length
        self.max_gap = max_gap
        # Most paragraphs end like a sentence, with a character `unfinished` cannot end with.
        can_end = last_test(source_with_flags(unfinished))
        self._can_end = can_end if can_end is not None else _any_character

    def __call__(self, lines: Lines, trace: Trace | None) -> Lines:
        keys = lines.keys
        first = next((i for i, key in enumerate(keys) if self._is_unfinished(key, i, lines)), -1)
        if first < 0:
            return lines
        texts, numbers = lines.texts, lines.numbers
        joined_any = False
        out = Lines(texts[:first], keys[:first], numbers[:first] if numbers is not None else None)
        index, count = first, len(keys)
        while index < count:
            at = index
            text, key = texts[index], keys[index]
            index += 1
            # A joined line may be unfinished again, and take the next continuation too.
            while self._is_unfinished(key, at, lines):
                after = index
                while after < count and after - index < self.max_gap and not keys[after]:
                    after += 1
                rest = keys[after] if after < count else ""
                if not rest or not _matches(self.continuation, rest, after, lines):
                    break
                text = text.rstrip() + " " + rest
                key = text.strip()
                if trace is not None:
                    assert numbers is not None, "lines are numbered whenever removals are traced"
                    trace.append(Removal(numbers[after], self.rule, "join", texts[after], text))
                index, joined_any = after + 1, True
            out.texts.append(text)
            out.keys.append(key)
            if out.numbers is not None and numbers is not None:
                out.numbers.append(numbers[at])
        return out if joined_any else lines

    def _is_unfinished(self, key: str, index: int, lines: Lines) -> bool:
        return (
            len(key) >= self.min_length
            and self._can_end(key[-1])
            and _matches(self.unfinished, key, index, lines)
        )


def _any_character(char: str) -> bool:
    return True


def _matches(pattern: Pattern, key: str, index: int, lines: Lines) -> bool:
    """Whether `pattern` matches `key` (line `index` of `lines`, stripped) in full; a timeout
    names the line, when the lines are numbered."""
    try:
        return pattern.fullmatch(key) is not None
    except PatternTimeout as exc:
        if lines.numbers is None:
            raise
        raise exc.at_line(lines.numbers[index]) from None
