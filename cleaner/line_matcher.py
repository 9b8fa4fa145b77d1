"""Which line pattern of a site a line matches in full: the engine's most frequent question.

A site's line patterns form one alternation: the first rule to match decides, and the match's
`lastgroup` names it. Trying every pattern on every line is what makes such an engine slow
(about 60 patterns cost 4 us a line), while a line can only match the few patterns that can
span its length, start with its first character and find in it a text they need. So the
matcher keeps, for each line length band and first character, the alternation of just those
patterns, compiled the first time such a line comes. Most chrome patterns start with a known
word ("Also Read") and can only match short lines; most of the others need a text ("Desk", "(",
a digit) that a line lacks. An article paragraph is tried against two or three patterns
instead of sixty.

What a pattern can start with and what it needs are read off its parse (`cleaner.prefilter`);
whatever the parse cannot tell counts as "anything", so a pattern is left out only for lines it
cannot match.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cleaner.patterns import Pattern, alternation, max_width, timed_alternation
from cleaner.prefilter import DIGIT, Needle, first_test, fold, needles

MAX_LENGTH_BANDS = 8
"""Line-length bands the patterns are sorted into by the longest line they can match."""

BROAD_START = 8
"""A pattern that can start with more ASCII letters than this is tried only on the lines that
contain one of its needles (`cleaner.prefilter.needles`), when it has any."""

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_has_digit = re.compile(r"\d").search


@dataclass(frozen=True)
class Branch:
    """One line pattern of the alternation: its group name, body and time limit (user rules)."""

    group: str
    body: str
    limit: tuple[float, str] | None

    @property
    def source(self) -> str:
        return f"(?P<{self.group}>{self.body})"


class LineMatcher:
    """The combined line pattern of a site, narrowed per line to the patterns that can match."""

    def __init__(self, branches: Sequence[Branch]) -> None:
        self.branches = tuple(branches)
        self._compiled: dict[tuple[int, ...], Pattern | None] = {}
        #: The alternation of every pattern: what `match` must agree with.
        self.whole: Pattern | None = self._compile(tuple(range(len(branches))))
        widths = [max_width(branch.body) for branch in branches]
        self._firsts = [first_test(branch.body) for branch in branches]
        self._needles = [
            needles(branch.body)
            if first is None or sum(map(first, _LETTERS)) > BROAD_START
            else None
            for branch, first in zip(branches, self._firsts, strict=True)
        ]
        bounded = sorted({width for width in widths if width is not None})
        step = max(1, -(-len(bounded) // MAX_LENGTH_BANDS))
        self._bands = tuple(bounded[step - 1 :: step])
        # The patterns that can match some line of each band, by the band's shortest line.
        self._in_band = [
            tuple(i for i, width in enumerate(widths) if width is None or width >= shortest)
            for shortest in (0, *(bound + 1 for bound in self._bands))
        ]
        self._tables: list[dict[str, _Narrowed]] = [{} for _ in self._in_band]

    def match(self, line: str) -> Any:
        """The full match of stripped, non-blank `line` by the first pattern that matches it."""
        band = bisect_left(self._bands, len(line))
        table = self._tables[band]
        first = line[0]
        try:
            narrowed = table[first]
        except KeyError:
            narrowed = table[first] = self._narrowed(band, first)
        matcher = narrowed.matcher if narrowed.needles is None else narrowed.choose(line)
        return matcher.fullmatch(line) if matcher is not None else None

    def _narrowed(self, band: int, first: str) -> _Narrowed:
        """The patterns of `band` that can start with `first`, by the needles they need."""
        firsts = self._firsts
        chosen = [i for i in self._in_band[band] if (test := firsts[i]) is None or test(first)]
        gated = {i: found for i in chosen if (found := self._needles[i]) is not None}
        if not gated:
            return _Narrowed(self, chosen, {}, None)
        distinct = tuple(dict.fromkeys(needle for found in gated.values() for needle in found))
        return _Narrowed(self, chosen, gated, distinct)

    def subset(self, chosen: tuple[int, ...]) -> Pattern | None:
        """The alternation of the patterns `chosen` (indexes, in rule order), compiled once."""
        if chosen not in self._compiled:
            self._compiled[chosen] = self._compile(chosen)
        return self._compiled[chosen]

    def _compile(self, chosen: tuple[int, ...]) -> Pattern | None:
        if not chosen:
            return None
        branches = [self.branches[i] for i in chosen]
        if any(b.limit is not None for b in branches):
            return timed_alternation([(b.source, b.limit) for b in branches])
        return alternation(tuple(b.source for b in branches))


class _Narrowed:
    """The patterns a line of one length band and first character can match.

    Patterns with needles are left out of the alternation for a line that has none of them: the
    alternation is picked by which of the needles the line contains.
    """

    __slots__ = (
        "_by_found",
        "_chosen",
        "_digit",
        "_folded",
        "_gated",
        "_owner",
        "_plain",
        "matcher",
        "needles",
    )

    def __init__(
        self,
        owner: LineMatcher,
        chosen: list[int],
        gated: dict[int, tuple[Needle, ...]],
        distinct: tuple[Needle, ...] | None,
    ) -> None:
        self._owner = owner
        self._chosen = chosen
        self._gated = gated
        self.needles = distinct
        self.matcher = owner.subset(tuple(chosen)) if distinct is None else None
        bits = {needle: 1 << bit for bit, needle in enumerate(distinct or ())}
        self._plain = tuple((text, bit) for (kind, text), bit in bits.items() if kind == "text")
        self._folded = tuple((text, bit) for (kind, text), bit in bits.items() if kind == "folded")
        self._digit = bits.get(DIGIT, 0)
        self._by_found: dict[int, Pattern | None] = {}

    def choose(self, line: str) -> Pattern | None:
        """The alternation for `line`: without the patterns whose needles it lacks."""
        found = 0
        for text, bit in self._plain:
            if text in line:
                found |= bit
        if self._folded:
            lowered = fold(line)
            for text, bit in self._folded:
                if text in lowered:
                    found |= bit
        if self._digit and _has_digit(line) is not None:
            found |= self._digit
        try:
            return self._by_found[found]
        except KeyError:
            return self._by_found.setdefault(found, self._without_missing(found))

    def _without_missing(self, found: int) -> Pattern | None:
        assert self.needles is not None
        present = {needle for bit, needle in enumerate(self.needles) if found >> bit & 1}
        chosen = tuple(
            i
            for i in self._chosen
            if i not in self._gated or not present.isdisjoint(self._gated[i])
        )
        return self._owner.subset(chosen)
