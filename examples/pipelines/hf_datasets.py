"""Clean JSON Lines shards with Hugging Face datasets: a batched map in two processes.

    python examples/pipelines/hf_datasets.py SHARDS/ CLEAN.jsonl

The shards (``*.jsonl``, ``*.jsonl.gz``) are loaded as one dataset, cleaned in batches by
`Cleaner.clean_batch` in two processes, and written as one JSON Lines file, in their order.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from datasets import Dataset

from cleaner import Cleaner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shards", type=Path, help="a directory of JSON Lines shards")
    parser.add_argument("output", type=Path, help="the JSON Lines file to write")
    args = parser.parse_args()

    files = sorted(str(path) for path in args.shards.glob("*.jsonl*"))
    dataset = Dataset.from_json(files)
    cleaner = Cleaner()
    cleaned = dataset.map(cleaner.clean_batch, batched=True, batch_size=256, num_proc=2)
    cleaned.to_json(args.output, lines=True)


if __name__ == "__main__":
    main()
