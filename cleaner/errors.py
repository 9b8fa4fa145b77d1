"""Errors a user can act on: each names the rule file and rule, or the input, that caused it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPEATS_SHOWN = 5
"""Messages of one kind shown before the rest of that kind are only counted."""
_NUMBERS = re.compile(r"\d+")


class CleanerError(Exception):
    """Base class for every error `cleaner` raises on purpose."""


@dataclass(frozen=True)
class RuleProblem:
    """One problem in one rule file, rendered as ``file: rule "id" (kind): key "k": message``."""

    path: Path
    message: str
    rule_id: str | None = None
    kind: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        parts = [str(self.path)]
        if self.rule_id is not None:
            parts.append(f'rule "{self.rule_id}"' + (f" ({self.kind})" if self.kind else ""))
        if self.key is not None:
            parts.append(f'key "{self.key}"')
        parts.append(self.message)
        return ": ".join(parts)


class RuleFileError(CleanerError):
    """Every problem found in every rule file of a load, reported at once."""

    def __init__(self, problems: Sequence[RuleProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownSiteError(CleanerError):
    """A site id was asked for (``--site``) that no rule file defines."""

    def __init__(self, site: str, known: Sequence[str]) -> None:
        self.site = site
        super().__init__(
            f"unknown site {site!r}; known sites: {', '.join(known) or '(none)'}. "
            "Check the spelling or add a rule file with --rules DIR."
        )


class InputError(CleanerError):
    """One input could not be read or cleaned; the batch reports it and goes on."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.reason = message
        super().__init__(f"{source}: {message}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        return (type(self), (self.source, self.reason))  # to reach a worker process intact


class RepeatLimit:
    """Lets through the first few messages of each kind and counts the rest, so that a mistake
    made on every record (a wrong ``--text-field``) is said a few times, not once per record.

    Two messages are of one kind when their reasons differ only in numbers (line numbers,
    offsets): the input they name is left out of the reason by the caller.

    >>> limit = RepeatLimit(shown=1)
    >>> [limit.admit(f"offset {n}: not text") for n in (1, 2, 3)], limit.hidden
    ([True, False, False], Counter({'offset N: not text': 2}))
    """

    def __init__(self, shown: int = REPEATS_SHOWN) -> None:
        self.shown = shown
        self._seen: Counter[str] = Counter()
        self.hidden: Counter[str] = Counter()
        """Messages not shown, by kind: the reason with its numbers written N."""

    @staticmethod
    def kind(reason: str) -> str:
        """The kind of a message with `reason`: the reason with its numbers written N."""
        return _NUMBERS.sub("N", reason)

    def admit(self, reason: str) -> bool:
        """Whether to show a message with this reason; if not, it is counted in `hidden`."""
        kind = self.kind(reason)
        self._seen[kind] += 1
        if self._seen[kind] <= self.shown:
            return True
        self.hidden[kind] += 1
        return False
