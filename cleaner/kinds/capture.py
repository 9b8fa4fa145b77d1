"""capture: take metadata (byline, date, url, title) from a line, then drop the line.

The pattern must match the whole line and name what it captures with groups called `byline`,
`date`, `url` or `title`. The first capture of a field in a document wins. Dates are turned into
ISO 8601 (``2025-07-09``) when they name one day for certain: a numeric date whose day and month
could be swapped needs `date_order` (here, or in the site's table), and a date that cannot be
read is left out and counted, not guessed. The line is dropped unless `keep_line`.

Options:
    pattern (regex, required): the line, matched in full, with named groups.
    after (regex, default none): capture only directly after a line this matches in full
        (blank lines between do not count), for a byline printed under a separator.
    keep_line (bool, default false): keep the line in the text after capturing from it.
    ignore_case (bool, default false): match regardless of letter case.
    date_order (string, default the site's): how numeric dates are written: "DMY", "MDY" or
        "YMD".

Example:
    [[rule]]
    id = "updated-date"
    kind = "capture"
    pattern = 'Updated on: (?P<date>\\w{3} \\d{1,2}, \\d{4}).*'
    must_drop = ["Updated on: Mar 03, 2024 10:15 AM IST"]
    must_keep = ["Updated on Monday, the figures show a rise."]
"""

from __future__ import annotations

from typing import ClassVar

from cleaner.kinds.base import AFTER, IGNORE_CASE, RuleKind
from cleaner.metadata import DATE_ORDERS
from cleaner.plan import METADATA_FIELDS, LineHit, PlanBuilder
from cleaner.schema import Opt, OptionError


class Capture(RuleKind):
    KIND: ClassVar[str] = "capture"
    OPTIONS: ClassVar[dict[str, Opt]] = {
        "pattern": Opt("pattern", "the line, with named groups", required=True),
        "after": AFTER,
        "keep_line": Opt("bool", "keep the line after capturing", default=False),
        "ignore_case": IGNORE_CASE,
        "date_order": Opt("string", "how numeric dates are written", choices=DATE_ORDERS),
    }

    def contribute(self, plan: PlanBuilder) -> None:
        source = self.options["pattern"]
        pattern = self.compile(source, "pattern", line_rule=True)
        names = set(pattern.groupindex)
        if not names or not names <= set(METADATA_FIELDS):
            raise OptionError(
                "pattern",
                f"name what to capture with groups among {', '.join(METADATA_FIELDS)}, "
                f"e.g. (?P<date>...); found {sorted(names) or 'no named group'}",
            )
        hit = LineHit(
            self.ref,
            capture=pattern,
            keep=self.options["keep_line"],
            date_order=self.options["date_order"],
        )
        self.match_line(plan, hit, source, "pattern")
