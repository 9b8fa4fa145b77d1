"""Folding lines into shapes: the same template line, whatever its varying parts say.

A site prints its template with parts that change from page to page: dates and times
("Updated on Feb 19, 2023 11:32 PM IST"), numbers and counts ("3 min read"), names ("Hindustan
Times, Chandigarh"), the title a link line points to ("Also Read | ..."), a section's name.
Each line is folded into a few *shapes*, each a sequence of literal text and typed slots:

- ``=`` the line itself;
- ``#`` numbers, months, weekdays and AM/PM folded (dates, times, counts);
- ``N`` as ``#``, with one run of capitalised words folded into a name slot (one shape per
  run, for short lines), so that the literal text around it stays;
- ``P`` a short label ending in ``:`` or ``|`` at the start of a short line, the rest a text slot;
- ``S`` a short line ending in `` | Name`` or `` - Name`` (a page title: the headline and the
  site's name), the rest a text slot;
- ``L`` a line of one to three lower-case words (a section's name).

A shape's key names it; lines with the same key are instances of one candidate template.
Turning a shape and the values its slots took into a pattern is `generalise`'s business.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache


class Slot(Enum):
    """A varying part of a template line."""

    NUMBER = "number"
    MONTH = "month"
    WEEKDAY = "weekday"
    MERIDIEM = "meridiem"
    NAME = "name"
    HEAD = "head"
    TAIL = "tail"
    TEXT = "text"
    LABEL = "label"


Part = str | Slot


@dataclass(frozen=True)
class Shape:
    """One way of folding a line: its key, its parts, and what each slot held in this line."""

    key: str
    parts: tuple[Part, ...]
    values: tuple[str, ...]

    @property
    def kind(self) -> str:
        """``=``, ``#``, ``N``, ``P`` or ``L``: how the line was folded."""
        return self.key[0]


EXACT, DATES, NAMES, PREFIX, SUFFIX, LABEL = "=", "#", "N", "P", "S", "L"
MAX_NAME_FOLD_WORDS = 10
"""Only lines this short are folded by names: longer ones are prose, whose names are its own."""
MAX_PREFIX_LINE = 200
MAX_DATED_LINE = 300
"""Longer lines are paragraphs: the dates in them are the article's, not a template's."""
MAX_PREFIX_WORDS = 4

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = {
    "mon": 1, "monday": 1, "tue": 2, "tues": 2, "tuesday": 2, "wed": 3, "wednesday": 3,
    "thu": 4, "thurs": 4, "thursday": 4, "fri": 5, "friday": 5, "sat": 6, "saturday": 6,
    "sun": 7, "sunday": 7,
}  # fmt: skip
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_MAY_FOLD = re.compile(
    r"\d|(?i:january|february|march|april|june|july|august|september|october|november"
    r"|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
)
_WORD_CHARS = r"[\w\u2019'.&-]*"
"""The letters of a capitalised word after its first: a name, an initial, "O'Neill", "AT&T"."""
_NAME_RUN = re.compile(
    r"(?<![\w\u2019'])[A-Z][\w\u2019'.&-]*(?: (?:[A-Z][\w\u2019'.&-]*|of|de|van|von|al))*(?<![ .])"
)
_PREFIX = re.compile(rf"^((?:[^\W\d_][\w\u2019'-]*\s?){{1,{MAX_PREFIX_WORDS}}}?)\s?([:|])\s?(?=\S)")
_SUFFIX = re.compile(
    rf"(?<=\S) ?[|\u2013\u2014-] ([A-Z]{_WORD_CHARS}(?: [A-Z]{_WORD_CHARS}){{0,3}})$"
)
_LABEL = re.compile(r"[a-z][a-z-]*(?: [a-z][a-z-]*){0,2}")
_ANCHOR_WORD = re.compile(r"[^\W\d_]{3}")
_MARK = {slot: f"\x1f{slot.value}\x1f" for slot in Slot}


def key_of(kind: str, parts: tuple[Part, ...]) -> str:
    """The key of a shape: its kind and its parts, slots written as markers."""
    return kind + "".join(_MARK[p] if isinstance(p, Slot) else p for p in parts)


@lru_cache(maxsize=1 << 16)
def shape_keys(line: str) -> tuple[str, ...]:
    """The keys of `line`'s shapes; remembered for the lines seen most recently, since the
    template's lines come back page after page."""
    return tuple(shape.key for shape in shapes(line))


