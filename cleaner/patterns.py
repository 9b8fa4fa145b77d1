"""Compiling rule patterns: `regex` syntax is the contract, `re` runs them where it means the same.

Rule authors write patterns in the syntax of the PyPI `regex` module, and every pattern is
validated with it. Which module then runs a pattern is a measured choice:

- Patterns of the bundled rule files run on the standard library's `re` where `re` compiles them
  without complaint: on line patterns it is about twice as fast as `regex`. Anything that only
  `regex` understands (``\\p{L}``, POSIX classes, fuzzy matching, ...) runs on `regex`.
- Patterns searched through whole documents (site fingerprints) that start with ``^`` run on
  `regex`, which jumps from line start to line start; `re` tries every position, ten times slower.
- Patterns of user rule directories run on `regex` with a time limit per call
  (`USER_PATTERN_SECONDS`), because `re` cannot be stopped: a rule that backtracks without end,
  such as ``(a|aa)+b`` on a long line, must cost one document (`PatternTimeout`), not the batch.
  Bundled patterns are reviewed and checked for such backtracking before they ship.
"""

from __future__ import annotations

import importlib
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, Final

import regex

from cleaner.errors import CleanerError

#: Backreferences break when patterns are combined into one alternation (group numbers shift).
_BACKREFERENCE: Final = re.compile(r"(?<!\\)(?:\\\\)*(?:\\[1-9]|\(\?P=|\\g<|\\k<)")
#: ``(?P<name>`` not preceded by an escaping backslash.
_NAMED_GROUP: Final = re.compile(r"(?<!\\)((?:\\\\)*)\(\?P<\w+>")

COMPILED_KEPT: Final = 8192
"""Patterns whose compiled form (`compile_on_re`) and other answers are kept: the bundled rules
several times over, since every site's plan compiles the common rules again."""

USER_PATTERN_SECONDS = 1.0
"""How long one match of a user rule's pattern may take before the document is given up."""

Pattern = Any
"""A compiled pattern of either module, or a `TimedPattern`: match, fullmatch, search, sub."""


class PatternError(ValueError):
    """A pattern that does not compile, with the compiler's own message."""


class PatternTimeout(CleanerError):
    """A user rule's pattern took too long on a line; the document is skipped, the batch goes on.

    `rule` names the rule file and rule (or fingerprint) whose pattern it was.
    """

    def __init__(self, rule: str, seconds: float, line: int | None = None) -> None:
        self.rule, self.seconds, self.line = rule, seconds, line
        where = f"line {line}: " if line is not None else ""
        super().__init__(
            f"{where}{rule}: its pattern took more than {seconds:g} s on "
            + ("this line" if line is not None else "this document")
            + ", so the document was not cleaned. The rule's pattern is at fault, not the input: "
            "rewrite it without repeats that can match the same text in many ways (such as "
            "(a+)+ or (a|aa)+), check it with `cleaner rules check`, and run again"
        )

    def at_line(self, line: int) -> PatternTimeout:
        """The same error, naming the line of the document it happened on."""
        return PatternTimeout(self.rule, self.seconds, line)


