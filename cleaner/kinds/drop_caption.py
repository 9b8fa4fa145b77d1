"""drop_caption: drop an image caption recognised by the credit it ends with.

Captions are ordinary sentences, so no pattern can recognise their words; what gives them away is
the photo credit at the end: a bold "**Agency / Photographer**", "(REUTERS)", "(HT Photo)". A line
is a caption when it ends with `credit` and is no longer than `max_length` characters (article
paragraphs that happen to end in a parenthesis are usually longer). A page often prints the
caption twice, once without the credit (the image's alt text): the line above a caption goes
too when the caption is that line with the credit after it.

Options:
    credit (regex, required): the credit the caption ends with.
    max_length (int, default 400): longest line still taken for a caption.
    ignore_case (bool, default false): match the credit regardless of letter case.

Example:
    [[rule]]
    id = "caption-bold-credit"
    kind = "drop_caption"
    credit = '\\*\\*[^*]+\\*\\*'
    must_drop = ["Workers repair the old bridge. **Pavel Orlov / Press Service**"]
    must_keep = ["The bridge reopens in May, officials said."]
"""

from __future__ import annotations

from typing import ClassVar

from cleaner.kinds.base import IGNORE_CASE, RuleKind
from cleaner.plan import LineHit, PlanBuilder
from cleaner.prefilter import first_class, line_tail
from cleaner.schema import Opt


class DropCaption(RuleKind):
    KIND: ClassVar[str] = "drop_caption"
    OPTIONS: ClassVar[dict[str, Opt]] = {
        "credit": Opt("pattern", "the credit a caption ends with", required=True),
        "max_length": Opt("int", "longest line taken for a caption", default=400, minimum=1),
        "ignore_case": IGNORE_CASE,
    }

    def contribute(self, plan: PlanBuilder) -> None:
        credit = self.options["credit"]
        self.compile(credit, "credit", line_rule=True)

        def flagged(pattern: str) -> str:
            return f"(?i:{pattern})" if self.options["ignore_case"] else pattern

        # The look-ahead bounds the length before the regex engine tries the credit. Where the
        # credit starts with a literal or a class, the line matcher searches for it at the end
        # of the line (`line_tail`); else the greedy .* tries it from the end of the line back,
        # where it must be (3 x faster), but only where a character it can start with stands
        # (1.75 x faster again).
        bound = f"(?=.{{1,{self.options['max_length']}}}\\Z)"
        source = f"{bound}.*(?:{credit})"
        if line_tail(flagged(source)) is None and (start := first_class(flagged(credit))):
            source = f"{bound}.*(?={start})(?:{credit})"
        tail = self.compile(f"\\s*(?:{self.options['credit']})", "credit")
        self.match_line(plan, LineHit(self.ref, copy_above=tail), source, "credit")
