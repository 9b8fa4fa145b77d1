"""drop_echo: drop lines that repeat another line near the top of the page, with chrome around it.

A page prints its headline more than once: in the page title with the site's name after it
("<headline> | Site"), at the end of a breadcrumb ("Home / India / <headline>", cut short with
"..." or not), as the image's title (the headline cut short, or the headline in lower case without
punctuation, from the URL), at the start of a caption ("<headline> <Caption sentence>"), and as
plain later copies. A caption printed twice, once with a credit in brackets after it, and a line
that holds one text twice, are echoes too. None of these is recognisable alone; next to the line
it repeats, each is. The first `window` non-blank lines of a document are compared with
each other; the first copy of a headline stays, the echoes go. A headline below the start of
the article's prose that is repeated, though, is the link to another story in a list that
prints each headline twice (in full and cut short): both copies go. Headlines are lines of at least
`min_title_words` words, at most `max_title_length` characters, not ending in a full stop.

Options:
    window (int, default 40): non-blank lines at the top of a document compared with each other.
    min_title_words (int, default 4): fewest words of a line that others may echo.
    max_title_length (int, default 150): longest line that others may echo.
    max_trail_length (int, default 60): most characters a page title adds after the headline
        (the site's name) or a breadcrumb adds before it.

Example:
    [[rule]]
    id = "headline-echoes"
    kind = "drop_echo"
    [[rule.example]]
    input = '''
    Harbour Bridge Reopens After Two Years | Coast Herald
    Home / City / Harbour Bridge Reopens After Two Years

    Harbour Bridge Reopens After Two Years

    The bridge carried its first trams on Monday.'''
    output = '''
    Harbour Bridge Reopens After Two Years

    The bridge carried its first trams on Monday.'''
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import ClassVar, Final

from cleaner.kinds.base import RuleKind
from cleaner.plan import Lines, PlanBuilder, Trace
from cleaner.schema import Opt
from cleaner.shape import is_prose, is_space

_SITE_SEPARATOR: Final = re.compile(r"\s+[|\-\u2013\u2014]\s+")
_CREDIT: Final = re.compile(r"\s*\([^()]{1,80}\)")
_SLUG: Final = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
_NOT_WORD: Final = re.compile(r"[\W_]+")
_BOUNDARY: Final = frozenset(" ,:;|-\u2013\u2014")
_ELLIPSIS: Final = 0x2026  # "\u2026"

# The tests below read a line's characters as code points (`ord(line[i])`, see
# `cleaner.shape.is_space`): `line[i]` made a string of each, about 60,000 per 5 MB.


def _can_edge_slug(code: int) -> bool:
    """Whether a URL slug can start or end with the character `code`: a-z or 0-9."""
    return 97 <= code <= 122 or 48 <= code <= 57


def _is_slug(text: str) -> bool:
    """Whether non-empty `text` is a URL slug; one that cannot start or end like one is not
    searched (most lines start with a capital)."""
    return (
        _can_edge_slug(ord(text[0]))
        and _can_edge_slug(ord(text[-1]))
        and _SLUG.fullmatch(text) is not None
    )


def _is_crumb(line: str) -> bool:
    """Whether non-empty `line` ends with "..." or "\u2026", as a cut-short breadcrumb does."""
    end = ord(line[-1])
    return end == _ELLIPSIS or (end == 46 and line.endswith("..."))


@lru_cache(maxsize=1024)
def _title_starts(title: str) -> tuple[str, ...]:
    """The starts of `title` that a cut-short crumb may end with, longest first: all its words
    but the last, down to three. Worked out once per title, not once per crumb it is compared
    with (a list of teasers cut short with "..." has many)."""
    words = title.split()
    return tuple(" ".join(words[:taken]) for taken in range(len(words) - 1, 2, -1))


def _prose_start(texts: list[str]) -> int:
    """The index of the first line of prose among `texts`; len(texts) when none is."""
    return next((i for i, text in enumerate(texts) if is_prose(text)), len(texts))


def _has_words(text: str, count: int) -> bool:
    """Whether `text` has `count` words or more (as `str.split` finds them), read up to the
    start of that word: most lines compared are paragraphs of dozens.

    >>> _has_words("one two  three", 3), _has_words("one two", 3), _has_words(" a\\tb ", 2)
    (True, False, True)
    """
    found = 0
    in_word = False
    for index in range(len(text)):
        space = is_space(ord(text[index]))
        if not space and not in_word:
            found += 1
            if found >= count:
                return True
        in_word = not space
    return False


def _key(text: str) -> str:
    """The words of `text` in lower case, without punctuation: what a URL slug keeps."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


