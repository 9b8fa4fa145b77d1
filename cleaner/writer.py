"""Writing results: plain text or JSON Lines, to a stream or to files.

Files are written whole or not at all (`cleaner.atomic`). Output paths are built from input
paths and record ids, and never lead outside the output directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath

import orjson

from cleaner.api import CleanResult
from cleaner.atomic import OutputError, Sink
from cleaner.compression import compressed, compression_of, with_compression
from cleaner.compression import without_compression as plain_name
from cleaner.errors import InputError
from cleaner.plan import Removal
from cleaner.reader import Document

FORMATS = ("text", "jsonl")
FILE_SUFFIXES = {".jsonl": "jsonl", ".txt": "text"}
"""The names of a single output file, by what it holds (each maybe with a compression suffix)."""
_MAX_NAME_BYTES = 200
_COPY_BUFFER = 1 << 20


@dataclass(frozen=True)
class OutputTarget:
    """Where a run writes: a stream (`path` None), one file, or a directory of outputs that
    mirrors the inputs. A file's name says its format and compression."""

    path: Path | None = None
    directory: bool = False
    format: str | None = None
    compression: str | None = None


def output_target(name: str) -> OutputTarget:
    """What ``-o NAME`` means, by the name alone, so that it cannot surprise: ``-`` is standard
    output; a name ending in ``/``, or an existing directory, is a directory; a name ending in
    ``.jsonl`` or ``.txt`` (maybe then ``.gz``, ``.zst``, ``.bz2`` or ``.xz``) is one file. Any
    other name is ambiguous, and raises `ValueError` saying how to write what was meant.

    >>> target = output_target("all.jsonl.zst")
    >>> target.path, target.format, target.compression
    (PosixPath('all.jsonl.zst'), 'jsonl', 'zstd')
    >>> output_target("clean/").directory
    True
    """
    if name == "-":
        return OutputTarget()
    path = Path(name)
    inner = PurePath(plain_name(path.name))
    output_format = FILE_SUFFIXES.get(inner.suffix.lower())
    if name.endswith(("/", os.sep)):
        return OutputTarget(path, directory=True)
    shown = name.rstrip("/")
    if path.is_dir():
        if output_format is not None:
            raise ValueError(
                f"{name!r} is a directory, but its name says one {output_format} file: write "
                f"'{shown}/' to write into the directory, or name another file"
            )
        return OutputTarget(path, directory=True)
    if output_format is not None:
        return OutputTarget(path, False, output_format, compression_of(path.name))
    says = f"ends in {inner.suffix!r}" if inner.suffix else "has no suffix"
    raise ValueError(
        f"{name!r} is not a directory and {says}: write '{shown}/' for a directory of outputs, "
        f"or '{inner.stem or shown}.jsonl' (or .jsonl.gz, .jsonl.zst, .txt) for one file"
    )


_LINE = orjson.OPT_APPEND_NEWLINE
"""A record as a line of JSON Lines, its line end written by orjson (no copy to add it)."""


def render(
    document: Document, result: CleanResult, output_format: str, text_field: str = "text"
) -> bytes:
    """The bytes written for one document in `output_format`.

    A JSON Lines record keeps every field of the input record, with the cleaned text in
    `text_field`; the record of a text file gets its id, the metadata and the text.
    """
    if output_format != "jsonl":
        return result.text.encode("utf-8")
    if document.record is not None:
        return orjson.dumps(result.merged_into(document.record, text_field), option=_LINE)
    return orjson.dumps({"id": document.id, **result.metadata(), "text": result.text}, option=_LINE)


def render_removals(document_id: str, removals: Iterable[Removal]) -> bytes:
    """The ``--removed`` audit lines of one document: one JSON object per removed/changed line."""
    return b"".join(
        orjson.dumps(
            {
                "id": document_id,
                "line": removal.line,
                "rule": removal.rule,
                "action": removal.action,
                "text": removal.text,
                "result": removal.result,
            },
            option=_LINE,
        )
        for removal in removals
    )


