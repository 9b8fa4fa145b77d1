"""drop_repeated: drop a line printed twice in a row, and its copy: the mark of a caption.

Scrapers print an image caption once as the image's alt text and once as its caption, one
directly under the other. An article never says the same sentence twice on consecutive lines, so
every copy of such a run goes. A blank line between two copies breaks the run (a headline
repeated further down is not touched).

Options:
    min_length (int, default 1): shorter lines are never taken for repeats.

Example:
    [[rule]]
    id = "repeated-lines"
    kind = "drop_repeated"
    [[rule.example]]
    input = '''
    A ferry leaves the harbour at dawn. (AFP)
    A ferry leaves the harbour at dawn. (AFP)
    The service resumes next week.'''
    output = "The service resumes next week."
"""

from __future__ import annotations

from typing import ClassVar

from cleaner.kinds.base import RuleKind
from cleaner.plan import Lines, PlanBuilder, Trace
from cleaner.schema import Opt


class DropRepeated(RuleKind):
    KIND: ClassVar[str] = "drop_repeated"
    OPTIONS: ClassVar[dict[str, Opt]] = {
        "min_length": Opt("int", "shorter lines are never repeats", default=1, minimum=1),
    }

    def contribute(self, plan: PlanBuilder) -> None:
        ref, min_length = str(self.ref), self.options["min_length"]
        plan.sequence(RepeatFilter(ref, min_length))


class RepeatFilter:
    """Drops every copy of a run of equal lines; dropping one run can close another.

    In "A / x / x / A" the copies of x go, which makes the two A lines a run as well; they go
    in the same pass, so that cleaning the output again changes nothing.
    """

    def __init__(self, rule: str, min_length: int) -> None:
        self.rule = rule
        self.min_length = min_length

    def __call__(self, lines: Lines, trace: Trace | None) -> Lines:
        keys = lines.keys
        if not _has_run(keys):
            return lines
        dropped = self._runs(keys)
        if not dropped:
            return lines
        return lines.without(dropped, self.rule, trace)

    def _runs(self, keys: list[str]) -> list[int]:
        """Indexes of the copies to drop, in the order a reader going down the lines finds them
        (a copy when it is read, the line it repeats when the run ends)."""
        dropped: list[int] = []
        # The lines since the last blank line that a later line may still repeat; only the
        # newest of them can have been repeated already.
        open_lines: list[int] = []
        newest_repeated = False
        for index, key in enumerate(keys):
            if not key:
                if newest_repeated:
                    dropped.append(open_lines[-1])
                open_lines.clear()
                newest_repeated = False
                continue
            if newest_repeated and keys[open_lines[-1]] != key:
                dropped.append(open_lines.pop())
                newest_repeated = False
            if open_lines and keys[open_lines[-1]] == key and len(key) >= self.min_length:
                newest_repeated = True
                dropped.append(index)
            else:
                open_lines.append(index)
        if newest_repeated:
            dropped.append(open_lines[-1])
        return dropped


def _has_run(keys: list[str]) -> bool:
    """Whether a non-blank line equals the next one: most documents have no run at all."""
    for index in range(1, len(keys)):
        key = keys[index]
        if key and key == keys[index - 1]:
            return True
    return False
