"""Clean a JSON Lines file with a multiprocessing pool of your own, in input order.

    python examples/pipelines/multiprocessing_pool.py RECORDS.jsonl CLEAN.jsonl

`cleaner clean -j N` does this for files; this is the same step inside a program that already
runs a pool. A line that is not a JSON record, or a record without a text, is skipped and
logged.
"""

from __future__ import annotations

import argparse
import logging
from multiprocessing import Pool
from pathlib import Path

import orjson

from cleaner import Cleaner

CLEANER = Cleaner()  # loaded once per process: forked workers share it, spawned ones load it


def clean_line(line: bytes) -> bytes:
    """One input line's cleaned record as a JSON line (nothing for a record it skips)."""
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        logging.getLogger("cleaner").warning("not a JSON record (%s); skipped", error)
        return b""
    records = CLEANER.clean_records([record])
    return b"".join(orjson.dumps(record) + b"\n" for record in records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=Path, help="a JSON Lines file")
    parser.add_argument("output", type=Path, help="the JSON Lines file to write")
    args = parser.parse_args()

    with args.records.open("rb") as lines, args.output.open("wb") as out, Pool(2) as pool:
        for cleaned in pool.imap(clean_line, (line for line in lines if line.strip()), 64):
            out.write(cleaned)


if __name__ == "__main__":
    main()
