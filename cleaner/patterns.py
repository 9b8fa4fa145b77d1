"""Compiling rule patterns: `regex` syntax is the contract, `re` runs them where it means the same.

Rule authors write patterns in the syntax of the PyPI `regex` module, and every pattern is
validated with it. The standard library's `re` matches the patterns both modules accept about
twice as fast, so a pattern that `re` compiles without complaint runs on `re`; anything that only
`regex` understands (``\\p{L}``, POSIX classes, fuzzy matching, ...) runs on `regex`.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import regex

#: Backreferences break when patterns are combined into one alternation (group numbers shift).
_BACKREFERENCE = re.compile(r"(?<!\\)(?:\\\\)*(?:\\[1-9]|\(\?P=|\\g<|\\k<)")
#: ``(?P<name>`` not preceded by an escaping backslash.
_NAMED_GROUP = re.compile(r"(?<!\\)((?:\\\\)*)\(\?P<\w+>")

Pattern = Any
"""A compiled pattern of either module; both expose match/fullmatch/search/sub/finditer."""


class PatternError(ValueError):
    """A pattern that does not compile, with the compiler's own message."""


def compile_pattern(source: str, *, ignore_case: bool = False, multiline: bool = False) -> Pattern:
    """Validate `source` with `regex`, then compile it with `re` where `re` accepts it as is."""
    flags = (re.IGNORECASE if ignore_case else 0) | (re.MULTILINE if multiline else 0)
    try:
        regex.compile(source, flags | regex.VERSION0)
    except regex.error as exc:
        raise PatternError(str(exc)) from None
    with warnings.catch_warnings():
        # re warns where it reads a pattern differently from regex ("possible nested set").
        warnings.simplefilter("error")
        try:
            return re.compile(source, flags)
        except (re.error, FutureWarning, DeprecationWarning):
            return regex.compile(source, flags | regex.VERSION0)


def has_backreference(source: str) -> bool:
    """True when `source` refers back to a group, which a combined alternation cannot keep."""
    return _BACKREFERENCE.search(source) is not None


def without_group_names(source: str) -> str:
    """`source` with named groups made non-capturing, so several can share one alternation."""
    return _NAMED_GROUP.sub(r"\1(?:", source)
