"""Turning what the rules captured into clean metadata: a plain title and an ISO 8601 date."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateutil.parser import parserinfo

_HEADING_MARKUP = re.compile(r"^#{1,6}\s+|\*\*|__")
_YEAR = re.compile(r"\b\d{4}\b")
_NO_DATE = datetime(1, 1, 1)
#: A time of day and what follows it ("08:03 PM IST"), after the date.
_TRAILING_TIME = re.compile(r"(?:\s+|\s*[,|\u2013-]\s*)(?:at\s+)?\d{1,2}[:.]\d{2}\b.*\Z", re.DOTALL)
#: The forms date lines take most ("Jul 09, 2025", "Tuesday, 5 March 2024", "2024-03-05"), read
#: without dateutil, which takes about 170 us a date. Anything else is left to dateutil.
_COMMON_FORMS = [
    re.compile(
        r"(?:(?P<weekday>[A-Za-z]+),?\s+)?(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    ),
    re.compile(
        r"(?:(?P<weekday>[A-Za-z]+),?\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]{3,9})\.?,?\s+(?P<year>\d{4})"
    ),
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"),
]


@cache
def _month_names() -> parserinfo:
    """The month and weekday names dateutil knows, so that both readings agree. dateutil is
    imported on first use, not at start-up, which it would lengthen by a tenth."""
    from dateutil.parser import parserinfo

    return parserinfo()


def plain_title(line: str) -> str:
    """A headline line without markdown heading marks or bold markers."""
    if "#" not in line and "**" not in line and "__" not in line:
        return line.strip()  # nothing to remove: no regex pass
    return _HEADING_MARKUP.sub("", line).strip()


def iso_date(text: str) -> str | None:
    """The calendar date written in `text` as ``YYYY-MM-DD``; None without a full date.

    >>> iso_date("Jul 09, 2025 08:03 PM IST")
    '2025-07-09'
    >>> iso_date("28 March 2024, 5:34 AM GMT")
    '2024-03-28'
    >>> iso_date("Monday") is None
    True
    """
    # The time of day never changes the date (time zones are ignored), and without it the
    # articles of one day share one cache entry.
    return _parse_date(_TRAILING_TIME.sub("", text))


@lru_cache(maxsize=4096)
def _parse_date(text: str) -> str | None:
    if not _YEAR.search(text):
        return None
    stripped = text.strip()
    for form in _COMMON_FORMS:
        match = form.fullmatch(stripped)
        if match is not None and (found := _calendar_date(**match.groupdict())) is not None:
            return found
    from dateutil.parser import parse

    try:
        parsed = parse(text, default=_NO_DATE, fuzzy=True, ignoretz=True)
    except (ValueError, OverflowError):
        return None
    return parsed.date().isoformat() if parsed.year != 1 else None


def _calendar_date(year: str, month: str, day: str, weekday: str | None = None) -> str | None:
    """The date of a common form's parts; None when they are not one (dateutil decides)."""
    names = _month_names()
    if weekday is not None and names.weekday(weekday) is None:
        return None
    number = int(month) if month.isdigit() else names.month(month)
    try:
        return date(int(year), number or 0, int(day)).isoformat()
    except ValueError:
        return None
