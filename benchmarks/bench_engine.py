"""In-process benchmarks: rule loading, the engine over the corpus, scaling with rule count."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.conftest import Corpus, copy_lines
from benchmarks.throughput import ROUNDS, report
from cleaner import Cleaner, build
from cleaner.plan import Plan, PlanBuilder
from cleaner.rulebook import RuleBook, bundled_rules_dir, load_rulebook
from cleaner.rulefile import COMMON

Records = list[dict[str, Any]]


@pytest.fixture(scope="module")
def records(corpus: Corpus) -> Records:
    return corpus.records()


def clean_all(cleaner: Cleaner, records: Records) -> None:
    clean = cleaner.clean
    for record in records:
        clean(record["text"], url=record["url"])


def rule_count(book: RuleBook) -> int:
    """Rules loaded, over every site and the common file."""
    common = len(book.common.rules) if book.common is not None else 0
    return common + sum(len(site.rules) for site in book.sites.values())


def test_yardstick(benchmark: Any, corpus: Corpus, yardstick: float, tmp_path: Path) -> None:
    """The loop every other throughput is compared with, as a benchmark of its own."""
    benchmark.pedantic(
        copy_lines, args=(corpus.joined, tmp_path / "copy.txt"), rounds=ROUNDS, iterations=1
    )
    report(benchmark, corpus.size, corpus.documents, yardstick)


def test_load_rules(benchmark: Any) -> None:
    """Reading, validating and compiling the bundled rule files."""
    book = benchmark(load_rulebook)
    benchmark.extra_info["rules"] = rule_count(book)


def test_engine_full_rules(
    benchmark: Any, corpus: Corpus, records: Records, yardstick: float
) -> None:
    """`Cleaner.clean` on every document: detection, the bundled rules, metadata."""
    cleaner = Cleaner()
    benchmark.pedantic(clean_all, args=(cleaner, records), rounds=ROUNDS, iterations=1)
    report(
        benchmark,
        corpus.size,
        corpus.documents,
        yardstick,
        rules=rule_count(cleaner.rulebook),
        build=build(),
    )


def _drop_only_plan(book: RuleBook, site: str | None) -> Plan:
    """The plan of `site` (its rules, then the common ones it keeps) with `drop_line` rules only."""
    builder = PlanBuilder(site)
    own = book.sites[site] if site is not None else None
    disabled = own.disable if own is not None else frozenset()
    common = book.common.rules if book.common is not None else ()
    common = tuple(rule for rule in common if rule.ref.rule_id not in disabled)
    for loaded in [*(own.rules if own is not None else ()), *common]:
        if loaded.ref.kind == "drop_line":
            loaded.rule.contribute(builder)
    return builder.build()


def test_engine_drop_only_rules(
    benchmark: Any, corpus: Corpus, records: Records, yardstick: float
) -> None:
    """`Cleaner.clean` with only the bundled `drop_line` rules: the cheapest useful plan."""
    cleaner = Cleaner()
    book = cleaner.rulebook
    plans = {site: _drop_only_plan(book, site) for site in book.plans}
    cleaner.rulebook = dataclasses.replace(book, plans=plans)
    benchmark.pedantic(clean_all, args=(cleaner, records), rounds=ROUNDS, iterations=1)
    report(benchmark, corpus.size, corpus.documents, yardstick, build=build())


def _common_with_extras(directory: Path, literals: int, patterns: int) -> Path:
    """A user rule directory: the bundled common rules plus generated drop rules."""
    directory.mkdir()
    parts = [(bundled_rules_dir() / f"{COMMON}.toml").read_text(encoding="utf-8")]
    parts += [
        f'[[rule]]\nid = "extra-line-{n}"\nkind = "drop_line"\nlines = ["Extra chrome line {n}"]\n'
        for n in range(literals)
    ]
    parts += [
        f'[[rule]]\nid = "extra-pattern-{n}"\nkind = "drop_line"\n'
        f"pattern = 'Extra chrome {n} \\| [A-Z][a-z]+ .*'\n"
        for n in range(patterns)
    ]
    (directory / f"{COMMON}.toml").write_text("\n".join(parts), encoding="utf-8")
    return directory


SCALING = [
    pytest.param(None, 0, 0, id="bundled"),
    pytest.param("user", 0, 0, id="user-common"),
    pytest.param("user", 1_000, 0, id="user-common+1000-literals"),
    pytest.param("user", 10_000, 0, id="user-common+10000-literals"),
    pytest.param("user", 0, 100, id="user-common+100-patterns"),
]


@pytest.mark.parametrize(("where", "literals", "patterns"), SCALING)
def test_rule_count_scaling(
    benchmark: Any,
    corpus: Corpus,
    records: Records,
    yardstick: float,
    tmp_path: Path,
    where: str | None,
    literals: int,
    patterns: int,
) -> None:
    """The bundled rules, then the common file as a user file (patterns time-limited) + extras."""
    rules = [] if where is None else [_common_with_extras(tmp_path / "rules", literals, patterns)]
    cleaner = Cleaner(rules)
    benchmark.pedantic(clean_all, args=(cleaner, records), rounds=ROUNDS, iterations=1)
    report(
        benchmark,
        corpus.size,
        corpus.documents,
        yardstick,
        rules=rule_count(cleaner.rulebook),
        extra_literals=literals,
        extra_patterns=patterns,
    )


@pytest.mark.parametrize(
    ("literals", "patterns"),
    [
        pytest.param(100_000, 0, id="100000-literal-rules"),
        pytest.param(0, 20_000, id="20000-pattern-rules"),
    ],
)
def test_load_a_generated_blocklist(
    benchmark: Any, tmp_path: Path, literals: int, patterns: int
) -> None:
    """Loading a user common file with a generated blocklist (100,000 literal rules, or 20,000
    pattern rules, each compiled and read for prefilters): the seconds, and the time per rule
    as a multiple of the bundled files' time per rule, loaded in the same run."""
    directory = _common_with_extras(tmp_path / "rules", literals, patterns)
    started = time.perf_counter()
    bundled = load_rulebook()
    baseline = (time.perf_counter() - started) / rule_count(bundled)
    book = benchmark.pedantic(load_rulebook, args=([directory],), rounds=1, iterations=1)
    seconds = benchmark.stats.stats.mean
    rules = rule_count(book)
    benchmark.extra_info.update(
        rules=rules,
        seconds=round(seconds, 2),
        per_rule_vs_bundled=round(seconds / rules / baseline, 2),
    )