class TimedPattern:
    """A `regex` pattern whose every call gives up after `seconds` with a `PatternTimeout`.

    `blame` names the rule at fault, given the text the pattern gave up on: a pattern made of
    several rules (a site's combined line matcher) finds out which one it was.
    """

    __slots__ = ("_checked", "_flags", "_source", "blame", "seconds")

    def __init__(
        self,
        source: str,
        flags: int,
        seconds: float,
        blame: Callable[[str], str],
        checked: Any = None,
    ) -> None:
        self._source, self._flags = source, flags
        self._checked = checked  # compiled on first use when not given
        self.seconds = seconds
        self.blame = blame

    @property
    def _compiled(self) -> Any:
        if self._checked is None:
            self._checked = regex.compile(self._source, self._flags | regex.VERSION0)
        return self._checked

    @property
    def pattern(self) -> str:
        return self._source

    @property
    def flags(self) -> int:
        return self._flags

    @property
    def groupindex(self) -> dict[str, int]:
        return dict(self._compiled.groupindex)

    def match(self, string: str) -> Any:
        return self._call(self._compiled.match, string)

    def fullmatch(self, string: str, pos: int = 0) -> Any:
        try:
            return self._compiled.fullmatch(string, pos, timeout=self.seconds)
        except TimeoutError:
            raise PatternTimeout(self.blame(string), self.seconds) from None

    def search(self, string: str) -> Any:
        return self._call(self._compiled.search, string)

    def sub(self, replacement: str, string: str, count: int = 0) -> str:
        try:
            return str(self._compiled.sub(replacement, string, count, timeout=self.seconds))
        except TimeoutError:
            raise PatternTimeout(self.blame(string), self.seconds) from None

    def _call(self, method: Callable[..., Any], string: str) -> Any:
        try:
            return method(string, timeout=self.seconds)
        except TimeoutError:
            raise PatternTimeout(self.blame(string), self.seconds) from None


_time_limit: ContextVar[tuple[float, str] | None] = ContextVar("time_limit", default=None)
_validated: ContextVar[bool] = ContextVar("validated", default=False)


@contextmanager
def time_limited(seconds: float | None, rule: str, *, validated: bool = False) -> Iterator[None]:
    """Patterns compiled inside run on `regex` and give up after `seconds`, naming `rule`.

    With `seconds` None, patterns compile as usual (no limit). `validated` patterns (of a
    rule file already loaded) are compiled only when first used: a plan keeps the source of
    most line patterns in its combined matcher and never runs them alone, and a generated
    rule file may have 100,000 of them.
    """
    token = _time_limit.set(None if seconds is None else (seconds, rule))
    checked = _validated.set(validated)
    try:
        yield
    finally:
        _validated.reset(checked)
        _time_limit.reset(token)


def current_time_limit() -> tuple[float, str] | None:
    """The (seconds, rule) limit that patterns compiled now get, or None."""
    return _time_limit.get()


def compile_pattern(
    source: str, *, ignore_case: bool = False, multiline: bool = False, search: bool = False
) -> Pattern:
    """Validate `source` with `regex`, then compile it with the module that should run it.

    `search` marks a pattern searched through whole documents rather than matched on lines.
    A pattern without a time limit that `re` reads as `regex` does runs on `re`, so it is
    compiled by `re` alone: compiling every bundled pattern with `regex` as well took a
    third of the start-up.
    """
    flags = (re.IGNORECASE if ignore_case else 0) | (re.MULTILINE if multiline else 0)
    limit = _time_limit.get()
    if limit is not None and _validated.get():
        seconds, rule = limit
        return TimedPattern(source, flags, seconds, lambda text: rule)
    on_regex = limit is not None or (search and multiline and source.startswith("^"))
    if not on_regex and (on_re := compile_on_re(source, flags)) is not None:
        return on_re
    try:
        checked = regex.compile(source, flags | regex.VERSION0)
    except regex.error as exc:
        raise PatternError(str(exc)) from None
    if limit is not None:
        seconds, rule = limit
        return TimedPattern(source, flags, seconds, lambda text: rule, checked)
    return checked


def alternation(sources: tuple[str, ...]) -> Pattern:
    """The alternation of `sources`, patterns already validated, on `re` where it reads them."""
    combined = "|".join(sources)
    return compile_on_re(combined, 0) or regex.compile(combined, regex.VERSION0)


def timed_alternation(
    branches: list[tuple[str, tuple[float, str] | None]],
) -> TimedPattern:
    """The alternation of `branches` (source and limit) on `regex`, under the longest limit.

    When it gives up, each limited branch is tried alone to find the rule at fault.
    """
    limits = [limit for _, limit in branches if limit is not None]
    seconds = max(s for s, _ in limits)
    combined = "|".join(source for source, _ in branches)

    def blame(text: str) -> str:
        for source, limit in branches:
            if limit is None:
                continue
            try:
                regex.compile(source, regex.VERSION0).fullmatch(text, timeout=limit[0])
            except TimeoutError:
                return limit[1]
        return " or ".join(rule for _, rule in limits)

    return TimedPattern(combined, 0, seconds, blame)


