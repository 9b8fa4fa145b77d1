"""drop_label: drop a short label that stands outside the article's prose.

Section names ("World", "bollywood"), widget titles ("Related News"), icon names and site names
are lines of one to three words that do not end like a sentence. So is a sub-heading, but a
sub-heading stands inside the article, and a label does not: it sits above the headline, among
other chrome, or under the last paragraph before more chrome. A line of at most `max_words`
words (a lone symbol such as "&" is no word) and `max_length` characters, not ending in `.`, `!`
or `?`, is dropped unless

* it stands inside the article: prose comes somewhere above it and somewhere below it;
* it is the first sub-heading of an article printed in sections: it comes between the headline
  and the first paragraph, and the article has at least two more sub-headings further down;
* it carries on a sentence (the next line starts with a lower-case word: a paragraph wrapped
  into short lines);
* it is the last line, or comes right before the last line, and follows prose;
* it is the first line of the document, taken for a short headline, unless another label or a
  headline (four words or more, not ending in a full stop) follows it, or it is a single word
  in capitals (a dateline split off from the first paragraph).

Prose is a line of at least five words that ends in a full stop, or any line of
`prose_length` characters or more; a long last line cut short by the end of the text counts
as prose too.

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

from functools import partial
from typing import ClassVar, Final

from cleaner.kinds.base import RuleKind
from cleaner.plan import Lines, PlanBuilder, Trace
from cleaner.schema import Opt
from cleaner.shape import LABEL, PROSE, TITLE, Layout, continues_sentence, line_kind

FIRST_SECTION_AFTER: Final = 2
"""Sub-headings an article needs further down for a short line under its headline to be one."""


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
    """Drops the labels that their place in the document and the lines around them give away."""

    def __init__(self, rule: str, max_words: int, max_length: int, prose_length: int) -> None:
        self.rule = rule
        self.max_length = max_length
        self.classify = partial(
            line_kind, max_words=max_words, max_length=max_length, prose_length=prose_length
        )

    def __call__(self, lines: Lines, trace: Trace | None) -> Lines:
        layout = Layout.of(lines.keys, self.classify)
        # Only a short line can be a label, so the kinds of most lines are never needed.
        labels = [
            position
            for position, text in enumerate(layout.texts)
            if len(text) <= self.max_length and layout.kind(position) == LABEL
        ]
        if not labels:
            return lines
        dropped = [layout.index[p] for p in labels if not self._kept(layout, p)]
        if not dropped:
            return lines
        return lines.without(dropped, self.rule, trace)

    @staticmethod
    def _kept(layout: Layout, position: int) -> bool:
        """Whether the label at `position` stays: see the module docstring."""
        before, after = layout.kind(position - 1), layout.kind(position + 1)
        if layout.inside_body(position):
            return True
        if after is not None and continues_sentence(layout.texts[position + 1]):
            return True
        if before is None:
            return after not in (LABEL, TITLE) and not _dateline(layout.texts[position])
        if (
            position + 1 == layout.first_prose
            and before == TITLE
            and layout.sections() >= FIRST_SECTION_AFTER
        ):
            return True
        return before == PROSE and after in (PROSE, None)


def _dateline(text: str) -> bool:
    """A single word in capitals ("MANGALURU"): a dateline split off from the first paragraph,
    not a short headline."""
    return " " not in text and text.isupper() and sum(c.isalpha() for c in text) >= 3
