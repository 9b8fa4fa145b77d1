"""Every example carried by every bundled rule, one test each (``site:rule-id:example``)."""

from __future__ import annotations

import pytest

from cleaner import load_rulebook
from cleaner.examples import check_example, iter_examples

RULEBOOK = load_rulebook()
EXAMPLES = list(iter_examples(RULEBOOK))


@pytest.mark.parametrize(
    ("rule", "example"), EXAMPLES, ids=[f"{rule.ref}:{example.name}" for rule, example in EXAMPLES]
)
def test_rule_example(rule, example) -> None:  # type: ignore[no-untyped-def]
    failure = check_example(rule, example)
    assert failure is None, failure


def test_every_bundled_rule_has_an_example() -> None:
    rules = [
        loaded
        for site in [*RULEBOOK.sites.values(), RULEBOOK.common]
        if site
        for loaded in site.rules
    ]
    assert rules
    assert [str(r.ref) for r in rules if not r.examples] == []
