"""Compressed inputs and outputs, chosen by the file name: gzip, zstd, bz2 and xz.

The work is done by `xopen`, always in this process (``threads=0``): gzip through python-isal
when it is installed, zstd through the standard library's future `compression.zstd` API, bz2
and xz through the standard library. Compressed streams made separately and concatenated are one
valid stream in all four formats, which is what lets worker processes compress their share of
an output on their own and the parent join the shares byte for byte.
"""

from __future__ import annotations

import lzma
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, cast

COMPRESSIONS = {"gzip": ".gz", "zstd": ".zst", "bz2": ".bz2", "xz": ".xz"}
"""The compressions, by the name `--compression` takes, and the suffix a file name gets."""
_XOPEN_FORMATS = {"gzip": "gz", "zstd": "zst", "bz2": "bz2", "xz": "xz"}

STREAM_BUFFER_BYTES = 1 << 18
"""The buffer of the files a batch reads and writes. Python's default, the file system's
block (4 KiB), is smaller than a typical record, and cost a system call for every document
read and every one written."""


def _read_errors() -> tuple[type[BaseException], ...]:
    """What a damaged or truncated compressed file raises while it is read."""
    errors: list[type[BaseException]] = [OSError, EOFError, zlib.error, lzma.LZMAError]
    try:
        from backports.zstd import ZstdError

        errors.append(ZstdError)
    except ImportError:  # Python 3.14 has it in the standard library
        from compression.zstd import ZstdError  # type: ignore[import-not-found,no-redef]

        errors.append(ZstdError)
    try:
        from isal.igzip_lib import IsalError

        errors.append(IsalError)  # type: ignore[arg-type]  # its stub says an instance
    except ImportError:  # xopen falls back to zlib where python-isal has no wheel
        pass
    return tuple(errors)


READ_ERRORS = _read_errors()


def compression_of(name: str) -> str | None:
    """The compression a file name says (``gzip``, ``zstd``, ``bz2``, ``xz``), or None.

    >>> compression_of("corpus/part-0001.jsonl.zst"), compression_of("story.txt")
    ('zstd', None)
    """
    lowered = name.lower()
    return next((c for c, suffix in COMPRESSIONS.items() if lowered.endswith(suffix)), None)


def without_compression(name: str) -> str:
    """`name` less its compression suffix: what the file holds once decompressed.

    >>> without_compression("part-0001.jsonl.gz"), without_compression("story.txt")
    ('part-0001.jsonl', 'story.txt')
    """
    compression = compression_of(name)
    return name[: -len(COMPRESSIONS[compression])] if compression is not None else name


def with_compression(name: str, compression: str | None) -> str:
    """`name` with the suffix of `compression` (None: as it is)."""
    return name + COMPRESSIONS[compression] if compression is not None else name


def decompressing(raw: IO[bytes], compression: str | None) -> IO[bytes]:
    """A reader of the decompressed bytes of `raw`; `raw` itself for no compression.

    Closing the reader leaves `raw` open, so that its position still tells how much of the
    compressed file has been read.
    """
    if compression is None:
        return raw
    from xopen import xopen  # 30 ms of every start-up otherwise: paid for compression only

    return cast(IO[bytes], xopen(raw, "rb", format=_XOPEN_FORMATS[compression], threads=0))


@contextmanager
def compressed(raw: IO[bytes], compression: str | None) -> Iterator[IO[bytes]]:
    """A writer that compresses into `raw` (`raw` itself for no compression). The compressed
    stream is complete when the block ends; `raw` stays open."""
    if compression is None:
        yield raw
        return
    from xopen import xopen  # see `decompressing`

    writer = cast(IO[bytes], xopen(raw, "wb", format=_XOPEN_FORMATS[compression], threads=0))
    try:
        yield writer
    finally:
        writer.close()
