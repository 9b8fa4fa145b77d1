"""Shared set-up of the benchmarks: the corpus (generated once, cached) and the yardstick.

Every throughput is reported as a ratio to the yardstick, a tuned pure-Python loop that reads
the same text line by line and writes every line back, measured in the same run: on a noisy or
different machine the ratios still compare.

Options (or environment variables):
    --corpus-size / CLEANER_BENCH_SIZE    corpus size, e.g. 5MB for a quick run (default 100MB)
    --corpus-cache / CLEANER_BENCH_CACHE  where generated corpora are kept between runs
    --gigabyte / CLEANER_BENCH_1GB=1      also measure peak memory on a 1 GB corpus (slow)
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest

from benchmarks.corpus import WRITE_BUFFER_BYTES, generate, parse_size, write_jsonl, write_text_tree

DEFAULT_SIZE = "100MB"
YARDSTICK_ROUNDS = 3


@dataclass(frozen=True)
class Corpus:
    """One generated corpus in its three forms, with its size in bytes and documents."""

    text_dir: Path
    jsonl: Path
    joined: Path
    size: int
    documents: int

    def records(self) -> list[dict[str, str | None]]:
        """The documents in memory: id, url and text, as the JSON Lines file has them."""
        with self.jsonl.open("rb") as file:
            return [orjson.loads(line) for line in file]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cleaner benchmarks")
    group.addoption("--corpus-size", default=os.environ.get("CLEANER_BENCH_SIZE", DEFAULT_SIZE))
    group.addoption(
        "--corpus-cache",
        default=os.environ.get(
            "CLEANER_BENCH_CACHE", str(Path(tempfile.gettempdir()) / "cleaner-bench")
        ),
    )
    group.addoption(
        "--gigabyte", action="store_true", default=os.environ.get("CLEANER_BENCH_1GB") == "1"
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    """Collect ``bench_*.py``: named so that the default test run never picks them up.

    A file named on the command line is collected by pytest itself, so not here again.
    """
    named = parent.session.isinitpath(file_path)
    if file_path.suffix == ".py" and file_path.name.startswith("bench_") and not named:
        module: pytest.Module = pytest.Module.from_parent(parent, path=file_path)
        return module
    return None


def build_corpus(cache: Path, size: int) -> Corpus:
    """The corpus of `size` bytes, written under `cache` unless a complete copy is there."""
    root = cache / f"corpus-{size}-seed0"
    done = root / "complete"
    if not done.exists():
        write_text_tree(root / "text", size)
        write_jsonl(root / "corpus.jsonl", size)
        with (root / "joined.txt").open(
            "w", encoding="utf-8", newline="", buffering=WRITE_BUFFER_BYTES
        ) as joined:
            for document in generate(size):
                joined.write(document.text)
        documents = sum(1 for _ in (root / "text").rglob("*.txt"))
        done.write_text(str(documents), encoding="utf-8")
    return Corpus(
        text_dir=root / "text",
        jsonl=root / "corpus.jsonl",
        joined=root / "joined.txt",
        size=(root / "joined.txt").stat().st_size,
        documents=int(done.read_text(encoding="utf-8")),
    )


@pytest.fixture(scope="session")
def corpus_cache(request: pytest.FixtureRequest) -> Path:
    return Path(request.config.getoption("--corpus-cache"))


@pytest.fixture(scope="session")
def corpus(request: pytest.FixtureRequest, corpus_cache: Path) -> Corpus:
    return build_corpus(corpus_cache, parse_size(request.config.getoption("--corpus-size")))


def copy_lines(source: Path, target: Path) -> None:
    """The yardstick: read `source` line by line and write every line back, 1 MiB buffers."""
    with (
        source.open(encoding="utf-8", buffering=WRITE_BUFFER_BYTES) as lines,
        target.open("w", encoding="utf-8", buffering=WRITE_BUFFER_BYTES) as out,
    ):
        write = out.write
        for line in lines:
            write(line)


@pytest.fixture
def yardstick(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> float:
    """MB/s of the yardstick loop on this corpus, the best of a few rounds, measured again
    right before each benchmark: a shared machine's speed drifts over a run (seen: 213 MB/s
    at the start of one, 314 MB/s six minutes later), and a ratio is only as good as the
    yardstick measured next to it."""
    target = tmp_path_factory.mktemp("yardstick") / "copy.txt"
    best = min(_seconds(lambda: copy_lines(corpus.joined, target)) for _ in range(YARDSTICK_ROUNDS))
    return corpus.size / best / 1e6


def _seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


@pytest.fixture(scope="session")
def gigabyte(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--gigabyte"))
