"""Prefilters only ever skip a pattern for lines it cannot match."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.prefilter import (
    DIGIT,
    MEMO_CHARACTERS,
    Needle,
    NeedleIndex,
    contains_needle,
    first_class,
    first_test,
    fold,
    last_test,
    line_tail,
    max_width,
    needles,
    remembered,
)
from tests.test_fast_paths import _reference_lines

TRICKY = [
    r"(?i:photos?|images?) by [A-Z]\w+",
    r"(?i:list|sign) in to .{0,20}",
    r"(?=.{1,40}\Z).*(?:\((?:AFP|Reuters)\))",
    r"(?:[\w.]+ ){0,2}(?i:updated|posted):? \d{1,2} \w+",
    r"(?:Live|Breaking)(?: Now)?",
    r"\(?With inputs? from \w+\)?",
    r"(?<=x)?Desk",
    r"[A-Z]{0}(?:ab|cd)*Read",
]

ALPHABET = "aAbcdDeiI\u0130\u0131ksS\u017fKlLnoOpPrRsStTuUwWx0123456789 ():.-"
WORDS = [
    "photo",
    "image",
    "by",
    "sign",
    "in to",
    "(AFP)",
    "updated",
    "posted",
    "Live",
    "Now",
    "With inputs from",
    "Desk",
    "Read",
    "ab",
    "cd",
    "İn",
    "\u017fign",
    "\u0131N",
    "12 May",
]


def _found(needle: Needle, line: str) -> bool:
    kind, text = needle
    if kind == "digit":
        return re.search(r"\d", line) is not None
    return text in (fold(line) if kind == "folded" else line)


def _admits(body: str, line: str) -> bool:
    """Whether the prefilters of `body` let `line` through to the pattern."""
    first, last, found = first_test(body), last_test(body), needles(body)
    if first is not None and not first(line[0]):
        return False
    if last is not None and not last(line[-1]):
        return False
    return found is None or any(_found(needle, line) for needle in found)


@pytest.mark.parametrize("body", TRICKY)
@given(
    pieces=st.lists(
        st.one_of(st.sampled_from(WORDS), st.text(ALPHABET, max_size=3)), min_size=1, max_size=8
    )
)
def test_a_prefilter_admits_every_line_its_pattern_matches(body: str, pieces: list[str]) -> None:
    line = "".join(pieces)
    if line and re.fullmatch(body, line):
        assert _admits(body, line)


def test_the_prefilters_of_bundled_patterns_admit_every_reference_line(cleaner: Cleaner) -> None:
    lines = _reference_lines()
    for plan in cleaner.rulebook.plans.values():
        for branch in plan.line_matcher.branches:
            pattern = re.compile(branch.body)
            for line in lines:
                if pattern.fullmatch(line):
                    assert _admits(branch.body, line), (plan.site, branch.group, line)


def test_most_bundled_patterns_are_prefiltered(cleaner: Cleaner) -> None:
    branches = cleaner.rulebook.plans[None].line_matcher.branches
    narrowed = [b for b in branches if first_test(b.body) is not None or needles(b.body)]
    assert len(narrowed) >= 0.9 * len(branches)


def test_the_first_characters_are_read_off_the_pattern() -> None:
    test = first_test(r"(?:Also|See) (?i:read)")
    assert test is not None
    assert [char for char in "ASasx" if test(char)] == ["A", "S"]
    folded = first_test(r"(?i:also)")
    assert folded is not None and folded("a") and folded("A") and not folded("b")


def test_the_last_characters_are_read_off_the_pattern() -> None:
    test = last_test(r"(?i:ab)c?(?=x)?")
    assert test is not None
    assert [char for char in "aAbBcCx" if test(char)] == ["b", "B", "c"]
    assert last_test(r"\w+.*") is not None and last_test(r"\p{Lu}") is None


def test_patterns_that_start_alike_share_one_test_and_others_do_not() -> None:
    capital = first_test(r"[A-Z][a-z]+ Desk")
    assert capital is not None and capital is first_test(r"[A-Z]\w+ \| .*")
    assert first_test(r"(?i:[A-Z]x)") is not capital  # the flags are part of what is shared
    assert first_test(r"[A-Y]x") is not capital
    assert last_test(r"x[A-Z]") is capital  # a test is of characters, wherever they stand


def test_a_match_that_may_start_anywhere_admits_every_first_character() -> None:
    test = first_test(r".*Desk")
    assert test is None or all(test(char) for char in "aZ0 (İ")
    assert first_test(r"\p{Lu}\w+") is None  # only `regex` reads it: nothing is known


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (r"Also Read: .{1,80}", (("text", "Also Read: "),)),
        (r"(?i:photo|image)s? by .*", (("folded", "photo"), ("folded", "image"))),
        (r"[A-Z]\w+ \d{4}", (DIGIT,)),
        (r"(?=.{1,9}\Z).*\(AFP\)", (("text", "(AFP)"),)),
        (r".*", None),
        (r"a|bc", None),
        (r"(?:a|b)?c", None),
        (r"\p{Lu}+ Desk", None),
    ],
)
def test_needles_are_the_texts_every_match_contains(
    body: str, expected: tuple[Needle, ...] | None
) -> None:
    assert needles(body) == expected


@pytest.mark.parametrize(
    ("line", "word"),
    [
        ("\u0130nside", "inside"),
        ("\u0131NSIDE", "inside"),
        ("\u017fign", "sign"),
        ("\u212aELVIN", "kelvin"),
    ],
)
def test_fold_lowers_whatever_ignorecase_matches(line: str, word: str) -> None:
    assert re.fullmatch(word, line, re.IGNORECASE)
    assert word in fold(line)


def test_a_remembered_test_answers_as_the_test_and_its_memory_is_bounded() -> None:
    asked: list[str] = []

    def even(char: str) -> bool:
        asked.append(char)
        return ord(char) % 2 == 0

    test = remembered(even)
    chars = [chr(code) for code in range(0x4E00, 0x4E00 + MEMO_CHARACTERS + 100)]
    assert [test(char) for char in chars] == [ord(char) % 2 == 0 for char in chars]
    asked.clear()
    assert test(chars[0]) is True and test(chars[1]) is False
    assert asked == []  # kept: not asked again
    assert test(chars[-1]) is (ord(chars[-1]) % 2 == 0)
    assert asked == [chars[-1]]  # past the bound: asked each time


def _bundled_credits() -> list[str]:
    import tomllib

    from cleaner.rulebook import bundled_rules_dir

    credits = []
    for path in sorted(bundled_rules_dir().glob("*.toml")):
        for rule in tomllib.loads(path.read_text(encoding="utf-8")).get("rule", []):
            if rule.get("kind") == "drop_caption":
                credit = rule["credit"]
                credits.append(f"(?i:{credit})" if rule.get("ignore_case") else credit)
    return credits


@pytest.mark.parametrize("credit", [*_bundled_credits(), *TRICKY])
def test_first_class_is_implied_by_every_match(credit: str) -> None:
    # A caption's pattern tries its credit only where the credit's first character stands:
    # with and without that look-ahead, the pattern matches the same lines.
    start = first_class(credit)
    if start is None:
        return
    plain = re.compile(f".*(?:{credit})")
    ahead = re.compile(f".*(?={start})(?:{credit})")
    for line in _reference_lines():
        assert (plain.fullmatch(line) is None) == (ahead.fullmatch(line) is None), line


@given(st.text(ALPHABET + ".!?*/\u2019", max_size=60))
def test_first_class_agrees_on_any_line(line: str) -> None:
    for credit in _bundled_credits():
        start = first_class(credit)
        if start is not None:
            plain = re.fullmatch(f".*(?:{credit})", line)
            ahead = re.fullmatch(f".*(?={start})(?:{credit})", line)
            assert (plain is None) == (ahead is None)


def test_first_class_of_what_any_character_or_nothing_can_start_is_none() -> None:
    assert first_class(r".*\(AFP\)") is None
    assert first_class(r"x?") is None
    assert first_class(r"(?i:a)|\d") == "(?:(?i:a)|[\\d])"


TAILED = [
    r"(?=.{1,40}\Z).*(?:\s\((?:AFP|Reuters)\))",
    r"(?i:(?=.{1,60}\Z).*(?:[.!?] (?:photo|image) by \w+))",
    r".*(?:Desk|Bureau)",
    r".*[.!?](?<=[a-z][.!?]) [A-Z][a-z]+",
]


@pytest.mark.parametrize("body", TAILED)
@given(
    pieces=st.lists(
        st.one_of(st.sampled_from(WORDS), st.text(ALPHABET + ".!?", max_size=3)), max_size=10
    )
)
def test_a_tail_found_at_the_end_of_a_line_is_a_full_match(body: str, pieces: list[str]) -> None:
    line = "".join(pieces)
    tail = line_tail(body)
    assert tail is not None, body
    width = max_width(body)
    found = re.search(tail, line) is not None and (width is None or len(line) <= width)
    assert found == (re.fullmatch(body, line) is not None)


def test_bundled_caption_patterns_are_searched_as_tails(cleaner: Cleaner) -> None:
    tails = [
        (plan.site, branch.body)
        for plan in cleaner.rulebook.plans.values()
        for branch in plan.line_matcher.branches
        if line_tail(branch.body) is not None
    ]
    assert len({body for _, body in tails}) >= 4
    lines = _reference_lines()
    for site, body in tails:
        tail, width = re.compile(str(line_tail(body))), max_width(body)
        for line in lines:
            found = tail.search(line) is not None and (width is None or len(line) <= width)
            assert found == (re.fullmatch(body, line) is not None), (site, body, line)


def test_only_a_leading_dot_star_before_the_whole_rest_is_a_tail() -> None:
    assert line_tail(r".*x|y") is None  # the .* belongs to one alternative
    assert line_tail(r"a.*b") is None
    assert line_tail(r".+b") is None
    assert line_tail(r".*(?<=a)b") is None  # nothing for the regex engine to jump to
    assert line_tail(r"(?i:.*x)y") is None
    assert line_tail(r"(?=.{1,9}\Z).*(?:ab)") == r"(?:(?:ab))\Z"


_NEEDS: list[tuple[Needle, ...] | None] = [
    (("text", "Moscow Times"),),
    (("text", "Times"), ("text", "Desk")),
    (("text", "Times"),),
    (("text", "es D"),),
    (("text", "sk R"),),
    (("text", "w T"),),
    (("text", "Desk Re"),),
    (("text", "es "),),
    (("folded", "read more"),),
    (("text", "Desk"), DIGIT),
    None,
]


@given(
    st.lists(
        st.sampled_from(["Moscow ", "Times", " Desk", " Read", "READ more", "é", "7", "x", "w"])
    )
)
def test_a_needle_index_answers_as_a_test_of_each_needle(pieces: list[str]) -> None:
    """Needles inside others ("Times" in "Moscow Times"), holding others ("Desk Re", where the
    search prefers "Desk"), across others ("es D" across "Times" and "Desk"), shared ones, and
    the kinds the index tests one by one."""
    text = "".join(pieces)
    expected = [needs is None or contains_needle(text, needs) for needs in _NEEDS]
    assert NeedleIndex(_NEEDS).holding(text) == expected


def test_a_needle_index_of_no_patterns_holds_nothing() -> None:
    assert NeedleIndex([]).holding("any text") == []
