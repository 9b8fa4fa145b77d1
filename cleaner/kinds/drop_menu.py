"""drop_menu: drop a block of short lines printed without blank lines: a menu, ticker or list.

Scrapers print an article's paragraphs with blank lines between them, but a navigation menu, a
ticker, a list of other stories or a widget comes out as one block of short lines with no blank
line between them. A block (lines between blank lines, or the ends of the document) of at least
`min_lines` lines, each at most `max_length` characters and none ending like a sentence, is
dropped whole. A block with one longer line or one sentence in it is left alone, so documents
printed without any blank lines keep their short lines. So is a block inside the article (with
prose above and below it): a list of the article's own. The headline (the last title above the
article's first paragraph) is never dropped, even when no blank line parts it from the menu
above it.

Options:
    min_lines (int, default 3): fewest lines of a menu.
    max_length (int, default 80): most characters of a menu line.

Example:
    [[rule]]
    id = "menus"
    kind = "drop_menu"
    [[rule.example]]
    input = '''
    Home
    Latest stories
    Ferry fares rise for summer

    Harbour Bridge Reopens After Two Years

    The bridge carried its first trams on Monday.
    Its old deck was replaced.
    The cost rose by a third.'''
    output = '''
    Harbour Bridge Reopens After Two Years

    The bridge carried its first trams on Monday.
    Its old deck was replaced.
    The cost rose by a third.'''
"""

from __future__ import annotations

from typing import ClassVar

from cleaner.kinds.base import RuleKind
from cleaner.plan import Lines, PlanBuilder, Trace
from cleaner.schema import Opt
from cleaner.shape import Layout, ends_sentence


class DropMenu(RuleKind):
    KIND: ClassVar[str] = "drop_menu"
    OPTIONS: ClassVar[dict[str, Opt]] = {
        "min_lines": Opt("int", "fewest lines of a menu", default=3, minimum=2),
        "max_length": Opt("int", "most characters of a menu line", default=80, minimum=1),
    }

    def contribute(self, plan: PlanBuilder) -> None:
        rule, min_lines, max_length = (
            str(self.ref),
            self.options["min_lines"],
            self.options["max_length"],
        )
        plan.sequence(MenuFilter(rule, min_lines, max_length))


class MenuFilter:
    """Drops each block of at least `min_lines` lines that are all short and none a sentence."""

    def __init__(self, rule: str, min_lines: int, max_length: int) -> None:
        self.rule = rule
        self.min_lines = min_lines
        self.max_length = max_length

    def __call__(self, lines: Lines, trace: Trace | None) -> Lines:
        menus = self._menus(lines.keys)
        if not menus:
            return lines
        layout = Layout.of(lines.keys)
        position = {index: p for p, index in enumerate(layout.index)}
        headline = layout.headline
        dropped = [
            index
            for menu in menus
            if not layout.inside_body(position[menu[0]], position[menu[-1]])
            for index in menu
            if headline is None or position[index] != headline
        ]
        if not dropped:
            return lines
        return lines.without(dropped, self.rule, trace)

    def _menus(self, keys: list[str]) -> list[range]:
        """The index ranges of the menu blocks, in order."""
        menus: list[range] = []
        start, short = 0, True  # where the current block starts; all its lines short so far
        for index, text in enumerate(keys):
            if not text:
                if short and index - start >= self.min_lines:
                    menus.append(range(start, index))
                start, short = index + 1, True
            elif short and (len(text) > self.max_length or ends_sentence(text)):
                short = False
        if short and len(keys) - start >= self.min_lines:
            menus.append(range(start, len(keys)))
        return menus
