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
    """Holds one line back until the next shows whether it was repeated."""

    def __init__(self, rule: str, min_length: int) -> None:
        self.rule = rule
        self.min_length = min_length
        self.held: Line | None = None
        self.held_key = ""
        self.repeated = False

    def push(self, line: Line, out: list[Line], trace: Trace | None) -> None:
        key = line.text.strip()
        if self.held is not None and key == self.held_key:
            self.repeated = True
            if trace is not None:
                trace.append(Removal(line.number, self.rule, "drop", line.text))
            return
        self.flush(out, trace)
        if len(key) >= self.min_length:
            self.held, self.held_key = line, key
        else:
            out.append(line)

    def flush(self, out: list[Line], trace: Trace | None) -> None:
        held = self.held
        if held is None:
            return
        if not self.repeated:
            out.append(held)
        elif trace is not None:
            trace.append(Removal(held.number, self.rule, "drop", held.text))
        self.held, self.held_key, self.repeated = None, "", False
