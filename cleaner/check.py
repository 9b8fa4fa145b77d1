"""Checking rule files before they are used: everything `cleaner rules check` reports.

Loading a rule file already refuses what cannot run (bad TOML, unknown keys, wrong types, regexes
that do not compile, duplicate ids, domains claimed twice). A file can load and still be wrong,
so the check goes further: every example of every rule is run, and each pattern is examined for
three faults that examples rarely reveal, each reported only on evidence, never on a guess:

- a pattern that can never match a line (it needs a line end, or text after ``$``);
- a line that a rule lists but another rule of the file takes first (shadowing);
- a pattern that backtracks catastrophically, found by running it under a time limit on inputs
  built from the pattern itself (long runs of what a repeated part accepts, followed by a
  character that forces the match to fail): with the `regex` module, and, for a pattern the
  engine runs on `re`, on `re` in a child process that is killed when the time is up.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import regex

from cleaner import engine
from cleaner.errors import RuleFileError, RuleProblem
from cleaner.examples import check_example
from cleaner.patterns import compile_on_re
from cleaner.plan import Plan
from cleaner.rulebook import RULES_ENV, compile_plan, load_rulebook, rule_dirs
from cleaner.rulefile import LoadedRule, SiteRules, load_rule_file

TIME_BOUND = 0.1
"""Seconds one adversarial match may take before its pattern is reported as backtracking."""
ATTACK_LENGTHS = (32, 512)
"""Repeats of the attacked part: enough for exponential, then for polynomial blow-ups."""
CHILD_START_SECONDS = 5.0
"""How long a child process trying patterns on `re` may take to start."""
FAILING_ENDS = ("!", " ", "\u00a7")
"""Characters put after the long run to make the match fail and the engine backtrack."""

_PARSER: Any = importlib.import_module("re._parser")
_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})
_LINE_END_CHARS = frozenset({ord("\n"), ord("\r")})
_CANDIDATE_CHARS = "a1 .!Z_-"


@dataclass(frozen=True)
class CheckReport:
    """What a check looked at and every problem it found."""

    files: tuple[Path, ...]
    examples: int
    problems: tuple[RuleProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_rules(paths: Sequence[Path] = (), extra_dirs: Sequence[Path] = ()) -> CheckReport:
    """Check the rule files in `paths` (files or directories), or, with none, every rule file
    a run would load: the bundled ones, ``$CLEANER_RULES`` and `extra_dirs`.

    Problems that span files (a domain claimed twice, a disabled common rule that does not
    exist) are judged against what a run with these files would load.
    """
    problems: list[RuleProblem] = []
    if paths:
        files = []
        for path in paths:
            if path.is_dir():
                in_directory = sorted(path.glob("*.toml"))
                if not in_directory:
                    problems.append(
                        RuleProblem(
                            path, "no rule files (*.toml) in this directory; check the path"
                        )
                    )
                files += in_directory
            elif path.is_file():
                files.append(path)
            else:
                problems.append(RuleProblem(path, "not found; give a rule file or directory"))
        context = [*extra_dirs, *dict.fromkeys(p.parent for p in files)]
    else:
        files = []
        for directory in rule_dirs(extra_dirs):
            if directory.is_dir():
                files += sorted(directory.glob("*.toml"))
            else:
                problems.append(RuleProblem(directory, f"rule directory not found (${RULES_ENV})"))
        context = list(extra_dirs)
    examples = 0
    for path in files:
        site, found = load_rule_file(path)
        problems += found
        if site is not None:
            examples += sum(len(loaded.examples) for loaded in site.rules)
            problems += check_site(site)
    problems += _cross_file_problems(context, files, problems)
    return CheckReport(tuple(files), examples, tuple(problems))


def _cross_file_problems(
    dirs: Sequence[Path], files: Sequence[Path], known: Sequence[RuleProblem]
) -> list[RuleProblem]:
    """The rulebook's own problems about `files` that the per-file checks did not find."""
    try:
        load_rulebook(dirs)
    except RuleFileError as exc:
        checked = {path.resolve() for path in files}
        return [p for p in exc.problems if p.path.resolve() in checked and p not in known]
    return []


