"""Other cleaners on the same text, where installed (the `bench` extra), next to `cleaner`.

jusText and trafilatura take HTML: each line becomes a paragraph (``<p>``). datatrove's C4
quality filter runs its line filter (the sentence count needs a tokenizer model, so it is off).
The peers are slow, so they run on the first `PEER_SAMPLE` bytes of the corpus; `cleaner_speedup`
is how many times faster `cleaner` cleans that same sample.
"""

from __future__ import annotations

import html
import time
import warnings
from collections.abc import Callable
from typing import Any

import pytest

from benchmarks.conftest import Corpus
from benchmarks.corpus import Document, generate, parse_size
from benchmarks.throughput import report
from cleaner import Cleaner, build

PEER_SAMPLE = parse_size("5MB")

Peer = Callable[[Document], object]


@pytest.fixture(scope="module")
def sample(corpus: Corpus) -> list[Document]:
    return list(generate(min(PEER_SAMPLE, corpus.size)))


def as_html(document: Document) -> str:
    paragraphs = "".join(
        f"<p>{html.escape(line)}</p>\n" for line in document.text.split("\n") if line.strip()
    )
    return f"<html><body>\n{paragraphs}</body></html>"


def _justext() -> Peer:
    justext = pytest.importorskip("justext")
    stoplist = justext.get_stoplist("English")
    return lambda document: justext.justext(as_html(document), stoplist)


def _trafilatura() -> Peer:
    trafilatura = pytest.importorskip("trafilatura")
    return lambda document: trafilatura.extract(as_html(document))


def _c4_line_filter() -> Peer:
    filters = pytest.importorskip("datatrove.pipeline.filters")
    data = pytest.importorskip("datatrove.data")
    c4 = filters.C4QualityFilter(min_num_sentences=-1)
    return lambda document: c4.filter(data.Document(text=document.text, id=document.id))


PEERS = {"justext": _justext, "trafilatura": _trafilatura, "datatrove-c4": _c4_line_filter}


def _run(action: Peer, documents: list[Document]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the peers' own deprecations are not ours to fix
        for document in documents:
            action(document)


def _cleaner_seconds(documents: list[Document]) -> float:
    cleaner = Cleaner()
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        for document in documents:
            cleaner.clean(document.text, url=document.url)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("name", list(PEERS))
def test_peer(benchmark: Any, sample: list[Document], yardstick: float, name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = PEERS[name]()
    benchmark.pedantic(_run, args=(peer, sample), rounds=1, iterations=1)
    size = sum(len(document.text.encode("utf-8")) for document in sample)
    speedup = benchmark.stats.stats.min / _cleaner_seconds(sample)
    report(
        benchmark,
        size,
        len(sample),
        yardstick,
        peer=name,
        cleaner_speedup=round(speedup, 1),
        cleaner_build=build(),
    )
