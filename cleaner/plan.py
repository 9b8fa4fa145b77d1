"""A site's rules compiled into one plan: the only thing the engine's hot loop looks at.

Rule kinds never run per line on their own. Each contributes to a `PlanBuilder`: literal lines go
into a dict, line patterns into one combined alternation matched once per line, substitutions
into a short list that is skipped for documents they cannot match, and sequence filters
(duplicates, joins) into a list of passes over the lines that survived. How the combined
alternation avoids trying every pattern on every line is the business of `LineMatcher`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final, Protocol, final

from cleaner.line_matcher import Branch, LineMatcher
from cleaner.patterns import Pattern, current_time_limit, source_with_flags, without_group_names
from cleaner.prefilter import (
    CharTest,
    Needle,
    contains_needle,
    first_test,
    max_width,
    needles,
)

METADATA_FIELDS: Final = ("title", "byline", "date", "url")


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


@dataclass
class Removal:
    """One line a rule dropped, changed, joined or captured: the explanation of a change."""

    line: int
    rule: str
    action: str  # "drop", "edit", "join" or "capture"
    text: str
    result: str | None = None
    #: What a capture took from the line, as (field, value) pairs.
    captured: tuple[tuple[str, str], ...] = ()
    #: For a line of a cut block, the number of the line that opened the block (its own, for
    #: the opening line).
    block: int | None = None


Trace = list[Removal]


@dataclass(frozen=True)
class Block:
    """What a line that opens a cut block cuts: up to an end line, or to the end of the document."""

    end: Pattern | None
    keep_end: bool
    max_lines: int | None


@dataclass(frozen=True)
class LineHit:
    """What happens to a line a rule matched: dropped, and maybe captured or opening a block.

    With `copy_above`, the kept line above it goes too when this line is that line followed
    by what `copy_above` matches in full (a credit): a caption printed twice, once without it.
    """

    ref: RuleRef
    capture: Pattern | None = None
    keep: bool = False
    block: Block | None = None
    copy_above: Pattern | None = None
    date_order: str | None = None  # how a captured numeric date is written, if the rule says


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
    #: Texts every match contains one of (None: not known): a line without them is skipped.
    needs: tuple[Needle, ...] | None = field(default=None, compare=False)

    def can_change(self, line: str) -> bool:
        """False when the pattern cannot match `line`, which its needles tell at once."""
        return self.needs is None or contains_needle(line, self.needs)

    @property
    def anchored_to_text(self) -> bool:
        """True when the pattern uses \\A or \\Z, which match differently in a whole document."""
        return any(anchor in self.pattern.pattern for anchor in ("\\A", "\\Z", "\\z"))


@final
class Lines:
    """A document's kept lines, in order, as the sequence filters see them.

    `texts` are the lines as they will be written ("" for a blank line), `keys` the same
    lines stripped of surrounding white space, which is what a filter judges. `numbers`, the
    1-based input line numbers, are kept only when the removals are traced, since a filter
    needs them only to record what it removed.
    """

    __slots__ = ("keys", "numbers", "texts")

    def __init__(self, texts: list[str], keys: list[str], numbers: list[int] | None) -> None:
        self.texts = texts
        self.keys = keys
        self.numbers = numbers

    def __len__(self) -> int:
        return len(self.texts)

    def without(self, dropped: list[int], rule: str, trace: Trace | None) -> Lines:
        """These lines less those at the indexes `dropped`, which `trace` records as dropped
        by `rule` in the order given."""
        texts, keys, numbers = self.texts, self.keys, self.numbers
        if trace is not None:
            assert numbers is not None, "lines are numbered whenever removals are traced"
            for index in dropped:
                trace.append(Removal(numbers[index], rule, "drop", texts[index]))
        gone = set(dropped)
        kept = [index for index in range(len(texts)) if index not in gone]
        return Lines(
            [texts[index] for index in kept],
            [keys[index] for index in kept],
            [numbers[index] for index in kept] if numbers is not None else None,
        )


class SequenceFilter(Protocol):
    """A pass over a document's kept lines that judges each line by its neighbours.

    It is called with the document's `Lines` (blank lines as ""), reads their `keys` (and
    `texts` where it rewrites a line) and returns the lines it keeps: `Lines.without` for
    lines it drops, a new `Lines` for lines it joins or changes. It holds no state between
    calls, so one serves every document. When it changes nothing it returns `lines` itself:
    the engine tells a settled document by that identity, and the common case costs no copy.
    Line numbers (`Lines.numbers`) are there only when `trace` is: a filter that records a
    change in `trace` takes the number from there.
    """

    def __call__(self, lines: Lines, trace: Trace | None) -> Lines: ...


@dataclass(frozen=True)
class Plan:
    """Everything the engine needs for one site, compiled: no raw rule table reaches the loop."""

    site: str | None
    #: Which line pattern (if any) a stripped non-blank line matches in full: the match's
    #: `lastgroup` names the rule's entry in `hits`.
    line_matcher: LineMatcher
    #: The same, with the patterns of rules that apply only below the start of the article's
    #: prose (None: the site has none); the engine switches to it at the first prose line.
    body_matcher: LineMatcher | None
    hits: dict[str, LineHit]
    literals: dict[str, LineHit]
    folded_literals: dict[str, LineHit]
    #: The longest literal line, and the longest case-folded one (0: none): a longer line
    #: skips the lookup (case folding never shortens a line).
    literal_width: int
    folded_width: int
    conditionals: tuple[Conditional, ...]
    #: The longest line, the first characters and the texts (one of them) an `after` pattern
    #: can match (None: not known): no other line arms a conditional rule.
    after_width: int | None
    after_start: CharTest | None
    after_needs: tuple[Needle, ...] | None
    edits: tuple[Edit, ...]
    filters: tuple[SequenceFilter, ...]
    #: Whether the filters' lines are numbered even untraced: a user rule's filter pattern
    #: that runs out of time names the line.
    numbered: bool = False
    date_order: str | None = None  # how the site writes numeric dates

    def edits_for(self, text: str | None) -> tuple[Edit, ...]:
        """The substitutions that can change `text` (all of them when the text is not known)."""
        if text is None:
            return self.edits
        return tuple(e for e in self.edits if e.anchored_to_text or e.pattern.search(text))


@dataclass
class PlanBuilder:
    """Collects the contributions of a site's rules, in rule order, and compiles them once."""

    site: str | None
    date_order: str | None = None
    _branches: list[Branch] = field(default_factory=list)
    _below_prose: set[str] = field(default_factory=set)
    _hits: dict[str, LineHit] = field(default_factory=dict)
    _literals: dict[str, LineHit] = field(default_factory=dict)
    _folded: dict[str, LineHit] = field(default_factory=dict)
    _conditionals: list[Conditional] = field(default_factory=list)
    _edits: list[Edit] = field(default_factory=list)
    _filters: list[SequenceFilter] = field(default_factory=list)
    _numbered: bool = False

    def drop_literals(self, hit: LineHit, lines: list[str], *, ignore_case: bool) -> None:
        """Lines dropped when they equal one of `lines` (surrounding white space ignored)."""
        table = self._folded if ignore_case else self._literals
        for line in lines:
            key = line.strip().casefold() if ignore_case else line.strip()
            table.setdefault(key, hit)  # the first rule to claim a line keeps it

    def match_lines(
        self, hit: LineHit, source: str, *, ignore_case: bool, after_body: bool = False
    ) -> None:
        """Lines that `source` matches in full (surrounding white space ignored); with
        `after_body`, only below the first line of the article's prose."""
        group = f"_{len(self._branches)}"
        body = without_group_names(source)
        if ignore_case:
            body = f"(?i:{body})"
        self._branches.append(Branch(group, body, current_time_limit()))
        if after_body:
            self._below_prose.add(group)
        self._hits[group] = hit

    def match_after(self, hit: LineHit, after: Pattern, pattern: Pattern) -> None:
        """Lines that `pattern` matches in full, directly after a line that `after` matches."""
        self._conditionals.append(Conditional(after, pattern, hit))

    def edit(self, edit: Edit) -> None:
        self._edits.append(replace(edit, needs=needles(source_with_flags(edit.pattern))))

    def sequence(self, sequence_filter: SequenceFilter) -> None:
        self._filters.append(sequence_filter)
        self._numbered = self._numbered or current_time_limit() is not None

    def build(self) -> Plan:
        afters = [source_with_flags(c.after) for c in self._conditionals]
        after_widths = [max_width(source) for source in afters]
        bounded = [width for width in after_widths if width is not None]
        after_any = "|".join(f"(?:{s})" for s in afters)
        after_start = first_test(after_any) if afters else None
        return Plan(
            site=self.site,
            line_matcher=LineMatcher(
                [b for b in self._branches if b.group not in self._below_prose]
            ),
            body_matcher=LineMatcher(self._branches) if self._below_prose else None,
            hits=dict(self._hits),
            literals=dict(self._literals),
            folded_literals=dict(self._folded),
            literal_width=max(map(len, self._literals), default=0),
            folded_width=max(map(len, self._folded), default=0),
            conditionals=tuple(self._conditionals),
            after_width=max(bounded, default=0) if len(bounded) == len(after_widths) else None,
            after_start=after_start,
            after_needs=needles(after_any) if afters else None,
            edits=tuple(self._edits),
            filters=tuple(self._filters),
            numbered=self._numbered,
            date_order=self.date_order,
        )


def literal_pattern(line: str) -> str:
    """A pattern that matches exactly `line`, for literal lines that need a condition."""
    return re.escape(line.strip())
