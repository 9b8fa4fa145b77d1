"""Generalising a template's forms into a pattern: readable, anchored by its literal text, and
bounded in every repeat, so that it passes `cleaner rules check` and cannot run away.

Each slot becomes the narrowest readable class that holds every value seen in it: numbers as
``\\d{1,2}`` by the digits seen, months and weekdays as the alternation of their names in the
form seen (``Jan|Feb|...``), names as a bounded run of capitalised words, free text as ``.{m,n}``.
`narrowings` gives the same template at decreasing generality; the caller keeps the widest one
that matches no article line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence

from cleaner.learn.shapes import Part, Slot

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_PLAIN_WORD = re.compile(r"[A-Z][a-z]+")
_CAPITAL_WORD = re.compile(r"[A-Z][A-Za-z]*")
MAX_TEXT = 300
MAX_ENUMERATED = 12
"""A slot with at most this many values seen may be narrowed to exactly those values."""


def literal(text: str) -> str:
    """`text` as a regex that matches it alone; spaces stay spaces, for reading, and an
    apostrophe is written ``\\x27`` so that the pattern fits a TOML literal string."""
    return re.escape(text).replace("\\ ", " ").replace("'", r"\x27")


def alternation(options: Sequence[str]) -> str:
    """``(?:a|b|c)`` of `options` as literals, longest first so that none shadows another."""
    ordered = sorted(dict.fromkeys(options), key=lambda o: (-len(o), o))
    if len(ordered) == 1:
        return literal(ordered[0])
    return "(?:" + "|".join(literal(o) for o in ordered) + ")"


def _repeat(low: int, high: int) -> str:
    if low == high:
        return "" if low == 1 else f"{{{low}}}"
    return f"{{{low},{high}}}"


def number_class(values: Sequence[str]) -> str:
    """``\\d{1,2}`` for the numbers seen."""
    lengths = [len(v) for v in values]
    return r"\d" + _repeat(min(lengths), max(lengths))


def _styled(names: Sequence[str], sample: str) -> list[str]:
    """`names` in the letter case of `sample`."""
    if sample.isupper():
        return [n.upper() for n in names]
    if sample.islower():
        return [n.lower() for n in names]
    return list(names)


def calendar_class(values: Sequence[str], names: Sequence[str]) -> str:
    """All the month (or weekday) names, in every form the values take: full or cut to
    three letters (``Sept`` as seen), in their letter case."""
    forms: set[str] = set()
    for value in values:
        styled = _styled(names, value)
        if len(value) <= 4:
            forms.update(n[:3] for n in styled)
            if value.lower() == "sept":
                forms.add(styled[8][:4])
        else:
            forms.update(styled)
    return alternation(sorted(forms))


def meridiem_class(values: Sequence[str]) -> str:
    """``[AP]M`` or ``[ap]m``, as seen."""
    cases = sorted({"upper" if v.isupper() else "lower" for v in values})
    options = {"upper": "[AP]M", "lower": "[ap]m"}
    return options[cases[0]] if len(cases) == 1 else "(?:[AP]M|[ap]m)"


def name_class(values: Sequence[str]) -> str:
    """A run of capitalised words as long as the names seen: ``[A-Z][a-z]+(?: [A-Z][a-z]+)?``."""
    counts = [len(v.split()) for v in values]
    all_words = [w for v in values for w in v.split()]
    if all(_PLAIN_WORD.fullmatch(w) for w in all_words):
        word = "[A-Z][a-z]+"
    elif all(_CAPITAL_WORD.fullmatch(w) for w in all_words):
        word = "[A-Z][A-Za-z]*"
    else:
        word = r"[A-Z][\w.\u2019\x27&-]*"
    return _words(word, counts)


def _words(word: str, counts: Sequence[int]) -> str:
    """`word`, then as many more after a space as the counts of words seen ask for."""
    low, high = min(counts) - 1, max(counts) - 1
    return word if high == 0 else f"{word}(?: {word}){_repeat(low, high)}"


def text_class(values: Sequence[str], *, widen: bool) -> str:
    """Free text as long as the texts seen (or, widened, half as short to half as long again)."""
    lengths = [len(v) for v in values]
    low, high = min(lengths), max(lengths)
    if widen:
        low, high = max(1, low // 2), min(MAX_TEXT, max(high * 3 // 2, 40))
    return "." + _repeat(low, min(high, MAX_TEXT))


def head_class(values: Sequence[str], *, widen: bool = False) -> str:
    """A line's leading label, as written (``Also Read |``), ignoring letter case if it varies,
    with the space before its delimiter optional where the forms differ (or `widen`)."""
    labels: list[str] = []
    delimiters: set[str] = set()
    space_before: set[bool] = set()
    for value in values:
        match = re.fullmatch(r"(.*?)(\s?)([:|])(\s?)", value)
        if match is None:
            continue
        labels.append(" ".join(match.group(1).split()))
        space_before.add(bool(match.group(2)))
        delimiters.add(match.group(3))
    distinct = sorted(set(labels))
    label = literal(distinct[0]) if len(distinct) == 1 else f"(?i:{literal(distinct[0].lower())})"
    delimiter = literal(next(iter(delimiters))) if len(delimiters) == 1 else "[:|]"
    spaced = " " if True in space_before else ""
    before = " ?" if widen or len(space_before) > 1 else spaced
    return f"{label}{before}{delimiter} ?"


def tail_class(values: Sequence[str], *, widen: bool = False) -> str:
    """A page title's end, `` - Site`` or `` | Site``, with the delimiters and spaces seen
    (widened: either delimiter, either spacing)."""
    name = values[0].lstrip(" |\u2013\u2014-")
    delimiters = {v.strip()[0] for v in values} | ({"|", "-"} if widen else set())
    # In a class, "|" needs no escape and "-" none at the end.
    inner = "".join(sorted(delimiters, key=lambda d: (d == "-", d)))
    delimiter = literal(inner) if len(delimiters) == 1 else f"[{inner}]"
    spaced = {v.startswith(" ") for v in values} | ({True, False} if widen else set())
    before = "" if spaced == {False} else " ?" if len(spaced) > 1 else " "
    return f"{before}{delimiter} {literal(name)}"


def slot_class(slot: Slot, values: Sequence[str], *, widen: bool) -> str:
    """The regex for one slot, given every value it was seen with."""
    if slot is Slot.NUMBER:
        return number_class(values)
    if slot is Slot.MONTH:
        return calendar_class(values, _MONTH_NAMES)
    if slot is Slot.WEEKDAY:
        return calendar_class(values, _WEEKDAY_NAMES)
    if slot is Slot.MERIDIEM:
        return meridiem_class(values)
    if slot is Slot.NAME:
        return name_class(values)
    if slot is Slot.HEAD:
        return head_class(values, widen=widen)
    if slot is Slot.TAIL:
        return tail_class(values, widen=widen)
    if slot is Slot.TEXT:
        return text_class(values, widen=widen)
    return _words("[a-z][a-z-]*", [len(v.split()) for v in values])  # Slot.LABEL: a section


def pattern(parts: Sequence[Part], values: Sequence[Counter[str]], *, level: int) -> str:
    """The pattern of a template at narrowing `level`: 0 widest; 1 text slots as long as seen;
    2 every slot with few values listed as exactly those values."""
    out: list[str] = []
    slot_index = 0
    for part in parts:
        if isinstance(part, str):
            out.append(literal(part))
            continue
        seen = sorted(values[slot_index]) if slot_index < len(values) else []
        slot_index += 1
        if level >= 2 and part not in (Slot.HEAD, Slot.TAIL) and 0 < len(seen) <= MAX_ENUMERATED:
            out.append(alternation(seen))
        else:
            out.append(slot_class(part, seen, widen=level == 0))
    return "".join(out)


def narrowings(parts: Sequence[Part], values: Sequence[Counter[str]]) -> Iterator[str]:
    """The template's patterns from widest to narrowest, each different from the one before."""
    previous = None
    for level in (0, 1, 2):
        source = pattern(parts, values, level=level)
        if source != previous:
            yield source
        previous = source
