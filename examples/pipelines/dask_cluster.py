"""Clean sharded JSON Lines on a Dask cluster: one partition per shard, one output per shard.

    python examples/pipelines/dask_cluster.py SHARDS/ CLEAN/ [--scheduler tcp://HOST:8786]

Without ``--scheduler`` a `LocalCluster` of two worker processes stands in for the cluster.
With it, the same code runs on the cluster that scheduler leads: each worker needs cleaner
installed, and the two directories on a file system they all see (or ``s3://...`` paths, with
s3fs installed). Each shard ``SHARDS/x.jsonl.gz`` becomes ``CLEAN/x.jsonl.gz``, compressed as
its name says; a record without a text is skipped and logged on the worker.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

import dask.bag as db
import orjson
from dask.distributed import Client, LocalCluster

from cleaner import Cleaner


def clean_partition(lines: Iterable[str], cleaner: Cleaner) -> list[str]:
    """The cleaned records of one shard's lines, as JSON Lines."""
    records = (orjson.loads(line) for line in lines if line.strip())
    return [orjson.dumps(record).decode() for record in cleaner.clean_records(records)]


def clean_shards(shards: list[str], outputs: list[str]) -> None:
    """Clean each shard of `shards` into the output of the same place in `outputs`."""
    cleaner = Cleaner()  # sent to each worker once, where it loads the rules once
    bag = db.read_text(shards, blocksize=None)  # one partition per shard, in order
    cleaned = bag.map_partitions(clean_partition, cleaner)
    cleaned.to_textfiles(outputs, last_endline=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shards", type=Path, help="a directory of *.jsonl.gz shards")
    parser.add_argument("output", type=Path, help="the directory to write the cleaned shards to")
    parser.add_argument("--scheduler", help="the address of a running Dask scheduler")
    args = parser.parse_args()

    shards = sorted(args.shards.glob("*.jsonl.gz"))
    args.output.mkdir(parents=True, exist_ok=True)
    outputs = [str(args.output / shard.name) for shard in shards]
    if args.scheduler is not None:
        with Client(args.scheduler):
            clean_shards([str(shard) for shard in shards], outputs)
        return
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster):
        clean_shards([str(shard) for shard in shards], outputs)


if __name__ == "__main__":
    main()
