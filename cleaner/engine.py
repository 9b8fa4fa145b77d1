"""The engine: one pass over a document's lines with a compiled `Plan`.

Each line is looked at once: inside a cut block only the block's end pattern is tried; otherwise
the combined line matcher, the literal lines and the `after` rules decide whether it is dropped
(and captured, or opening a block); the lines that stay get the document's substitutions and
pass through the sequence filters (duplicates, joins), each holding back at most a few lines.
Blank-line runs are collapsed on the way out. The trace of removals is recorded only when asked.

The loop is the hot path of the whole program: it looks up attributes once per document, tries
only the line patterns that can match the line (`LineMatcher`), and hands lines
to the sequence filters without building lists for them when there are none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cleaner.patterns import Pattern, PatternTimeout
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


class _Chain:
    """The sequence filters of one document, in order, then blank-run collapsing into `out`.

    `push` is the hot path: the first filter gets each line directly, and only what it lets
    through goes on to the next filters.
    """

    def __init__(self, filters: list[SequenceFilter], out: list[str], trace: Trace | None) -> None:
        self.first = filters[0].push
        self.filters = filters
        self.later = filters[1:]
        self.trace = trace
        self.out = out
        self.passed: list[Line] = []
        self.emitted: list[Line] = []  # what went out, before blank runs were collapsed
        self.taken = 0  # non-blank lines pushed in

    @property
    def changed(self) -> bool:
        """True when the filters dropped or joined a line (they never add one)."""
        return self.taken != sum(1 for line in self.emitted if line.text.strip())

    def push(self, line: Line) -> None:
        if line.text.strip():
            self.taken += 1
        passed = self.passed
        self.first(line, passed, self.trace)
        if passed:
            self._emit(self._through(self.later, passed) if self.later else passed)
            passed.clear()

    def close(self) -> None:
        for index, stage in enumerate(self.filters):
            released: list[Line] = []
            stage.flush(released, self.trace)
            self._emit(self._through(self.filters[index + 1 :], released))

    def _through(self, stages: list[SequenceFilter], items: list[Line]) -> list[Line]:
        for stage in stages:
            passed: list[Line] = []
            for item in items:
                stage.push(item, passed, self.trace)
            items = passed
        return items

    def _emit(self, items: list[Line]) -> None:
        out = self.out
        self.emitted += items
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
    skipped; it does not change the result. A user rule's pattern that runs out of time raises
    `PatternTimeout` naming the rule and the line.
    """
    removals: Trace | None = [] if trace else None
    captured: dict[str, str] = {}
    out: list[str] = []
    filters = [make() for make in plan.filters]
    chain = _Chain(filters, out, removals) if filters else None
    push = chain.push if chain is not None else None
    new_line = tuple.__new__  # Line(number, text) without NamedTuple's Python-level __new__
    edits = plan.edits_for(text)
    line_match = plan.line_matcher.match
    hits, literals, folded = plan.hits, plan.literals, plan.folded_literals
    conditionals, after_width = plan.conditionals, plan.after_width
    armed: list[Conditional] = []
    block: Block | None = None
    block_rule = ""
    block_left: int | None = None  # lines the open block may still take; None: no limit

    number = 0
    try:
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
                if push is not None:
                    push(new_line(Line, (number, "")))
                elif out and out[-1]:
                    out.append("")
                continue

            match = line_match(line)
            hit: LineHit | None = hits[match.lastgroup] if match is not None else None
            if hit is None:
                hit = literals.get(line) or (folded.get(line.casefold()) if folded else None)
            if hit is None and armed:
                hit = next((c.hit for c in armed if c.pattern.fullmatch(line)), None)
            if conditionals:
                if after_width is not None and len(line) > after_width:
                    armed = []
                else:
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
            if push is not None:
                push(new_line(Line, (number, raw)))
            else:
                out.append(raw)
        if chain is not None:
            chain.close()
            _settle(chain, plan, out, removals)
    except PatternTimeout as exc:
        raise exc.at_line(number) from None
    while out and not out[-1]:
        out.pop()
    return EngineOutput(out, captured, removals)


MAX_SETTLE_ROUNDS = 3
"""Extra passes of the sequence filters over their own output, at most."""


def _settle(chain: _Chain, plan: Plan, out: list[str], trace: Trace | None) -> None:
    """Run the sequence filters again over what they let through, until it no longer changes.

    A filter judges a line by its neighbours, and a line another filter drops changes them:
    "A / 0 / A" has no repeated line until "0" goes. Without these rounds a second cleaning
    would find what the first left, so cleaning would not be idempotent. A chain that dropped
    and joined nothing is settled at once, so most documents never take a second round.
    """
    for _ in range(MAX_SETTLE_ROUNDS):
        if not chain.changed:
            return
        previous = chain.emitted
        out.clear()
        chain = _Chain([make() for make in plan.filters], out, trace)
        for line in previous:
            chain.push(line)
        chain.close()


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
