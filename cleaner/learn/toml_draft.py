"""Writing a draft rule file: TOML in the form of the bundled rule files, ready to review.

Patterns are written as TOML literal strings (``'...'``), as authors write them, so that a
regex reads the same in the file as anywhere else; anything else as a basic string.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from cleaner.learn.rules import DraftRule

_PATTERN_KEYS = frozenset({"pattern", "start", "end", "credit"})


@dataclass(frozen=True)
class DraftFile:
    """What a draft rule file says: the site, a comment for the reader, and the rules."""

    site: str
    name: str
    domains: tuple[str, ...]
    fingerprints: tuple[str, ...]
    comment: str
    rules: tuple[DraftRule, ...]


def basic(text: str) -> str:
    """`text` as a TOML basic string."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def pattern_string(source: str) -> str:
    """`source` as a TOML literal string where it can be one, else a basic string."""
    if "'" in source or any(ord(c) < 32 or ord(c) == 127 for c in source):
        return basic(source)
    return f"'{source}'"


def _value(key: str, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return pattern_string(value) if key in _PATTERN_KEYS else basic(value)
    if isinstance(value, Sequence):
        items = [pattern_string(v) if key == "patterns" else basic(str(v)) for v in value]
        one_line = f"[{', '.join(items)}]"
        if len(one_line) + len(key) + 3 <= 100:
            return one_line
        return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def render(draft: DraftFile) -> str:
    """The text of the draft rule file."""
    out = [f"# {line}" if line else "#" for line in _wrap(draft.comment)]
    out += ["", "[site]", f"name = {basic(draft.name)}"]
    out.append(f"domains = {_value('domains', list(draft.domains))}")
    if draft.fingerprints:
        out.append(f"fingerprints = {_value('patterns', list(draft.fingerprints))}")
    for rule in draft.rules:
        out += ["", "[[rule]]", f"id = {basic(rule.id)}", f"kind = {basic(rule.kind)}"]
        out.append(f"description = {basic(rule.description)}")
        for key, value in rule.options.items():
            out.append(f"{key} = {_value(key, value)}")
        if rule.must_drop:
            out.append(f"must_drop = {_value('must_drop', rule.must_drop)}")
        if rule.must_keep:
            out.append(f"must_keep = {_value('must_keep', rule.must_keep)}")
    return "\n".join(out) + "\n"


def _wrap(comment: str) -> list[str]:
    lines: list[str] = []
    for paragraph in comment.split("\n"):
        lines += textwrap.wrap(paragraph, 96) or [""]
    return lines
