"""Errors a user can act on: each names the rule file and rule, or the input, that caused it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


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
        super().__init__(f"{source}: {message}")
