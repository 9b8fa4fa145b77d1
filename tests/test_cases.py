"""Golden cases: our own articles in each site's form, in tests/cases/<site>/<name>.txt.

A case is the input, a line ``=== expected ===`` and the expected output, and optionally a line
``=== meta ===`` and the expected metadata as JSON. A case without ``=== expected ===`` must come
out unchanged. Every case is also cleaned twice: cleaning is idempotent.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from cleaner import Cleaner

CASES = Path(__file__).parent / "cases"
EXPECTED, META = "=== expected ===\n", "=== meta ===\n"


@dataclass(frozen=True)
class Case:
    input: str
    expected: str
    meta: dict[str, str | None] | None


def load_case(path: Path) -> Case:
    raw = path.read_text(encoding="utf-8")
    if EXPECTED not in raw:
        return Case(raw, raw, None)
    source, rest = raw.split(EXPECTED)
    expected, _, meta = rest.partition(META)
    return Case(source, expected, json.loads(meta) if meta else None)


def _diff(expected: str, actual: str) -> str:
    return "".join(
        difflib.unified_diff(
            expected.splitlines(True), actual.splitlines(True), "expected", "actual"
        )
    )


CASE_PATHS = sorted(CASES.rglob("*.txt"))


@pytest.mark.parametrize("path", CASE_PATHS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_case(cleaner: Cleaner, path: Path) -> None:
    case = load_case(path)
    result = cleaner.clean(case.input)
    assert result.text == case.expected, _diff(case.expected, result.text)
    expected_site = None if path.parent.name == "unknown" else path.parent.name
    assert result.site == expected_site
    if case.meta is not None:
        assert result.metadata() == case.meta
    again = cleaner.clean(result.text, site=result.site)
    assert again.text == result.text, _diff(result.text, again.text)


def test_there_are_cases_for_every_bundled_site(cleaner: Cleaner) -> None:
    with_cases = {path.parent.name for path in CASE_PATHS}
    assert set(cleaner.rulebook.sites) | {"unknown"} <= with_cases
