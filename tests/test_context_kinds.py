"""The kinds that judge a line by its neighbours (drop_echo, drop_menu, drop_label): what they
keep, and that every line they remove is explained by their rule id."""

from __future__ import annotations

from pathlib import Path

from cleaner import Cleaner

RULES = """
[[rule]]
id = "echoes"
kind = "drop_echo"
window = 6

[[rule]]
id = "menus"
kind = "drop_menu"

[[rule]]
id = "labels"
kind = "drop_label"
"""

PAGE = """\
Tram Line Reaches the Harbour | Coast Herald
Home
Transport
Weather

Tram Line Reaches the Harbour

The first tram reached the harbour stop on Monday, a year later than planned.

Related Topics

Harbour
"""


def _cleaner(rules_dir: Path) -> Cleaner:
    (rules_dir / "common.toml").write_text(RULES, encoding="utf-8")
    return Cleaner([rules_dir], bundled=False)


def test_every_removal_names_its_rule(rules_dir: Path) -> None:
    result = _cleaner(rules_dir).clean(PAGE, explain=True)
    assert result.removals is not None
    assert [(r.line, r.rule) for r in result.removals] == [
        (1, "common:echoes"),
        (2, "common:menus"),
        (3, "common:menus"),
        (4, "common:menus"),
        (10, "common:labels"),
        (12, "common:labels"),
    ]


def test_a_short_first_line_followed_by_a_sentence_is_a_headline(rules_dir: Path) -> None:
    text = "Floods\n\nThe river rose two metres.\n"
    assert _cleaner(rules_dir).clean(text).text == text


def test_a_label_above_a_headline_goes(rules_dir: Path) -> None:
    text = "World\n\nTram Line Reaches the Harbour\n\nThe first tram arrived on Monday.\n"
    assert _cleaner(rules_dir).clean(text).text == (
        "Tram Line Reaches the Harbour\n\nThe first tram arrived on Monday.\n"
    )


def test_short_lines_in_a_block_with_prose_stay(rules_dir: Path) -> None:
    text = (
        "Tram Line Reaches the Harbour\n"
        "New stops along the quay\n"
        "Longer hours on the weekend\n"
        "The first tram reached the harbour stop on Monday, a year later than planned.\n"
    )
    assert _cleaner(rules_dir).clean(text).text == text


def test_copies_below_the_window_are_not_compared(rules_dir: Path) -> None:
    body = "".join(f"Paragraph number {n} of the story goes here.\n\n" for n in range(6))
    text = f"Tram Line Reaches the Harbour\n\n{body}Tram Line Reaches the Harbour\n"
    assert _cleaner(rules_dir).clean(text).text == text


def test_short_lines_inside_the_article_are_its_sub_headings(rules_dir: Path) -> None:
    text = (
        "Tram Line Reaches the Harbour\n\n"
        "The first tram reached the harbour stop on Monday, a year later than planned.\n\n"
        "Fares\n\n"
        "Fares stay the same until the end of the year, the council said.\n\n"
        "Night trams\n"
        "Ferry links\n\n"
        "Night trams and ferry links follow in the spring, when the depot opens.\n"
    )
    assert _cleaner(rules_dir).clean(text).text == text


def test_a_short_line_under_the_headline_is_a_sub_heading_of_a_sectioned_article(
    rules_dir: Path,
) -> None:
    sections = "".join(
        f"Part {name}\n\nThe council explained the {name} part of the plan to residents.\n\n"
        for name in ("two", "three")
    )
    text = (
        "What Changed in the City This Week\n\n"
        "Tram Fares\n\n"
        "The council froze tram fares for another year on Monday.\n\n" + sections
    )
    assert _cleaner(rules_dir).clean(text).text == text.rstrip("\n") + "\n"


def test_a_credit_under_the_headline_of_a_plain_article_goes(rules_dir: Path) -> None:
    text = (
        "What Changed in the City This Week\n\n"
        "City Press Office\n\n"
        "The council froze tram fares for another year on Monday.\n\n"
        "The vote was unanimous, and the new fares start in May.\n"
    )
    assert "City Press Office" not in _cleaner(rules_dir).clean(text).text


def test_a_short_line_that_a_wrapped_sentence_goes_on_from_stays(rules_dir: Path) -> None:
    text = (
        "The weather office\n"
        "said heavy rain is expected\n"
        "along the coast for the next three days.\n"
    )
    assert _cleaner(rules_dir).clean(text).text == text


def test_a_paragraph_cut_short_by_the_end_of_the_text_counts_as_prose(rules_dir: Path) -> None:
    text = (
        "Tram Line Reaches the Harbour\n\n"
        "The first tram reached the harbour stop on Monday, a year later than planned.\n\n"
        "Night Trams\n\n"
        "The council also said that night trams would run along the quay from the spring of next"
        " year and that\n"
    )
    assert _cleaner(rules_dir).clean(text).text == text


def test_a_list_inside_the_article_is_not_a_menu(rules_dir: Path) -> None:
    text = (
        "Tram Line Reaches the Harbour\n\n"
        "The council named the new stops along the line on Monday, in this order.\n\n"
        "Harbour Gate\n"
        "Fish Market\n"
        "Old Customs House\n\n"
        "Trams will run every ten minutes from the first of May, the council said.\n"
    )
    assert _cleaner(rules_dir).clean(text).text == text


def test_the_headline_is_kept_when_a_menu_runs_into_it(rules_dir: Path) -> None:
    text = (
        "Coast Herald\n"
        "City\n"
        "Tram Line Reaches the Harbour\n\n"
        "The first tram reached the harbour stop on Monday, a year later than planned.\n"
    )
    assert _cleaner(rules_dir).clean(text).text == (
        "Tram Line Reaches the Harbour\n\n"
        "The first tram reached the harbour stop on Monday, a year later than planned.\n"
    )


def test_links_below_the_article_printed_twice_go_with_their_copies(rules_dir: Path) -> None:
    text = (
        "Tram Line Reaches the Harbour\n\n"
        "The first tram reached the harbour stop on Monday, a year later than planned.\n\n"
        "Ferry Fares Rise for the Summer Season\n"
        "Ferry Fares Rise for the Summer Season\n\n"
        "Night Buses Return to the Old Town After Repairs\n"
        "Night Buses Return to the Old Town After...\n"
    )
    assert _cleaner(rules_dir).clean(text).text == (
        "Tram Line Reaches the Harbour\n\n"
        "The first tram reached the harbour stop on Monday, a year later than planned.\n"
    )


def test_a_first_line_of_one_word_in_capitals_is_a_dateline(rules_dir: Path) -> None:
    text = "HARBOURTON\n\nThe council approved the new tram line on Monday.\n"
    assert _cleaner(rules_dir).clean(text).text == (
        "The council approved the new tram line on Monday.\n"
    )
