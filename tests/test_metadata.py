"""Dates read without dateutil are the dates dateutil reads."""

from __future__ import annotations

import calendar
from datetime import datetime

from dateutil import parser as dateparser
from hypothesis import given
from hypothesis import strategies as st

from cleaner.metadata import iso_date


def _by_dateutil(text: str) -> str | None:
    try:
        parsed = dateparser.parse(text, default=datetime(1, 1, 1), fuzzy=True, ignoretz=True)
    except (ValueError, OverflowError):
        return None
    return parsed.date().isoformat() if parsed.year != 1 else None


@st.composite
def _dates(draw: st.DrawFn) -> str:
    year = draw(st.integers(1990, 2035))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 31))
    full = calendar.month_name[month]
    name = draw(st.sampled_from([full, full[:3], full[:4], full.upper(), full[:3].lower()]))
    suffix = draw(st.sampled_from(["", "st", "th"]))
    weekday = draw(st.sampled_from(["", "Monday, ", "Tue ", "Sunday ", "Updated ", "May "]))
    form = draw(st.integers(0, 2))
    if form == 0:
        return f"{weekday}{name}{draw(st.sampled_from(['', '.']))} {day}{suffix}, {year}"
    if form == 1:
        return f"{weekday}{day}{suffix} {name} {year}"
    return f"{year}-{month:02d}-{day:02d}"


@given(_dates())
def test_common_date_forms_read_as_dateutil_reads_them(text: str) -> None:
    assert iso_date(text) == _by_dateutil(text)


def test_other_forms_are_left_to_dateutil() -> None:
    for text in ["03/05/2024", "Mayo 3, 2020", "Feb 30, 2020", "the 4th of July, 1999"]:
        assert iso_date(text) == _by_dateutil(text)
