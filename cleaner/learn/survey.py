"""The evidence for each candidate template, gathered in one pass over a site's pages.

The first pass (`PageCounter`) says which shapes recur; this one looks at where and how: on
which pages each candidate occurs (near-duplicate pages left out), what its varying parts held,
whether it is ever a page's headline, whether it is prose, which recurring lines it sits next to
(a box is a run of lines that recur together), where the footer starts (the recurring line after
which nothing but template follows), and the captions printed twice. It also keeps a small,
fixed sample of article lines (lines of no recurring shape) to test patterns against.

Everything kept is bounded: a few examples and values per candidate, a fixed-size sample.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from cleaner.learn.counting import DuplicatePages, PageCounter, stable_hash
from cleaner.learn.pages import Page, words
from cleaner.learn.shapes import EXACT, Shape, shapes

MAX_VALUES = 64
"""Distinct instances (and slot values) remembered per candidate; more only add to counts."""
SAMPLE_LINES = 4000
"""Article lines kept to test patterns against (the same lines in every run)."""
MAX_SAMPLE_LINE = 400
PROSE_WORDS = 12
HEADER_LINES = 4
"""The first lines of a page are its header, whatever the headline: mastheads, sections."""
SHORT_WORDS = 8
"""A non-recurring line this short may sit in a footer (a link title, a button): not prose."""
_SENTENCE_END = re.compile(r"[.!?\u2026][\"\u201d\u2019)\u00bb]*$")
_CREDIT = re.compile(r"\s?\(([^()]{2,60})\)$")
_CAPTION_MAX = 400


def is_prose(line: str) -> bool:
    """A sentence or a paragraph: what article text looks like, and a template line rarely."""
    return len(line.split()) >= PROSE_WORDS and _SENTENCE_END.search(line) is not None


def is_unfinished(line: str) -> bool:
    """A line cut short (the end of a stored excerpt): it does not end like a sentence."""
    return _SENTENCE_END.search(line) is None


@dataclass
class Candidate:
    """What the pages say about one candidate shape."""

    shape: Shape  # its first instance
    pages: int = 0
    instances: Counter[str] = field(default_factory=Counter)  # line -> pages
    values: list[Counter[str]] = field(default_factory=list)  # per slot: value -> pages
    headline_pages: int = 0
    header_pages: int = 0  # pages where it stands in the header: above the headline
    prose_pages: int = 0
    first_line_pages: int = 0
    max_words: int = 0

    def add(self, shape: Shape, line: str, *, headline: bool, header: bool, first: bool) -> None:
        self.pages += 1
        if line in self.instances or len(self.instances) < MAX_VALUES:
            self.instances[line] += 1
        while len(self.values) < len(shape.values):
            self.values.append(Counter())
        for counter, value in zip(self.values, shape.values, strict=False):
            if value in counter or len(counter) < MAX_VALUES:
                counter[value] += 1
        self.headline_pages += headline
        self.header_pages += header
        self.first_line_pages += first
        self.prose_pages += is_prose(line)
        self.max_words = max(self.max_words, len(line.split()))


@dataclass
class Survey:
    """Everything the second pass found out about one site's pages."""

    min_pages: int
    pages: int = 0  # pages read
    copies: int = 0  # near-duplicate pages, left out
    lines: int = 0  # non-blank lines of the pages kept
    candidates: dict[str, Candidate] = field(default_factory=dict)
    footer_starts: Counter[str] = field(default_factory=Counter)  # line -> pages
    footer_tails: Counter[str] = field(default_factory=Counter)  # line -> pages, in a footer
    box_heads: dict[str, Counter[str]] = field(default_factory=dict)  # line -> head -> pages
    captions: dict[str, Candidate] = field(default_factory=dict)  # credit -> captions with it
    site_names: Counter[str] = field(default_factory=Counter)
    copied: set[int] = field(default_factory=set)  # page numbers of the copies
    _sample: list[tuple[int, str]] = field(default_factory=list)  # a heap of (-hash, line)
    _sampled: set[str] = field(default_factory=set)

    @property
    def kept_pages(self) -> int:
        return self.pages - self.copies

    @property
    def article_sample(self) -> list[str]:
        """The sampled article lines, in a fixed order."""
        return sorted(line for _, line in self._sample)

    def sample(self, line: str) -> None:
        """Keep `line` if its hash is among the `SAMPLE_LINES` smallest seen: the same lines
        whatever order the pages come in."""
        if len(line) > MAX_SAMPLE_LINE or line in self._sampled:
            return
        entry = (-stable_hash(line), line)
        if len(self._sample) < SAMPLE_LINES:
            heapq.heappush(self._sample, entry)
        elif entry > self._sample[0]:
            self._sampled.discard(heapq.heapreplace(self._sample, entry)[1])
        else:
            return
        self._sampled.add(line)


MAX_REMEMBERED_LINES = 10_000
"""Template lines whose recurring shapes a site's survey remembers."""


