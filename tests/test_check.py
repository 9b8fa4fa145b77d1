"""`cleaner rules check`: good and bad rule files, one fault per test. Sites are invented."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cleaner.check import backtracking_input, check_rules
from cleaner.cli import main

SITE = """\
[site]
name = "Harbour Post"
domains = ["harbourpost.example"]
"""


def write(directory: Path, rules: str, name: str = "harbourpost") -> Path:
    path = directory / f"{name}.toml"
    path.write_text(SITE + rules, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    return [str(problem) for problem in check_rules([path]).problems]


def run_check(*args: str) -> Result:
    return CliRunner().invoke(main, ["rules", "check", *args])


def test_bundled_rules_pass() -> None:
    result = run_check()
    assert result.exit_code == 0, result.output
    assert result.output.endswith("all good\n")


def test_a_good_user_file_passes(rules_dir: Path) -> None:
    path = write(
        rules_dir,
        """
[[rule]]
id = "newsletter"
kind = "drop_line"
pattern = 'Sign up for the Harbour Post newsletter.*'
must_drop = ["Sign up for the Harbour Post newsletter today"]
must_keep = ["Readers can sign up for the newsletter at the library."]
""",
    )
    assert problems(path) == []


def test_a_failing_example_is_reported_with_its_diff(rules_dir: Path) -> None:
    path = write(
        rules_dir,
        """
[[rule]]
id = "newsletter"
kind = "drop_line"
pattern = 'Sign up for .*'
must_keep = ["Sign up for the regatta closes on Friday."]
""",
    )
    assert problems(path) == [
        f'{path}: rule "newsletter" (drop_line): key "example": '
        "example 'must_keep[0]' fails:\n"
        "    --- expected\n    +++ actual\n    @@ -1 +0,0 @@\n"
        "    -Sign up for the regatta closes on Friday."
    ]


def test_schema_problems_come_from_the_loader(rules_dir: Path) -> None:
    path = write(
        rules_dir,
        """
[[rule]]
id = "promo"
kind = "drop_line"
patern = 'Promo.*'
""",
    )
    assert len(problems(path)) == 1
    assert 'key "patern": unknown key; did you mean "pattern"?' in problems(path)[0]


def test_a_domain_claimed_by_a_bundled_site_is_reported(rules_dir: Path) -> None:
    path = rules_dir / "copycat.toml"
    path.write_text('[site]\ndomains = ["hindustantimes.com"]\n', encoding="utf-8")
    [problem] = problems(path)
    assert problem.startswith(f"{path}: key \"site.domains\": domain 'hindustantimes.com'")


def test_a_pattern_needing_a_line_end_never_matches(rules_dir: Path) -> None:
    path = write(
        rules_dir,
        """
[[rule]]
id = "share"
kind = "drop_line"
pattern = 'Share\\nthis'
""",
    )
    assert problems(path) == [
        f'{path}: rule "share" (drop_line): key "pattern": '
        "pattern 'Share\\\\nthis' can never match a line"
    ]


def test_text_after_a_dollar_never_matches(rules_dir: Path) -> None:
    path = write(
        rules_dir,
        """
[[rule]]
id = "total"
kind = "cut_block"
start = 'Related$ stories'
""",
    )
    [problem] = problems(path)
    assert problem.endswith("pattern 'Related$ stories' can never match a line")


def test_a_literal_line_shadowed_by_a_pattern_is_reported(rules_dir: Path) -> None:
    path = write(
        rules_dir,
        """
[[rule]]
id = "subscribe-any"
kind = "drop_line"
pattern = 'Subscribe.*'

[[rule]]
id = "subscribe-now"
kind = "drop_line"
lines = ["Subscribe now"]
""",
    )
    assert problems(path) == [
        f'{path}: rule "subscribe-now" (drop_line): '
        "line 'Subscribe now' is taken by rule 'subscribe-any' first, so this rule never sees it"
    ]


def test_a_rule_that_backtracks_for_minutes_is_flagged(rules_dir: Path) -> None:
    # On a line of 32 word characters and a colon the pattern tries 2**32 splits.
    path = write(
        rules_dir,
        """
[[rule]]
id = "label"
kind = "drop_line"
pattern = '(?:\\w|\\w\\w)+:'
must_drop = ["Photo:"]
""",
    )
    [problem] = problems(path)
    assert problem.startswith(
        f'{path}: rule "label" (drop_line): key "pattern": '
        "pattern '(?:\\\\w|\\\\w\\\\w)+:' backtracks catastrophically"
    )


def test_a_fingerprint_that_backtracks_is_flagged(rules_dir: Path) -> None:
    path = rules_dir / "slowprint.toml"
    path.write_text("[site]\nfingerprints = ['^(?:a|aa)+$']\n", encoding="utf-8")
    [problem] = problems(path)
    assert 'key "site.fingerprints"' in problem


def test_check_exits_1_and_names_file_and_rule(rules_dir: Path) -> None:
    path = write(
        rules_dir,
        """
[[rule]]
id = "share"
kind = "drop_line"
pattern = 'Share\\nthis'
""",
    )
    result = run_check(str(rules_dir))
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(f'{path}: rule "share" (drop_line)')
    assert result.output.endswith("1 rule file(s), 0 example(s): 1 problem(s)\n")


def test_default_check_includes_rules_directories(rules_dir: Path) -> None:
    write(rules_dir, '\n[[rule]]\nid = "x"\nkind = "drop_line"\npattern = \'a\\nb\'\n')
    result = run_check("--rules", str(rules_dir))
    assert result.exit_code == 1
    assert "5 rule file(s)" in result.output


def test_a_missing_directory_in_the_environment_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEANER_RULES", str(tmp_path / "gone"))
    assert f"{tmp_path / 'gone'}: rule directory not found ($CLEANER_RULES)" in [
        str(problem) for problem in check_rules().problems
    ]


@pytest.mark.parametrize("source", [r"(a+)+b", r"(?:x+x+)+y"])
def test_nested_repeats_that_only_re_backtracks_on_are_flagged(source: str) -> None:
    # The regex module defuses these; the engine runs bundled patterns on re, which does not.
    assert backtracking_input(source) is not None


def test_a_linear_pattern_is_not_flagged() -> None:
    assert backtracking_input(r"Also Read ?\|.*") is None


def test_an_example_that_makes_a_user_rule_backtrack_fails_instead_of_hanging(
    rules_dir: Path,
) -> None:
    path = write(
        rules_dir,
        f"""
[[rule]]
id = "label"
kind = "drop_line"
pattern = '(?:\\w|\\w\\w)+:'
must_keep = ["{"a" * 40}!:"]
""",
    )
    found = problems(path)
    assert any('key "example"' in p and "took more than" in p for p in found), found


def test_a_directory_without_rule_files_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a rule file")
    result = run_check(str(tmp_path))
    assert result.exit_code == 1
    assert f"{tmp_path}: no rule files (*.toml) in this directory" in result.output
