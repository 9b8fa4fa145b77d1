"""What a pattern's parse tells about the lines it can match, so that most lines skip it.

Facts are read off a line pattern by the standard library's own parser: the longest line it can
match in full (`max_width`), the characters a full match can start or end with (`first_test`,
`last_test`) and texts of which every match contains one (`needles`). All are cheap to check on
a line before running the pattern: a length, a test of one character, a substring test in C.
Whatever the parse cannot tell (a pattern only `regex` reads, an unusual construct) means "no
prefilter", so a prefilter only ever skips patterns that cannot match.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Final, TypeVar, final

from ahocorasick_rs import AhoCorasick, MatchKind

from cleaner.patterns import parse_on_re

_PARSER: Final[Any] = importlib.import_module("re._parser")
_COMPILER: Final[Any] = importlib.import_module("re._compiler")
_CONSTANTS: Final[Any] = importlib.import_module("re._constants")
_END_OF_TEXT: Final = (_CONSTANTS.AT, _CONSTANTS.AT_END_STRING)

_T = TypeVar("_T")

CharTest = Callable[[str], bool]
"""Whether a match can start (or end) with a given character."""

Needle = tuple[str, str]
"""What every match contains: ``("text", t)``, ``("folded", t)``: the lowercase `t` is in
`fold(line)`, or ``("digit", "")``: a decimal digit."""

DIGIT: Final[Needle] = ("digit", "")

_ONE_CHARACTER: Final = frozenset({"LITERAL", "NOT_LITERAL", "IN", "ANY"})
_ZERO_WIDTH: Final = frozenset({"AT", "ASSERT", "ASSERT_NOT"})
_REPEATS: Final = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})
_COMMON_PUNCTUATION: Final = frozenset(" .,'-")

MIN_NEEDLE_SCORE: Final = 3
"""Needles scoring less (a letter or two) are found in too many lines to be worth a search."""

MAX_NEEDLES: Final = 8
"""A pattern needing one of more texts than this is cheaper to try than to prefilter."""


FACTS_KEPT: Final = 1 << 17
"""Patterns whose facts are remembered: each site's plan holds the common rules again, so a
common file of 100,000 generated patterns would otherwise be read once per site. The parses
themselves, which are larger, are kept for the last few thousand patterns only."""


@lru_cache(maxsize=FACTS_KEPT)
def max_width(body: str) -> int | None:
    """The most characters a match of `body` can span, or None when unbounded or not known.

    A line longer than that cannot match in full, so the engine skips the pattern for it. A
    pattern opening with a lookahead to the end, such as ``(?=.{1,200}\\Z)``, spans at most
    what the lookahead does.
    """
    parsed = parse_on_re(body)
    if parsed is None:
        return None
    try:
        widths = [parsed.getwidth()[1]]
        if parsed.data and str(parsed.data[0][0]) == "ASSERT":
            direction, ahead = parsed.data[0][1]
            if direction == 1 and ahead.data and ahead.data[-1] == _END_OF_TEXT:
                widths.append(ahead.getwidth()[1])
    except Exception:  # a private parser's surprise, as in parse_on_re
        return None
    most = min(widths)
    return int(most) if most < _PARSER.MAXREPEAT else None


@lru_cache(maxsize=FACTS_KEPT)
def first_test(body: str) -> CharTest | None:
    """A test of the characters a full match of `body` can start with; None when any can.
    The test remembers its answers (`remembered`), and alike patterns share it."""
    return _edge_test(body, from_end=False)


@lru_cache(maxsize=FACTS_KEPT)
def last_test(body: str) -> CharTest | None:
    """A test of the characters a full match of `body` can end with; None when any can (a
    remembered test, as `first_test`'s)."""
    return _edge_test(body, from_end=True)


_SHARED_TESTS: Final[dict[str, CharTest]] = {}
"""Character tests by what they admit, as parsed: the patterns of many rules and of every
site's copy of the common rules start (or end) alike, with a capital, a digit or one of a few
words, and share one test, whose answers for each character are worked out once."""


def _edge_test(body: str, *, from_end: bool) -> CharTest | None:
    parsed = parse_on_re(body)
    if parsed is None:
        return None
    try:
        items = _edge_items(parsed, parsed.state.flags, from_end)[0]
        if items is None:
            return None
        key = repr((parsed.state.flags, items))
        shared = _SHARED_TESTS.get(key)
        if shared is not None:
            return shared
        tests = [_item_test(parsed.state, item, flags) for item, flags in items]
    except Exception:  # a private parser's surprise, as in parse_on_re
        return None
    if len(_SHARED_TESTS) >= FACTS_KEPT:
        _SHARED_TESTS.clear()
        _ITEM_TESTS.clear()
    test = _SHARED_TESTS[key] = remembered(
        lambda char: any(match(char) is not None for match in tests)
    )
    return test


_ITEM_TESTS: Final[dict[str, Callable[[str], Any]]] = {}
"""The compiled test of each one-character item of a parse, by the flags and the item: the
tests of different edges share most of their items (a capital, a letter of "By"), and 800
compiles at load were 169 items."""


def _item_test(state: Any, item: Any, flags: int) -> Callable[[str], Any]:
    key = repr((state.flags, flags, item))  # both flags: compiling adds the parse's own
    test = _ITEM_TESTS.get(key)
    if test is None:
        test = _ITEM_TESTS[key] = _COMPILER.compile(_PARSER.SubPattern(state, [item]), flags).match
    return test


_CLASS_CATEGORIES: Final = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


@lru_cache(maxsize=4096)
def first_class(body: str) -> str | None:
    """A pattern of one character that every match of `body` starts with, such as
    ``(?:[.!?]|\\s)`` (None when any character can start one, a match can be empty, or the
    parse does not tell). Written as a look-ahead in front of `body`, it lets the regex engine
    pass over a start position with one test instead of trying the whole of `body` there."""
    parsed = parse_on_re(body)
    if parsed is None:
        return None
    try:
        items, can_be_empty = _edge_items(parsed, parsed.state.flags, from_end=False)
        if items is None or can_be_empty:
            return None
        sources = [_one_character(item, flags) for item, flags in items]
    except Exception:  # a private parser's surprise, as in parse_on_re
        return None
    if not sources or None in sources:
        return None
    return "(?:" + "|".join(dict.fromkeys(s for s in sources if s is not None)) + ")"


def _one_character(item: Any, flags: int) -> str | None:
    """The source of the one-character parse item `item` under `flags`, or None."""
    if flags & (re.ASCII | re.LOCALE | re.VERBOSE):
        return None
    op, argument = item
    name = str(op)
    if name == "LITERAL":
        source = re.escape(chr(argument))
    elif name == "NOT_LITERAL":
        source = f"[^{re.escape(chr(argument))}]"
    elif name == "IN":
        members: list[str] = []
        for member, value in argument:
            kind = str(member)
            if kind == "NEGATE" and not members:
                members.append("^")
            elif kind == "LITERAL":
                members.append(re.escape(chr(value)))
            elif kind == "RANGE":
                members.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
            elif kind == "CATEGORY" and str(value) in _CLASS_CATEGORIES:
                members.append(_CLASS_CATEGORIES[str(value)])
            else:
                return None
        source = f"[{''.join(members)}]"
    else:
        return None  # ANY: every character can start a match
    return f"(?i:{source})" if flags & re.IGNORECASE else source


MEMO_CHARACTERS: Final = 4096
"""Characters a remembered test keeps answers for: the alphabets of most languages. Past it,
answers are worked out each time, so memory stays bounded whatever the text."""


def remembered(answer: Callable[[str], _T]) -> Callable[[str], _T]:
    """`answer`, each character's answer kept (up to `MEMO_CHARACTERS`): a test that runs for
    every line is then a dict lookup, about a fifteenth of running the compiled tests."""
    return Answers(answer).__getitem__


class Answers(dict[str, _T]):
    """The answers of `answer` by character, worked out on first use (see `remembered`); a
    caller on the hot path indexes it directly, sparing the call of a bound method."""

    def __init__(self, answer: Callable[[str], _T]) -> None:
        super().__init__()
        self._answer = answer

    def __missing__(self, char: str) -> _T:
        answer = self._answer(char)
        if len(self) < MEMO_CHARACTERS:
            self[char] = answer
        return answer


def _edge_items(
    sequence: Any, flags: int, from_end: bool
) -> tuple[list[tuple[Any, int]] | None, bool]:
    """The one-character items a match of `sequence` can start (or end) with (None: not
    known), and whether `sequence` can match the empty string."""
    found: list[tuple[Any, int]] = []
    for op, argument in reversed(list(sequence)) if from_end else sequence:
        name = str(op)
        if name in _ONE_CHARACTER:
            found.append(((op, argument), flags))
            return found, False
        if name in _ZERO_WIDTH:
            continue  # lookarounds and anchors consume nothing; ignoring them only widens
        if name == "SUBPATTERN":
            _, add, remove, inner = argument
            items, empty = _edge_items(inner, (flags | add) & ~remove, from_end)
        elif name == "ATOMIC_GROUP":
            items, empty = _edge_items(argument, flags, from_end)
        elif name == "BRANCH":
            items, empty = [], False
            for alternative in argument[1]:
                more, can_be_empty = _edge_items(alternative, flags, from_end)
                if more is None:
                    return None, True
                items += more
                empty = empty or can_be_empty
        elif name in _REPEATS:
            least, _, inner = argument
            items, empty = _edge_items(inner, flags, from_end)
            empty = empty or least == 0
        else:
            return None, True
        if items is None:
            return None, True
        found += items
        if not empty:
            return found, False
    return found, True


_LINE_TAIL: Final = re.compile(
    r"(?P<open>\(\?[aiLmsux]*(?:-[imsx]+)?:)?(?:\(\?=\.\{1,\d+\}\\Z\))?\.\*"
)


@lru_cache(maxsize=FACTS_KEPT)
def line_tail(body: str) -> str | None:
    r"""For a pattern that is ``.*`` and then a tail (after a look-ahead that bounds the line's
    length, maybe inside a group of flags), a pattern that finds that tail at the end of the
    line; None for other patterns, and where the regex engine could not jump to the places
    the tail can start (its parse starts with no literal or character class).

    A full match of ``.*X`` backtracks from the end of the line, trying ``X`` at every place;
    a search for ``X\Z`` jumps (in C) from one character that can start ``X`` to the next,
    so a caption rule's credit costs a paragraph a third of the time. Both agree on every
    line (a line holds no line break for ``.`` to stop at); the length bound is left to the
    caller (`max_width`).

    >>> print(line_tail(r"(?=.{1,300}\Z).*(?:[.!?] [A-Z][a-z]+)"))
    (?:(?:[.!?] [A-Z][a-z]+))\Z
    >>> print(line_tail(r"(?i:.*\(photo\))"))
    (?i:(?:\(photo\)))\Z
    >>> line_tail(r".*(?<=a)b"), line_tail(r".*x|y"), line_tail(r"a.*b")
    (None, None, None)
    """
    head = _LINE_TAIL.match(body)
    if head is None:
        return None
    opening = head.group("open") or ""
    closing = ")" if opening else ""
    if not body.endswith(closing):
        return None
    tail = f"{opening}(?:{body[head.end() : len(body) - len(closing)]}){closing}\\Z"
    whole, parsed = parse_on_re(body), parse_on_re(tail)
    if whole is None or parsed is None or not _dot_star_first(whole, bool(opening)):
        return None
    try:
        flags = parsed.state.flags
        if not _COMPILER._get_literal_prefix(parsed, flags)[0] and (
            _COMPILER._get_charset_prefix(parsed, flags) is None
        ):
            return None
    except Exception:  # a private parser's surprise, as in parse_on_re
        return None
    return tail


def _dot_star_first(parsed: Any, in_group: bool) -> bool:
    """Whether the parse of a pattern is ``.*`` (after a look-ahead) and then the rest, all of
    it, inside one group when `in_group`: no alternation at the top takes the rest away."""
    items = list(parsed.data)
    if in_group:
        if len(items) != 1 or str(items[0][0]) != "SUBPATTERN":
            return False
        items = list(items[0][1][3].data)
    if items and str(items[0][0]) == "ASSERT":
        items = items[1:]
    if not items or str(items[0][0]) != "MAX_REPEAT":
        return False
    least, most, inner = items[0][1]
    return least == 0 and most == _PARSER.MAXREPEAT and [str(op) for op, _ in inner] == ["ANY"]


@lru_cache(maxsize=FACTS_KEPT)
def needles(body: str) -> tuple[Needle, ...] | None:
    """Texts of which every match of `body` contains one; None when none is known."""
    parsed = parse_on_re(body)
    if parsed is None:
        return None
    try:
        return _needles(parsed, parsed.state.flags)
    except Exception:  # a private parser's surprise, as in parse_on_re
        return None


def _needles(sequence: Any, flags: int) -> tuple[Needle, ...] | None:
    """The best set of needles of `sequence`: one literal run, or one per alternative."""
    options: list[tuple[Needle, ...]] = []
    run: list[str] = []

    def end_run() -> None:
        needle = _needle("".join(run), flags)
        if needle is not None:
            options.append((needle,))
        run.clear()

    for op, argument in sequence:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(argument))
            continue
        if name in _ZERO_WIDTH:
            continue  # consumes nothing: the literals on both sides are adjacent in the text
        end_run()
        inner: tuple[Needle, ...] | None = None
        if name == "SUBPATTERN":
            _, add, remove, body = argument
            inner = _needles(body, (flags | add) & ~remove)
        elif name == "ATOMIC_GROUP":
            inner = _needles(argument, flags)
        elif name == "BRANCH":
            alternatives = [_needles(alternative, flags) for alternative in argument[1]]
            if all(alternatives):
                inner = tuple(dict.fromkeys(n for found in alternatives if found for n in found))
        elif name in _REPEATS and argument[0] >= 1:
            inner = _needles(argument[2], flags)
        elif name == "IN" and _only_digits(argument):
            inner = (DIGIT,)
        if inner and len(inner) <= MAX_NEEDLES:
            options.append(inner)
    end_run()
    scored = [(min(map(_score, option)), -len(option), option) for option in options]
    best = max(scored, key=lambda scored_option: scored_option[:2], default=None)
    return best[2] if best is not None and best[0] >= MIN_NEEDLE_SCORE else None