class Surveyor:
    """Runs the second pass over one site's pages, given the first pass's counts."""

    def __init__(self, counts: PageCounter, min_pages: int, site_id: str) -> None:
        self.counts = counts
        self.survey = Survey(min_pages)
        self.duplicates = DuplicatePages()
        pages = max(counts.pages, 1)
        # Lines on this many pages are the template for sure: they say nothing about copies.
        self.copy_blind = max(4, pages // 20)
        self.site_letters = re.sub(r"[^a-z0-9]", "", site_id.lower())
        self._recurring_cache: dict[str, list[Shape]] = {}

    def recurring_shapes(self, line: str) -> list[Shape]:
        """The shapes of `line` that the first pass found on enough pages."""
        cached = self._recurring_cache.get(line)
        if cached is not None:
            return cached
        found = [s for s in shapes(line) if self.counts.upper_bound(s.key) >= self.survey.min_pages]
        # Only lines with a recurring shape come again; an article line is seen once, and
        # remembering it would grow with the corpus.
        if found and len(self._recurring_cache) < MAX_REMEMBERED_LINES:
            self._recurring_cache[line] = found
        return found

    def add(self, page: Page) -> None:
        survey = self.survey
        survey.pages += 1
        lines = page.lines
        recurring = [self.recurring_shapes(line) for line in lines]
        article = [
            line
            for line, found in zip(lines, recurring, strict=True)
            if len(line.split()) >= SHORT_WORDS
            and self.counts.upper_bound(EXACT + line) < self.copy_blind
        ]
        if self.duplicates.is_copy(page.number, article):
            survey.copies += 1
            survey.copied.add(page.number)
            return
        survey.lines += len(lines)
        headline = headline_index(page, recurring)
        seen: set[str] = set()
        for index, (line, found) in enumerate(zip(lines, recurring, strict=True)):
            if not found:
                survey.sample(line)
            for shape in found:
                if shape.key in seen:
                    continue
                seen.add(shape.key)
                candidate = survey.candidates.get(shape.key)
                if candidate is None:
                    candidate = survey.candidates[shape.key] = Candidate(shape)
                candidate.add(
                    shape,
                    line,
                    headline=index == headline,
                    header=index < HEADER_LINES or (headline is not None and index < headline),
                    first=index == 0,
                )
        self._footer(lines, recurring, headline)
        self._boxes(lines, recurring)
        self._captions(lines)
        self._site_name(lines)

    def _footer(
        self, lines: tuple[str, ...], recurring: list[list[Shape]], headline: int | None
    ) -> None:
        """Count the line where the page's footer starts: the first recurring line after which
        every line recurs, or is too short to be article text, or is the cut-off last line."""
        start = None
        in_tail: set[str] = set()
        for index in range(len(lines) - 1, -1, -1):
            line = lines[index]
            exact = any(s.kind == EXACT for s in recurring[index])
            if exact:
                start = index
                in_tail.add(line)
            elif not _may_follow_footer(line, bool(recurring[index]), index == len(lines) - 1):
                break
        if start is not None and start > (headline if headline is not None else 0):
            self.survey.footer_starts[lines[start]] += 1
            self.survey.footer_tails.update(in_tail)

    def _boxes(self, lines: tuple[str, ...], recurring: list[list[Shape]]) -> None:
        """For each run of recurring lines, count its first line as the box each line is in."""
        head: str | None = None
        heads = self.survey.box_heads
        for line, found in zip(lines, recurring, strict=True):
            if not any(s.kind == EXACT for s in found):
                head = None
                continue
            head = head or line
            counter = heads.setdefault(line, Counter())
            if head in counter or len(counter) < MAX_VALUES:
                counter[head] += 1

    def _captions(self, lines: tuple[str, ...]) -> None:
        """Captions printed twice, once as the image's text and once under it, maybe with a
        credit in brackets: the credit's form is counted, with the caption."""
        seen: set[str] = set()
        for first, second in itertools.pairwise(lines):
            shorter, longer = sorted((first, second), key=len)
            if len(longer) > _CAPTION_MAX or not longer.startswith(shorter):
                continue
            match = _CREDIT.search(longer)
            if match is None or len(longer) - match.end() + match.start() < 10:
                continue
            if shorter != longer and not longer[len(shorter) :].strip().startswith("("):
                continue
            credit = match.group(1).strip()
            if credit in seen:
                continue
            seen.add(credit)
            record = self.survey.captions.get(credit)
            if record is None:
                record = self.survey.captions[credit] = Candidate(Shape(credit, (credit,), ()))
            record.add(record.shape, longer, headline=False, header=False, first=False)

    def _site_name(self, lines: tuple[str, ...]) -> None:
        """Count the spellings of the site's name: capitalised words that spell its id."""
        for line in lines[:40]:
            if len(line) > 200:
                continue
            for run in re.finditer(r"[A-Z][\w\u2019'-]*(?: [A-Z][\w\u2019'-]*){0,4}", line):
                text = run.group()
                run_words = text.split()
                for start in range(len(run_words)):
                    for end in range(start + 1, len(run_words) + 1):
                        name = " ".join(run_words[start:end])
                        if re.sub(r"[^a-z0-9]", "", name.lower()) == self.site_letters:
                            self.survey.site_names[name] += 1


def _may_follow_footer(line: str, recurs: bool, last: bool) -> bool:
    """A line that may stand in a footer: one that recurs, one too short to be article text,
    or the page's last line cut off in mid-sentence."""
    short = len(line.split()) < SHORT_WORDS and not is_prose(line)
    return recurs or short or (last and is_unfinished(line))


def headline_index(page: Page, recurring: list[list[Shape]]) -> int | None:
    """The index of the page's headline: the line whose words its URL spells best (a page title
    spells it too, but with the site's name besides), or else the page's first line of no
    recurring shape (a headline never recurs)."""
    slug = page.slug_words
    best: tuple[float, int] | None = None
    if slug:
        for index, line in enumerate(page.lines[:40]):
            line_words = set(words(line))
            if len(line_words) < 2 and len(slug) > 2:
                continue
            shared = len(line_words & slug)
            score = shared / len(line_words) if line_words else 0.0
            if score >= 0.75 and shared >= min(3, len(slug)) and (best is None or score > best[0]):
                best = (score, index)
    if best is not None:
        return best[1]
    for index, found in enumerate(recurring):
        if not found:
            return index
    return None
