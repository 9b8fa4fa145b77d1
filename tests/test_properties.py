"""Properties of cleaning any text with the bundled rules, for every bundled site and none:
it never raises, never adds a line the input did not have (substitutions and joins aside, as
the trace shows them), keeps the input's lines in their order, and cleaning the result again
changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.api import split_lines
from cleaner.errors import InputError
from cleaner.examples import iter_examples
from cleaner.reader import decode

CLEANER = Cleaner(environment=False)
SITES = [None, *sorted(CLEANER.rulebook.sites)]
CHROME_LINES = sorted(
    {
        line
        for _rule, example in iter_examples(CLEANER.rulebook)
        for line in split_lines(example.input)
    }
)
PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

any_line = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
documents = st.lists(
    st.one_of(st.sampled_from(CHROME_LINES), any_line, st.just("")), max_size=30
).map("\n".join)


def test_a_line_removed_between_two_copies_leaves_nothing_for_a_second_pass() -> None:
    check_idempotent("The bridge reopens.\n0\n0\nThe bridge reopens.", None)


def check_nothing_added(text: str, site: str | None) -> None:
    """No output line that the input lacks (bar substitutions and joins), and the input's own
    lines in the input's order."""
    result = CLEANER.clean(text, site=site, explain=True)
    assert result.removals is not None
    made = {r.result for r in result.removals if r.result is not None}
    allowed = set(split_lines(text)) | made
    output = [line for line in split_lines(result.text) if line]
    assert [line for line in output if line not in allowed] == []
    remaining = iter(split_lines(text))
    assert all(line in remaining for line in output if line not in made), "out of order"


def check_idempotent(text: str, site: str | None) -> None:
    result = CLEANER.clean(text, site=site)
    assert (
        CLEANER.clean(result.text, site=result.site if site is None else site).text == result.text
    )


@pytest.mark.parametrize("site", SITES)
@PROPERTY_SETTINGS
@given(text=documents)
def test_cleaning_text_never_adds_a_line(site: str | None, text: str) -> None:
    check_nothing_added(text, site)


@pytest.mark.parametrize("site", SITES)
@PROPERTY_SETTINGS
@given(text=documents)
def test_cleaning_text_is_idempotent(site: str | None, text: str) -> None:
    check_idempotent(text, site)


def text_of(data: bytes) -> str | None:
    """The text bytes decode to, or None for the one kind of bytes that is not text (NUL)."""
    try:
        return decode(data, "<bytes>")[0]
    except InputError:
        assert b"\x00" in data
        return None


@pytest.mark.parametrize("site", SITES)
@PROPERTY_SETTINGS
@given(data=st.binary(max_size=400))
def test_cleaning_any_bytes_never_adds_a_line(site: str | None, data: bytes) -> None:
    text = text_of(data)
    if text is not None:
        check_nothing_added(text, site)


@pytest.mark.parametrize("site", SITES)
@PROPERTY_SETTINGS
@given(data=st.binary(max_size=400))
def test_cleaning_any_bytes_is_idempotent(site: str | None, data: bytes) -> None:
    text = text_of(data)
    if text is not None:
        check_idempotent(text, site)