@lru_cache(maxsize=FACTS_KEPT)
def literal_start(body: str) -> Needle | None:
    r"""The text of two characters or more that every match of `body` starts with, as a
    needle tested at the start of a line (a folded one compared with the line's start
    `fold`-ed); None when there is none. A line that does not start so cannot match, whatever
    needles it holds further on, and the test reads only as many characters as it has.

    >>> literal_start(r"(?i:Also Read ?\|.*)"), literal_start(r"(?=.{1,80}\Z)By (?i:the) \w+")
    (('folded', 'also read'), ('text', 'By '))
    >>> literal_start(r"(?:Related|More) stories"), literal_start(r"B\w+") is None
    (None, True)
    """
    parsed = parse_on_re(body)
    if parsed is None:
        return None
    run: list[str] = []
    blind: list[bool] = []
    try:
        _start_run(parsed, parsed.state.flags, run, blind)
    except Exception:  # a private parser's surprise, as in parse_on_re
        return None
    if len(run) < 2:
        return None
    return _needle("".join(run), re.IGNORECASE if blind[0] else 0)


def _start_run(sequence: Any, flags: int, run: list[str], blind: list[bool]) -> bool:
    """Add to `run` the literals `sequence` starts with, all matched with one case-blindness
    (`blind` holds it once the first is added); False where the run ends inside `sequence`.
    Zero-width items consume nothing and are passed over."""
    for op, argument in sequence:
        name = str(op)
        if name in _ZERO_WIDTH:
            continue
        if name == "LITERAL":
            case_blind = bool(flags & re.IGNORECASE)
            if blind and blind[0] != case_blind:
                return False
            if not blind:
                blind.append(case_blind)
            run.append(chr(argument))
        elif name == "SUBPATTERN":
            _, add, remove, body = argument
            if not _start_run(body, (flags | add) & ~remove, run, blind):
                return False
        else:
            return False
    return True


