"""Turn pytest-benchmark's JSON output into the README's table and throughput plot.

Usage::

    python -m benchmarks.plot results.json --png benchmarks/throughput.png

Prints a Markdown table of every benchmark (MB/s, documents/s, ratio to the yardstick and what
else it recorded) and draws MB/s against rule count and against the number of jobs.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

SHOWN = ("mb_per_s", "docs_per_s", "ratio_to_yardstick")
HIDDEN = {*SHOWN, "yardstick_mb_per_s"}


def load(path: Path) -> list[dict[str, Any]]:
    """The benchmarks of one pytest-benchmark JSON file."""
    benchmarks: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["benchmarks"]
    return benchmarks


def table(benchmarks: Sequence[Mapping[str, Any]]) -> str:
    """A Markdown table: one row per benchmark, the fastest round's figures."""
    rows = [
        "| benchmark | MB/s | docs/s | x yardstick | best round (s) | other |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for bench in benchmarks:
        info = bench.get("extra_info", {})
        figures = [f"{info[key]:,}" if key in info else "" for key in SHOWN]
        other = ", ".join(f"{key}={value}" for key, value in info.items() if key not in HIDDEN)
        seconds = f"{bench['stats']['min']:.3f}"
        rows.append(f"| {bench['name']} | {' | '.join(figures)} | {seconds} | {other} |")
    return "\n".join(rows)


def plot(benchmarks: Sequence[Mapping[str, Any]], png: Path) -> None:
    """MB/s against rule count (left) and against worker processes (right)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (by_rules, by_jobs) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    scaling = [b for b in benchmarks if b["name"].startswith("test_rule_count_scaling")]
    scaling.sort(key=lambda b: b["extra_info"]["rules"])
    for bench in scaling:
        info = bench["extra_info"]
        by_rules.scatter(info["rules"], info["mb_per_s"], zorder=3)
        label = bench["param"] if "param" in bench else bench["name"]
        by_rules.annotate(
            str(label), (info["rules"], info["mb_per_s"]), fontsize=8, xytext=(4, 4),
            textcoords="offset points",
        )  # fmt: skip
    by_rules.set_xscale("log")
    by_rules.set_xlabel("rules loaded (log scale)")
    by_rules.set_ylabel("MB/s, in-process, one core")
    by_rules.set_title("Throughput against rule count")
    by_rules.set_ylim(bottom=0)
    by_rules.grid(True, alpha=0.3)

    for form in ("text", "jsonl"):
        runs = [b for b in benchmarks if b.get("extra_info", {}).get("input") == form]
        runs.sort(key=lambda b: b["extra_info"]["jobs"])
        if runs:
            jobs = [b["extra_info"]["jobs"] for b in runs]
            by_jobs.plot(jobs, [b["extra_info"]["mb_per_s"] for b in runs], marker="o", label=form)
    by_jobs.set_xlabel("worker processes (-j)")
    by_jobs.set_ylabel("MB/s, cleaner clean end to end")
    by_jobs.set_title("Throughput against jobs")
    by_jobs.set_xticks([1, 2])
    by_jobs.set_ylim(bottom=0)
    by_jobs.grid(True, alpha=0.3)
    by_jobs.legend(title="input")
    figure.savefig(png, dpi=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.plot", description=__doc__)
    parser.add_argument("results", type=Path, help="pytest-benchmark --benchmark-json output")
    parser.add_argument("--png", type=Path, default=Path(__file__).with_name("throughput.png"))
    args = parser.parse_args(argv)
    benchmarks = load(args.results)
    print(table(benchmarks))
    plot(benchmarks, args.png)
    print(f"\nplot written to {args.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
