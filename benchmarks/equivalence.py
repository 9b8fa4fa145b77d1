"""What `cleaner` makes of a fixed set of inputs, dumped so that two builds or two versions can
be compared: the compiled and the pure-Python build must agree byte for byte, and a change to
the engine that should not change results must leave the dump as it was.

Every document is cleaned twice, without and with a trace (`explain`), since the engine takes
a different path for each: the dump holds the text of both, the metadata, how the site was
found and every removal. Inputs: the bundled examples, the benchmark corpus (`--corpus-size`),
and where ``../shared`` is beside the checkout, the seeds and the devset (with its URLs,
without them, and streamed line by line with them).

Usage::

    python -m benchmarks.equivalence dump before.jsonl --corpus-size 5MB
    python -m benchmarks.equivalence compare before.jsonl after.jsonl
    python -m benchmarks.equivalence builds --corpus-size 5MB   # compiled against pure
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from benchmarks.corpus import generate, parse_size

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

Input = tuple[str, str, str | None, str]  # key, text, url, how: "whole" or "lines"


def inputs(corpus_size: int) -> Iterator[Input]:
    """Every input of the dump, in a fixed order."""
    for path in sorted((ROOT / "examples").glob("*.txt")):
        yield f"examples/{path.name}", path.read_text(encoding="utf-8"), None, "whole"
    seeds = SHARED / "seeds"
    for path in sorted(seeds.glob("*.txt")) if seeds.is_dir() else []:
        yield f"seeds/{path.name}", path.read_text(encoding="utf-8"), None, "whole"
    index = SHARED / "devset" / "index.jsonl"
    if index.is_file():
        for line in index.read_bytes().splitlines():
            entry = orjson.loads(line)
            path = index.parent / "docs" / f"{entry['id']}.txt"
            text = path.read_text(encoding="utf-8")
            yield f"devset/{path.name}", text, None, "whole"
            yield f"devset/{path.name}+url", text, entry["url"], "whole"
            yield f"devset/{path.name}+url+lines", text, entry["url"], "lines"
    for document in generate(corpus_size):
        yield f"corpus/{document.id}", document.text, document.url, "whole"


def results(corpus_size: int) -> Iterator[dict[str, Any]]:
    """The dump's records: one per input, what both engine paths made of it."""
    from cleaner import Cleaner

    cleaner = Cleaner(environment=False)
    for key, text, url, how in inputs(corpus_size):
        runs = []
        for explain in (False, True):
            if how == "lines":
                lines = text.splitlines(keepends=True)
                runs.append(cleaner.clean_lines(lines, url=url, explain=explain))
            else:
                runs.append(cleaner.clean(text, url=url, explain=explain))
        plain, traced = runs
        yield {
            "key": key,
            "text": plain.text,
            "traced_text": traced.text,
            "metadata": plain.metadata(),
            "detection": [plain.detection.method, plain.detection.evidence],
            "removals": [
                [r.line, r.rule, r.action, r.text, r.result] for r in traced.removals or ()
            ],
        }


BUILD_KEY = "#build"
"""The key of the dump's first record, which names the build that made it."""

DUMP_IN_INSTALLED = f"""
import sys
sys.path.append({str(ROOT)!r})  # after site-packages: the installed cleaner, not the checkout's
from benchmarks.equivalence import main
sys.exit(main(sys.argv[1:]))
"""


def dump(out: Path, corpus_size: int) -> int:
    import cleaner

    build = cleaner.build() if hasattr(cleaner, "build") else "pure Python"  # older versions
    count = 0
    with out.open("wb") as file:
        file.write(orjson.dumps({"key": BUILD_KEY, "build": build}) + b"\n")
        for record in results(corpus_size):
            file.write(orjson.dumps(record) + b"\n")
            count += 1
    return count


def read_dump(path: Path) -> dict[str, dict[str, Any]]:
    return {r["key"]: r for r in map(orjson.loads, path.read_bytes().splitlines())}


def compare(first: Path, second: Path) -> list[str]:
    """The keys whose records differ (or that only one dump has), with the fields that differ;
    the builds that made them may differ."""
    left, right = read_dump(first), read_dump(second)
    left.pop(BUILD_KEY, None)
    right.pop(BUILD_KEY, None)
    differences = [f"{key}: only in {first}" for key in left.keys() - right.keys()]
    differences += [f"{key}: only in {second}" for key in right.keys() - left.keys()]
    for key in left.keys() & right.keys():
        fields = [name for name in left[key] if left[key][name] != right[key].get(name)]
        if fields:
            differences.append(f"{key}: {', '.join(fields)}")
    return sorted(differences)


def builds(corpus_size: int) -> list[str]:
    """Dump with the installed build and again with its sources interpreted; compare.

    Each dump runs in a process of its own, with the checkout after site-packages, so that it
    imports the installed `cleaner`: compiled, or its sources under ``CLEANER_PURE_PYTHON=1``.
    """
    with tempfile.TemporaryDirectory() as directory:
        dumps = [Path(directory) / "installed.jsonl", Path(directory) / "pure.jsonl"]
        for path, pure in zip(dumps, ("0", "1"), strict=True):
            env = {**os.environ, "CLEANER_PURE_PYTHON": pure}
            command = [sys.executable, "-P", "-c", DUMP_IN_INSTALLED, "dump", str(path)]
            subprocess.run([*command, "--corpus-size", str(corpus_size)], env=env, check=True)
        made_by = [read_dump(path)[BUILD_KEY]["build"] for path in dumps]
        if made_by[0] == made_by[1]:
            raise SystemExit(f"the installed build is {made_by[0]}: no compiled build to compare")
        return compare(*dumps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump", help="write the dump of the installed build")
    dumping.add_argument("out", type=Path)
    dumping.add_argument("--corpus-size", default="5MB")
    comparing = commands.add_parser("compare", help="compare two dumps")
    comparing.add_argument("first", type=Path)
    comparing.add_argument("second", type=Path)
    both = commands.add_parser("builds", help="compare the compiled build with the pure one")
    both.add_argument("--corpus-size", default="5MB")
    args = parser.parse_args(argv)
    if args.command == "dump":
        count = dump(args.out, parse_size(args.corpus_size))
        print(f"{count} results written to {args.out}", file=sys.stderr)
        return 0
    differences = (
        compare(args.first, args.second)
        if args.command == "compare"
        else builds(parse_size(args.corpus_size))
    )
    for line in differences[:50]:
        print(line)
    print(f"{len(differences)} difference(s)", file=sys.stderr)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