@lru_cache(maxsize=FACTS_KEPT)
def within_a_line(body: str) -> bool:
    r"""Whether every match of `body`, searched for in a text in MULTILINE mode, lies within
    one line and is found there as in the whole text: it can hold no line end, anchors only to
    a line's start or end (``^``, ``$``, ``\b``, not ``\A`` or ``\Z``) and keeps MULTILINE on.
    Such a pattern can be searched for in the lines that hold its needles alone.

    >>> within_a_line(r"^Editorji News Desk$"), within_a_line(r"^By ?\w+"), within_a_line("a.b")
    (True, True, True)
    >>> within_a_line(r"^Original url:\s*<"), within_a_line(r"end\Z"), within_a_line("(?s:a.b)")
    (False, False, False)
    """
    parsed = parse_on_re(body)
    if parsed is None:
        return False
    try:
        return _within_a_line(parsed, parsed.state, parsed.state.flags)
    except Exception:  # a private parser's surprise, as in parse_on_re
        return False


_LINE_ANCHORS: Final = frozenset({"AT_BEGINNING", "AT_END", "AT_BOUNDARY", "AT_NON_BOUNDARY"})


def _within_a_line(sequence: Any, state: Any, flags: int) -> bool:
    """`within_a_line` for the items of `sequence`, read under `flags`."""
    for op, argument in sequence:
        name = str(op)
        if name in _ONE_CHARACTER:
            if _item_test(state, (op, argument), flags)("\n") is not None:
                return False
        elif name == "AT":
            if str(argument) not in _LINE_ANCHORS:
                return False
        elif name == "SUBPATTERN":
            _, add, remove, inner = argument
            if remove & re.MULTILINE or not _within_a_line(inner, state, (flags | add) & ~remove):
                return False
        elif name in ("ASSERT", "ASSERT_NOT"):
            if not _within_a_line(argument[1], state, flags):
                return False
        elif name == "ATOMIC_GROUP":
            if not _within_a_line(argument, state, flags):
                return False
        elif name == "BRANCH":
            if not all(_within_a_line(each, state, flags) for each in argument[1]):
                return False
        elif name in _REPEATS:
            if not _within_a_line(argument[2], state, flags):
                return False
        elif name != "GROUPREF":  # a group's copy lies where the group does
            return False
    return True


