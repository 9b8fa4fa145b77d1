"""The shapes that the engine and the context rules judge lines by."""

from __future__ import annotations

import pytest

from cleaner.shape import LABEL, OTHER, PROSE, TITLE, Layout, is_prose, line_kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The council approved the plan on Monday.", PROSE),
        ("x" * 150, PROSE),
        ("Harbour Bridge Reopens After Two Years", TITLE),
        ("Why Did the Bridge Close?", TITLE),
        ("World", LABEL),
        ("Related Topics", LABEL),
        ("It rained.", OTHER),
        ("Is it over?", OTHER),
    ],
)
def test_line_kinds(text: str, kind: str) -> None:
    assert line_kind(text) == kind


def test_prose_needs_five_words_and_a_full_stop_or_length() -> None:
    assert is_prose("The council approved the plan.")
    assert not is_prose("The council approved it.")
    assert not is_prose("The Council Approves the Plan")


def test_the_layout_finds_the_body_and_the_headline() -> None:
    layout = Layout(
        [
            "World",
            "Harbour Bridge Reopens After Two Years",
            "Ana Silva",
            "The bridge carried its first trams on Monday, a year late.",
            "Fares",
            "The fares stay the same until the end of the year, the council said.",
            "Related Topics",
        ]
    )
    assert (layout.first_prose, layout.last_prose, layout.headline) == (3, 5, 1)
    assert layout.inside_body(4) and not layout.inside_body(2) and not layout.inside_body(6)
    assert layout.sections() == 1


def test_a_document_without_prose_has_no_body() -> None:
    layout = Layout(["Home", "World", "Sport"])
    assert layout.last_prose == -1 and layout.headline is None and not layout.inside_body(1)
