"""Reading documents: text files (one document each), JSON Lines files (one per record), stdin.

Everything streams: inputs are found one at a time while directories are walked, and a JSON
Lines file is read record by record, or only a byte range of it, so that worker processes can
share one big file. Bad input becomes an `InputError` naming the file (or ``file:line``), never
an exception that stops the batch.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
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


@dataclass(frozen=True)
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
    names: Iterable[str], globs: Iterable[str] = DEFAULT_GLOBS, input_format: str = "auto"
) -> Iterator[InputFile | InputError]:
    """The inputs `names` stand for, in order: stdin for ``-``, a file as it is, a directory's
    files matching `globs` (walked recursively, in sorted order). Problems come as errors in
    the stream, so that one unreadable directory does not hide the others' files; what is not a
    regular file (a FIFO, a socket, a device) is one of them, found without opening it."""
    patterns = tuple(globs)
    for name in names:
        if name == STDIN:
            stdin_format = input_format_of("", input_format)
            name = "stdin.jsonl" if stdin_format == "jsonl" else "stdin.txt"
            yield InputFile(None, PurePosixPath(name), stdin_format)
        elif os.path.isdir(name):
            yield from _walk(Path(name), patterns, input_format)
        elif os.path.lexists(name):
            path = Path(name)
            yield _input_file(path, PurePosixPath(path.name), input_format)
        else:
            yield InputError(name, "no such file or directory; check the path")


def _walk(
    root: Path, patterns: tuple[str, ...], input_format: str
) -> Iterator[InputFile | InputError]:
    problems: list[OSError] = []
    for directory, subdirectories, files in os.walk(root, onerror=problems.append):
        yield from (_unreadable(problem) for problem in problems)
        problems.clear()
        base = Path(directory)
        subdirectories.sort()
        for file_name in sorted(files):
            relative = PurePosixPath((base / file_name).relative_to(root).as_posix())
            if any(relative.match(pattern) for pattern in patterns):
                yield _input_file(base / file_name, relative, input_format)
    yield from (_unreadable(problem) for problem in problems)


def _input_file(path: Path, relative: PurePosixPath, input_format: str) -> InputFile | InputError:
    """The input at `path`, or the error saying why it is not a file to read."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return InputError(
            str(path), f"cannot read: {exc.strerror or exc}; check the path and permissions"
        )
    problem = not_a_regular_file(mode)
    if problem is not None:
        return InputError(str(path), problem)
    return InputFile(path, relative, input_format_of(path.name, input_format))


def not_a_regular_file(mode: int) -> str | None:
    """Why a file of `mode` is not read (reading a FIFO or a device may block for ever)."""
    if stat.S_ISREG(mode):
        return None
    kind = (
        "a FIFO"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return (
        f"is {kind}, not a regular file; skipped without opening it (to clean a stream, "
        "pipe it into `cleaner clean -`)"
    )


def open_regular(path: Path) -> IO[bytes]:
    """`path` opened for reading, refusing what is not a regular file (which may have taken
    the place of the file found) before reading a byte: opening does not block on a FIFO."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        problem = not_a_regular_file(os.fstat(fd).st_mode)
        if problem is not None:
            raise InputError(str(path), problem)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _unreadable(problem: OSError) -> InputError:
    where = problem.filename or "?"
    return InputError(
        str(where),
        f"cannot read directory: {problem.strerror or problem}; its files were skipped "
        "(check its permissions)",
    )


def decode(data: bytes, source: str, encoding: str = "utf-8") -> tuple[str, tuple[str, ...]]:
    """The text of `data` in `encoding` and the warnings it gave. A UTF-8 byte-order mark is
    dropped; bytes that do not decode are replaced (with a warning) rather than losing the
    document. Text with NUL characters is not text: the test comes after decoding, since in
    UTF-16 or UTF-32 every other byte of plain text is NUL."""
    codec = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    warnings: tuple[str, ...] = ()
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        text = data.decode(codec, errors="replace")
        replaced = text.count("\ufffd") - data.count("\ufffd".encode())
        warnings = (
            f"{source}: not valid {encoding} (first bad byte at offset {exc.start}); "
            f"{replaced} undecodable byte sequence(s) replaced with U+FFFD; "
            "pass --encoding if the input uses another encoding",
        )
    if "\x00" in text:
        raise InputError(
            source,
            f"contains NUL characters, so it is not {encoding} text; skipped (pass --encoding "
            "if it is text in another encoding, or leave it out of the inputs)",
        )
    return text, warnings


def ascii_compatible(encoding: str) -> bool:
    """Whether `encoding` writes a line end as the one byte ``\n`` (UTF-8 and Latin-1 do,
    UTF-16 does not): JSON Lines in such an encoding can be split at line-end bytes."""
    return "\n{}".encode(encoding, errors="replace") == b"\n{}"


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
        if source.path is None:
            data = sys.stdin.buffer.read()
        else:
            with open_regular(source.path) as handle:
                data = handle.read()
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
        with _open_binary(source) as binary:
            handle: Iterable[bytes] = binary
            if not ascii_compatible(encoding):  # its lines are not split at b"\n": recode
                handle = _recoded(binary, encoding)
                encoding = "utf-8"
            elif span is not None and span.start:
                binary.seek(span.start)
            for line_number, raw in enumerate(handle, number):
                if span is not None and position >= span.end:
                    return
                if position == 0 and raw.startswith(_BOM):
                    position, raw = len(_BOM), raw[len(_BOM) :]
                position += len(raw)
                if raw.strip():
                    yield _record(raw, f"{source.name}:{line_number}", fields, encoding)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise InputError(
            source.name,
            f"cannot read past line {line_number}: {exc}; check that the file is complete "
            "(and, for .gz, a valid gzip file)",
        ) from None


def _recoded(binary: IO[bytes], encoding: str) -> Iterator[bytes]:
    """The lines of `binary`, text in `encoding`, as UTF-8."""
    text = io.TextIOWrapper(binary, encoding)
    try:
        for line in text:
            yield line.encode("utf-8")
    finally:
        text.detach()  # `binary` is its opener's to close


@contextmanager
def _open_binary(source: InputFile) -> Iterator[IO[bytes]]:
    if source.path is None:
        yield sys.stdin.buffer
        return
    with open_regular(source.path) as handle:
        if source.path.name.endswith(".gz"):
            with gzip.GzipFile(fileobj=handle, mode="rb") as unpacked:
                yield cast(IO[bytes], unpacked)
        else:
            yield handle


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
        document = record_document(value, fields, where, where)
    except InputError as exc:
        return exc
    return Document(
        document.id, where, document.text, document.url, warnings, document.record, len(raw)
    )


def record_document(record: object, fields: RecordFields, source: str, default_id: str) -> Document:
    """The document a JSON record holds, or an `InputError` saying what is wrong with it."""
    if not isinstance(record, Mapping):
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
    return Document(str(doc_id), source, text, url if isinstance(url, str) else None, record=record)


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
