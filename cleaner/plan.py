"""A site's rules compiled into one plan: the only thing the engine's hot loop looks at.

Rule kinds never run per line on their own. Each contributes to a `PlanBuilder`: literal lines go
into a dict, line patterns into one combined alternation matched once per line, substitutions
into a short list that is skipped for documents they cannot match, and sequence filters
(duplicates, joins) into a chain that sees only the lines that survived.

Most chrome patterns can only match short lines ("Mumbai 31oC", "AFP |"), while most lines of
an article are long paragraphs. So the combined alternation is also compiled per band of line
length, each leaving out the patterns too short to match any line of the band: a paragraph is
tried only against the few patterns that can span it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol

from cleaner.patterns import (
    Pattern,
    alternation,
    current_time_limit,
    max_width,
    timed_alternation,
    without_group_names,
)

METADATA_FIELDS = ("title", "byline", "date", "url")

MAX_LENGTH_BANDS = 8
"""Line-length bands the line matcher is compiled for: each band is one more compiled pattern."""


@dataclass(frozen=True)
class RuleRef:
    """Where a rule comes from: its file's site id, its id and kind. Printed as ``site:id``."""

    site: str
    rule_id: str
    kind: str
    path: Path | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.site}:{self.rule_id}"

    @property
    def label(self) -> str:
        """The rule as error messages name it: ``file: rule "id" (kind)``."""
        where = self.path if self.path is not None else self.site
        return f'{where}: rule "{self.rule_id}" ({self.kind})'


class Line(NamedTuple):
    """A line on its way through the engine, with its 1-based line number in the input."""

    number: int
    text: str


@dataclass(frozen=True)
class Removal:
    """One line a rule dropped, changed, joined or captured: the explanation of a change."""

    line: int
    rule: str
    action: str  # "drop", "edit", "join" or "capture"
    text: str
    result: str | None = None


Trace = list[Removal]


@dataclass(frozen=True)
class Block:
    """What a line that opens a cut block cuts: up to an end line, or to the end of the document."""

    end: Pattern | None
    keep_end: bool
    max_lines: int | None


@dataclass(frozen=True)
class LineHit:
    """What happens to a line a rule matched: dropped, and maybe captured or opening a block."""

    ref: RuleRef
    capture: Pattern | None = None
    keep: bool = False
    block: Block | None = None


@dataclass(frozen=True)
class Conditional:
    """A line rule that applies only right after a line matching `after` (blank lines between)."""

    after: Pattern
    pattern: Pattern
    hit: LineHit


@dataclass(frozen=True)
class Edit:
    """An inline substitution applied to every kept line of a document it can match."""

    ref: RuleRef
    pattern: Pattern
    replacement: str

    @property
    def anchored_to_text(self) -> bool:
        """True when the pattern uses \\A or \\Z, which match differently in a whole document."""
        return any(anchor in self.pattern.pattern for anchor in ("\\A", "\\Z", "\\z"))


class SequenceFilter(Protocol):
    """A filter over kept lines with bounded look-ahead; a fresh one is made for each document.

    `push` receives lines in order (blank lines as ``Line(n, "")``) and appends what it lets
    through to `out`; `flush` releases what it still holds at the end of the document.
    """

    def push(self, line: Line, out: list[Line], trace: Trace | None) -> None: ...

    def flush(self, out: list[Line], trace: Trace | None) -> None: ...


@dataclass(frozen=True)
class Plan:
    """Everything the engine needs for one site, compiled: no raw rule table reaches the loop."""

    site: str | None
    #: The line matcher for each band of line length: `matchers[i]` serves stripped lines up to
    #: `bands[i]` characters long (the last one, any longer line), and leaves out the patterns
    #: whose matches are all shorter than the band's shortest line.
    matchers: tuple[Pattern | None, ...]
    bands: tuple[int, ...]
    hits: Mapping[str, LineHit]
    literals: Mapping[str, LineHit]
    folded_literals: Mapping[str, LineHit]
    conditionals: tuple[Conditional, ...]
    after_width: int | None
    edits: tuple[Edit, ...]
    filters: tuple[Callable[[], SequenceFilter], ...]

    def edits_for(self, text: str | None) -> tuple[Edit, ...]:
        """The substitutions that can change `text` (all of them when the text is not known)."""
        if text is None:
            return self.edits
        return tuple(e for e in self.edits if e.anchored_to_text or e.pattern.search(text))


