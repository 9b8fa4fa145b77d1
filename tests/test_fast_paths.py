"""The engine's speed-ups change nothing: length bands, the time limit of user patterns, the
quick tests of the sequence filters."""

from __future__ import annotations

import re
import warnings
from itertools import product
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import cleaner.line_matcher as cleaner_line_matcher
import cleaner.rulebook
from cleaner import Cleaner
from cleaner.api import split_lines
from cleaner.cli import main
from cleaner.kinds import drop_echo
from cleaner.kinds.drop_echo import Echoes
from cleaner.patterns import PatternTimeout, TimedPattern, compile_on_re
from cleaner.prefilter import fold, literal_start
from cleaner.shape import is_alnum, is_prose, is_space, words
from tests.conftest import DEVSET, ROOT, SEEDS

_SLOW_RULE = """
[[rule]]
id = "runaway"
kind = "drop_line"
pattern = '(a|aa)+b'
"""
#: A line the runaway pattern backtracks on without end; it starts and ends as a match would, so
#: no prefilter spares the pattern.
_RUNAWAY_LINE = "a" * 5000 + "cb"


def _reference_lines() -> list[str]:
    """Every line of the documents at hand: examples, golden cases, the shared sets if present."""
    paths = [*ROOT.glob("examples/*.txt"), *ROOT.glob("tests/cases/*/*.txt")]
    for folder in (SEEDS, DEVSET):
        if folder.is_dir():
            paths += sorted(folder.rglob("*.txt"))
    return [
        line.strip()
        for path in paths
        for line in split_lines(path.read_text(encoding="utf-8"))
        if line.strip()
    ]


def test_the_line_matcher_picks_the_same_rule_as_the_whole_alternation(cleaner: Cleaner) -> None:
    lines = _reference_lines()
    for plan in cleaner.rulebook.plans.values():
        for matcher in (plan.line_matcher, plan.body_matcher):
            whole = matcher.whole if matcher is not None else None
            if matcher is None or whole is None:
                continue
            for line in lines:
                expected = whole.fullmatch(line)
                got = matcher.rule_of(line)
                assert got == (expected and expected.lastgroup), (plan.site, line)


#: Characters that case-blind matching takes for ASCII letters, beyond upper and lower case.
_CASE_LOOKALIKES = {"i": ("\u0130", "\u0131"), "s": ("\u017f",), "k": ("\u212a",)}


def _case_variants(line: str, size: int) -> list[str]:
    """`line` with its first `size` characters in other cases, one look-alike at a time."""
    head, rest = line[:size], line[size:]
    variants = [head.upper() + rest, head.lower() + rest, head.swapcase() + rest]
    for position, char in enumerate(head):
        for other in _CASE_LOOKALIKES.get(char.lower(), ()):
            variants.append(head[:position] + other + head[position + 1 :] + rest)
    variants.append(head[:1] + "\u0307" + head[1:] + rest)  # a combining dot, which fold drops
    return variants


def test_a_line_is_tried_by_its_start_as_the_whole_alternation_reads_it(cleaner: Cleaner) -> None:
    """Lines that start as a pattern's literal start, in every case and with the characters
    case-blind matching takes for ASCII letters: the start test, which folds only a line's
    first characters, drops none that a pattern matches."""
    lines = _reference_lines()
    checked = 0
    for plan in cleaner.rulebook.plans.values():
        matcher = plan.line_matcher
        whole = matcher.whole
        assert whole is not None
        starts = {
            start
            for _, start in filter(None, map(literal_start, (b.body for b in matcher.branches)))
        }
        for line in lines:
            folded = fold(line)
            for start in starts:
                if not folded.startswith(start.lower()):
                    continue
                for variant in _case_variants(line, len(start)):
                    expected = whole.fullmatch(variant)
                    assert matcher.rule_of(variant) == (expected and expected.lastgroup), variant
                    checked += 1
    assert checked > 100


