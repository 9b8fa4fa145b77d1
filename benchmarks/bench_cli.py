"""`cleaner clean` end to end, as a user runs it: text files and JSON Lines, one and two jobs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.conftest import Corpus, build_corpus
from benchmarks.throughput import (
    BUILDS,
    ROUNDS,
    build_name,
    peak_rss_mib,
    report,
    run_clean,
    supports,
)

QUIET = ["--no-progress", "--no-summary"]


def _arguments(jobs: int, *inputs: str) -> list[str]:
    for option in ("--jobs", "--no-progress", "--no-summary"):
        if not supports(option):
            pytest.skip(f"this `cleaner clean` has no {option} option")
    return [*inputs, "-j", str(jobs), *QUIET]


@pytest.mark.parametrize("jobs", [1, 2])
def test_clean_text_tree(benchmark: Any, corpus: Corpus, yardstick: float, jobs: int) -> None:
    """A directory tree of .txt files in, plain text out."""
    if not supports("directories"):
        pytest.skip("this `cleaner clean` does not take directories")
    arguments = _arguments(jobs, str(corpus.text_dir), "--format", "text")
    benchmark.pedantic(run_clean, args=(arguments,), rounds=ROUNDS, iterations=1)
    report(
        benchmark,
        corpus.size,
        corpus.documents,
        yardstick,
        jobs=jobs,
        input="text",
        build=build_name("compiled"),
    )


@pytest.mark.parametrize("build", list(BUILDS))
@pytest.mark.parametrize("jobs", [1, 2])
def test_clean_jsonl(
    benchmark: Any, corpus: Corpus, yardstick: float, jobs: int, build: str
) -> None:
    """One JSON Lines file in, JSON Lines out: the compiled build and the pure one."""
    if not supports("--input-format"):
        pytest.skip("this `cleaner clean` does not read JSON Lines")
    arguments = _arguments(jobs, str(corpus.jsonl), "--format", "jsonl")
    benchmark.pedantic(run_clean, args=(arguments, build), rounds=ROUNDS, iterations=1)
    report(
        benchmark,
        corpus.size,
        corpus.documents,
        yardstick,
        jobs=jobs,
        input="jsonl",
        build=build_name(build),
    )


@pytest.mark.parametrize("build", list(BUILDS))
def test_startup(benchmark: Any, tmp_path: Path, build: str) -> None:
    """`cleaner clean` of one short document: imports, loading and compiling the rules."""
    document = tmp_path / "one.txt"
    document.write_text("A Headline of Four Words\n\nOne short paragraph.\n", encoding="utf-8")
    benchmark.pedantic(run_clean, args=([str(document)], build), rounds=5, iterations=1)
    benchmark.extra_info.update(
        seconds=round(benchmark.stats.stats.min, 3), build=build_name(build)
    )


def test_peak_memory(benchmark: Any, corpus: Corpus, corpus_cache: Any, gigabyte: bool) -> None:
    """Peak RSS of one job streaming JSON Lines: the same at 100 MB and at 1 GB."""
    if not supports("--input-format"):
        pytest.skip("this `cleaner clean` does not read JSON Lines")
    corpora = [corpus]
    if gigabyte:
        corpora.append(build_corpus(corpus_cache, 10**9))
    peaks = {}
    for each in corpora:
        peaks[f"peak_rss_mib_{each.size // 10**6}mb"] = round(
            peak_rss_mib(_arguments(1, str(each.jsonl), "--format", "jsonl")), 1
        )
    benchmark.pedantic(lambda: None, rounds=1, iterations=1)
    benchmark.extra_info.update(peaks)
