"""cut_block: cut a block of chrome, from a start line to an end line or to the end of the document.

Footers, recommendation lists and donation boxes are many lines of varying text behind one fixed
first line. The block starts at the first line that `start` matches in full; it ends at the line
that `end` matches (cut too, unless `keep_end`), or, without `end`, at the end of the document.
Every line between is dropped, whatever it says.

Options:
    start (regex, required): the first line of the block, matched in full.
    end (regex, default none): the last line of the block; without it the block runs to the end.
    keep_end (bool, default false): keep the end line (the block stops just before it).
    max_lines (int, default none): the block never spans more lines than this, so that a missing
        end line cannot swallow an article.
    after_body (bool, default false): the block starts only below the first line of the
        article's prose: for the chrome after an article (related stories, the next story, an
        appeal box), whose first line a menu above the headline may print too.
    ignore_case (bool, default false): match regardless of letter case.

Example:
    [[rule]]
    id = "footer"
    kind = "cut_block"
    start = 'Get the latest .*'
    must_drop = ["Get the latest news from the world on one page."]
    must_keep = ["Officials said they would get the latest figures on Monday."]
"""

from __future__ import annotations

from typing import ClassVar

from cleaner.kinds.base import AFTER_BODY, IGNORE_CASE, RuleKind
from cleaner.plan import Block, LineHit, PlanBuilder
from cleaner.schema import Opt


class CutBlock(RuleKind):
    KIND: ClassVar[str] = "cut_block"
    OPTIONS: ClassVar[dict[str, Opt]] = {
        "start": Opt("pattern", "the first line of the block", required=True),
        "end": Opt("pattern", "the last line of the block"),
        "keep_end": Opt("bool", "keep the end line", default=False),
        "max_lines": Opt("int", "the most lines a block spans", minimum=1),
        "ignore_case": IGNORE_CASE,
        "after_body": AFTER_BODY,
    }

    def contribute(self, plan: PlanBuilder) -> None:
        end = self.options["end"]
        block = Block(
            end=None if end is None else self.compile(end, "end"),
            keep_end=self.options["keep_end"],
            max_lines=self.options["max_lines"],
        )
        self.match_line(plan, LineHit(self.ref, block=block), self.options["start"], "start")
