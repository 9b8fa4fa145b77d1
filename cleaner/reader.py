"""Reading documents: one text file per document, or one document on standard input."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from cleaner.errors import InputError

STDIN = "-"


@dataclass(frozen=True)
class Document:
    """One document to clean: an id for the output, where it came from, and its text."""

    id: str
    source: str
    text: str
    url: str | None = None
    warnings: tuple[str, ...] = ()


def read_document(name: str) -> Document:
    """Read the file `name` (or standard input for ``-``) as one document.

    UTF-8 is expected; a byte-order mark is dropped, and bytes that are not UTF-8 are replaced
    (with a warning) rather than losing the document. A file with NUL bytes is not text.
    """
    if name == STDIN:
        data, source, doc_id = sys.stdin.buffer.read(), "<stdin>", "stdin"
    else:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(
                name, f"cannot read: {exc.strerror or exc}; check the path and permissions"
            ) from None
        source, doc_id = name, path.stem
    if b"\x00" in data:
        raise InputError(source, "contains NUL bytes, so it is not a text file; skipped")
    warnings: tuple[str, ...] = ()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8-sig", errors="replace")
        warnings = (
            f"{source}: not valid UTF-8 (first bad byte at offset {exc.start}); "
            "undecodable bytes were replaced with U+FFFD",
        )
    return Document(doc_id, source, text, warnings=warnings)
