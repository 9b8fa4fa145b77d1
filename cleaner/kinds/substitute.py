"""substitute: replace text inside lines, for chrome glued to an article line.

The pattern is searched anywhere in each kept line and every match is replaced; ``\\1`` or
``\\g<name>`` in the replacement put back what a group matched; ``^`` and ``$`` are the start and
end of the line. A line that becomes blank is dropped. A document the pattern cannot match skips
the rule entirely.

Options:
    pattern (regex, required): the text to replace.
    replacement (string, default ""): what replaces it.
    ignore_case (bool, default false): match regardless of letter case.

Example:
    [[rule]]
    id = "editor-initials"
    kind = "substitute"
    pattern = '(\\((?:AP|PTI)\\))(?: [A-Z]{2,4})+$'
    replacement = '\\1'
    [[rule.example]]
    input = "The port reopened on Monday. (AP) RK RK"
    output = "The port reopened on Monday. (AP)"
"""

from __future__ import annotations

from typing import ClassVar

from cleaner.kinds.base import IGNORE_CASE, RuleKind
from cleaner.patterns import PatternError, check_replacement
from cleaner.plan import Edit, PlanBuilder
from cleaner.schema import Opt, OptionError


class Substitute(RuleKind):
    KIND: ClassVar[str] = "substitute"
    OPTIONS: ClassVar[dict[str, Opt]] = {
        "pattern": Opt("pattern", "the text to replace", required=True),
        "replacement": Opt("string", "what replaces it", default=""),
        "ignore_case": IGNORE_CASE,
    }

    def contribute(self, plan: PlanBuilder) -> None:
        # Multi-line mode: ^ and $ mean the start and end of a line, in a line and in the document.
        pattern = self.compile(self.options["pattern"], "pattern", multiline=True)
        replacement = self.options["replacement"]
        try:
            check_replacement(pattern, replacement)  # a bad group reference fails here
        except PatternError as exc:
            raise OptionError(
                "replacement", f"invalid replacement {replacement!r}: {exc}"
            ) from None
        plan.edit(Edit(self.ref, pattern, replacement))
