"""What a line looks like: a paragraph of prose, a headline-like title, or a short label.

The engine and the rules that judge a line by its place in the document ask the same questions
of the lines around it: where does the article's prose begin and end, which line is the
headline, is this short line inside the article (a sub-heading) or outside it (a section name, a
widget title)? One set of definitions, so that they all agree.

Prose is a line of at least five words that ends in a full stop, or any line of
`PROSE_LENGTH` characters or more. A title has four words or more and does not end in a full
stop (a headline may ask or exclaim). A label has at most three words (a lone symbol such as
"&" is no word), at most 40 characters, and ends like no sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

PROSE: Final = "prose"
LABEL: Final = "label"
TITLE: Final = "title"
OTHER: Final = "other"

PROSE_LENGTH: Final = 150
"""A line this long is prose, however it ends."""

LABEL_WORDS: Final = 3
LABEL_LENGTH: Final = 40
"""The most words and characters of a label."""

CUT_SHORT_WORDS: Final = 16
"""The fewest words of a last line taken for a paragraph that the end of the text cut short
(a headline of another story, printed last, is shorter)."""

_CLOSERS: Final = "\"'\u201d\u2019)]"
#: What ends a sentence, and what ends prose (a headline may ask or exclaim, but not stop).
SENTENCE_MARKS: Final = frozenset(".!?\u2026")
FULL_STOPS: Final = frozenset(".\u2026")


def last_mark(text: str) -> str:
    """The last character of `text` before any closing quotes and brackets ("" if none)."""
    return text.rstrip(_CLOSERS)[-1:]


def ends_sentence(text: str) -> bool:
    return last_mark(text) in SENTENCE_MARKS


# The character tests below take code points (`ord(text[i])`), which compiled code reads in
# place, where `text[i]` makes a string of each character it looks at.


def is_space(code: int) -> bool:
    """``chr(code).isspace()``, without making the character when it is ASCII (where "\\x1c"
    to "\\x1f" count as space too)."""
    if code < 128:
        return code == 32 or 9 <= code <= 13 or 28 <= code <= 31
    return chr(code).isspace()


def is_alnum(code: int) -> bool:
    """``chr(code).isalnum()``, without making the character when it is ASCII."""
    if code < 128:
        return 48 <= code <= 57 or 65 <= code <= 90 or 97 <= code <= 122
    return chr(code).isalnum()


def words(text: str) -> int:
    """Words of `text` (as `str.split` cuts them); a lone symbol ("&", a bullet) is not a
    word. Counted in one pass over the characters, each word's only up to its first letter
    or digit: splitting made a string of every word of every line asked about."""
    count = 0
    in_word = counted = False
    for index in range(len(text)):
        code = ord(text[index])
        if is_space(code):
            in_word = False
            continue
        if not in_word:
            in_word, counted = True, False
        if not counted and is_alnum(code):
            count += 1
            counted = True
    return count


def is_prose(text: str, prose_length: int = PROSE_LENGTH) -> bool:
    """Whether stripped `text` is a paragraph of prose (see the module docstring)."""
    if len(text) >= prose_length:
        return True
    return last_mark(text) in FULL_STOPS and words(text) >= 5


def line_kind(
    text: str,
    *,
    max_words: int = LABEL_WORDS,
    max_length: int = LABEL_LENGTH,
    prose_length: int = PROSE_LENGTH,
) -> str:
    """PROSE, TITLE, LABEL or OTHER, for stripped non-blank `text`."""
    if len(text) >= prose_length:
        return PROSE
    mark, count = last_mark(text), words(text)
    if mark in FULL_STOPS:
        return PROSE if count >= 5 else OTHER
    if len(text) <= max_length and count <= max_words and mark not in SENTENCE_MARKS:
        return LABEL
    return TITLE if count >= 4 else OTHER


def continues_sentence(text: str) -> bool:
    """Whether `text` carries on a sentence begun on the line before: a paragraph wrapped
    into short lines puts a lower-case word at the start of a line, a label never does."""
    return text[:1].islower() and words(text) >= 3


@dataclass(init=False)
class Layout:
    """The shape of a document's non-blank lines (stripped, in order): where its prose begins
    and ends, and which line is its headline.

    Kinds are worked out only for the lines a question needs, since most documents are asked
    about a handful of lines. The last line of a document, when it is long, counts as prose
    whatever its end: it is a paragraph cut short by the end of the text. (Made per
    document: its `__init__` is written out for the reason `cleaner.api.CleanResult`'s is.)
    """

    texts: list[str]
    classify: Callable[[str], str] = line_kind
    #: Where each line stands in the list it was taken from (blank lines included; empty when
    #: not asked for).
    index: list[int] = field(default_factory=list)
    _kinds: dict[int, str] = field(default_factory=dict, repr=False)
    _first: int | None = field(default=None, repr=False)
    _last: int | None = field(default=None, repr=False)

    def __init__(
        self,
        texts: list[str],
        classify: Callable[[str], str] = line_kind,
        index: list[int] | None = None,
    ) -> None:
        self.texts = texts
        self.classify = classify
        self.index = index if index is not None else []
        self._kinds = {}
        self._first = None
        self._last = None

    @classmethod
    def of(cls, keys: list[str], classify: Callable[[str], str] = line_kind) -> Layout:
        """The layout of a document's stripped lines `keys`, blank ones left out; `index`
        leads back from a line's position to its place in `keys`. (A list, read in one loop:
        compiled, a `Sequence` is read through the generic protocol.)"""
        texts: list[str] = []
        index: list[int] = []
        for position in range(len(keys)):
            key = keys[position]
            if key:
                texts.append(key)
                index.append(position)
        return cls(texts, classify, index)

    def kind(self, position: int) -> str | None:
        """The kind of the line at `position` (None outside the document)."""
        if not 0 <= position < len(self.texts):
            return None
        found = self._kinds.get(position)
        if found is None:
            text = self.texts[position]
            found = self.classify(text)
            if found != PROSE and position == len(self.texts) - 1 and _cut_short(text):
                found = PROSE
            self._kinds[position] = found
        return found

    @property
    def first_prose(self) -> int:
        """The position of the first prose line; len(texts) when there is none."""
        if self._first is None:
            self._first = next(
                (p for p in range(len(self.texts)) if self.kind(p) == PROSE), len(self.texts)
            )
        return self._first

    @property
    def last_prose(self) -> int:
        """The position of the last prose line; -1 when there is none."""
        if self._last is None:
            self._last = next(
                (p for p in range(len(self.texts) - 1, -1, -1) if self.kind(p) == PROSE), -1
            )
        return self._last

    def inside_body(self, start: int, end: int | None = None) -> bool:
        """Whether the lines from `start` to `end` (default: `start` alone) have prose both
        above and below them: inside the article, where short lines are its own sub-headings
        and lists."""
        return self.first_prose < start and (start if end is None else end) < self.last_prose

    @property
    def headline(self) -> int | None:
        """The position of the headline: the last title above the first prose line."""
        return next((p for p in range(self.first_prose - 1, -1, -1) if self.kind(p) == TITLE), None)

    def sections(self) -> int:
        """Runs of one or two non-prose lines between two prose lines: the sub-headings of an
        article printed in sections (a digest, a round-up, a live blog)."""
        runs, run = 0, 0
        for position in range(self.first_prose + 1, self.last_prose + 1):
            if self.kind(position) == PROSE:
                runs += 1 if 0 < run <= 2 else 0
                run = 0
            else:
                run += 1
        return runs


def _cut_short(text: str) -> bool:
    return words(text) >= CUT_SHORT_WORDS and not ends_sentence(text)
