"""`cleaner rules learn` over the generated corpus: pages per second, one draft per domain.

Learning reads the corpus in three passes or more (counting, survey, measuring the draft with
the engine), so its pages per second compare with `clean`'s documents per second divided by
about four; the yardstick ratio says how far it is from reading the text once.
"""

from __future__ import annotations

import resource
from typing import Any

from benchmarks.conftest import Corpus
from benchmarks.throughput import report
from cleaner.learn import LearnOptions, learn


def test_learn_jsonl(benchmark: Any, corpus: Corpus, yardstick: float) -> None:
    """Draft every site of one JSON Lines file, as `cleaner rules learn corpus.jsonl -o DIR`."""
    result = benchmark.pedantic(
        learn, args=([str(corpus.jsonl)], LearnOptions()), rounds=1, iterations=1
    )
    report(
        benchmark,
        corpus.size,
        corpus.documents,
        yardstick,
        pages_per_s=round(corpus.documents / benchmark.stats.stats.min, 1),
        drafts=len(result.drafts),
        peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )
