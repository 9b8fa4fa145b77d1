"""Reading one rule file: TOML in, validated `SiteRules` out, or every problem the file has."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.errors import RuleProblem
from cleaner.kinds import KINDS, RuleKind
from cleaner.metadata import DATE_ORDERS
from cleaner.patterns import Pattern, PatternError, compile_pattern, time_limited
from cleaner.plan import PlanBuilder, RuleRef
from cleaner.schema import Opt, OptionError, did_you_mean, shown, validate_options

COMMON = "common"
"""The site id of the rule file that applies to every document."""

SITE_OPTIONS: dict[str, Opt] = {
    "name": Opt("string", "the site's name, for people", default=""),
    "domains": Opt("strings", "host names the site publishes on", default=[]),
    "fingerprints": Opt("patterns", "lines that identify the site's pages", default=[]),
    "disable": Opt("strings", "ids of common rules that do not apply to this site", default=[]),
    "date_order": Opt("string", "how the site writes numeric dates", choices=DATE_ORDERS),
}
RULE_KEYS = frozenset({"id", "kind", "description", "must_drop", "must_keep", "example"})
EXAMPLE_OPTIONS: dict[str, Opt] = {
    "name": Opt("string", "what the example shows", default=""),
    "input": Opt("string", "a piece of a document", required=True),
    "output": Opt("string", "what cleaning the input with this rule alone gives", default=""),
}
_RULE_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
BODY_ABOVE = "The council met on Monday and approved the plan for the new bridge."
"""The paragraph a `must_drop` or `must_keep` line of an `after_body` rule is given under:
such a rule applies only below the start of an article's prose."""


@dataclass(frozen=True)
class Example:
    """An input and the output the rule alone must make of it."""

    name: str
    input: str
    output: str


@dataclass(frozen=True)
class LoadedRule:
    """A validated rule with the examples its file gives for it."""

    rule: RuleKind
    description: str
    examples: tuple[Example, ...]

    @property
    def ref(self) -> RuleRef:
        return self.rule.ref


@dataclass(frozen=True)
class SiteRules:
    """The rules of one file, in file order, and how to recognise the site they are for."""

    site: str
    path: Path
    name: str
    domains: tuple[str, ...]
    fingerprints: tuple[Pattern, ...]
    disable: frozenset[str]
    rules: tuple[LoadedRule, ...]
    date_order: str | None = None


def load_rule_file(
    path: Path, time_limit: float | None = None
) -> tuple[SiteRules | None, list[RuleProblem]]:
    """Read and validate `path`; on any problem return them all (and no rules).

    With a `time_limit`, the file's patterns (its fingerprints too) give up after that many
    seconds per call: see `cleaner.patterns`.
    """
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return None, [RuleProblem(path, f"cannot read the file: {exc}")]
    except tomllib.TOMLDecodeError as exc:
        return None, [RuleProblem(path, f"invalid TOML: {exc}; fix the syntax at that place")]
    except RecursionError:
        return None, [
            RuleProblem(
                path,
                "arrays or tables are nested too deeply to read; a rule file needs a few "
                "levels at most ([[rule]] tables of strings and lists of strings)",
            )
        ]
    return read_rule_document(path, document, time_limit)


def read_rule_document(
    path: Path, document: Mapping[str, Any], time_limit: float | None = None
) -> tuple[SiteRules | None, list[RuleProblem]]:
    """Validate the parsed TOML `document` of rule file `path`, whatever its structure."""
    reader = _FileReader(path, time_limit)
    site = reader.site_table(document)
    rules = reader.rules(document.get("rule", []))
    for key in document:
        if key not in ("site", "rule"):
            reader.problem(
                f"unknown top-level key{did_you_mean(key, ['site', 'rule'])} "
                "(allowed: [site], [[rule]])",
                key=key,
            )
    if reader.problems or site is None:
        return None, reader.problems
    return SiteRules(rules=tuple(rules), **site), []


class _FileReader:
    """Validation of one file, collecting every problem instead of stopping at the first."""

    def __init__(self, path: Path, time_limit: float | None) -> None:
        self.path = path
        self.site_id = path.stem
        self.time_limit = time_limit
        self.problems: list[RuleProblem] = []

    def problem(
        self,
        message: str,
        *,
        rule_id: str | None = None,
        kind: str | None = None,
        key: str | None = None,
    ) -> None:
        self.problems.append(RuleProblem(self.path, message, rule_id, kind, key))

    def site_table(self, document: Mapping[str, Any]) -> dict[str, Any] | None:
        table = document.get("site", {})
        if not isinstance(table, dict):
            self.problem("[site] must be a table", key="site")
            return None
        values, errors = validate_options(table, SITE_OPTIONS, frozenset())
        for error in errors:
            self.problem(str(error), key=f"site.{error.key}")
        fingerprints = []
        for source in values.get("fingerprints") or []:
            try:
                with time_limited(self.time_limit, f"{self.path}: fingerprint {source!r}"):
                    fingerprints.append(compile_pattern(source, multiline=True, search=True))
            except PatternError as exc:
                self.problem(f"invalid regex {source!r}: {exc}", key="site.fingerprints")
        if self.site_id == COMMON and (values.get("domains") or values.get("fingerprints")):
            self.problem(
                "the common rule file applies everywhere; it takes no domains or fingerprints",
                key="site",
            )
        return {
            "site": self.site_id,
            "path": self.path,
            "name": values.get("name") or self.site_id,
            "domains": tuple(d.lower().removeprefix("www.") for d in values.get("domains") or []),
            "fingerprints": tuple(fingerprints),
            "disable": frozenset(values.get("disable") or []),
            "date_order": values.get("date_order"),
        }

    def rules(self, tables: Any) -> list[LoadedRule]:
        if not isinstance(tables, list):
            self.problem("rules are written as [[rule]] tables", key="rule")
            return []
        loaded: list[LoadedRule] = []
        seen: set[str] = set()
        for index, table in enumerate(tables, 1):
            rule_id = table.get("id") if isinstance(table, dict) else None
            if isinstance(rule_id, str) and rule_id in seen:
                kind = table.get("kind")
                self.problem(
                    "duplicate rule id; every rule of a file needs its own id",
                    rule_id=rule_id,
                    kind=kind if isinstance(kind, str) else None,
                    key="id",
                )
            if isinstance(rule_id, str):
                seen.add(rule_id)
            rule = self.rule(index, table)
            if rule is not None:
                loaded.append(rule)
        return loaded

    def rule(self, index: int, table: Any) -> LoadedRule | None:
        if not isinstance(table, dict):
            self.problem(f"rule number {index} must be a table")
            return None
        rule_id = table.get("id")
        if not isinstance(rule_id, str) or not _RULE_ID.fullmatch(rule_id):
            self.problem(
                f"rule number {index} needs an id of lower-case letters, digits, "
                f"'-' and '_', got {shown(rule_id)}",
                key="id",
            )
            return None
        kind = table.get("kind")
        if not isinstance(kind, str) or kind not in KINDS:
            hint = did_you_mean(kind, sorted(KINDS)) if isinstance(kind, str) else ""
            self.problem(
                f"unknown kind {shown(kind)}{hint} (kinds: {', '.join(sorted(KINDS))})",
                rule_id=rule_id,
                key="kind",
            )
            return None
        kind_class = KINDS[kind]
        values, errors = validate_options(table, kind_class.OPTIONS, RULE_KEYS)
        for error in errors:
            self.problem(str(error), rule_id=rule_id, kind=kind, key=error.key)
        description = table.get("description", "")
        if not isinstance(description, str):
            self.problem("expected a string", rule_id=rule_id, kind=kind, key="description")
        examples = self.examples(rule_id, kind, table)
        if errors:
            return None
        rule = kind_class(RuleRef(self.site_id, rule_id, kind, self.path), values)
        try:
            with time_limited(self.time_limit, rule.ref.label):
                rule.contribute(PlanBuilder(self.site_id))  # compiles every pattern, to check
        except OptionError as exc:
            self.problem(str(exc), rule_id=rule_id, kind=kind, key=exc.key)
            return None
        return LoadedRule(rule, description if isinstance(description, str) else "", examples)

    def examples(self, rule_id: str, kind: str, table: Mapping[str, Any]) -> tuple[Example, ...]:
        found: list[Example] = []
        above = f"{BODY_ABOVE}\n\n" if table.get("after_body") is True else ""
        for key, output_of in (("must_drop", lambda line: ""), ("must_keep", lambda line: line)):
            lines = table.get(key, [])
            if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
                self.problem("expected a list of strings", rule_id=rule_id, kind=kind, key=key)
                continue
            found += [
                Example(f"{key}[{i}]", above + line, (above + output_of(line)).strip())
                for i, line in enumerate(lines)
            ]
        pairs = table.get("example", [])
        if not isinstance(pairs, list):
            self.problem(
                "examples are written as [[rule.example]] tables",
                rule_id=rule_id,
                kind=kind,
                key="example",
            )
            return tuple(found)
        for number, pair in enumerate(pairs, 1):
            if not isinstance(pair, dict):
                self.problem(
                    f"example {number} must be a table", rule_id=rule_id, kind=kind, key="example"
                )
                continue
            values, errors = validate_options(pair, EXAMPLE_OPTIONS, frozenset())
            for error in errors:
                self.problem(
                    f"example {number}: {error}",
                    rule_id=rule_id,
                    kind=kind,
                    key=f"example.{error.key}",
                )
            if not errors:
                found.append(
                    Example(
                        values["name"] or f"example[{number}]", values["input"], values["output"]
                    )
                )
        return tuple(found)
