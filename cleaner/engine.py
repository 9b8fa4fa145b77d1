"""The engine: one pass over a document's lines with a compiled `Plan`.

Each line is looked at once: inside a cut block only the block's end pattern is tried; otherwise
the combined line matcher, the literal lines and the `after` rules decide whether it is dropped
(and captured, or opening a block); the lines that stay get the document's substitutions.
Then the sequence filters (duplicates, joins) each make one pass over the document's kept lines,
and blank-line runs are collapsed on the way out. The trace of removals is recorded only when
asked.

The loop is the hot path of the whole program: it looks up attributes once per document, tries
only the line patterns that can match the line (`LineMatcher`), and appends kept text straight
to the output, without making `Line`s, when the site has no sequence filters.
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
from cleaner.shape import is_prose


@dataclass
class EngineOutput:
    """The kept lines of one document, what the rules captured, and (if asked) the removals.

    The removals are in input-line order; the events of one line are in the order they happened.
    """

    lines: list[str]
    captured: dict[str, str] = field(default_factory=dict)
    removals: Trace | None = None
    date_order: str | None = None  # the date_order of the rule that captured the date, if set


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
    kept: list[Line] = []
    keep = kept.append if plan.filters else None  # None: kept text goes straight to `out`
    new_line = tuple.__new__  # Line(number, text) without NamedTuple's Python-level __new__
    edits = plan.edits_for(text)
    line_match = plan.line_matcher.match
    # Rules that apply only below the start of the article's prose join at its first line.
    body_match = plan.body_matcher.match if plan.body_matcher is not None else None
    hits, literals, folded = plan.hits, plan.literals, plan.folded_literals
    conditionals, after_width, after_start = plan.conditionals, plan.after_width, plan.after_start
    armed: list[Conditional] = []
    block: Block | None = None
    block_rule = ""
    block_start = 0  # the number of the line that opened the block
    block_left: int | None = None  # lines the open block may still take; None: no limit
    date_order: str | None = None
    # The last non-blank line kept, for a caption that turns out to repeat it: its number,
    # its place in `kept` or `out`, and its text.
    last_number, last_index, last_raw = 0, -1, ""

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
                        removals.append(Removal(number, block_rule, "drop", raw, block=block_start))
                    continue
            if not line:
                if keep is not None:
                    keep(new_line(Line, (number, "")))
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
                if (after_width is not None and len(line) > after_width) or (
                    after_start is not None and not after_start(line[0])
                ):
                    armed = []
                else:
                    armed = [c for c in conditionals if c.after.fullmatch(line)]

            if hit is not None:
                taken: dict[str, str] = {}
                if hit.capture is not None:
                    first_date = "date" not in captured
                    taken = _capture(hit.capture, line, captured)
                    if first_date and "date" in taken:
                        date_order = hit.date_order
                if hit.block is not None:
                    block, block_rule, block_start = hit.block, str(hit.ref), number
                    block_left = None if block.max_lines is None else block.max_lines - 1
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
                        _retract(kept if keep is not None else out, last_index)
                        if removals is not None:
                            removals.append(Removal(last_number, str(hit.ref), "drop", last_raw))
                        last_index = -1
                    continue

            if edits:
                raw = _edit(edits, number, raw, removals)
                if not raw.strip():
                    continue
            if body_match is not None and is_prose(raw.strip()):
                line_match, body_match = body_match, None
            if keep is not None:
                keep(new_line(Line, (number, raw)))
                last_index = len(kept) - 1
            else:
                out.append(raw)
                last_index = len(out) - 1
            last_number, last_raw = number, raw
    except PatternTimeout as exc:
        raise exc.at_line(number) from None
    if keep is not None:
        _collapse_blanks(_settle(plan.filters, kept, removals), out)
    if removals:
        removals.sort(key=_line_number)  # filters and retracted copies come out of order
    while out and not out[-1]:
        out.pop()
    return EngineOutput(out, captured, removals, date_order)


MAX_SETTLE_ROUNDS = 3
"""Extra rounds of the sequence filters over their own output, at most."""


def _settle(
    filters: tuple[SequenceFilter, ...], lines: list[Line], trace: Trace | None
) -> list[Line]:
    """Run the sequence filters in order over `lines`, then again over their output until it
    no longer changes.

    A filter judges a line by its neighbours, and a line another filter drops changes them:
    "A / 0 / A" has no repeated line until "0" goes. Without these rounds a second cleaning
    would find what the first left, so cleaning would not be idempotent. A filter that drops
    and joins nothing returns the very list it was given, so a settled round is told by
    identity and most documents never take a second round. In a second round, a filter given
    the very list it was given before is not run again: it would return what it did then.
    """
    last_seen: list[tuple[list[Line], list[Line]] | None] = [None] * len(filters)
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


def _collapse_blanks(lines: list[Line], out: list[str]) -> None:
    """Append the texts of `lines` to `out` without a leading blank line or a run of blanks."""
    for _, text in lines:
        if text:
            out.append(text)
        elif out and out[-1]:
            out.append("")


MIN_COPY_LENGTH = 20
"""The shortest line a caption is taken to repeat."""


def _copies(caption: str, above: str, credit: Pattern) -> bool:
    """Whether `caption` is the line `above` it and a `credit` after it: the same caption
    printed twice, once without the credit."""
    return (
        len(above) >= MIN_COPY_LENGTH
        and caption.startswith(above)
        and credit.fullmatch(caption, len(above)) is not None
    )


def _retract(kept: list[Line] | list[str], index: int) -> None:
    """Take back the kept line at `index` (only blank lines follow it), leaving no run of two
    blank lines and no leading blank line in a list of texts."""
    del kept[index]
    trailing_blank = bool(kept) and isinstance(kept[-1], str) and not kept[-1]
    if trailing_blank and (len(kept) == 1 or not kept[-2]):
        kept.pop()


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
        changed = edit.pattern.sub(edit.replacement, raw)
        if changed != raw:
            if removals is not None:
                action = "edit" if changed.strip() else "drop"
                removals.append(Removal(number, str(edit.ref), action, raw, changed))
            raw = changed
    return raw
