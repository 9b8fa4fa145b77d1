"""Which line pattern of a site a line matches in full: the engine's most frequent question.

The first rule (in rule order) whose pattern matches a line decides. Trying every pattern on
every line is what makes such an engine slow (about 60 patterns cost 11 us a line), while a line
can only match the few patterns that can span its length, start with its first character, end
with its last and find in it a text they need. So the matcher keeps, for each set of patterns
that a line's length band, first and last character leave (a few dozen sets per site, whatever
the text), how to try them: each pattern alone, in rule order, if the line holds one of its
needles ("Desk", "(", a digit); the patterns without needles too, unless there are many of
them, which then form one alternation whose match's `lastgroup` names the rule. Most chrome
patterns start with a known word ("Also Read") and can only match short lines, or need a text
a line lacks, or can only end in a character (")", "|", "]") that ends no sentence: an article
paragraph meets two or three patterns instead of sixty. A pattern of ``.*`` and a tail (a
caption's credit) is searched for at the line's end instead (`line_tail`). A short line met
lately (chrome recurs from page to page) is answered from memory (`MEMO_WIDTH`).

What a pattern can start and end with and what it needs are read off its parse
(`cleaner.prefilter`); whatever the parse cannot tell counts as "anything", so a pattern is left
out only for lines it cannot match.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Final, final

from cleaner.patterns import Pattern, alternation, timed_alternation
from cleaner.prefilter import (
    DIGIT,
    Answers,
    CharTest,
    first_test,
    fold,
    has_digit,
    last_test,
    line_tail,
    literal_start,
    max_width,
    needles,
)

MAX_LENGTH_BANDS: Final = 8
"""Line-length bands the patterns are sorted into by the longest line they can match."""

MIN_ALTERNATION: Final = 5
"""Fewest patterns without needles that a line matcher tries as one alternation."""

LENGTHS_LISTED: Final = 1024
"""Line lengths whose band is looked up in a list; longer lines' is searched for."""

MEMO_WIDTH: Final = 120
"""Longest line whose rule a matcher remembers. Chrome lines (bylines, menus, prompts, footers)
recur from page to page of a site, each costing the patterns that can match it again; article
paragraphs are longer and never recur, and skip the memory."""

MEMO_LINES = 2048
"""Lines a matcher remembers at most: when full it forgets them all and starts again, so that
memory stays bounded and follows the sites a batch is at."""

ROUTES_KEPT = 1 << 16
"""Pairs of a line's first and last character (per length band) whose patterns a matcher
remembers at most (see `LineMatcher._route`)."""

