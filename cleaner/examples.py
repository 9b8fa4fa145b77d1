"""Running the examples rule files carry: each rule alone must turn its input into its output."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from cleaner import engine
from cleaner.api import split_lines
from cleaner.patterns import PatternTimeout
from cleaner.rulebook import RuleBook, compile_plan
from cleaner.rulefile import Example, LoadedRule


def iter_examples(rulebook: RuleBook) -> Iterator[tuple[LoadedRule, Example]]:
    """Every (rule, example) pair of every loaded rule file, common rules first."""
    files = [rulebook.common] if rulebook.common is not None else []
    for site in files + [rulebook.sites[name] for name in sorted(rulebook.sites)]:
        for loaded in site.rules:
            for example in loaded.examples:
                yield loaded, example


def check_example(loaded: LoadedRule, example: Example) -> str | None:
    """None when the rule alone makes the example's output of its input; else a diff."""
    text = example.input
    plan = compile_plan(loaded.ref.site, [loaded])
    try:
        actual = "\n".join(engine.run(plan, split_lines(text), text=text).lines)
    except PatternTimeout as exc:
        return f"{loaded.rule.ref} example {example.name!r} fails: {exc}"
    expected = example.output.strip("\n")
    if actual == expected:
        return None
    diff = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), "expected", "actual", lineterm=""
    )
    return f"{loaded.rule.ref} example {example.name!r} fails:\n" + "\n".join(diff)