@dataclass
class PlanBuilder:
    """Collects the contributions of a site's rules, in rule order, and compiles them once."""

    site: str | None
    _branches: list[_Branch] = field(default_factory=list)
    _hits: dict[str, LineHit] = field(default_factory=dict)
    _literals: dict[str, LineHit] = field(default_factory=dict)
    _folded: dict[str, LineHit] = field(default_factory=dict)
    _conditionals: list[Conditional] = field(default_factory=list)
    _edits: list[Edit] = field(default_factory=list)
    _filters: list[Callable[[], SequenceFilter]] = field(default_factory=list)

    def drop_literals(self, hit: LineHit, lines: list[str], *, ignore_case: bool) -> None:
        """Lines dropped when they equal one of `lines` (surrounding white space ignored)."""
        table = self._folded if ignore_case else self._literals
        for line in lines:
            key = line.strip().casefold() if ignore_case else line.strip()
            table.setdefault(key, hit)  # the first rule to claim a line keeps it

    def match_lines(self, hit: LineHit, source: str, *, ignore_case: bool) -> None:
        """Lines that `source` matches in full (surrounding white space ignored)."""
        group = f"_{len(self._branches)}"
        body = without_group_names(source)
        if ignore_case:
            body = f"(?i:{body})"
        self._branches.append(
            _Branch(f"(?P<{group}>{body})", max_width(body), current_time_limit())
        )
        self._hits[group] = hit

    def match_after(self, hit: LineHit, after: Pattern, pattern: Pattern) -> None:
        """Lines that `pattern` matches in full, directly after a line that `after` matches."""
        self._conditionals.append(Conditional(after, pattern, hit))

    def edit(self, edit: Edit) -> None:
        self._edits.append(edit)

    def sequence(self, factory: Callable[[], SequenceFilter]) -> None:
        self._filters.append(factory)

    def build(self) -> Plan:
        matchers, bands = _line_matchers(self._branches)
        after_widths = [max_width(c.after.pattern) for c in self._conditionals]
        bounded = [width for width in after_widths if width is not None]
        return Plan(
            site=self.site,
            matchers=matchers,
            bands=bands,
            hits=dict(self._hits),
            literals=dict(self._literals),
            folded_literals=dict(self._folded),
            conditionals=tuple(self._conditionals),
            after_width=max(bounded, default=0) if len(bounded) == len(after_widths) else None,
            edits=tuple(self._edits),
            filters=tuple(self._filters),
        )


@dataclass(frozen=True)
class _Branch:
    """One line pattern in the combined alternation: its source, longest match and time limit."""

    source: str
    width: int | None
    limit: tuple[float, str] | None


def _line_matchers(branches: list[_Branch]) -> tuple[tuple[Pattern | None, ...], tuple[int, ...]]:
    """The combined alternation for each band of line length, and the bands' upper bounds.

    Branches keep their order (the first rule to match decides) and their group names.
    """
    if not branches:
        return (None,), ()
    if any(branch.limit is not None for branch in branches):
        # User patterns: one time-limited alternation; the bands would multiply the limits.
        return (timed_alternation([(b.source, b.limit) for b in branches]),), ()
    widths = sorted({b.width for b in branches if b.width is not None})
    step = max(1, -(-len(widths) // MAX_LENGTH_BANDS))
    bands = tuple(widths[step - 1 :: step])
    matchers: list[Pattern | None] = []
    compiled: dict[tuple[str, ...], Pattern] = {}
    for shortest in (0, *(bound + 1 for bound in bands)):
        sources = tuple(b.source for b in branches if b.width is None or b.width >= shortest)
        if sources and sources not in compiled:
            compiled[sources] = alternation(sources)
        matchers.append(compiled[sources] if sources else None)
    return tuple(matchers), bands


def literal_pattern(line: str) -> str:
    """A pattern that matches exactly `line`, for literal lines that need a condition."""
    return re.escape(line.strip())