def test_a_remembered_line_gets_the_answer_of_its_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every line twice, with memories of lines and of first and last characters so small
    that they are forgotten over and over: the answers stay those of the whole alternation,
    and the memories their size."""
    monkeypatch.setattr(cleaner_line_matcher, "MEMO_LINES", 50)
    monkeypatch.setattr(cleaner_line_matcher, "ROUTES_KEPT", 20)
    lines = _reference_lines()
    matcher = Cleaner().rulebook.plan_for("hindustantimes").line_matcher
    whole = matcher.whole
    assert whole is not None
    for line in lines + lines:
        expected = whole.fullmatch(line)
        assert matcher.rule_of(line) == (expected and expected.lastgroup), line
        assert len(matcher._known) <= 50
        routes = sum(len(by_last) for band in matcher._routes for by_last in band.values())
        assert routes == matcher._routed <= 20
    assert matcher._known


def test_bundled_patterns_run_on_re(cleaner: Cleaner) -> None:
    for plan in cleaner.rulebook.plans.values():
        assert isinstance(plan.line_matcher.whole, re.Pattern)


def test_a_pattern_compiled_from_its_shared_parse_is_what_re_compiles(cleaner: Cleaner) -> None:
    """`compile_on_re` compiles from the parse it shares with the prefilter: every pattern of
    the bundled rules (alone, as a line matcher tries it, and each site's alternation) and
    every fingerprint, with each flag it may get, is equal to `re.compile`'s, code and all."""
    sources: set[str] = {
        fingerprint.pattern.pattern for fingerprint in cleaner.rulebook.fingerprints
    }
    for plan in cleaner.rulebook.plans.values():
        for matcher in (plan.line_matcher, plan.body_matcher):
            if matcher is None:
                continue
            assert matcher.whole is not None
            sources.add(matcher.whole.pattern)
            for index, branch in enumerate(matcher.branches):
                sources.update((branch.body, branch.source, matcher.alone(index).pattern))
    assert len(sources) > 100
    for source, flags in product(sorted(sources), (0, re.IGNORECASE, re.MULTILINE, re.DOTALL)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                expected: re.Pattern[str] | None = re.compile(source, flags)
            except FutureWarning:
                expected = None
        assert compile_on_re(source, flags) == expected, source


def _slow_rules(rules_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Cleaner:
    monkeypatch.setattr(cleaner.rulebook, "USER_PATTERN_SECONDS", 0.05)
    (rules_dir / "slow.toml").write_text(
        '[site]\ndomains = ["slow.example"]\n' + _SLOW_RULE, encoding="utf-8"
    )
    return Cleaner([rules_dir])


def test_user_patterns_run_with_a_time_limit(
    rules_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _slow_rules(rules_dir, monkeypatch).rulebook.plan_for("slow")
    assert isinstance(plan.line_matcher.whole, TimedPattern)


def test_a_runaway_user_pattern_names_the_rule_file_rule_and_line(
    rules_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = _slow_rules(rules_dir, monkeypatch)
    with pytest.raises(PatternTimeout) as caught:
        slow.clean(f"Title\n\n{_RUNAWAY_LINE}\n", site="slow")
    message = str(caught.value)
    assert message.startswith("line 3: ")
    assert f'{rules_dir / "slow.toml"}: rule "runaway" (drop_line)' in message


def test_a_batch_reports_a_runaway_pattern_and_cleans_the_other_documents(
    rules_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _slow_rules(rules_dir, monkeypatch)
    stuck, fine = tmp_path / "stuck.txt", tmp_path / "fine.txt"
    stuck.write_text(_RUNAWAY_LINE + "\n", encoding="utf-8")
    fine.write_text("A quiet day at the port.\n", encoding="utf-8")
    args = ["clean", "--rules", str(rules_dir), "--site", "slow", str(stuck), str(fine)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "stuck.txt" in result.stderr and '"runaway"' in result.stderr
    assert result.stdout == "A quiet day at the port.\n"


def _doubled_by_definition(line: str) -> bool:
    half = len(line) // 2
    return any(
        len(first) >= 20 and first.strip() == second.strip()
        for first, second in ((line[:half], line[half:]), (line[:half], line[half + 1 :]))
    )


_PIECES = st.text(alphabet="ab. \u00a0\t", min_size=1, max_size=40)


@given(_PIECES, st.sampled_from(["", " ", "  ", "\u00a0", " \t "]), st.sampled_from(["", "x"]))
def test_the_quick_test_for_a_doubled_line_misses_none(piece: str, gap: str, extra: str) -> None:
    for line in (f"{piece}{gap}{piece}{extra}".strip(), f"{piece}{extra}{gap}{piece}".strip()):
        if line:
            assert Echoes._doubled(line) == _doubled_by_definition(line), repr(line)


def test_a_space_and_a_letter_are_told_by_their_code_as_str_tells_them() -> None:
    for code in range(0x3100):  # U+3000 is the last space character
        assert is_space(code) == chr(code).isspace(), hex(code)
        assert is_alnum(code) == chr(code).isalnum(), hex(code)


@given(st.text(alphabet=" \t\x1c\u00a0\u3000ab1&\u2022\u0915\u093e-", max_size=30))
def test_words_are_counted_as_the_split_words_with_a_letter_or_digit(text: str) -> None:
    expected = sum(1 for token in text.split() if any(char.isalnum() for char in token))
    assert words(text) == expected


@given(st.text(alphabet=" \t\x1c\u00a0\u3000ab\u2019", max_size=30), st.integers(1, 5))
def test_words_are_counted_as_str_split_counts_them(text: str, count: int) -> None:
    assert drop_echo._has_words(text, count) == (len(text.split()) >= count)


@given(st.text(alphabet="ab", max_size=6), st.text(alphabet="ab", min_size=1, max_size=6))
def test_a_line_starts_its_title_or_with_it_by_one_test(line: str, title: str) -> None:
    expected = line.startswith(title) or title.startswith(line)
    assert drop_echo._starts_either(line, title) == expected


def _echoes_by_definition(echoes: Echoes, texts: list[str]) -> set[int]:
    """Which lines `Echoes.find` drops, as a loop over every line and every title."""
    titles = [(j, t) for j, t in enumerate(texts) if echoes.is_title(t)]
    found = {
        i
        for i, line in enumerate(texts)
        if echoes._doubled(line) or any(echoes._frames(line, t) for j, t in titles if j != i)
    }
    body = next((i for i, text in enumerate(texts) if is_prose(text)), len(texts))
    teasers = {
        j for j, t in titles if j > body and any(echoes._frames(line, t) for line in texts[j + 1 :])
    }
    headlines = [(j, t) for j, t in titles if j not in found]
    for i, line in enumerate(texts):
        for j, t in headlines:
            if j < i and echoes._repeats(line, t):
                found.add(i)
                if j > body:
                    teasers.add(j)
        if i and echoes._with_credit(line, texts[i - 1]):
            found.update((i - 1, i))
    return found | teasers


def _echo_forms() -> list[str]:
    """Lines in every form `Echoes` knows, of two headlines, and lines that echo nothing."""
    forms = [
        "{h}",
        "{h} | Coast Herald",
        "Home / City / {h}",
        "Home / City / {h3}...",
        "{slug}",
        "{h3}",
        "{h} Crowds gathered on the quay to watch it open",
        "{h} {h}",
        "Crowds gathered on the quay to watch the first tram",
        "Crowds gathered on the quay to watch the first tram (Photo: Ana Ruiz)",
        "The bridge carried its first trams on Monday.",
    ]
    headlines = ["Harbour Bridge Reopens After Two Years", "Council Votes to Extend the Tram Line"]
    return list(
        dict.fromkeys(
            form.format(h=h, h3=" ".join(h.split()[:3]), slug=h.lower())
            for h in headlines
            for form in forms
        )
    )


def test_echoes_are_found_title_by_title_as_line_by_line() -> None:
    echoes = Echoes(min_title_words=4, max_title_length=150, max_trail=60)
    forms = _echo_forms()
    for size in (1, 2, 3):
        for window in product(forms, repeat=size):
            texts = list(window)
            assert echoes.find(texts) == _echoes_by_definition(echoes, texts), texts
