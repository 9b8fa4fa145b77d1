"""Reading a corpus for learning: the pages of the inputs, each with its site's domain.

Inputs are found and read by `cleaner.reader`, as `cleaner clean` reads them (text trees,
JSON Lines, ``.jsonl.gz``, standard input). Learning reads the corpus more than once, so
standard input is first copied to a temporary file; every other input is simply read again.
Nothing is kept between reads but the names of the inputs.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from cleaner.api import split_lines
from cleaner.detect import url_in_text
from cleaner.errors import InputError
from cleaner.reader import (
    DEFAULT_GLOBS,
    STDIN,
    Document,
    InputFile,
    RecordFields,
    find_inputs,
    read_records,
    read_text,
)

#: Second-level labels under which a country's domains are registered: ``news.co.uk``.
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "ac", "edu", "or", "ne"})
_SLUG_WORD = re.compile(r"[a-z]+|\d{1,4}")
_ID_LIKE = re.compile(r"^(?:[a-z]?\d{3,}|amp|html?|php|story|article|index)$")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Page:
    """One page of the corpus: where it came from, its URL (if known) and its lines."""

    number: int  # its place in the corpus, counting every page read, from 0
    source: str
    url: str | None
    lines: tuple[str, ...]  # non-blank lines, white space collapsed
    domain: str | None

    @property
    def slug_words(self) -> frozenset[str]:
        """The words of the URL's path, which name the page's headline on most news sites."""
        return slug_words(self.url) if self.url else frozenset()


def normalise(line: str) -> str:
    """`line` with runs of white space made one space and the ends stripped: the form in which
    lines are compared, counted and matched, as the engine matches them."""
    return " ".join(line.split())


def site_domain(url: str | None) -> str | None:
    """The registered domain of `url`'s host: ``m.example.com`` and ``www.example.com`` are
    both ``example.com``; ``news.example.co.uk`` is ``example.co.uk``."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    labels = host.lower().rstrip(".").split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def site_id(domain: str) -> str:
    """The site id (rule file name) for `domain`: its name without the public suffix.

    >>> site_id("themoscowtimes.com"), site_id("lakeside-ledger.co.uk")
    ('themoscowtimes', 'lakeside-ledger')
    """
    labels = domain.split(".")
    name = labels[0] if len(labels) > 1 else domain
    return re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-") or "site"


def slug_words(url: str) -> frozenset[str]:
    """The words of the longest path segment of `url`, without ids and file suffixes.

    >>> sorted(slug_words("https://news.example/2024/05/02/ferry-fares-rise-a12345"))
    ['fares', 'ferry', 'rise']
    """
    try:
        path = urlsplit(url).path.lower()
    except ValueError:
        return frozenset()
    best: list[str] = []
    for segment in path.split("/"):
        pieces = re.split(r"[-_.+]+", segment)
        words = [w for w in pieces if _SLUG_WORD.fullmatch(w) and not _ID_LIKE.match(w)]
        if len(words) > len(best):
            best = words
    return frozenset(best) if len(best) >= 2 else frozenset()


def words(line: str) -> list[str]:
    """The lower-case words of `line`, as slugs spell them."""
    return [w for w in _WORD.findall(line.lower().replace("\u2019", "").replace("'", ""))]


class Corpus:
    """The inputs of a learning run, readable as pages any number of times.

    `domain` given: every page belongs to that site. Otherwise a page's domain comes from its
    URL (a record's, or one its text states); pages without one have no domain.
    """

    def __init__(
        self,
        inputs: Sequence[str],
        *,
        domain: str | None = None,
        fields: RecordFields | None = None,
        globs: Sequence[str] = DEFAULT_GLOBS,
        spool_dir: Path | None = None,
    ) -> None:
        self.inputs = tuple(inputs) or (STDIN,)
        self.domain = domain
        self.fields = fields or RecordFields()
        self.globs = tuple(globs)
        self._spool_dir = spool_dir
        self._stdin: dict[str, InputFile] = {}
        self.problems: list[str] = []  # inputs and records that could not be read
        self._reads = 0

    def pages(self) -> Iterator[Page]:
        """Every page, in input order. Problems are recorded (on the first read) and skipped."""
        first_read = self._reads == 0
        self._reads += 1
        number = 0
        for found in find_inputs(self.inputs, self.globs):
            if isinstance(found, InputError):
                if first_read:
                    self.problems.append(str(found))
                continue
            source = self._replayable(found)
            try:
                for document in self._documents(source):
                    if isinstance(document, InputError):
                        if first_read:
                            self.problems.append(str(document))
                        continue
                    url = document.url or url_in_text(document.text)
                    lines = tuple(n for raw in split_lines(document.text) if (n := normalise(raw)))
                    domain = self.domain or site_domain(url)
                    yield Page(number, document.source, url, lines, domain)
                    number += 1
            except InputError as exc:
                if first_read:
                    self.problems.append(str(exc))

    def _documents(self, source: InputFile) -> Iterator[Document | InputError]:
        if source.format == "text":
            try:
                yield read_text(source)
            except InputError as exc:
                yield exc
        else:
            yield from read_records(source, self.fields)

    def _replayable(self, source: InputFile) -> InputFile:
        """`source`, or for standard input a copy of it in a file, made on the first read."""
        if source.path is not None:
            return source
        name = str(source.relative)
        if name not in self._stdin:
            directory = self._spool_dir or Path(tempfile.gettempdir())
            with tempfile.NamedTemporaryFile(
                "wb", dir=directory, prefix="cleaner-learn-", suffix=f"-{name}", delete=False
            ) as copy:
                shutil.copyfileobj(sys.stdin.buffer, copy)
            self._stdin[name] = InputFile(Path(copy.name), PurePosixPath(name), source.format)
        return self._stdin[name]

    def close(self) -> None:
        """Remove the copy of standard input, if one was made."""
        for copy in self._stdin.values():
            if copy.path is not None:
                copy.path.unlink(missing_ok=True)
        self._stdin.clear()


@contextmanager
def open_corpus(inputs: Sequence[str], **options: object) -> Iterator[Corpus]:
    """A `Corpus` that cleans up after itself."""
    corpus = Corpus(inputs, **options)  # type: ignore[arg-type]
    try:
        yield corpus
    finally:
        corpus.close()
