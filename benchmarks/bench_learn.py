"""`cleaner rules learn` over the generated corpus: pages per second, one draft per domain.

Learning reads the corpus in three passes or more (counting, survey, measuring the draft with
the engine), so its pages per second compare with `clean`'s documents per second divided by
about four; the yardstick ratio says how far it is from reading the text once. It runs as its
own process, as a user runs it, so that its peak memory is its own and not that of the
benchmarks before it (the corpus they hold, in the same process, counted 436 MiB).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.conftest import Corpus
from benchmarks.throughput import peak_rss_mib, report


def test_learn_jsonl(benchmark: Any, corpus: Corpus, yardstick: float, tmp_path: Path) -> None:
    """Draft every site of one JSON Lines file: `cleaner rules learn corpus.jsonl -o DIR`."""
    drafts = tmp_path / "drafts"
    arguments = [str(corpus.jsonl), "-o", str(drafts), "--no-progress"]
    peak = benchmark.pedantic(
        peak_rss_mib, args=(arguments, ("rules", "learn")), rounds=1, iterations=1
    )
    report(
        benchmark,
        corpus.size,
        corpus.documents,
        yardstick,
        pages_per_s=round(corpus.documents / benchmark.stats.stats.min, 1),
        drafts=len(list(drafts.glob("*.toml"))),
        peak_rss_mib=round(peak, 1),
    )
