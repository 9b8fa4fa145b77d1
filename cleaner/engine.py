"""The engine: one pass over a document's lines with a compiled `Plan`.

Each line is looked at once: inside a cut block only the block's end pattern is tried; otherwise
the combined line matcher, the literal lines and the `after` rules decide whether it is dropped
(and captured, or opening a block); the lines that stay get the document's substitutions.
Then the sequence filters (duplicates, joins) each make one pass over the document's kept lines,
and blank-line runs are collapsed on the way out. The trace of removals is recorded only when
asked.

The loop is the hot path of the whole program, and is compiled (mypyc): it looks up the plan's
tables once per document, tries only the line patterns that can match the line
(`LineMatcher`), looks a line up among the literal lines only when it is no longer than the
longest of them, and hands the sequence filters plain texts (numbered only when traced), or
appends kept text straight to the output when the site has none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from cleaner.patterns import Pattern, PatternTimeout
from cleaner.plan import (
    Block,
    Conditional,
    Edit,
    LineHit,
    Lines,
    Plan,
    Removal,
    SequenceFilter,
    Trace,
)
from cleaner.prefilter import contains_needle
from cleaner.shape import is_prose


@dataclass(init=False)
class EngineOutput:
    """The kept lines of one document, what the rules captured, and (if asked) the removals.

    The removals are in input-line order; the events of one line are in the order they happened.
    (Its `__init__` is written out for the reason `cleaner.api.CleanResult`'s is.)
    """

    lines: list[str]
    captured: dict[str, str]
    removals: Trace | None
    date_order: str | None  # the date_order of the rule that captured the date, if set

    def __init__(
        self,
        lines: list[str],
        captured: dict[str, str] | None = None,
        removals: Trace | None = None,
        date_order: str | None = None,
    ) -> None:
        self.lines = lines
        self.captured = {} if captured is None else captured
        self.removals = removals
        self.date_order = date_order


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
    filters = plan.filters
    # With sequence filters the kept lines are collected for them; else they go to `out`.
    texts: list[str] = []
    keys: list[str] = []
    numbers: list[int] | None = [] if filters and (trace or plan.numbered) else None
    edits = plan.edits_for(text)
    matcher = plan.line_matcher
    # Rules that apply only below the start of the article's prose join at its first line.
    body_matcher = plan.body_matcher
    hits, literals, folded = plan.hits, plan.literals, plan.folded_literals
    literal_width, folded_width = plan.literal_width, plan.folded_width
    conditionals, after_width, after_start = plan.conditionals, plan.after_width, plan.after_start
    after_needs = plan.after_needs
    armed: list[Conditional] = []
    block: Block | None = None
    block_rule = ""
    block_start = 0  # the number of the line that opened the block
    block_left = -1  # lines the open block may still take; -1: no limit
    date_order: str | None = None
    # The last non-blank line kept, for a caption that turns out to repeat it: its number,
    # its place in `texts` or `out`, and its text.
    last_number, last_index, last_raw = 0, -1, ""

    number = 0
    try:
        for raw in lines:
            number += 1
            line = raw.strip()
            if block is not None:
                end = block.end
                at_end = end is not None and end.fullmatch(line) is not None
                kept_end = at_end and block.keep_end
                if block_left > 0:
                    block_left -= 1
                if at_end or block_left == 0:
                    block = None
                if not kept_end:
                    if removals is not None and line:
                        removals.append(Removal(number, block_rule, "drop", raw, block=block_start))
                    continue
            if not line:
                if filters:
                    texts.append("")
                    keys.append("")
                    if numbers is not None:
                        numbers.append(number)
                elif out and out[-1]:
                    out.append("")
                continue

            group = matcher.rule_of(line)
            hit: LineHit | None = hits[group] if group is not None else None
            if hit is None and len(line) <= literal_width:
                hit = literals.get(line)
            if hit is None and len(line) <= folded_width:
                hit = folded.get(line.casefold())
            if hit is None and armed:
                hit = _armed_hit(armed, line)
            if conditionals:
                if (
                    (after_width is not None and len(line) > after_width)
                    or (after_start is not None and not after_start(line[0]))
                    or (after_needs is not None and not contains_needle(line, after_needs))
                ):
                    armed = []
                else:
                    armed = [c for c in conditionals if c.after.fullmatch(line) is not None]

            if hit is not None:
                taken: dict[str, str] = {}
                if hit.capture is not None:
                    first_date = "date" not in captured
                    taken = _capture(hit.capture, line, captured)
                    if first_date and "date" in taken:
                        date_order = hit.date_order
                new_block = hit.block
                if new_block is not None:
                    block, block_rule, block_start = new_block, str(hit.ref), number
                    block_left = -1 if new_block.max_lines is None else new_block.max_lines - 1
                    if block_left == 0:
                        block = None
                if not hit.keep:
                    if removals is not None:
                        action = "capture" if hit.capture is not None else "drop"
                        opened = number if hit.block is not None else None
                        removals.append(
                            Removal(
                                number,
                                str(hit.ref),
                                action,
                                raw,
                                captured=tuple(taken.items()),
                                block=opened,
                            )
                        )
                    if (
                        hit.copy_above is not None
                        and last_index >= 0
                        and _copies(line, last_raw.strip(), hit.copy_above)
                    ):
                        if filters:
                            _retract_line(texts, keys, numbers, last_index)
                        else:
                            _retract(out, last_index)
                        if removals is not None:
                            removals.append(Removal(last_number, str(hit.ref), "drop", last_raw))
                        last_index = -1
                    continue

            if edits:
                raw = _edit(edits, number, raw, removals)
                line = raw.strip()
                if not line:
                    continue
            if body_matcher is not None and is_prose(line):
                matcher, body_matcher = body_matcher, None
            if filters:
                texts.append(raw)
                keys.append(line)
                if numbers is not None:
                    numbers.append(number)
                last_index = len(texts) - 1
            else:
                out.append(raw)
                last_index = len(out) - 1
            last_number, last_raw = number, raw
    except PatternTimeout as exc:
        raise exc.at_line(number) from None
    if filters:
        _collapse_blanks(_settle(filters, Lines(texts, keys, numbers), removals).texts, out)
    if removals:
        removals.sort(key=_line_number)  # filters and retracted copies come out of order
    while out and not out[-1]:
        out.pop()
    return EngineOutput(out, captured, removals, date_order)


def _armed_hit(armed: list[Conditional], line: str) -> LineHit | None:
    """The hit of the first armed conditional rule whose pattern matches `line`."""
    for conditional in armed:
        if conditional.pattern.fullmatch(line) is not None:
            return conditional.hit
    return None


MAX_SETTLE_ROUNDS: Final = 3
"""Extra rounds of the sequence filters over their own output, at most."""


def _settle(filters: tuple[SequenceFilter, ...], lines: Lines, trace: Trace | None) -> Lines:
    """Run the sequence filters in order over `lines`, then again over their output until it
    no longer changes.

    A filter judges a line by its neighbours, and a line another filter drops changes them:
    "A / 0 / A" has no repeated line until "0" goes. Without these rounds a second cleaning
    would find what the first left, so cleaning would not be idempotent. A filter that drops
    and joins nothing returns the very list it was given, so a settled round is told by
    identity and most documents never take a second round. In a second round, a filter given
    the very list it was given before is not run again: it would return what it did then.
    """
    last_seen: list[tuple[Lines, Lines] | None] = [None] * len(filters)
    for _ in range(1 + MAX_SETTLE_ROUNDS):
        result = lines
        for index, sequence_filter in enumerate(filters):
            seen = last_seen[index]
            if seen is not None and seen[0] is result:
                result = seen[1]
                continue
            given, result = result, sequence_filter(result, trace)
            last_seen[index] = (given, result)
        if result is lines:
            break
        lines = result
    return lines


def _collapse_blanks(texts: list[str], out: list[str]) -> None:
    """Append `texts` to `out` without a leading blank line or a run of blanks."""
    for text in texts:
        if text:
            out.append(text)
        elif out and out[-1]:
            out.append("")


MIN_COPY_LENGTH: Final = 20
"""The shortest line a caption is taken to repeat."""


def _copies(caption: str, above: str, credit: Pattern) -> bool:
    """Whether `caption` is the line `above` it and a `credit` after it: the same caption
    printed twice, once without the credit."""
    return (
        len(above) >= MIN_COPY_LENGTH
        and caption.startswith(above)
        and credit.fullmatch(caption, len(above)) is not None
    )


def _retract(out: list[str], index: int) -> None:
    """Take back the line written at `index` (only blank lines follow it), leaving no run of
    two blank lines and no leading blank line."""
    del out[index]
    if out and not out[-1] and (len(out) == 1 or not out[-2]):
        out.pop()


def _retract_line(texts: list[str], keys: list[str], numbers: list[int] | None, index: int) -> None:
    """Take back the line kept for the filters at `index`; they collapse the blank lines."""
    del texts[index]
    del keys[index]
    if numbers is not None:
        del numbers[index]


def _line_number(removal: Removal) -> int:
    return removal.line


def _capture(pattern: Pattern, line: str, captured: dict[str, str]) -> dict[str, str]:
    """What `pattern` takes from `line`; a field already captured keeps its first value."""
    match = pattern.fullmatch(line)
    assert match is not None, "the combined matcher matched this rule's own pattern"
    taken = {
        name: value.strip() for name, value in match.groupdict().items() if value and value.strip()
    }
    for name, value in taken.items():
        captured.setdefault(name, value)
    return taken


def _edit(edits: tuple[Edit, ...], number: int, raw: str, removals: Trace | None) -> str:
    for edit in edits:
        if not edit.can_change(raw):
            continue
        changed = edit.pattern.sub(edit.replacement, raw)
        if changed != raw:
            if removals is not None:
                action = "edit" if changed.strip() else "drop"
                removals.append(Removal(number, str(edit.ref), action, raw, changed))
            raw = changed
    return raw