_NOT_KNOWN: Final = ""
"""What the memory answers for a line it does not hold (no group name is empty)."""


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
        #: Each pattern's place in rule order, by its group name.
        self.position = {branch.group: i for i, branch in enumerate(branches)}
        # Every fact of a pattern while its parse is the one cached (a rule file of 100,000
        # patterns would otherwise parse each pattern four times).
        facts = [
            (max_width(b.body), needles(b.body), first_test(b.body), last_test(b.body))
            for b in branches
        ]
        widths = [width for width, _, _, _ in facts]
        self._widths = widths
        self._needles = [found for _, found, _, _ in facts]
        #: Patterns of ``.*`` and a tail: searched for at the line's end (`line_tail`), alone.
        self._tails = [line_tail(b.body) for b in branches]
        count = len(widths)
        bounded = sorted({width for width in widths if width is not None})
        step = max(1, -(-len(bounded) // MAX_LENGTH_BANDS))
        self._bands = tuple(bounded[step - 1 :: step])
        # Patterns as bits, in rule order: those that can match some line of each band (by the
        # band's shortest line), and those that can start or end with a given character.
        self._in_band = [
            _mask([i for i, w in enumerate(widths) if w is None or w >= shortest], count)
            for shortest in (0, *(bound + 1 for bound in self._bands))
        ]
        #: The band of each line length up to `LENGTHS_LISTED`.
        self._band_at = [bisect_left(self._bands, length) for length in range(LENGTHS_LISTED)]
        #: The bits of the patterns that can start (end) with a character, worked out once.
        self._can_start = _char_bits([first for _, _, first, _ in facts])
        self._can_end = _char_bits([last for _, _, _, last in facts])
        #: The alternation and the gate of each set of patterns a line may match.
        self._choices: dict[int, _Choice] = {}
        #: The choice for a line of each band, by its first and then its last character.
        self._routes: list[dict[str, dict[str, _Choice]]] = [{} for _ in self._in_band]
        self._routed = 0  # entries in `_routes`
        #: The patterns tried alone, by index, shared by the gates of all sets.
        self._gated: dict[int, _Gated] = {}
        #: The answer for each short line met lately (see `MEMO_WIDTH`), `MEMO_LINES` at most
        #: (read here: the compiled loop reads an attribute faster than a module's name).
        self._known: dict[str, str | None] = {}
        self._memo_lines = MEMO_LINES

    @cached_property
    def whole(self) -> Pattern | None:
        """The alternation of every pattern: what `rule_of` must agree with."""
        return self._compile(tuple(range(len(self.branches))))

    def rule_of(self, line: str) -> str | None:
        """The group name of the first pattern that matches stripped, non-blank `line` in full
        (None: no pattern does)."""
        length = len(line)
        short = length <= MEMO_WIDTH
        if short:
            known = self._known.get(line, _NOT_KNOWN)
            if known is not _NOT_KNOWN:
                return known
        band = (
            self._band_at[length] if length < LENGTHS_LISTED else bisect_left(self._bands, length)
        )
        first, last = line[0], line[-1]
        by_first = self._routes[band]
        by_last = by_first.get(first)
        choice = by_last.get(last) if by_last is not None else None
        if choice is None:
            choice = self._route(band, first, last)
        matcher = choice.matcher
        found = matcher.fullmatch(line) if matcher is not None else None
        group: str | None = found.lastgroup if found is not None else None
        gate = choice.gate
        if gate is not None:
            group = gate.first_gated(line, group)
        if short:
            if len(self._known) >= self._memo_lines:
                self._known.clear()
            self._known[line] = group
        return group

    def _route(self, band: int, first: str, last: str) -> _Choice:
        """The choice for lines of `band` that start with `first` and end with `last`, from
        the bits of the patterns that can match them, kept for the next such line: two
        characters looked up instead of two sets of bits made and hashed per line. Unseen
        text keeps meeting new pairs of characters, so past `ROUTES_KEPT` they are all
        forgotten and found again."""
        chosen = self._in_band[band] & self._can_start[first] & self._can_end[last]
        choice = self._choices.get(chosen)
        if choice is None:
            choice = self._choices[chosen] = self._choice(chosen)
        if self._routed >= ROUTES_KEPT:
            for routes in self._routes:
                routes.clear()
            self._routed = 0
        self._routed += 1
        self._routes[band].setdefault(first, {})[last] = choice
        return choice

    def _choice(self, chosen: int) -> _Choice:
        """The patterns `chosen` (bits): those with needles or tails tried alone, and the
        others too unless there are `MIN_ALTERNATION` of them, which form one alternation.
        Alone, a pattern is compiled once for all the matchers of all sites (`alone`); each
        alternation is compiled for its own set, and one with a long pattern such as a date
        line took a millisecond: compiling was a fifth of cleaning 5 MB, while trying two to
        four patterns alone costs a line what their alternation does."""
        indexes = _set_bits(chosen)
        alone = [i for i in indexes if self._needles[i] is not None or self._tails[i] is not None]
        free: tuple[int, ...] = ()
        if len(indexes) - len(alone) < MIN_ALTERNATION:
            alone = indexes
        else:
            free = tuple(i for i in indexes if self._needles[i] is None and self._tails[i] is None)
        gate = _Gate(self, [self._gated_at(i) for i in alone]) if alone else None
        return _Choice(self.subset(free), gate)

    def _gated_at(self, index: int) -> _Gated:
        """Pattern `index` as tried alone, made once for all the sets of patterns it is in."""
        gated = self._gated.get(index)
        if gated is None:
            gated = self._gated[index] = _Gated(self, index)
        return gated

    def subset(self, chosen: tuple[int, ...]) -> Pattern | None:
        """The alternation of the patterns `chosen` (indexes, in rule order), compiled once."""
        if chosen not in self._compiled:
            self._compiled[chosen] = self._compile(chosen)
        return self._compiled[chosen]

    def alone(self, index: int) -> Pattern:
        """Pattern `index` compiled alone: its tail, if it has one (`line_tail`), else all of
        it, without its group name, so that the same pattern in another site's matcher is the
        same source, compiled once (`compile_on_re`)."""
        branch = self.branches[index]
        source = self._tails[index] or branch.body
        if branch.limit is not None:
            return timed_alternation([(source, branch.limit)])
        return alternation((source,))

    def _compile(self, chosen: tuple[int, ...]) -> Pattern | None:
        if not chosen:
            return None
        branches = [self.branches[i] for i in chosen]
        if any(b.limit is not None for b in branches):
            return timed_alternation([(b.source, b.limit) for b in branches])
        return alternation(tuple(b.source for b in branches))


def _mask(indexes: list[int], width: int) -> int:
    """The bits at `indexes` (each below `width`) as an int, made in time linear in `width`:
    adding up powers of two takes time quadratic in the number of patterns (0.4 s for each of
    100,000), and this runs for every length band and every distinct character test.

    >>> bin(_mask([0, 2, 3], 4))
    '0b1101'
    """
    packed = bytearray((width + 7) // 8)
    for index in indexes:
        packed[index >> 3] |= 1 << (index & 7)
    return int.from_bytes(packed, "little")


def _set_bits(bits: int) -> list[int]:
    """The places of the 1 bits of `bits`, lowest first: one step for each pattern in a set,
    where testing every place took a shift of the whole number for each pattern of the site.

    >>> _set_bits(0b1101)
    [0, 2, 3]
    """
    places = []
    while bits:
        lowest = bits & -bits
        places.append(lowest.bit_length() - 1)
        bits ^= lowest
    return places


def _char_bits(tests: list[CharTest | None]) -> Answers[int]:
    """The patterns (as bits) whose test admits a character, each character worked out once.
    Patterns that share a test (`first_test` gives alike patterns one) are one mask, so a new
    character costs a lookup per distinct test, not a test per pattern."""
    members: dict[CharTest | None, list[int]] = {}
    for index, test in enumerate(tests):
        if test not in members:
            members[test] = []
        members[test].append(index)
    always = _mask(members.get(None, []), len(tests))
    masks = [
        (test, _mask(indexes, len(tests))) for test, indexes in members.items() if test is not None
    ]

    def admitted(char: str) -> int:
        bits = always
        for test, mask in masks:
            if test(char):
                bits |= mask
        return bits

    return Answers(admitted)


@final
class _Choice:
    """What a line of one set of patterns is tried with: their alternation, and their gate."""

    __slots__ = ("gate", "matcher")

    def __init__(self, matcher: Pattern | None, gate: _Gate | None) -> None:
        self.matcher = matcher
        self.gate = gate


@final
class _Gated:
    """A pattern tried alone: its place in rule order, its group, the longest line it can
    match (-1: any), the text every match starts with (`literal_start`; "": none) and whether
    it is folded, the texts it needs one of (none: it needs none), and whether it is a tail,
    searched for at the end of the line."""

    __slots__ = (
        "digit",
        "folded",
        "group",
        "index",
        "needs_text",
        "pattern",
        "plain",
        "start",
        "start_folded",
        "tail",
        "width",
    )

    def __init__(self, owner: LineMatcher, index: int) -> None:
        needs = owner._needles[index] or ()
        width = owner._widths[index]
        self.index = index
        self.group = owner.branches[index].group
        self.width = width if width is not None else -1
        start = literal_start(owner.branches[index].body)
        self.start = start[1] if start is not None else ""
        self.start_folded = start is not None and start[0] == "folded"
        self.plain = [text for kind, text in needs if kind == "text"]
        self.folded = [text for kind, text in needs if kind == "folded"]
        self.digit = DIGIT in needs
        self.needs_text = bool(needs)
        self.tail = owner._tails[index] is not None
        self.pattern: Pattern | None = None  # compiled the first time a line needs it


@final
class _Gate:
    """Patterns tried alone, each only on a line it can span and that contains one of its
    needles (if it has any), and only if it comes before the rule the alternation matched (if
    any): the first rule to match still decides, and no alternation has to be compiled for
    every combination of needles a line may have. The case-folded line and the digit search
    are made only for a pattern that needs them. A pattern whose matches all start with one
    text (`literal_start`) is tried only on a line that starts so: its first few characters
    are folded for it, not the whole line. A tail (`line_tail`) is searched for at the line's
    end.
    """

    __slots__ = ("_owner", "gated")

    def __init__(self, owner: LineMatcher, gated: list[_Gated]) -> None:
        self._owner = owner
        #: The patterns tried alone, in rule order.
        self.gated = gated

    def first_gated(self, line: str, found: str | None) -> str | None:
        """`found`, or the group of a pattern before it that `line` can hold and matches."""
        owner = self._owner
        before = owner.position[found] if found is not None else len(owner.branches)
        lowered: str | None = None
        digit = -1  # -1: not looked for yet
        for gated in self.gated:
            if gated.index > before:
                break
            if 0 <= gated.width < len(line):
                continue
            start = gated.start
            if start:
                if not gated.start_folded:
                    if not line.startswith(start):
                        continue
                elif lowered is not None:
                    if not lowered.startswith(start):
                        continue
                elif fold(line[: len(start)]) != start:
                    continue
            present = not gated.needs_text
            for text in gated.plain:
                if text in line:
                    present = True
                    break
            if not present and gated.folded:
                if lowered is None:
                    lowered = fold(line)
                for text in gated.folded:
                    if text in lowered:
                        present = True
                        break
            if not present and gated.digit:
                if digit < 0:
                    digit = 1 if has_digit(line) else 0
                present = digit == 1
            if not present:
                continue
            pattern = gated.pattern
            if pattern is None:
                pattern = gated.pattern = owner.alone(gated.index)
            if gated.tail:
                if pattern.search(line) is not None:
                    return gated.group
            elif pattern.fullmatch(line) is not None:
                return gated.group
        return found