def _needle(text: str, flags: int) -> Needle | None:
    """`text` as a needle; under IGNORECASE only in ASCII, which `fold` can lower exactly."""
    if not text:
        return None
    if not flags & re.IGNORECASE:
        return "text", text
    folded = text.lower()
    return ("folded", folded) if folded.isascii() else None


def _only_digits(members: Any) -> bool:
    """A character class of decimal digits: ``\\d`` or ``[0-9]``."""
    return len(members) == 1 and str(members[0]) in {
        "(CATEGORY, CATEGORY_DIGIT)",
        "(RANGE, (48, 57))",
    }


_DIGIT: Final = re.compile(r"\d").search
_ASCII_DIGITS: Final = "0123456789"


def has_digit(line: str) -> bool:
    """Whether `line` holds a decimal digit (what ``\\d`` matches). In an ASCII line only
    0-9 can be one, and ten substring tests (memchr) beat a regex search there, which tests
    the line character by character."""
    if line.isascii():
        return any(digit in line for digit in _ASCII_DIGITS)
    return _DIGIT(line) is not None


def contains_needle(line: str, found: tuple[Needle, ...]) -> bool:
    """Whether `line` contains one of the needles `found`."""
    lowered: str | None = None
    for kind, text in found:
        if kind == "text":
            if text in line:
                return True
        elif kind == "folded":
            if lowered is None:
                lowered = fold(line)
            if text in lowered:
                return True
        elif has_digit(line):
            return True
    return False


