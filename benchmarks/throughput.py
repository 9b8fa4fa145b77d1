"""What every benchmark records, and how the end-to-end ones start `cleaner clean`."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROUNDS = 3
"""Rounds of each long benchmark; the fastest round is the one reported (least disturbed)."""


def report(benchmark: Any, size: int, documents: int, yardstick: float, **extra: object) -> None:
    """Put MB/s, documents/s and the ratio to the yardstick into the benchmark's `extra_info`."""
    seconds = benchmark.stats.stats.min
    mb_per_s = size / seconds / 1e6
    benchmark.extra_info.update(
        mb_per_s=round(mb_per_s, 2),
        docs_per_s=round(documents / seconds, 1),
        ratio_to_yardstick=round(mb_per_s / yardstick, 3),
        yardstick_mb_per_s=round(yardstick, 1),
        **extra,
    )


def cleaner_command() -> list[str]:
    """`cleaner` as installed next to this Python, else as a module of it."""
    installed = Path(sys.executable).with_name("cleaner")
    if installed.exists():
        return [str(installed)]
    found = shutil.which("cleaner")
    return [found] if found else [sys.executable, "-m", "cleaner"]


@functools.cache
def clean_help() -> str:
    """The help of `cleaner clean`, to find out which options this version has."""
    return subprocess.run(
        [*cleaner_command(), "clean", "--help"], capture_output=True, text=True, check=True
    ).stdout


def supports(option: str) -> bool:
    """True when `cleaner clean` accepts `option` (e.g. ``--jobs``)."""
    return option in clean_help()


BUILDS = {"compiled": "0", "pure": "1"}
"""The builds the end-to-end benchmarks run, by the value of CLEANER_PURE_PYTHON they set."""


def build_environment(build: str) -> dict[str, str]:
    """The environment that runs the installed `cleaner` as `build` ("compiled" or "pure")."""
    return {**os.environ, "CLEANER_PURE_PYTHON": BUILDS[build]}


@functools.cache
def build_name(build: str) -> str:
    """What `cleaner --version` says runs under `build`: an editable install is pure Python
    whatever is asked, and a row says so."""
    version = subprocess.run(
        [*cleaner_command(), "--version"],
        capture_output=True,
        text=True,
        check=True,
        env=build_environment(build),
    ).stdout
    return version.rpartition("(")[2].rstrip(")\n") or "unknown"


def run_clean(arguments: Sequence[str], build: str = "compiled") -> None:
    """`cleaner clean ARGUMENTS` with its output thrown away; a failure fails the benchmark."""
    completed = subprocess.run(
        [*cleaner_command(), "clean", *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        env=build_environment(build),
    )
    if completed.returncode != 0:
        raise AssertionError(f"cleaner clean {' '.join(arguments)}: {completed.stderr[-2000:]}")


PEAK_RSS_PROBE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_rss_mib(arguments: Sequence[str], command: Sequence[str] = ("clean",)) -> float:
    """Peak resident memory of one `cleaner COMMAND ARGUMENTS` run, in MiB.

    A fresh probe process starts it, so that no earlier child's peak counts.
    """
    probe = subprocess.run(
        [sys.executable, "-c", PEAK_RSS_PROBE, *cleaner_command(), *command, *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(probe.stdout.strip()) / 1024  # Linux reports KiB
