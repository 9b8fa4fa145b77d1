"""Clean JSON Lines shards with a datatrove pipeline: read them, clean them, write them.

    python examples/pipelines/datatrove_pipeline.py SHARDS/ CLEAN/ [--tasks 4] [--workers 2]

Each task reads its share of the shards (``*.jsonl``, ``*.jsonl.gz``, ``*.jsonl.zst``), and
writes one ``CLEAN/<rank>.jsonl.gz``; datatrove keeps its logs and stats in ``--logs``.
"""

from __future__ import annotations

import argparse

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from cleaner.integrations.datatrove import CleanerStep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shards", help="a directory of JSON Lines shards")
    parser.add_argument("output", help="the directory to write the cleaned shards to")
    parser.add_argument("--tasks", type=int, default=2, help="tasks to split the shards into")
    parser.add_argument("--workers", type=int, default=2, help="tasks run at once")
    parser.add_argument("--logs", default="logs/cleaner", help="datatrove's logging directory")
    args = parser.parse_args()

    executor = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(args.shards, glob_pattern="*.jsonl*"),
            CleanerStep(),
            JsonlWriter(args.output, output_filename="${rank}.jsonl.gz"),
        ],
        tasks=args.tasks,
        workers=args.workers,
        logging_dir=args.logs,
    )
    executor.run()


if __name__ == "__main__":
    main()
