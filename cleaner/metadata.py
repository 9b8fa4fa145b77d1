"""Turning what the rules captured into clean metadata: a plain title and an ISO 8601 date.

A date is read only when it is certain: a day, a month and a year, the month by its number or
its name in English, Russian or Hindi (the languages the bundled sites print dates in). A
numeric date whose day and month could be swapped (``09.07.2025``) needs the site's or the
rule's `date_order`; without one it is not guessed, and the caller leaves it out and counts
it. Words before the date ("Updated", "Posted") are passed over; a word inside it that is not
a month or a weekday makes it unreadable rather than half-read.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Final

import regex

DATE_ORDERS: Final = ("DMY", "MDY", "YMD")
"""How a site writes numeric dates: day first, month first, or year first."""

_HEADING_MARKUP: Final = re.compile(r"^#{1,6}\s+|\*\*|__")
#: A time of day ("08:03 PM IST", "at 10.15", "14:28:05"), which never changes the date.
_TIME: Final = regex.compile(
    r"(?<![\d.])(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?![.]?\d)(?:\s*[ap]\.?\s*m\b\.?)?",
    regex.IGNORECASE,
)
_NUMERIC: Final = regex.compile(r"(?<![\d.])(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})(?![\d.])")
_TOKEN: Final = regex.compile(r"\d+|[\p{L}\p{M}]+")
#: `_TOKEN` for an ASCII text, where it finds the same tokens, on `re`: half the time.
_ASCII_TOKEN: Final = re.compile(r"[0-9]+|[A-Za-z]+")


def _names(*groups: str) -> dict[str, int]:
    """Month (or weekday) names by number, from space-separated groups in calendar order."""
    table: dict[str, int] = {}
    for group in groups:
        for number, names in enumerate(group.split(";"), 1):
            for name in names.split():
                table[unicodedata.normalize("NFC", name).casefold()] = number
    return table


_MONTHS: Final = _names(
    "january jan;february feb;march mar;april apr;may;june jun;july jul;"
    "august aug;september sep sept;october oct;november nov;december dec",
    "января январь янв;февраля февраль фев февр;марта март мар;апреля апрель апр;мая май;"
    "июня июнь июн;июля июль июл;августа август авг;сентября сентябрь сен сент;"
    "октября октябрь окт;ноября ноябрь ноя нояб;декабря декабрь дек",
    "जनवरी;फ़रवरी फरवरी;मार्च;अप्रैल अप्रेल;मई;जून;जुलाई;अगस्त;सितंबर सितम्बर;"
    "अक्टूबर अक्तूबर;नवंबर नवम्बर;दिसंबर दिसम्बर",
)
_WEEKDAYS: Final = _names(
    "monday mon;tuesday tue tues;wednesday wed;thursday thu thur thurs;friday fri;"
    "saturday sat;sunday sun",
    "понедельник пн;вторник вт;среда среду ср;четверг чт;пятница пятницу пт;"
    "суббота субботу сб;воскресенье вс",
    "सोमवार;मंगलवार;बुधवार;गुरुवार बृहस्पतिवार;शुक्रवार;शनिवार;रविवार",
)
#: Words that may stand inside a date: ordinal endings, "of", the Russian for "year".
_FILLERS: Final = frozenset({"st", "nd", "rd", "th", "of", "the", "г", "года", "год"})


def plain_title(line: str) -> str:
    """A headline line without markdown heading marks or bold markers."""
    if "#" not in line and "**" not in line and "__" not in line:
        return line.strip()  # nothing to remove: no regex pass
    return _HEADING_MARKUP.sub("", line).strip()


def iso_date(text: str, order: str | None = None) -> str | None:
    """The calendar date written in `text` as ``YYYY-MM-DD``; None when it does not say one
    day for certain. `order` (``DMY``, ``MDY``, ``YMD``) says how numeric dates are written.

    >>> iso_date("Jul 09, 2025 08:03 PM IST"), iso_date("9 июля 2025 г."), iso_date("9 जुलाई 2025")
    ('2025-07-09', '2025-07-09', '2025-07-09')
    >>> iso_date("Posted 09.07.2025") is None, iso_date("Posted 09.07.2025", "DMY")
    (True, '2025-07-09')
    >>> iso_date("Posted 25.07.2025"), iso_date("Monday") is None, iso_date("9 juli 2025") is None
    ('2025-07-25', True, True)
    """
    return _read_date(text, order)


@lru_cache(maxsize=4096)  # the articles of one day share their date lines
def _read_date(text: str, order: str | None) -> str | None:
    # A time holds ":" or "." and a numeric date one of "./-": most date lines ("Apr 28, 2025")
    # hold none, and skip the searches (`regex` takes 1-2 us a search even where none is).
    normal = unicodedata.normalize("NFC", text)
    stripped = _TIME.sub(" ", normal) if ":" in normal or "." in normal else normal
    has_separator = "." in stripped or "/" in stripped or "-" in stripped
    numeric = _NUMERIC.search(stripped) if has_separator else None
    if numeric is not None and not any(token.casefold() in _MONTHS for token in _words(stripped)):
        day_month_year = _numeric_parts(numeric.group(1), numeric.group(3), numeric.group(4), order)
        return _calendar(*day_month_year) if day_month_year is not None else None
    return _named(stripped, order)


def _tokens(text: str) -> list[str]:
    return _ASCII_TOKEN.findall(text) if text.isascii() else _TOKEN.findall(text)


def _words(text: str) -> list[str]:
    return [token for token in _tokens(text) if not token.isdigit()]


def _named(text: str, order: str | None) -> str | None:
    """A date of numbers and a month name, in the first run of date words in `text`."""
    parts: list[tuple[str, str]] = []  # ("month" | "number", text)
    for token in _tokens(text):
        word = token.casefold()
        if token.isdigit():
            parts.append(("number", token))
        elif word in _MONTHS:
            parts.append(("month", word))
        elif word in _WEEKDAYS or word in _FILLERS:
            continue
        elif parts:
            break  # a word that is not part of a date ends it, or interrupts it
        if len(parts) == 3:
            break
    kinds = tuple(kind for kind, _ in parts)
    values = [value for _, value in parts]
    if kinds == ("number", "number", "number"):
        day_month_year = _numeric_parts(values[0], values[1], values[2], order)
        return _calendar(*day_month_year) if day_month_year is not None else None
    if kinds == ("month", "number", "number") and len(values[2]) == 4:
        return _calendar(values[1], _MONTHS[values[0]], values[2])
    if kinds == ("number", "month", "number") and len(values[2]) == 4:
        return _calendar(values[0], _MONTHS[values[1]], values[2])
    if kinds == ("number", "month", "number") and len(values[0]) == 4:
        return _calendar(values[2], _MONTHS[values[1]], values[0])
    return None


def _numeric_parts(
    first: str, second: str, third: str, order: str | None
) -> tuple[str, int, str] | None:
    """Day, month and year of a numeric date, when they are certain."""
    if len(first) == 4:
        return third, int(second), first
    if len(third) != 4:
        return None  # a two-digit year could be any century
    a, b = int(first), int(second)
    if order == "DMY" or (order != "MDY" and a > 12 >= b):
        return first, b, third
    if order == "MDY" or (b > 12 >= a) or a == b:
        return second, a, third
    return None  # 09.07.2025 is July or September: the site's date_order says which


def _calendar(day: str, month: int, year: str) -> str | None:
    try:
        return date(int(year), month, int(day)).isoformat()
    except ValueError:
        return None
