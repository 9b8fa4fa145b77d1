"""Reading documents: text files (one document each), JSON Lines files (one per record), stdin.

Everything streams: inputs are found one at a time while directories are walked, and a JSON
Lines file is read record by record, or only a byte range of it, so that worker processes can
share one big file. Bad input becomes an `InputError` naming the file (or ``file:line``), never
an exception that stops the batch.
"""

from __future__ import annotations

import gzip
import os
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, cast

import orjson

from cleaner.errors import InputError

STDIN = "-"
STDIN_SOURCE = "<stdin>"
INPUT_FORMATS = ("auto", "text", "jsonl")
DEFAULT_GLOBS = ("*.txt", "*.jsonl", "*.jsonl.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
_BOM = b"\xef\xbb\xbf"
_COUNT_BLOCK = 1 << 20


@dataclass(slots=True)
class Document:
    """One document to clean: an id for the output, where it came from, and its text.

    `record` is the JSON Lines record the document came from, whose other fields are passed
    through to the output record.
    """

    id: str
    source: str
    text: str
    url: str | None = None
    warnings: tuple[str, ...] = ()
    record: Mapping[str, Any] | None = None
    size: int = 0  # bytes read for it


@dataclass(frozen=True)
class RecordFields:
    """The names of the fields of a JSON record that hold the text, the URL and the id."""

    text: str = "text"
    url: str = "url"
    id: str = "id"


@dataclass(frozen=True)
class InputFile:
    """One input: a file (None: standard input), its format, and its path below the directory
    it was found in (its name, for a file named on its own), which output trees mirror."""

    path: Path | None
    relative: PurePosixPath
    format: str  # "text" or "jsonl"

    @property
    def name(self) -> str:
        return str(self.path) if self.path is not None else STDIN_SOURCE

    @property
    def size(self) -> int:
        """The size in bytes (0 for standard input or a file that went away)."""
        if self.path is None:
            return 0
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


@dataclass(frozen=True)
class Span:
    """A byte range of a JSON Lines file that starts at a line start, and that line's number."""

    start: int
    end: int
    first_line: int


def input_format_of(name: str, forced: str = "auto") -> str:
    """``jsonl`` for ``.jsonl`` and ``.jsonl.gz`` files (or when forced), else ``text``."""
    if forced != "auto":
        return forced
    return "jsonl" if name.endswith(JSONL_SUFFIXES) else "text"


def find_inputs(
    names: Iterable[str],
    globs: Iterable[str] = DEFAULT_GLOBS,
    input_format: str = "auto",
    exclude: Path | None = None,
) -> Iterator[InputFile | InputError]:
    """The inputs `names` stand for, in order: stdin for ``-``, a file as it is, a directory's
    files matching `globs` (walked recursively, in sorted order, leaving out the directory
    `exclude`: the output directory). Problems come as errors in the stream, so that one
    unreadable directory does not hide the others' files."""
    patterns = tuple(globs)
    excluded = exclude.resolve() if exclude is not None else None
    for name in names:
        if name == STDIN:
            stdin_format = input_format_of("", input_format)
            name = "stdin.jsonl" if stdin_format == "jsonl" else "stdin.txt"
            yield InputFile(None, PurePosixPath(name), stdin_format)
        elif os.path.isdir(name):
            yield from _walk(Path(name), patterns, input_format, excluded)
        elif os.path.exists(name):
            path = Path(name)
            yield InputFile(path, PurePosixPath(path.name), input_format_of(name, input_format))
        else:
            yield InputError(name, "no such file or directory; check the path")


def _walk(
    root: Path, patterns: tuple[str, ...], input_format: str, excluded: Path | None
) -> Iterator[InputFile | InputError]:
    problems: list[OSError] = []
    for directory, subdirectories, files in os.walk(root, onerror=problems.append):
        yield from (_unreadable(problem) for problem in problems)
        problems.clear()
        base = Path(directory)
        subdirectories[:] = sorted(
            name for name in subdirectories if (base / name).resolve() != excluded
        )
        for file_name in sorted(files):
            relative = PurePosixPath((base / file_name).relative_to(root).as_posix())
            if any(relative.match(pattern) for pattern in patterns):
                path = base / file_name
                yield InputFile(path, relative, input_format_of(file_name, input_format))
    yield from (_unreadable(problem) for problem in problems)


def _unreadable(problem: OSError) -> InputError:
    where = problem.filename or "?"
    return InputError(
        str(where),
        f"cannot read directory: {problem.strerror or problem}; its files were skipped "
        "(check its permissions)",
    )


def decode(data: bytes, source: str, encoding: str = "utf-8") -> tuple[str, tuple[str, ...]]:
    """The text of `data` and the warnings it gave. A UTF-8 byte-order mark is dropped; bytes
    that do not decode are replaced (with a warning) rather than losing the document. Data with
    NUL bytes is not text."""
    if b"\x00" in data:
        raise InputError(
            source,
            "contains NUL bytes, so it is not a text file; skipped (convert it to UTF-8 text "
            "or leave it out of the inputs)",
        )
    codec = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    try:
        return data.decode(codec), ()
    except UnicodeDecodeError as exc:
        text = data.decode(codec, errors="replace")
        replaced = text.count("\ufffd") - data.count("\ufffd".encode())
        return text, (
            f"{source}: not valid {encoding} (first bad byte at offset {exc.start}); "
            f"{replaced} undecodable byte sequence(s) replaced with U+FFFD; "
            "pass --encoding if the input uses another encoding",
        )


def read_document(name: str, encoding: str = "utf-8") -> Document:
    """Read the file `name` (or standard input for ``-``) as one document.

    UTF-8 is expected; a byte-order mark is dropped, and bytes that are not UTF-8 are replaced
    (with a warning) rather than losing the document. A file with NUL bytes is not text.
    """
    path = None if name == STDIN else Path(name)
    relative = PurePosixPath(path.name if path is not None else "stdin.txt")
    return read_text(InputFile(path, relative, "text"), encoding, document_id=relative.stem)


def read_text(
    source: InputFile, encoding: str = "utf-8", document_id: str | None = None
) -> Document:
    """Read a text input as one document, with its relative path (without suffix) as its id."""
    try:
        data = sys.stdin.buffer.read() if source.path is None else source.path.read_bytes()
    except OSError as exc:
        raise InputError(
            source.name, f"cannot read: {exc.strerror or exc}; check the path and permissions"
        ) from None
    text, warnings = decode(data, source.name, encoding)
    doc_id = document_id or source.relative.with_suffix("").as_posix()
    return Document(doc_id, source.name, text, warnings=warnings, size=len(data))


def read_records(
    source: InputFile,
    fields: RecordFields = RecordFields(),
    span: Span | None = None,
    encoding: str = "utf-8",
) -> Iterator[Document | InputError]:
    """The records of a JSON Lines input (of `span` of it, if given), as documents, or as
    errors naming ``file:line`` for lines that are not a usable record. Blank lines are skipped.
    A file that cannot be read to its end raises `InputError`.
    """
    position, number = (span.start, span.first_line) if span is not None else (0, 1)
    line_number = number
    try:
        with _open_binary(source) as handle:
            if span is not None and span.start:
                handle.seek(span.start)
            name = source.name
            for line_number, raw in enumerate(handle, number):
                if span is not None and position >= span.end:
                    return
                if position == 0 and raw.startswith(_BOM):
                    position, raw = len(_BOM), raw[len(_BOM) :]
                position += len(raw)
                if raw.strip():
                    yield _record(raw, f"{name}:{line_number}", fields, encoding)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(
            source.name,
            f"cannot read past line {line_number}: {exc}; check that the file is complete "
            "(and, for .gz, a valid gzip file)",
        ) from None


def _open_binary(source: InputFile) -> IO[bytes] | nullcontext[IO[bytes]]:
    if source.path is None:
        return nullcontext(sys.stdin.buffer)
    if source.path.name.endswith(".gz"):
        return cast(IO[bytes], gzip.open(source.path, "rb"))
    return source.path.open("rb")


def _record(raw: bytes, where: str, fields: RecordFields, encoding: str) -> Document | InputError:
    warnings: tuple[str, ...] = ()
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:
            text, warnings = decode(raw, where, encoding)
            value = orjson.loads(text)
        except (orjson.JSONDecodeError, InputError) as exc:
            return InputError(
                where, f"not a JSON record ({exc}); skipped (fix the line or remove it)"
            )
    try:
        return record_document(value, fields, where, where, warnings, len(raw))
    except InputError as exc:
        return exc


def record_document(
    record: object,
    fields: RecordFields,
    source: str,
    default_id: str,
    warnings: tuple[str, ...] = (),
    size: int = 0,
) -> Document:
    """The document a JSON record holds (read as `size` bytes, with `warnings`), or an
    `InputError` saying what is wrong with it."""
    if type(record) is not dict and not isinstance(record, Mapping):  # the ABC test is slow
        raise InputError(
            source,
            f"is a JSON {_json_type(record)}, not an object; each line must be one JSON object",
        )
    if fields.text not in record:
        raise InputError(
            source,
            f'has no "{fields.text}" field; skipped (name the text field with --text-field, '
            "or text_field= in Python)",
        )
    text = record[fields.text]
    if not isinstance(text, str):
        raise InputError(
            source,
            f'field "{fields.text}" is a JSON {_json_type(text)}, not a string; skipped',
        )
    url = record.get(fields.url)
    doc_id = record.get(fields.id)
    if isinstance(doc_id, bool) or not isinstance(doc_id, str | int):
        doc_id = default_id
    url = url if isinstance(url, str) else None
    return Document(str(doc_id), source, text, url, warnings, record, size)


def _json_type(value: object) -> str:
    names = {
        type(None): "null",
        bool: "boolean",
        int: "number",
        float: "number",
        str: "string",
        list: "array",
    }
    return names.get(type(value), "object")


def jsonl_spans(path: Path, chunk_bytes: int) -> list[Span]:
    """Byte ranges of about `chunk_bytes` that start at line starts, with their first line
    numbers, so that each range can be read on its own and errors still name ``file:line``."""
    size = path.stat().st_size
    spans: list[Span] = []
    start, line = 0, 1
    with path.open("rb") as handle:
        while start < size:
            end = size
            if start + chunk_bytes < size:
                handle.seek(start + chunk_bytes - 1)
                handle.readline()
                end = handle.tell()
            spans.append(Span(start, end, line))
            line += _count_newlines(handle, start, end)
            start = end
    return spans


def _count_newlines(handle: IO[bytes], start: int, end: int) -> int:
    handle.seek(start)
    count, left = 0, end - start
    while left > 0:
        block = handle.read(min(left, _COUNT_BLOCK))
        if not block:
            break
        count += block.count(b"\n")
        left -= len(block)
    return count
