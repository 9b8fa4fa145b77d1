"""The engine: one pass over a document's lines with a compiled `Plan`.

Each line is looked at once: inside a cut block only the block's end pattern is tried; otherwise
the combined line matcher, the literal lines and the `after` rules decide whether it is dropped
(and captured, or opening a block); the lines that stay get the document's substitutions and
pass through the sequence filters (duplicates, joins), each holding back at most a few lines.
Blank-line runs are collapsed on the way out. The trace of removals is recorded only when asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cleaner.patterns import Pattern
from cleaner.plan import (
    Block,
    Conditional,
    Edit,
    Line,
    LineHit,
    Plan,
    Removal,
    SequenceFilter,
    Trace,
)


@dataclass
class EngineOutput:
    """The kept lines of one document, what the rules captured, and (if asked) the removals."""

    lines: list[str]
    captured: dict[str, str] = field(default_factory=dict)
    removals: Trace | None = None


class _Sink:
    """The end of the line stream: sequence filters, then blank-run collapsing."""

    def __init__(self, filters: list[SequenceFilter], trace: Trace | None) -> None:
        self.filters = filters
        self.trace = trace
        self.out: list[str] = []

    def push(self, line: Line) -> None:
        items = [line]
        for stage in self.filters:
            passed: list[Line] = []
            for item in items:
                stage.push(item, passed, self.trace)
            items = passed
        self._emit(items)

    def close(self) -> list[str]:
        for index, stage in enumerate(self.filters):
            released: list[Line] = []
            stage.flush(released, self.trace)
            for later in self.filters[index + 1 :]:
                passed: list[Line] = []
                for item in released:
                    later.push(item, passed, self.trace)
                released = passed
            self._emit(released)
        out = self.out
        while out and not out[-1]:
            out.pop()
        return out

    def _emit(self, items: list[Line]) -> None:
        out = self.out
        for item in items:
            if item.text.strip():
                out.append(item.text)
            elif out and out[-1]:
                out.append("")


def run(
    plan: Plan, lines: Iterable[str], *, text: str | None = None, trace: bool = False
) -> EngineOutput:
    """Clean one document given as lines (without line ends).

    `text`, when the whole document is at hand, lets substitutions that cannot match it be
    skipped; it does not change the result.
    """
    removals: Trace | None = [] if trace else None
    captured: dict[str, str] = {}
    edits = plan.edits_for(text)
    sink = _Sink([make() for make in plan.filters], removals)
    fullmatch = plan.matcher.fullmatch if plan.matcher is not None else None
    hits, literals, folded = plan.hits, plan.literals, plan.folded_literals
    conditionals = plan.conditionals
    armed: list[Conditional] = []
    block: Block | None = None
    block_rule = ""
    block_left: int | None = None  # lines the open block may still take; None: no limit

    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if block is not None:
            at_end = block.end is not None and block.end.fullmatch(line) is not None
            kept_end = at_end and block.keep_end
            if block_left is not None:
                block_left -= 1
            if at_end or block_left == 0:
                block = None
            if not kept_end:
                if removals is not None and line:
                    removals.append(Removal(number, block_rule, "drop", raw))
                continue
        if not line:
            sink.push(Line(number, ""))
            continue

        hit: LineHit | None = None
        if fullmatch is not None:
            match = fullmatch(line)
            if match is not None:
                hit = hits[match.lastgroup]
        if hit is None:
            hit = literals.get(line) or (folded.get(line.casefold()) if folded else None)
        if hit is None and armed:
            hit = next((c.hit for c in armed if c.pattern.fullmatch(line)), None)
        if conditionals:
            armed = [c for c in conditionals if c.after.fullmatch(line)]

        if hit is not None:
            if hit.capture is not None:
                _capture(hit.capture, line, captured)
            if hit.block is not None:
                block, block_rule = hit.block, str(hit.ref)
                block_left = None if block.max_lines is None else block.max_lines - 1
                if block_left == 0:
                    block = None
            if not hit.keep:
                if removals is not None:
                    action = "capture" if hit.capture is not None else "drop"
                    removals.append(Removal(number, str(hit.ref), action, raw))
                continue

        if edits:
            raw = _edit(edits, number, raw, removals)
            if not raw.strip():
                continue
        sink.push(Line(number, raw))

    return EngineOutput(sink.close(), captured, removals)


def _capture(pattern: Pattern, line: str, captured: dict[str, str]) -> None:
    match = pattern.fullmatch(line)
    assert match is not None, "the combined matcher matched this rule's own pattern"
    for name, value in match.groupdict().items():
        if value and value.strip() and name not in captured:
            captured[name] = value.strip()


def _edit(edits: tuple[Edit, ...], number: int, raw: str, removals: Trace | None) -> str:
    for edit in edits:
        changed = edit.pattern.sub(edit.replacement, raw)
        if changed != raw:
            if removals is not None:
                action = "edit" if changed.strip() else "drop"
                removals.append(Removal(number, str(edit.ref), action, raw, changed))
            raw = changed
    return raw