def fold(line: str) -> str:
    """`line` lowered so that an ASCII needle is in it wherever IGNORECASE would match it.

    Beyond `str.lower`, `re` also matches "i" with dotless and dotted capital I and "s" with
    the long s; those become plain ASCII here (the dot above becomes nothing).
    """
    lowered = line.lower()
    if line.isascii():
        return lowered
    return lowered.replace("\u0131", "i").replace("\u017f", "s").replace("\u0307", "")


def _score(needle: Needle) -> int:
    """One point per character, three per rare one (a digit counts as one): the rarer, the
    fewer lines a search finds."""
    kind, text = needle
    if kind == "digit":
        return 3
    return sum(1 if char.isalnum() or char in _COMMON_PUNCTUATION else 3 for char in text)


@final
class NeedleIndex:
    """Which of many patterns a whole text holds a needle of, in one pass over the text.

    A substring test reads the text once per needle: two dozen site fingerprints read every
    document two dozen times, a third of cleaning it. The plain needles of all the patterns
    are found together instead, by one Aho-Corasick search (`ahocorasick_rs`, in Rust, whose
    SIMD prefilter skips over text that starts none of them): on 5 MB, 3.3 ms against 49 ms.
    The search is leftmost-first, the one the prefilter serves; an overlapping search (15 ms)
    would report every needle, while this one may hide a needle inside or across a match it
    reports. So the needles that a reported match can hide, and that are not reported
    themselves, are tested alone. Folded and digit needles, rare in whole-text patterns, are
    tested one by one.
    """

    __slots__ = ("_automaton", "_count", "_hideable", "_holders", "_tested")

    def __init__(self, found: Sequence[tuple[Needle, ...] | None]) -> None:
        """`found`: the needles of each pattern, in order (None: a pattern needing none)."""
        self._count = len(found)
        #: The patterns each plain needle belongs to.
        self._holders: dict[str, list[int]] = {}
        #: Patterns whose needles are not all plain texts: (index, needles or None).
        self._tested: list[tuple[int, tuple[Needle, ...] | None]] = []
        for index, needs in enumerate(found):
            if needs is not None and all(kind == "text" for kind, _ in needs):
                for _, text in needs:
                    self._holders.setdefault(text, []).append(index)
            else:
                self._tested.append((index, needs))
        texts = list(self._holders)
        #: The other needles that a reported match of each needle can hide.
        self._hideable = {
            text: [other for other in texts if other != text and _can_hide(text, other)]
            for text in texts
        }
        self._automaton = (
            AhoCorasick(texts, matchkind=MatchKind.LeftmostFirst, store_patterns=True)
            if texts
            else None
        )

    def holding(self, text: str) -> list[bool]:
        """For each pattern, whether `text` holds one of its needles (True for a pattern that
        needs none)."""
        held = [False] * self._count
        if self._automaton is not None:
            reported = set(self._automaton.find_matches_as_strings(text))
            present = set(reported)
            for needle in reported:
                for other in self._hideable[needle]:
                    if other not in present and other in text:
                        present.add(other)
            holders = self._holders
            for needle in present:
                for index in holders[needle]:
                    held[index] = True
        for index, needs in self._tested:
            held[index] = needs is None or contains_needle(text, needs)
        return held


def _can_hide(reported: str, other: str) -> bool:
    """Whether a leftmost-first search that reports `reported` can pass over an occurrence of
    `other` that shares characters with it: `reported` holds `other`, or ends with what `other`
    starts with (`reported` itself, when `other` starts with it). An `other` that starts
    before the reported match would have been reported, or passed over with an earlier match.
    """
    if other in reported:
        return True
    return any(reported.endswith(other[:size]) for size in range(1, len(other)))
