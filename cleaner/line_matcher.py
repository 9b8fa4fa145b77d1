"""Which line pattern of a site a line matches in full: the engine's most frequent question.

A site's line patterns form one alternation: the first rule to match decides, and the match's
`lastgroup` names it. Trying every pattern on every line is what makes such an engine slow, so
the alternation is also compiled per band of line length, each leaving out the patterns too
short to match any line of the band: a paragraph is tried only against the few patterns that
can span it.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from cleaner.patterns import Pattern, alternation, max_width, timed_alternation

MAX_LENGTH_BANDS = 8
"""Line-length bands the line matcher is compiled for: each band is one more compiled pattern."""


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
    """The combined line pattern of a site, compiled for each band of line length."""

    def __init__(self, branches: list[Branch]) -> None:
        self.branches = tuple(branches)
        self.whole: Pattern | None = None
        self._matchers: tuple[Pattern | None, ...] = (None,)
        self._bands: tuple[int, ...] = ()
        if not branches:
            return
        if any(branch.limit is not None for branch in branches):
            # User patterns: one time-limited alternation; the bands would multiply the limits.
            self.whole = timed_alternation([(b.source, b.limit) for b in branches])
            self._matchers = (self.whole,)
            return
        widths = {b.group: max_width(b.body) for b in branches}
        bounded = sorted({w for w in widths.values() if w is not None})
        step = max(1, -(-len(bounded) // MAX_LENGTH_BANDS))
        self._bands = tuple(bounded[step - 1 :: step])
        matchers: list[Pattern | None] = []
        compiled: dict[tuple[str, ...], Pattern] = {}
        for shortest in (0, *(bound + 1 for bound in self._bands)):
            sources = tuple(
                b.source for b in branches if (w := widths[b.group]) is None or w >= shortest
            )
            if sources and sources not in compiled:
                compiled[sources] = alternation(sources)
            matchers.append(compiled[sources] if sources else None)
        self._matchers = tuple(matchers)
        self.whole = self._matchers[0]

    def match(self, line: str) -> Any:
        """The full match of stripped, non-blank `line` by the first pattern that matches it."""
        matcher = self._matchers[bisect_left(self._bands, len(line))]
        return matcher.fullmatch(line) if matcher is not None else None