def check_site(site: SiteRules) -> list[RuleProblem]:
    """The problems of one loaded rule file: failing examples and faulty patterns."""
    problems: list[RuleProblem] = []
    plan = file_plan(site)
    for loaded in site.rules:
        ref = loaded.ref

        def problem(message: str, key: str | None = None, *, rule: LoadedRule = loaded) -> None:
            problems.append(RuleProblem(site.path, message, rule.ref.rule_id, rule.ref.kind, key))

        for example in loaded.examples:
            failure = check_example(loaded, example)
            if failure is not None:
                problem(failure.removeprefix(f"{ref} ").replace("\n", "\n    "), "example")
        for use in _patterns(loaded):
            if never_matches_a_line(use.source):
                problem(f"pattern {use.source!r} can never match a line", use.key)
            slow = backtracking_input(
                use.source, searched=use.searched, ignore_case=use.ignore_case
            )
            if slow is not None:
                problem(
                    f"pattern {use.source!r} backtracks catastrophically: it runs for more than "
                    f"{TIME_BOUND:g} s on {_shorten(slow)}; remove nested or overlapping "
                    "repeats such as (a|aa)+ or (a+)+",
                    use.key,
                )
        for line, other in shadowed_lines(plan, loaded):
            problem(f"line {line!r} is taken by rule {other!r} first, so this rule never sees it")
    for source in (pattern.pattern for pattern in site.fingerprints):
        slow = backtracking_input(source, searched=True)
        if slow is not None:
            problems.append(
                RuleProblem(
                    site.path,
                    f"fingerprint {source!r} backtracks catastrophically on {_shorten(slow)}",
                    key="site.fingerprints",
                )
            )
    return problems


class PatternUse(NamedTuple):
    """A regex a rule sets, and how the engine runs it."""

    key: str
    source: str
    searched: bool  # searched through a line; otherwise matched against the whole line
    ignore_case: bool


#: Options whose pattern the engine searches for inside a line, by kind.
_SEARCHED = {("substitute", "pattern"), ("drop_caption", "credit")}


def _patterns(loaded: LoadedRule) -> Iterator[PatternUse]:
    """Every regex option the rule sets."""
    options = type(loaded.rule).OPTIONS
    ignore_case = bool(loaded.rule.options.get("ignore_case"))
    for key, value in loaded.rule.options.items():
        opt = options.get(key)
        if opt is None or value is None or opt.type not in ("pattern", "patterns"):
            continue
        searched = (loaded.ref.kind, key) in _SEARCHED
        for source in [value] if opt.type == "pattern" else value:
            yield PatternUse(key, source, searched, ignore_case)


def _shorten(text: str) -> str:
    return repr(text if len(text) <= 40 else f"{text[:30]}...({len(text)} characters)")


# Patterns that can never match


def never_matches_a_line(source: str) -> bool:
    """True when no line (text without line ends) can match `source`.

    Only two faults are recognised, each certain: a part that needs a line end (``\\n``), and an
    anchor in an impossible place (``$`` followed, or ``^`` preceded, by required text).

    >>> never_matches_a_line(r'Share\\nthis'), never_matches_a_line(r'Total$ \\d+')
    (True, True)
    >>> never_matches_a_line(r'(?:Share|Like)$'), never_matches_a_line(r'[^\\n]+')
    (False, False)
    """
    try:
        parsed = _PARSER.parse(source)
    except Exception:  # only `regex` reads it; the check does not apply
        return False
    return _impossible(parsed)


def _impossible(sequence: Any) -> bool:
    items = list(sequence)
    for index, (op, value) in enumerate(items):
        name = str(op)
        if name == "AT":
            at = str(value)
            if at in ("AT_END", "AT_END_STRING") and _min_width(sequence, items[index + 1 :]):
                return True
            if at in ("AT_BEGINNING", "AT_BEGINNING_STRING") and _min_width(
                sequence, items[:index]
            ):
                return True
        elif _impossible_item(name, value):
            return True
    return False


