"""drop_menu: drop a block of short lines printed without blank lines: a menu, ticker or list.

Scrapers print an article's paragraphs with blank lines between them, but a navigation menu, a
ticker, a list of other stories or a widget comes out as one block of short lines with no blank
line between them. A block (lines between blank lines, or the ends of the document) of at least
`min_lines` lines, each at most `max_length` characters and none ending like a sentence, is
dropped whole. A block with one longer line or one sentence in it is left alone, so documents
printed without any blank lines keep their short lines.

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
from cleaner.kinds.drop_label import ends_sentence
from cleaner.plan import Line, PlanBuilder, Removal, Trace
from cleaner.schema import Opt


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
        plan.sequence(lambda: MenuFilter(rule, min_lines, max_length))


class MenuFilter:
    """Holds a block while all its lines are short; lets it through at its first long line."""

    def __init__(self, rule: str, min_lines: int, max_length: int) -> None:
        self.rule = rule
        self.min_lines = min_lines
        self.max_length = max_length
        self.block: list[Line] = []
        self.in_prose = False  # the current block has a line that is not short

    def push(self, line: Line, out: list[Line], trace: Trace | None) -> None:
        text = line.text.strip()
        if not text:
            self.flush(out, trace)
            self.in_prose = False
            out.append(line)
        elif self.in_prose:
            out.append(line)
        elif len(text) > self.max_length or ends_sentence(text):
            out.extend(self.block)
            self.block = []
            self.in_prose = True
            out.append(line)
        else:
            self.block.append(line)

    def flush(self, out: list[Line], trace: Trace | None) -> None:
        block, self.block = self.block, []
        if len(block) < self.min_lines:
            out.extend(block)
        elif trace is not None:
            trace.extend(Removal(line.number, self.rule, "drop", line.text) for line in block)
