"""Counting with bounded memory: on how many pages each shape occurs, and which pages repeat.

A corpus of 100,000 pages holds millions of distinct lines, nearly all of them article text
that occurs once. `PageCounter` counts the pages each shape occurs on with *lossy counting*
(Manku and Motwani, 2002): every `bucket_pages` pages it forgets the shapes that have not been
seen on about one page per bucket since they first turned up. A shape on a share
``1 / bucket_pages`` of the pages or more is never forgotten, its count is short by at most
one per bucket, and what is kept at any time is about one bucket's worth of shapes.

`DuplicatePages` recognises syndicated copies and the same story printed twice, so that they
count once: two pages are copies when the smallest hashes of their article lines (lines that are
not the site's template) agree. It remembers a few hashes per page, up to a fixed number.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Iterable

DEFAULT_BUCKET_PAGES = 1000
SKETCH_SIZE = 4
"""Hashes of article lines kept per page to recognise its copies."""
MAX_REMEMBERED_HASHES = 1 << 20
"""The most sketch hashes remembered: the oldest are forgotten first."""


def stable_hash(text: str) -> int:
    """A hash of `text` that is the same in every run (Python's `hash` is not)."""
    return zlib.crc32(text.encode("utf-8"))


class PageCounter:
    """The number of pages each key occurs on, within one bucket per `bucket_pages` pages."""

    def __init__(self, bucket_pages: int = DEFAULT_BUCKET_PAGES) -> None:
        self.bucket_pages = bucket_pages
        self.pages = 0
        self._counts: dict[int, list[int]] = {}  # hash of key -> [count, bucket it came in - 1]

    def add_page(self, keys: Iterable[str]) -> None:
        """Count one page holding `keys` (each counted once, however often the page has it)."""
        bucket = self.pages // self.bucket_pages
        counts = self._counts
        for key in set(keys):
            entry = counts.get(hash(key))
            if entry is None:
                counts[hash(key)] = [1, bucket]
            else:
                entry[0] += 1
        self.pages += 1
        if self.pages % self.bucket_pages == 0:
            self._prune(bucket + 1)

    def _prune(self, bucket: int) -> None:
        self._counts = {k: e for k, e in self._counts.items() if e[0] + e[1] > bucket}

    def count(self, key: str) -> int:
        """At least the true count less one per bucket read, at most the true count."""
        entry = self._counts.get(hash(key))
        return entry[0] if entry is not None else 0

    def upper_bound(self, key: str) -> int:
        """At least the true count: what a shape may have had, counting what was forgotten."""
        entry = self._counts.get(hash(key))
        return entry[0] + entry[1] if entry is not None else 0

    def __len__(self) -> int:
        return len(self._counts)


class DuplicatePages:
    """Decides, page by page, whether a page copies one seen before."""

    def __init__(self, max_hashes: int = MAX_REMEMBERED_HASHES) -> None:
        self.max_hashes = max_hashes
        self._owner: OrderedDict[int, int] = OrderedDict()  # sketch hash -> first page

    def is_copy(self, page: int, article_lines: Iterable[str]) -> bool:
        """True when `page`'s article lines are, by their sketch, those of an earlier page;
        otherwise remember the page. A page without article lines is never a copy."""
        sketch = sorted({stable_hash(line) for line in article_lines})[:SKETCH_SIZE]
        if not sketch:
            return False
        shared: dict[int, int] = {}
        for value in sketch:
            owner = self._owner.get(value)
            if owner is not None:
                shared[owner] = shared.get(owner, 0) + 1
        needed = min(2, len(sketch))
        if any(count >= needed for count in shared.values()):
            return True
        for value in sketch:
            self._owner.setdefault(value, page)
        while len(self._owner) > self.max_hashes:
            self._owner.popitem(last=False)
        return False
