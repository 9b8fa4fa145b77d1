"""Option schemas: each rule kind declares its options as data; one validator checks them all."""

from __future__ import annotations

import difflib
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

OptType = Literal["string", "pattern", "bool", "int", "strings", "patterns"]

_PYTHON_TYPES: dict[OptType, tuple[type, ...]] = {
    "string": (str,),
    "pattern": (str,),
    "bool": (bool,),
    "int": (int,),
    "strings": (list,),
    "patterns": (list,),
}
_TYPE_NAMES: dict[OptType, str] = {
    "string": "a string",
    "pattern": "a regex pattern string",
    "bool": "true or false",
    "int": "a whole number",
    "strings": "a list of strings",
    "patterns": "a list of regex pattern strings",
}


@dataclass(frozen=True)
class Opt:
    """One option of a rule kind: its type, whether it is required, its default, its meaning."""

    type: OptType
    help: str
    required: bool = False
    default: Any = None
    minimum: int | None = None
    choices: tuple[str, ...] | None = None


class OptionError(ValueError):
    """A bad value for one key of one rule; the loader adds the file and rule id."""

    def __init__(self, key: str | None, message: str) -> None:
        self.key = key
        super().__init__(message)


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 80
_SHORT.maxlevel = 3


def shown(value: Any) -> str:
    """`value` as a message shows it: its repr, cut short when it is long or deeply nested.

    >>> shown([[[[1]]]]), len(shown("x" * 10_000))
    ('[[[[...]]]]', 80)
    """
    return _SHORT.repr(value)


def did_you_mean(word: str, choices: list[str]) -> str:
    """A ``; did you mean "x"?`` hint, or nothing when no choice is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


def validate_options(
    table: Mapping[str, Any], options: Mapping[str, Opt], ignored: frozenset[str]
) -> tuple[dict[str, Any], list[OptionError]]:
    """Check `table` against `options`: unknown keys, missing keys and types; fill defaults.

    Keys in `ignored` belong to the rule itself (id, kind, examples) and are checked elsewhere.
    """
    errors: list[OptionError] = []
    values: dict[str, Any] = {}
    allowed = sorted(options) + sorted(ignored)
    for key, value in table.items():
        if key in ignored:
            continue
        opt = options.get(key)
        if opt is None:
            errors.append(
                OptionError(
                    key, f"unknown key{did_you_mean(key, allowed)} (allowed: {', '.join(allowed)})"
                )
            )
            continue
        problem = _type_problem(value, opt)
        if problem:
            errors.append(OptionError(key, problem))
            continue
        values[key] = value
    for key, opt in options.items():
        if key in values:
            continue
        if opt.required and key not in table:
            errors.append(OptionError(key, f"missing required key: {opt.help}"))
        else:
            values[key] = opt.default
    return values, errors


def _type_problem(value: Any, opt: Opt) -> str | None:
    wanted = _TYPE_NAMES[opt.type]
    # bool is an int in Python; a TOML `true` must not pass as a number.
    if not isinstance(value, _PYTHON_TYPES[opt.type]) or (
        opt.type == "int" and isinstance(value, bool)
    ):
        return f"expected {wanted}, got {_toml_type(value)} {shown(value)}"
    items: list[Any] = value if isinstance(value, list) else []
    if opt.type in ("strings", "patterns"):
        for index, item in enumerate(items):
            if not isinstance(item, str):
                return f"expected {wanted}; item {index} is {_toml_type(item)} {shown(item)}"
    if opt.minimum is not None and isinstance(value, int) and value < opt.minimum:
        return f"expected a number >= {opt.minimum}, got {value}"
    if opt.choices is not None and value not in opt.choices:
        hint = did_you_mean(str(value), list(opt.choices))
        return f"expected one of {', '.join(opt.choices)}, got {value!r}{hint}"
    return None


def _toml_type(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)
