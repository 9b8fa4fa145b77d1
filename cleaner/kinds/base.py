"""The interface every rule kind implements, and the helpers they share to read their options."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

from cleaner.patterns import Pattern, PatternError, compile_pattern, has_backreference
from cleaner.plan import LineHit, PlanBuilder, RuleRef
from cleaner.schema import Opt, OptionError

IGNORE_CASE = Opt("bool", "match without regard to letter case", default=False)
AFTER = Opt("pattern", "apply only directly after a line this matches in full")
AFTER_BODY = Opt("bool", "apply only below the first line of the article's prose", default=False)


class RuleKind(ABC):
    """One kind of rule. Built once from its validated options; contributes to a site's plan."""

    KIND: ClassVar[str]
    OPTIONS: ClassVar[Mapping[str, Opt]]

    def __init__(self, ref: RuleRef, options: Mapping[str, Any]) -> None:
        self.ref = ref
        self.options = options

    @abstractmethod
    def contribute(self, plan: PlanBuilder) -> None:
        """Add this rule to `plan`: the only way a rule takes part in cleaning."""

    def compile(
        self, source: str, key: str, *, line_rule: bool = False, multiline: bool = False
    ) -> Pattern:
        """Compile `source` (the value of option `key`); a bad pattern is an error naming `key`.

        A `line_rule` pattern is merged into the site's combined line matcher, where a
        backreference would point at the wrong group, so it is refused with advice.
        """
        if line_rule and has_backreference(source):
            raise OptionError(
                key,
                f"backreferences are not supported in line patterns ({source!r}); "
                "repeat the text instead",
            )
        try:
            return compile_pattern(
                source, ignore_case=bool(self.options.get("ignore_case")), multiline=multiline
            )
        except PatternError as exc:
            raise OptionError(key, f"invalid regex {source!r}: {exc}") from None

    def match_line(self, plan: PlanBuilder, hit: LineHit, source: str, key: str) -> None:
        """Register a whole-line pattern, conditioned on the rule's `after` or `after_body`
        option if set."""
        pattern = self.compile(source, key, line_rule=True)
        after, after_body = self.options.get("after"), bool(self.options.get("after_body"))
        if after is not None and after_body:
            raise OptionError("after_body", "give either after or after_body, not both")
        if after is not None:
            plan.match_after(hit, self.compile(after, "after"), pattern)
        else:
            plan.match_lines(
                hit,
                source,
                ignore_case=bool(self.options.get("ignore_case")),
                after_body=after_body,
            )
