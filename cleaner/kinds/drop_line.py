"""drop_line: drop every line that is a piece of chrome, given as a pattern or as literal lines.

A pattern must match the whole line (white space around the line is ignored), so
``'Also Read \\|.*'`` drops "Also Read | Some title" and nothing else. Literal `lines` are looked
up in a dictionary: thousands of them cost no more than one.

Options:
    pattern (regex): a line to drop, matched in full.
    patterns (list of regex, default []): more lines to drop, each matched in full.
    lines (list of strings, default []): lines to drop, compared exactly.
    ignore_case (bool, default false): match regardless of letter case.
    after (regex, default none): drop only lines directly after a line this matches in full
        (blank lines between do not count).
    after_body (bool, default false): drop only lines below the first line of the article's
        prose, for chrome whose words an article's own title or label may use above it.

Example:
    [[rule]]
    id = "also-read"
    kind = "drop_line"
    pattern = 'Also Read \\|.*'
    must_drop = ["Also Read | Ten things to know about the budget"]
    must_keep = ["Also read the fine print, the minister said."]
"""

from __future__ import annotations

from typing import ClassVar

from cleaner.kinds.base import AFTER, AFTER_BODY, IGNORE_CASE, RuleKind
from cleaner.plan import LineHit, PlanBuilder, literal_pattern
from cleaner.schema import Opt, OptionError


class DropLine(RuleKind):
    KIND: ClassVar[str] = "drop_line"
    OPTIONS: ClassVar[dict[str, Opt]] = {
        "pattern": Opt("pattern", "a line to drop, matched in full"),
        "patterns": Opt("patterns", "lines to drop, each matched in full", default=[]),
        "lines": Opt("strings", "lines to drop, compared exactly", default=[]),
        "ignore_case": IGNORE_CASE,
        "after": AFTER,
        "after_body": AFTER_BODY,
    }

    def contribute(self, plan: PlanBuilder) -> None:
        pattern, patterns, lines = (self.options[k] for k in ("pattern", "patterns", "lines"))
        if pattern is None and not patterns and not lines:
            raise OptionError("pattern", "give at least one of pattern, patterns or lines")
        hit = LineHit(self.ref)
        if pattern is not None:
            self.match_line(plan, hit, pattern, "pattern")
        for source in patterns:
            self.match_line(plan, hit, source, "patterns")
        if self.options["after"] is not None or self.options["after_body"]:
            # A condition needs a pattern; literal lines become exact patterns.
            for line in lines:
                self.match_line(plan, hit, literal_pattern(line), "lines")
        else:
            plan.drop_literals(hit, lines, ignore_case=self.options["ignore_case"])
