"""Bad rule files: every problem of every file at once, each naming the file, rule id and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import RuleFileError, load_rulebook


def _problems(rules_dir: Path, **files: str) -> list[str]:
    for name, body in files.items():
        (rules_dir / f"{name}.toml").write_text(body, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rulebook([rules_dir], bundled=False)
    return [str(problem) for problem in caught.value.problems]


def test_unknown_key_suggests_the_closest(rules_dir: Path) -> None:
    problems = _problems(
        rules_dir,
        news="""
[[rule]]
id = "ads"
kind = "drop_line"
patern = 'Advert.*'
""",
    )
    assert problems == [
        f'{rules_dir / "news.toml"}: rule "ads" (drop_line): key "patern": unknown key; '
        'did you mean "pattern"? (allowed: after, after_body, ignore_case, lines, pattern, '
        "patterns, description, example, id, kind, must_drop, must_keep)"
    ]


def test_wrong_type_names_the_expected_type(rules_dir: Path) -> None:
    problems = _problems(
        rules_dir,
        news="""
[[rule]]
id = "ads"
kind = "drop_line"
lines = "Advertisement"
""",
    )
    assert problems == [
        f'{rules_dir / "news.toml"}: rule "ads" (drop_line): key "lines": '
        "expected a list of strings, got a string 'Advertisement'"
    ]


def test_bad_regex_gives_the_compiler_message(rules_dir: Path) -> None:
    (problem,) = _problems(
        rules_dir,
        news="""
[[rule]]
id = "ads"
kind = "drop_line"
pattern = 'Advert(isement'
""",
    )
    assert problem.startswith(
        f'{rules_dir / "news.toml"}: rule "ads" (drop_line): key "pattern": '
        "invalid regex 'Advert(isement': missing )"
    )


def test_bad_regex_in_a_list_names_the_list(rules_dir: Path) -> None:
    (problem,) = _problems(
        rules_dir,
        news="""
[[rule]]
id = "ads"
kind = "drop_line"
patterns = ['Sponsored', '[unclosed']
""",
    )
    assert 'rule "ads" (drop_line): key "patterns": invalid regex \'[unclosed\'' in problem


def test_duplicate_ids(rules_dir: Path) -> None:
    problems = _problems(
        rules_dir,
        news="""
[[rule]]
id = "ads"
kind = "drop_line"
lines = ["Advertisement"]

[[rule]]
id = "ads"
kind = "drop_line"
lines = ["Sponsored"]
""",
    )
    assert problems == [
        f'{rules_dir / "news.toml"}: rule "ads" (drop_line): key "id": '
        "duplicate rule id; every rule of a file needs its own id"
    ]


def test_unknown_kind_suggests_the_closest(rules_dir: Path) -> None:
    (problem,) = _problems(
        rules_dir,
        news="""
[[rule]]
id = "ads"
kind = "drop_lines"
lines = ["Advertisement"]
""",
    )
    assert (
        'rule "ads": key "kind": unknown kind \'drop_lines\'; did you mean "drop_line"?' in problem
    )


def test_missing_required_key(rules_dir: Path) -> None:
    (problem,) = _problems(
        rules_dir,
        news="""
[[rule]]
id = "footer"
kind = "cut_block"
end = 'The End'
""",
    )
    assert 'rule "footer" (cut_block): key "start": missing required key' in problem


def test_capture_needs_metadata_groups(rules_dir: Path) -> None:
    (problem,) = _problems(
        rules_dir,
        news="""
[[rule]]
id = "byline"
kind = "capture"
pattern = 'By (?P<author>.+)'
""",
    )
    assert 'rule "byline" (capture): key "pattern": name what to capture' in problem
    assert "['author']" in problem


def test_backreference_in_a_line_pattern_is_refused(rules_dir: Path) -> None:
    (problem,) = _problems(
        rules_dir,
        news=r"""
[[rule]]
id = "twice"
kind = "drop_line"
pattern = '(\w+) \1'
""",
    )
    assert 'key "pattern": backreferences are not supported' in problem


def test_invalid_toml_names_the_place(rules_dir: Path) -> None:
    (problem,) = _problems(rules_dir, news='[[rule]]\nid = "x\n')
    assert problem.startswith(f"{rules_dir / 'news.toml'}: invalid TOML:")
    assert "line 2" in problem


def test_every_problem_of_every_file_is_reported(rules_dir: Path) -> None:
    problems = _problems(
        rules_dir,
        first="""
[[rule]]
id = "a"
kind = "drop_line"
patern = 'x'

[[rule]]
id = "b"
kind = "cut_block"
start = '(('
""",
        second="""
[site]
domian = ["example.com"]

[[rule]]
id = "c"
kind = "substitute"
pattern = 'x'
replacement = '\\9'
""",
    )
    assert len(problems) == 4
    joined = "\n".join(problems)
    for fragment in (
        'first.toml: rule "a" (drop_line): key "patern"',
        'first.toml: rule "b" (cut_block): key "start"',
        'second.toml: key "site.domian": unknown key; did you mean "domains"?',
        'second.toml: rule "c" (substitute): key "replacement"',
    ):
        assert fragment in joined


def test_disabling_an_unknown_common_rule(rules_dir: Path) -> None:
    (problem,) = _problems(
        rules_dir,
        common="""
[[rule]]
id = "ads"
kind = "drop_line"
lines = ["Advertisement"]
""",
        news="""
[site]
disable = ["adds"]
""",
    )
    assert (
        "news.toml: key \"site.disable\": disables 'adds', which is not a common rule id" in problem
    )


def test_a_domain_claimed_twice(rules_dir: Path) -> None:
    (problem,) = _problems(
        rules_dir,
        one='[site]\ndomains = ["example.com"]\n',
        two='[site]\ndomains = ["example.com"]\n',
    )
    assert "two.toml: key \"site.domains\": domain 'example.com' is also claimed by" in problem


def test_a_missing_rule_directory(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="rule directory not found"):
        load_rulebook([tmp_path / "nowhere"], bundled=False)
