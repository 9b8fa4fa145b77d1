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
from cleaner.plan import Line, PlanBuilder, Removal, Trace
from cleaner.schema import Opt


class DropRepeated(RuleKind):
    KIND: ClassVar[str] = "drop_repeated"
    OPTIONS: ClassVar[dict[str, Opt]] = {
        "min_length": Opt("int", "shorter lines are never repeats", default=1, minimum=1),
    }

    def contribute(self, plan: PlanBuilder) -> None:
        ref, min_length = str(self.ref), self.options["min_length"]
        plan.sequence(lambda: RepeatFilter(ref, min_length))


class RepeatFilter:
    """Holds the lines since the last blank line, so that dropping a run can close another.

    In "A / x / x / A" the copies of x go, which makes the two A lines a run as well; they go
    in the same pass, so that cleaning the output again changes nothing. At most `MAX_HELD`
    lines are held back: a longer stretch without a blank line releases its oldest lines.
    """

    MAX_HELD = 64

    def __init__(self, rule: str, min_length: int) -> None:
        self.rule = rule
        self.min_length = min_length
        # Held lines with their comparison key (None: too short to repeat) and repeated flag.
        self.held: list[tuple[Line, str | None, bool]] = []

    def push(self, line: Line, out: list[Line], trace: Trace | None) -> None:
        key = line.text.strip()
        if not key:
            self.flush(out, trace)
            out.append(line)
            return
        held = self.held
        while held and held[-1][2] and held[-1][1] != key:
            self._drop(held.pop()[0], trace)
        if held and held[-1][1] == key:
            held[-1] = (held[-1][0], key, True)
            self._drop(line, trace)
            return
        held.append((line, key if len(key) >= self.min_length else None, False))
        if len(held) > self.MAX_HELD:
            oldest, _, repeated = held.pop(0)
            if repeated:
                self._drop(oldest, trace)
            else:
                out.append(oldest)

    def flush(self, out: list[Line], trace: Trace | None) -> None:
        for line, _, repeated in self.held:
            if repeated:
                self._drop(line, trace)
            else:
                out.append(line)
        self.held = []

    def _drop(self, line: Line, trace: Trace | None) -> None:
        if trace is not None:
            trace.append(Removal(line.number, self.rule, "drop", line.text))