class DropEcho(RuleKind):
    KIND: ClassVar[str] = "drop_echo"
    OPTIONS: ClassVar[dict[str, Opt]] = {
        "window": Opt("int", "non-blank lines compared at the top", default=40, minimum=2),
        "min_title_words": Opt("int", "fewest words of an echoed line", default=4, minimum=1),
        "max_title_length": Opt("int", "longest echoed line", default=150, minimum=1),
        "max_trail_length": Opt("int", "most characters of a site name or trail", default=60),
    }

    def contribute(self, plan: PlanBuilder) -> None:
        rule = str(self.ref)
        window, words, length, trail = (
            self.options[key]
            for key in ("window", "min_title_words", "max_title_length", "max_trail_length")
        )
        plan.sequence(EchoFilter(rule, Echoes(words, length, trail), window))


class Echoes:
    """Decides which lines of a window echo another line of it."""

    def __init__(self, min_title_words: int, max_title_length: int, max_trail: int) -> None:
        self.min_title_words = min_title_words
        self.max_title_length = max_title_length
        self.max_trail = max_trail

    def is_title(self, text: str) -> bool:
        return (
            len(text) <= self.max_title_length
            and not text.endswith(".")
            and _has_words(text, self.min_title_words)
        )

    def find(self, texts: list[str]) -> set[int]:
        """Indexes of the echoes among `texts` (stripped non-blank lines, in page order).

        Page titles and breadcrumbs are found first, so that a headline is never taken for a
        cut-short copy of the page title printed above it. Each test is one pass over the lines
        per title, the cheap substring tests first: most windows have one or two titles, and a
        loop over the titles for every line cost a quarter more.
        """
        titles = [(j, t) for j, t in enumerate(texts) if self.is_title(t)]
        echoes = {i for i, line in enumerate(texts) if self._doubled(line)}
        credited: set[int] = set()
        for i in range(1, len(texts)):
            if self._with_credit(texts[i], texts[i - 1]):
                credited.update((i - 1, i))
        if not titles:
            return echoes | credited
        # A headline below the start of the article's prose that is repeated below it is
        # another story's, in a list of links printed with a full and a cut-short copy of
        # each: both copies go. Where the prose starts is worked out only for a title that
        # has copies below it (`_prose_start`): most have none.
        body = -1  # not worked out yet
        # A frame starts or ends with its title, or is a cut-short crumb.
        # (A line no longer than the title frames it only as a crumb: `_frames`.)
        crumbs = [_is_crumb(line) for line in texts]
        for j, title in titles:
            frames = [
                i
                for i, line in enumerate(texts)
                if (
                    crumbs[i]
                    or (len(line) > len(title) and (line.startswith(title) or line.endswith(title)))
                )
                and i != j
                and self._frames(line, title)
            ]
            echoes.update(frames)
            if any(i > j for i in frames):
                body = _prose_start(texts) if body < 0 else body
                if j > body:
                    echoes.add(j)
        # A repeat, below its headline, starts with it, starts it, or is a slug.
        headlines = [(j, title) for j, title in titles if j not in echoes]
        if not headlines:
            return echoes | credited
        # Slugs are looked for below the first headline only: a repeat is below its own.
        below = headlines[0][0] + 1
        slugs = [False] * below + [_is_slug(text) for text in texts[below:]]
        for j, title in headlines:
            repeats = [
                i
                for i in range(j + 1, len(texts))
                if (slugs[i] or _starts_either(texts[i], title)) and self._repeats(texts[i], title)
            ]
            echoes.update(repeats)
            if repeats:
                body = _prose_start(texts) if body < 0 else body
                if j > body:
                    echoes.add(j)
        return echoes | credited

    def _frames(self, line: str, title: str) -> bool:
        """`line` is `title` with the site's name after it, or a breadcrumb trail before it."""
        if line.startswith(title) and line != title:
            return self._site_suffix(line[len(title) :])
        if line.endswith(title) and line != title:
            return len(line) - len(title) <= self.max_trail
        return self._cut_crumb(line, title)

    def _repeats(self, line: str, title: str) -> bool:
        """`line`, below `title`, is a copy of it, a cut-short copy, or a caption starting so."""
        if line == title:
            return True
        if line.startswith(title) and self._caption_start(line[len(title) :]):
            return True
        return self._cut_copy(line, title)

    def _site_suffix(self, rest: str) -> bool:
        match = _SITE_SEPARATOR.match(rest)
        return match is not None and 0 < len(rest) - match.end() <= self.max_trail

    @staticmethod
    def _caption_start(rest: str) -> bool:
        return len(rest) >= 20 and rest[0] == " " and rest[1:2].isupper()

    def _cut_crumb(self, line: str, title: str) -> bool:
        """A breadcrumb that ends with the start of the headline and "..."."""
        if line.endswith("..."):
            stem = line[:-3].rstrip()
        elif line.endswith("\u2026"):
            stem = line[:-1].rstrip()
        else:
            return False
        for start in _title_starts(title):
            if stem.endswith(start):
                return len(stem) - len(start) <= self.max_trail
        return False

    def _cut_copy(self, line: str, title: str) -> bool:
        """The headline as a slug, or cut short at a word boundary."""
        if _is_slug(line):
            key = _key(title)
            return line == key or key.startswith(line + " ")
        return (
            _has_words(line, self.min_title_words)
            and title.startswith(line)
            and title[len(line)] in _BOUNDARY
        )

    @staticmethod
    def _with_credit(line: str, previous: str) -> bool:
        return (
            len(previous) >= 20
            and line.startswith(previous)
            and _CREDIT.fullmatch(line[len(previous) :]) is not None
        )

    @staticmethod
    def _doubled(line: str) -> bool:
        """Whether stripped `line` is one text twice, split at its middle (or one past it)."""
        half = len(line) // 2
        if half < 20:
            return False
        end = ord(line[half - 1])
        if end != ord(line[-1]) and not is_space(end):
            return False  # two copies end in the same character, unless spaces follow the first
        first = line[:half].strip()
        # The second copy starts as the first does, unless spaces come before it: most lines
        # are told apart by one character, without copying their second half.
        return _copy_at(line, half, first) or _copy_at(line, half + 1, first)


def _copy_at(line: str, start: int, first: str) -> bool:
    """Whether `line` from `start` on is `first` (a stripped text) with spaces around it."""
    head = ord(line[start])
    return (head == ord(line[0]) or is_space(head)) and first == line[start:].strip()


def _starts_either(line: str, title: str) -> bool:
    """``line.startswith(title) or title.startswith(line)``, the one that can hold tried."""
    return line.startswith(title) if len(line) >= len(title) else title.startswith(line)


class EchoFilter:
    """Drops the echoes among the first `window` non-blank lines; the lines below pass as is."""

    def __init__(self, rule: str, echoes: Echoes, window: int) -> None:
        self.rule = rule
        self.echoes = echoes
        self.window = window

    def __call__(self, lines: Lines, trace: Trace | None) -> Lines:
        places: list[int] = []  # where the non-blank lines of the window are
        top: list[str] = []
        for index, key in enumerate(lines.keys):
            if key:
                if len(top) == self.window:
                    break
                places.append(index)
                top.append(key)
        echoes = self.echoes.find(top)
        if not echoes:
            return lines
        return lines.without(sorted(places[i] for i in echoes), self.rule, trace)