def _impossible_item(name: str, value: Any) -> bool:
    if name == "LITERAL":
        return value in _LINE_END_CHARS
    if name == "IN":
        return all(str(op) == "LITERAL" and v in _LINE_END_CHARS for op, v in value)
    if name == "SUBPATTERN":
        return _impossible(value[-1])
    if name in ("ATOMIC_GROUP",):
        return _impossible(value)
    if name == "ASSERT":
        return _impossible(value[1])
    if name == "BRANCH":
        return all(_impossible(branch) for branch in value[1])
    if name in _REPEATS:
        return value[0] > 0 and _impossible(value[2])
    return False


def _min_width(sequence: Any, items: list[Any]) -> bool:
    return bool(_PARSER.SubPattern(sequence.state, items).getwidth()[0] > 0)


# Shadowed lines


def file_plan(site: SiteRules) -> Plan:
    """The rules of one file, compiled together as the engine would run them (without the
    common rules, which a site file does not control)."""
    return compile_plan(site.site, site.rules, site.date_order)


def shadowed_lines(plan: Plan, loaded: LoadedRule) -> Iterator[tuple[str, str]]:
    """(line, rule id) for each line `loaded` lists (literal `lines`, `must_drop` examples) that
    another rule of its file's `plan` takes first.

    Line patterns are tried before literal lines, so a pattern anywhere in the file can take a
    literal line; among patterns, the earlier rule wins.
    """
    if loaded.rule.options.get("after") is not None:
        return  # its lines are dropped only in context; alone they say nothing
    listed = [*loaded.rule.options.get("lines", ()), *_must_drop(loaded)]
    for line in dict.fromkeys(listed):
        removals = engine.run(plan, [line], trace=True).removals or []
        taken_by = removals[0].rule if removals else None
        if taken_by is not None and taken_by != str(loaded.ref):
            yield line, taken_by.split(":", 1)[1]


def _must_drop(loaded: LoadedRule) -> list[str]:
    return [e.input for e in loaded.examples if e.name.startswith("must_drop[")]


# Catastrophic backtracking


def backtracking_input(
    source: str, *, searched: bool = False, ignore_case: bool = False
) -> str | None:
    """An input on which `source` runs longer than `TIME_BOUND`, or None if none is found.

    The pattern runs as the engine runs it (`searched` in multi-line mode, or matched in full),
    on `regex` and, where the engine would use it, on `re`, on inputs made from a sample match
    of the pattern with one repeated part stretched and then broken.
    """
    flags = regex.VERSION0 | (regex.IGNORECASE if ignore_case else 0)
    compiled = regex.compile(source, flags | (regex.MULTILINE if searched else 0))
    method = compiled.search if searched else compiled.fullmatch
    inputs = list(adversarial_inputs(source))
    for text in inputs:
        try:
            method(text, timeout=TIME_BOUND)
        except TimeoutError:
            return text
    # `regex` defuses some nested repeats, such as (a+)+b, that make `re` run for minutes;
    # bundled patterns run on `re`, so they are tried on `re` too, where it can be stopped.
    on_re = compile_on_re(
        source, (re.IGNORECASE if ignore_case else 0) | (re.MULTILINE if searched else 0)
    )
    import multiprocessing  # here, not for every command that imports this module

    if on_re is not None and "fork" in multiprocessing.get_all_start_methods():
        return _slow_on_re(on_re, searched, inputs)
    return None


