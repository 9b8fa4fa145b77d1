"""Explaining a cleaning: every input line with its fate and the rule that decided it.

A rule author fixing a site needs to see, for one document, which line each rule took and why
the site was chosen. `explain` cleans the document with the trace switched on and lays the
trace over the input lines; `render_text` prints that for a terminal (`report_html` for a page).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import click

from cleaner.api import Cleaner, CleanResult, split_lines
from cleaner.plan import Removal

#: Fates that take a line out of the output (an edit changes it, a kept line stays).
REMOVING = frozenset({"drop", "capture", "join"})
_COLOURS = {"kept": None, "drop": "red", "edit": "yellow", "join": "cyan", "capture": "magenta"}
MARKS = {"kept": " ", "drop": "-", "edit": "~", "join": "+", "capture": "@"}
"""The mark of each fate in a listing: what a line's first column says happened to it."""


@dataclass(frozen=True)
class LineFate:
    """One input line and what the rules did to it, in the order they did it."""

    number: int
    text: str
    events: tuple[Removal, ...] = ()

    @property
    def fate(self) -> str:
        """ "kept", or the last action taken on the line: "drop", "edit", "join" or "capture"."""
        return self.events[-1].action if self.events else "kept"

    @property
    def removed(self) -> bool:
        return self.fate in REMOVING

    @property
    def rule(self) -> str | None:
        """The rule that decided the line's fate (``site:rule-id``), if any did."""
        return self.events[-1].rule if self.events else None


@dataclass(frozen=True)
class Explanation:
    """A cleaned document, its input lines with their fates, and where the document came from."""

    source: str
    result: CleanResult
    lines: tuple[LineFate, ...]

    def fired(self) -> list[tuple[str, int]]:
        """Each rule that touched a line and how many lines it touched, in order of first use."""
        counts = Counter(event.rule for line in self.lines for event in line.events)
        return list(counts.items())

    @property
    def removed_count(self) -> int:
        return sum(line.removed for line in self.lines)


def explain(
    cleaner: Cleaner, text: str, *, source: str, site: str | None = None, url: str | None = None
) -> Explanation:
    """Clean `text` with the trace on and attach each removal to the input line it concerns.

    >>> explained = explain(Cleaner(), "Headline\\nAdvertisement\\nBody.\\n", source="doc")
    >>> [(line.text, line.fate) for line in explained.lines]
    [('Headline', 'kept'), ('Advertisement', 'drop'), ('Body.', 'kept')]
    """
    result = cleaner.clean(text, url=url, site=site, explain=True)
    by_line: dict[int, list[Removal]] = {}
    for removal in result.removals or ():
        by_line.setdefault(removal.line, []).append(removal)
    lines = split_lines(text)
    if lines and not lines[-1]:
        lines.pop()  # the line end of the last line does not start another line
    fates = tuple(
        LineFate(number, line, tuple(by_line.get(number, ())))
        for number, line in enumerate(lines, 1)
    )
    return Explanation(source, result, fates)


def header(explanation: Explanation) -> list[str]:
    """The detected site and why, and the metadata the rules captured."""
    result = explanation.result
    detection = result.detection
    why = detection.evidence
    if detection.method != "none":
        why = f"detected by {detection.method}: {why}"
    lines = [f"{explanation.source}: site {result.site or 'unknown'} ({why})"]
    if len(detection.fingerprints) > 1:
        lines.append("fingerprints: " + ", ".join(repr(line) for line in detection.fingerprints))
    if detection.runner_up is not None:
        site, count = detection.runner_up
        lines.append(f"runner-up: {site} ({count} fingerprint(s))")
    metadata = {key: value for key, value in result.metadata().items() if key != "site" and value}
    if metadata:
        lines.append("metadata: " + ", ".join(f"{k}={v!r}" for k, v in metadata.items()))
    if result.unread_date is not None:
        lines.append(
            f"date {result.unread_date!r} left out: it names no one day for certain "
            "(a numeric date needs the site's date_order)"
        )
    fired = explanation.fired()
    lines.append(
        f"{explanation.removed_count} of {len(explanation.lines)} lines removed, "
        f"{len(fired)} rule(s) fired"
        + (": " + ", ".join(f"{rule} ({count})" for rule, count in fired) if fired else "")
    )
    return lines


def render_text(explanation: Explanation, *, only_removed: bool = False) -> Iterator[str]:
    """Lines for a terminal, coloured with ANSI codes that `click.echo` strips when piped.

    Each input line is printed as ``number mark text``, the mark being ``-`` dropped, ``@``
    captured, ``+`` joined with the previous line, ``~`` changed; the rule follows in brackets,
    and a changed line is followed by what it became.
    """
    for summary in header(explanation):
        yield click.style(summary, bold=True)
    for line in explanation.lines:
        if only_removed and not line.events:
            continue
        yield from _render_line(line)


def _render_line(line: LineFate) -> Iterator[str]:
    colour = _COLOURS[line.fate]
    prefix = f"{line.number:>5} {MARKS[line.fate]} "
    text = click.style(line.text, fg=colour, strikethrough=line.removed)
    rules = " ".join(dict.fromkeys(f"[{event.rule}]" for event in line.events))
    yield prefix + text + (" " + click.style(rules, dim=True) if rules else "")
    for event in line.events:
        if event.action in ("edit", "join") and event.result is not None:
            label = "became" if event.action == "edit" else "joined"
            yield " " * len(prefix) + click.style(f"{label}: {event.result}", fg=colour)