def check_replacement(pattern: Pattern, replacement: str) -> None:
    """Raise `PatternError` when `replacement` is not a template `pattern` can substitute
    (a group it does not have, say). `regex` reads a template only on a match, so it is tried
    on a variant of the pattern that also matches the empty text, with the same groups."""
    try:
        if isinstance(pattern, re.Pattern):
            pattern.sub(replacement, "")
        else:
            either = regex.compile(f"(?:{pattern.pattern})|", pattern.flags | regex.VERSION0)
            either.sub(replacement, "")
    except (re.error, regex.error, IndexError) as exc:
        raise PatternError(str(exc)) from None


_PARSER: Final[Any] = importlib.import_module("re._parser")
_COMPILER: Final[Any] = importlib.import_module("re._compiler")
_SRE: Final[Any] = importlib.import_module("_sre")

PARSES_KEPT: Final = 4096
"""Parses `parse_on_re` keeps: those of the bundled rules, and the last few thousand of a user's
generated blocklist (a parse is larger than the facts read off it)."""

_PARSE_ALIKE: Final = re.IGNORECASE | re.MULTILINE | re.DOTALL
"""Flags under which `re` parses a pattern as it does without them (they act when compiling)."""


@lru_cache(maxsize=PARSES_KEPT)
def parse_on_re(source: str) -> Any:
    """The parse of `source` by `re`'s own parser, or None where `re` rejects it or warns that
    it reads it differently from `regex` ("possible nested set"). Compiling a pattern
    (`compile_on_re`) and reading facts off it (`cleaner.prefilter`) share it: parsing is about
    half of compiling, and every bundled pattern is read both ways at start-up."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return _PARSER.parse(source, 0)
        except Exception:  # a private parser: any surprise just means "not known"
            return None


@lru_cache(maxsize=COMPILED_KEPT)
def compile_on_re(source: str, flags: int) -> re.Pattern[str] | None:
    """`source` compiled by `re`, or None when `re` rejects it or reads it differently.

    Remembered: every site's plan compiles the common rules again, and the line matchers of
    every site try the same common patterns alone (`re`'s own cache keeps 512 patterns).
    """
    with warnings.catch_warnings():
        # re warns where it reads a pattern differently from regex ("possible nested set").
        warnings.simplefilter("error")
        try:
            if flags & ~_PARSE_ALIKE:
                return re.compile(source, flags)
            parsed = parse_on_re(source)
            return _compiled(source, parsed, flags) if parsed is not None else None
        except (re.error, FutureWarning, DeprecationWarning):
            return None


def _compiled(source: str, parsed: Any, flags: int) -> re.Pattern[str]:
    """What `re.compile(source, flags)` makes, from the parse of `source`: the steps of
    `re._compiler.compile` after its parse (a test holds the two equal on every bundled
    pattern)."""
    state = parsed.state
    names: list[str | None] = [None] * state.groups
    for name, index in state.groupdict.items():
        names[index] = name
    code = _COMPILER._code(parsed, flags)
    pattern: re.Pattern[str] = _SRE.compile(
        source, flags | state.flags, code, state.groups - 1, state.groupdict, tuple(names)
    )
    return pattern


def source_with_flags(pattern: Pattern) -> str:
    """The source of compiled `pattern`, its case-insensitive flag (if any) written in, so that
    it can be read or combined on its own."""
    source = str(pattern.pattern)
    return f"(?i:{source})" if pattern.flags & re.IGNORECASE else source


@lru_cache(maxsize=COMPILED_KEPT)
def has_backreference(source: str) -> bool:
    """True when `source` refers back to a group, which a combined alternation cannot keep."""
    return _BACKREFERENCE.search(source) is not None


@lru_cache(maxsize=COMPILED_KEPT)
def without_group_names(source: str) -> str:
    """`source` with named groups made non-capturing, so several can share one alternation."""
    return _NAMED_GROUP.sub(r"\1(?:", source)