def safe_name(name: str) -> str:
    """A single file name made from `name` (an id or a file name) that cannot leave its
    directory: no separators, no leading dots, no control characters, and not too long.

    >>> safe_name("../../etc/passwd"), safe_name("/abs/path"), safe_name(".."), safe_name("a b")
    ('_.._etc_passwd', '_abs_path', '_', 'a b')
    """
    cleaned = "".join("_" if ch in "/\\" or ord(ch) < 32 else ch for ch in name).lstrip(".")
    cleaned = cleaned or "_"
    if len(cleaned.encode("utf-8")) > _MAX_NAME_BYTES:
        import hashlib  # only here: its import (OpenSSL) is 4 ms of every start-up

        digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]
        cleaned = cleaned.encode("utf-8")[:_MAX_NAME_BYTES].decode("utf-8", "ignore") + digest
    return cleaned


def inside(directory: Path, relative: PurePosixPath | str) -> Path:
    """`directory` / `relative`, refusing any path that would resolve outside `directory`."""
    path = directory / relative
    root, resolved = directory.resolve(), path.resolve()
    if resolved == root or not resolved.is_relative_to(root):
        raise InputError(str(relative), f"output path would leave {directory}; skipped")
    return path


def output_path(
    directory: Path,
    relative: PurePosixPath,
    input_format: str,
    output_format: str,
    compression: str | None = None,
) -> Path:
    """Where an input's output goes: its path below `directory`, mirrored, with the suffix of
    `compression`. A text output of a JSON Lines input is a directory of one file per record,
    named like the input without its suffixes; a JSON Lines output of a text input takes the
    ``.jsonl`` suffix.

    >>> output_path(Path("out"), PurePosixPath("a/b.txt"), "text", "jsonl").as_posix()
    'out/a/b.jsonl'
    >>> output_path(Path("out"), PurePosixPath("c.jsonl.gz"), "jsonl", "jsonl", "zstd").as_posix()
    'out/c.jsonl.zst'
    >>> output_path(Path("out"), PurePosixPath("c.jsonl.gz"), "jsonl", "text").as_posix()
    'out/c'
    """
    parts = [safe_name(part) for part in relative.parts]
    name = plain_name(parts[-1])
    if input_format == "jsonl":
        stem = name.removesuffix(".jsonl")
        if output_format == "text":  # a directory, whose files get the compression
            return inside(directory, PurePosixPath(*parts[:-1], stem))
        name = stem + ".jsonl"
    elif output_format == "jsonl":
        name = PurePosixPath(name).stem + ".jsonl"
    return inside(directory, PurePosixPath(*parts[:-1], with_compression(name, compression)))


class RecordFiles:
    """One text file per record, named after the record ids (compressed as asked), in
    `directory` (which `cleaner.atomic.AtomicDirectory` renames into place when complete).

    Two records with the same id get two files (``id``, ``id-2``), so that none is lost.
    """

    def __init__(self, directory: Path, name: str, compression: str | None = None) -> None:
        self.directory = directory
        self.name = name  # the output, as failed writes name it
        self.compression = compression
        self._used: set[str] = set()

    def write(self, document_id: str, data: bytes) -> None:
        base = safe_name(document_id)
        name, number = base, 1
        while name in self._used:
            number += 1
            name = f"{base}-{number}"
        self._used.add(name)
        path = inside(self.directory, with_compression(name + ".txt", self.compression))
        try:
            with path.open("wb") as raw, compressed(raw, self.compression) as handle:
                handle.write(data)
        except OSError as exc:
            raise OutputError(self.name, exc) from None


def append_file(source: Path, destination: Sink) -> None:
    """Copy the contents of `source` (a part of an output) to the end of `destination`."""
    with source.open("rb") as handle:
        while block := handle.read(_COPY_BUFFER):
            destination.write(block)
