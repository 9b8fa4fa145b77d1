"""drop_label: drop a short label that stands outside the article's prose.

Section names ("World", "bollywood"), widget titles ("Related News"), icon names and site names
are lines of one to three words that do not end like a sentence. So is a sub-heading, but a
sub-heading stands between two paragraphs of prose, and a label does not: it sits above the
headline, among other chrome, or under the last paragraph before more chrome. A line of at most
`max_words` words (a lone symbol such as "&" is no word) and `max_length` characters, not ending
in `.`, `!` or `?`, is dropped unless the line before it is prose and the line after it is prose
(or the end of the document). The first line of a document is the exception: it is taken for a
short headline and kept, unless another label or a headline (four words or more, not ending
in a full stop) follows it. Prose is a line of at least five words that ends in a full stop, or
any line of `prose_length` characters or more.

Options:
    max_words (int, default 3): most words of a label.
    max_length (int, default 40): most characters of a label.
    prose_length (int, default 150): a line this long is prose, however it ends.

Example:
    [[rule]]
    id = "labels"
    kind = "drop_label"
    [[rule.example]]
    input = '''
    World

    Harbour Bridge Reopens After Two Years

    The bridge carried its first trams on Monday, two years after it closed.

    What comes next

    The city will now repaint the old ferry terminal next to the bridge.

    Related Topics
    Harbour
    Transport'''
    output = '''
    Harbour Bridge Reopens After Two Years

    The bridge carried its first trams on Monday, two years after it closed.

    What comes next

    The city will now repaint the old ferry terminal next to the bridge.'''
"""

from __future__ import annotations

from typing import ClassVar

from cleaner.kinds.base import RuleKind
from cleaner.plan import Lines, PlanBuilder, Trace
from cleaner.schema import Opt

PROSE, LABEL, TITLE, OTHER = "prose", "label", "title", "other"

_CLOSERS = "\"'\u201d\u2019)]"
#: What ends a sentence, and what ends prose (a headline may ask or exclaim, but not stop).
SENTENCE_MARKS = frozenset(".!?\u2026")
FULL_STOPS = frozenset(".\u2026")


def last_mark(text: str) -> str:
    """The last character of `text` before any closing quotes and brackets ("" if none)."""
    return text.rstrip(_CLOSERS)[-1:]


def ends_sentence(text: str) -> bool:
    return last_mark(text) in SENTENCE_MARKS


class DropLabel(RuleKind):
    KIND: ClassVar[str] = "drop_label"
    OPTIONS: ClassVar[dict[str, Opt]] = {
        "max_words": Opt("int", "most words of a label", default=3, minimum=1),
        "max_length": Opt("int", "most characters of a label", default=40, minimum=1),
        "prose_length": Opt("int", "a line this long is prose", default=150, minimum=1),
    }

    def contribute(self, plan: PlanBuilder) -> None:
        rule = str(self.ref)
        words, length, prose = (
            self.options[key] for key in ("max_words", "max_length", "prose_length")
        )
        plan.sequence(LabelFilter(rule, words, length, prose))


class LabelFilter:
    """Drops the labels that the kinds of the non-blank lines around them give away."""

    def __init__(self, rule: str, max_words: int, max_length: int, prose_length: int) -> None:
        self.rule = rule
        self.max_words = max_words
        self.max_length = max_length
        self.prose_length = prose_length

    def __call__(self, lines: Lines, trace: Trace | None) -> Lines:
        texts = [(index, text) for index, text in enumerate(lines.keys) if text]
        # Only a short line can be a label, so the kinds of most lines are never needed.
        labels = [
            position
            for position, (_, text) in enumerate(texts)
            if len(text) <= self.max_length and self._kind(text) == LABEL
        ]
        if not labels:
            return lines

        def kind_at(position: int) -> str | None:
            inside = 0 <= position < len(texts)
            return self._kind(texts[position][1]) if inside else None

        dropped = [
            texts[position][0]
            for position in labels
            if not self._kept(kind_at(position - 1), kind_at(position + 1))
        ]
        if not dropped:
            return lines
        return lines.without(dropped, self.rule, trace)

    @staticmethod
    def _kept(before: str | None, after: str | None) -> bool:
        """Whether a label stays, given the kinds of the non-blank lines around it (None: the
        start or the end of the document)."""
        if before is None:
            return after not in (LABEL, TITLE)
        return before == PROSE and after in (PROSE, None)

    def _kind(self, text: str) -> str:
        if len(text) >= self.prose_length:
            return PROSE
        mark, words = last_mark(text), _words(text)
        if mark in FULL_STOPS:
            return PROSE if words >= 5 else OTHER
        short = len(text) <= self.max_length and words <= self.max_words
        if short and mark not in SENTENCE_MARKS:
            return LABEL
        return TITLE if words >= 4 else OTHER


def _words(text: str) -> int:
    """Words of `text`; a lone symbol ("&", a bullet) is not a word."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))