def _slow_on_re(pattern: re.Pattern[str], searched: bool, inputs: list[str]) -> str | None:
    """The first of `inputs` that `pattern` takes longer than `TIME_BOUND` on, tried in a child
    process that is killed then, since `re` has no time limit of its own."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_try_inputs, args=(pattern, searched, inputs, sender))
    child.start()
    sender.close()
    trying: int | None = None
    try:
        while receiver.poll(CHILD_START_SECONDS if trying is None else TIME_BOUND):
            trying = receiver.recv()
            if trying is None:
                return None
        return None if trying is None else inputs[trying]
    except EOFError:
        return None
    finally:
        child.kill()
        child.join()
        receiver.close()


def _try_inputs(pattern: re.Pattern[str], searched: bool, inputs: list[str], sender: Any) -> None:
    """In the child: announce each input, try it; announce the end with None."""
    method = pattern.search if searched else pattern.fullmatch
    for index, text in enumerate(inputs):
        sender.send(index)
        method(text)
    sender.send(None)


def adversarial_inputs(source: str) -> Iterator[str]:
    """Inputs that make a backtracking engine try every way of splitting a long run.

    >>> next(adversarial_inputs('Re: (a|aa)+b'))
    'Re: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!b'
    """
    try:
        parsed = _PARSER.parse(source)
    except Exception:  # only `regex` reads it: stretch common characters instead
        stretches = [("", run, "") for run in ("a", "1", " ", "a ")]
    else:
        stretches = list(_stretches(parsed))
    for head, unit, tail in dict.fromkeys(stretches):
        for length in ATTACK_LENGTHS:
            for end in FAILING_ENDS:
                yield head + unit * length + end + tail


Stretch = tuple[str, str, str]
"""A sample match of a pattern cut around one repeated part: (before, one repeat, after)."""


def _stretches(sequence: Any) -> Iterator[Stretch]:
    items = list(sequence)
    for index, (op, value) in enumerate(items):
        before = _sample_sequence(items[:index])
        after = _sample_sequence(items[index + 1 :])
        for head, unit, tail in _item_stretches(str(op), value):
            yield before + head, unit, tail + after


def _item_stretches(name: str, value: Any) -> Iterator[Stretch]:
    if name in _REPEATS:
        _, most, body = value
        if most > 1:
            yield "", _sample_sequence(body) or "a", ""
        yield from _stretches(body)
    elif name == "SUBPATTERN":
        yield from _stretches(value[-1])
    elif name == "ATOMIC_GROUP":
        yield from _stretches(value)
    elif name == "BRANCH":
        for branch in value[1]:
            yield from _stretches(branch)


def _sample_sequence(sequence: Any) -> str:
    return "".join(_sample(op, value) for op, value in sequence)


def _sample(op: Any, value: Any) -> str:
    """A short text that this part of a pattern matches (empty where that is allowed)."""
    name = str(op)
    if name == "LITERAL":
        return chr(value)
    if name == "NOT_LITERAL":
        return "a" if value != ord("a") else "b"
    if name == "ANY":
        return "a"
    if name == "IN":
        return _class_sample(value)
    if name == "SUBPATTERN":
        return _sample_sequence(value[-1])
    if name == "ATOMIC_GROUP":
        return _sample_sequence(value)
    if name == "BRANCH":
        return _sample_sequence(value[1][0])
    if name in _REPEATS:
        return _sample_sequence(value[2]) * int(value[0])
    return ""


def _class_sample(items: Any) -> str:
    """A character of the class ``[...]`` described by `items`."""
    negated = bool(items) and str(items[0][0]) == "NEGATE"
    members = items[1:] if negated else items
    own: list[str] = [
        chr(v) if str(op) == "LITERAL" else chr(v[0])
        for op, v in members
        if str(op) in ("LITERAL", "RANGE")
    ]
    for char in own + list(_CANDIDATE_CHARS):
        if _in_class(members, char) != negated:
            return char
    return "a"


def _in_class(members: Any, char: str) -> bool:
    code = ord(char)
    for op, value in members:
        kind = str(op)
        if kind == "LITERAL" and value == code:
            return True
        if kind == "RANGE" and value[0] <= code <= value[1]:
            return True
        if kind == "CATEGORY" and _in_category(str(value), char):
            return True
    return False


def _in_category(category: str, char: str) -> bool:
    tests = {
        "CATEGORY_DIGIT": char.isdigit(),
        "CATEGORY_NOT_DIGIT": not char.isdigit(),
        "CATEGORY_SPACE": char.isspace(),
        "CATEGORY_NOT_SPACE": not char.isspace(),
        "CATEGORY_WORD": char.isalnum() or char == "_",
        "CATEGORY_NOT_WORD": not (char.isalnum() or char == "_"),
    }
    return tests.get(category, False)
