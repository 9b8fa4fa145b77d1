"""Captured dates: read when they name one day for certain, in the languages of the bundled
sites, by the site's or the rule's date_order; left out and counted otherwise, never guessed."""

from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from cleaner import Cleaner, metadata
from cleaner.cli import main
from cleaner.metadata import iso_date

RUSSIAN_MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
HINDI_MONTHS = "जनवरी फ़रवरी मार्च अप्रैल मई जून जुलाई अगस्त सितंबर अक्टूबर नवंबर दिसंबर"

days = st.dates(date(1990, 1, 1), date(2035, 12, 31))


@given(days, st.sampled_from(["full", "short", "upper"]), st.sampled_from(["", "Monday, "]))
def test_english_dates_in_either_order_of_words(day: date, form: str, weekday: str) -> None:
    name = calendar.month_name[day.month]
    name = {"full": name, "short": name[:3], "upper": name.upper()}[form]
    assert iso_date(f"{weekday}{name} {day.day:02d}, {day.year}") == day.isoformat()
    assert iso_date(f"{weekday}{day.day} {name} {day.year}, 10:15 AM GMT") == day.isoformat()


@given(days)
def test_russian_and_hindi_month_names(day: date) -> None:
    russian = RUSSIAN_MONTHS.split()[day.month - 1]
    hindi = HINDI_MONTHS.split()[day.month - 1]
    assert iso_date(f"{day.day} {russian} {day.year} г.") == day.isoformat()
    assert iso_date(f"{day.day} {hindi} {day.year}") == day.isoformat()


@given(days, st.sampled_from([".", "/", "-"]))
def test_numeric_dates_follow_the_date_order(day: date, separator: str) -> None:
    dmy = f"{day.day:02d}{separator}{day.month:02d}{separator}{day.year}"
    mdy = f"{day.month:02d}{separator}{day.day:02d}{separator}{day.year}"
    assert iso_date(f"Posted {dmy}", "DMY") == day.isoformat()
    assert iso_date(f"Posted {mdy}", "MDY") == day.isoformat()
    ymd = f"{day.year}{separator}{day.month:02d}{separator}{day.day:02d}"
    assert iso_date(ymd) == iso_date(ymd, "DMY") == day.isoformat()


@given(days)
def test_a_numeric_date_is_read_without_an_order_only_when_it_cannot_be_swapped(day: date) -> None:
    found = iso_date(f"{day.day:02d}.{day.month:02d}.{day.year}")
    swappable = day.day <= 12 and day.day != day.month
    assert found == (None if swappable else day.isoformat())


@pytest.mark.parametrize(
    "text",
    ["Posted 09.07.2025", "9 juli 2025", "Monday", "July 2025", "Feb 30, 2020", "03/05/25"],
)
def test_what_is_not_one_day_for_certain_is_not_guessed(text: str) -> None:
    assert iso_date(text) is None


SITE = """\
[site]
domains = ["northbay.example"]
date_order = "{order}"

[[rule]]
id = "posted"
kind = "capture"
pattern = 'Posted (?P<date>[\\d.]+)'

[[rule]]
id = "printed"
kind = "capture"
pattern = 'Printed (?P<date>[\\d/]+)'
date_order = "MDY"
"""
ARTICLE = "Harbour wall repaired\n\n{line}\n\nThe wall was rebuilt in stone.\n"
URL = "https://northbay.example/wall"


def cleaned_date(rules_dir: Path, order: str, line: str) -> tuple[str | None, str | None]:
    (rules_dir / "northbay.toml").write_text(SITE.format(order=order), encoding="utf-8")
    result = Cleaner([rules_dir]).clean(ARTICLE.format(line=line), url=URL)
    return result.date, result.unread_date


def test_the_site_says_how_it_writes_dates(rules_dir: Path) -> None:
    assert cleaned_date(rules_dir, "DMY", "Posted 09.07.2025") == ("2025-07-09", None)
    assert cleaned_date(rules_dir, "MDY", "Posted 09.07.2025") == ("2025-09-07", None)


def test_a_capture_rule_says_it_for_its_own_dates(rules_dir: Path) -> None:
    assert cleaned_date(rules_dir, "DMY", "Printed 09/07/2025") == ("2025-09-07", None)


def test_a_bad_date_order_is_a_rule_file_problem(rules_dir: Path) -> None:
    (rules_dir / "northbay.toml").write_text(SITE.format(order="DYM"), encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "check", str(rules_dir)])
    assert result.exit_code == 1
    assert "key \"site.date_order\": expected one of DMY, MDY, YMD, got 'DYM'" in result.output


def test_an_unread_date_is_left_out_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Harbour wall repaired\n\nUpdated: 2025-13-45\n\nThe wall was rebuilt.\n")
    result = CliRunner().invoke(main, ["clean", "--format", "jsonl", str(path)])
    assert result.exit_code == 0, result.stderr
    assert '"date":null' in result.stdout
    assert "1 captured date(s) left out, not one day for certain (first: '2025-13-45'" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.15 9 July 2025", "2025-07-09"),  # a time with a dot, before the date
        ("14:05 9 July 2025", "2025-07-09"),
        ("Last updated : 2022-11-30", "2022-11-30"),
        ("9 July 2025", "2025-07-09"),  # neither a time nor a numeric date to look for
    ],
)
def test_a_time_before_the_date_is_passed_over(text: str, expected: str) -> None:
    assert iso_date(text) == expected


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_an_ascii_date_text_is_read_as_the_unicode_tokens_read_it(text: str) -> None:
    assert metadata._tokens(text) == metadata._TOKEN.findall(text)