def shapes(line: str) -> Iterator[Shape]:
    """Every shape of `line` (normalised: single spaces, no white space at the ends)."""
    yield Shape(EXACT + line, (line,), ())
    dated, dated_values = fold_dates(line) if len(line) <= MAX_DATED_LINE else ((), ())
    if dated_values:
        yield Shape(key_of(DATES, dated), dated, dated_values)
    if len(line.split()) <= MAX_NAME_FOLD_WORDS:
        yield from _name_shapes(line)
    prefix = prefix_shape(line)
    if prefix is not None:
        yield prefix
    suffix = _SUFFIX.search(line) if len(line) <= MAX_PREFIX_LINE else None
    if suffix is not None and suffix.start() >= 10:
        yield Shape(
            f"{SUFFIX}{suffix.group(1)}",
            (Slot.TEXT, Slot.TAIL),
            (line[: suffix.start()], suffix.group()),
        )
    if _LABEL.fullmatch(line):
        yield Shape(key_of(LABEL, (Slot.LABEL,)), (Slot.LABEL,), (line,))


def fold_dates(text: str) -> tuple[tuple[Part, ...], tuple[str, ...]]:
    """`text` as parts with its numbers, and the months, weekdays and AM/PM next to numbers
    (or, for full weekday names, anywhere), made slots; and the slots' values."""
    if not _MAY_FOLD.search(text):  # most text has no digit and no full day name
        return (text,) if text else (), ()
    tokens = list(_TOKEN.finditer(text))
    digits = [token.group().isdigit() for token in tokens] + [False]
    slots: list[tuple[int, int, Slot]] = []
    for index, token in enumerate(tokens):
        if digits[index]:
            slots.append((token.start(), token.end(), Slot.NUMBER))
            continue
        lower = token.group().lower()
        near_number = digits[index + 1] or (index > 0 and digits[index - 1])
        if lower in _MONTHS and (near_number or len(lower) > 5):
            slots.append((token.start(), token.end(), Slot.MONTH))
        elif lower in _WEEKDAYS and (near_number or lower.endswith("day")):
            slots.append((token.start(), token.end(), Slot.WEEKDAY))
        elif lower in ("am", "pm") and index > 0 and digits[index - 1]:
            slots.append((token.start(), token.end(), Slot.MERIDIEM))
    return _cut(text, slots)


def _cut(text: str, slots: list[tuple[int, int, Slot]]) -> tuple[tuple[Part, ...], tuple[str, ...]]:
    parts: list[Part] = []
    values: list[str] = []
    position = 0
    for start, end, slot in slots:
        if start > position:
            parts.append(text[position:start])
        parts.append(slot)
        values.append(text[start:end])
        position = end
    if position < len(text):
        parts.append(text[position:])
    return tuple(parts), tuple(values)


def _name_shapes(line: str) -> Iterator[Shape]:
    """One shape per run of capitalised words that can be folded into a name slot, the rest of
    the line folded by dates, where what stays literal still holds a word."""
    for run in _NAME_RUN.finditer(line):
        if run.group().lower() in _MONTHS or run.group().lower() in _WEEKDAYS:
            continue
        before, before_values = fold_dates(line[: run.start()])
        after, after_values = fold_dates(line[run.end() :])
        literal = "".join(p for p in (*before, *after) if isinstance(p, str))
        if not _ANCHOR_WORD.search(literal):
            continue
        parts = (*before, Slot.NAME, *after)
        yield Shape(key_of(NAMES, parts), parts, (*before_values, run.group(), *after_values))


def prefix_shape(line: str) -> Shape | None:
    """The shape of a link or label line: a few words and ``:`` or ``|``, then any text.
    The words are compared without regard to case, and either delimiter will do."""
    if len(line) > MAX_PREFIX_LINE:
        return None
    match = _PREFIX.match(line)
    if match is None or not _ANCHOR_WORD.search(match.group(1)):
        return None
    label = " ".join(match.group(1).split()).lower()
    parts: tuple[Part, ...] = (Slot.HEAD, Slot.TEXT)
    return Shape(f"{PREFIX}{label}", parts, (match.group(), line[match.end() :]))


def literal_words(parts: tuple[Part, ...]) -> list[str]:
    """The words of a shape's literal parts, for naming its rule."""
    return re.findall(r"[^\W_]+", " ".join(p for p in parts if isinstance(p, str)))
