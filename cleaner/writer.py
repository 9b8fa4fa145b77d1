"""Writing results: plain text or JSON Lines, to standard output or atomically to files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import orjson

from cleaner.api import CleanResult
from cleaner.reader import Document

FORMATS = ("text", "jsonl")


def render(document: Document, result: CleanResult, output_format: str) -> bytes:
    """The bytes written for one document in `output_format`."""
    if output_format == "jsonl":
        record = {"id": document.id, **result.metadata(), "text": result.text}
        return orjson.dumps(record) + b"\n"
    return result.text.encode("utf-8")


def output_path(directory: Path, document: Document, output_format: str) -> Path:
    """Where a document's output goes in `directory`: named after its input, never outside."""
    name = Path(document.source).name if document.source != "<stdin>" else "stdin.txt"
    if output_format == "jsonl":
        name = Path(name).stem + ".jsonl"
    return directory / name


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file, so that no half-written file remains."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
