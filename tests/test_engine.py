"""The engine on small rule files of our own: each behaviour of the one-pass line machine."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from cleaner import Cleaner
from cleaner.errors import RuleFileError
from cleaner.patterns import compile_pattern
from cleaner.plan import Line


def _cleaner(rules_dir: Path, site: str = "", common: str = "") -> Cleaner:
    if site:
        (rules_dir / "news.toml").write_text(
            '[site]\ndomains = ["news.example"]\n' + site, encoding="utf-8"
        )
    (rules_dir / "common.toml").write_text(common, encoding="utf-8")
    return Cleaner([rules_dir], bundled=False)


def test_blank_runs_collapse_and_ends_are_trimmed(rules_dir: Path) -> None:
    cleaner = _cleaner(rules_dir)
    assert cleaner.clean("\n\n  \nTitle\n\n\n\nBody.\n \n\n").text == "Title\n\nBody.\n"


def test_kept_lines_are_verbatim(rules_dir: Path) -> None:
    cleaner = _cleaner(rules_dir)
    text = "  indented line  \n- list item\tand tab\n"
    assert cleaner.clean(text).text == text


def test_an_empty_document_gives_empty_text(rules_dir: Path) -> None:
    assert _cleaner(rules_dir).clean("\n\n").text == ""


def test_cut_block_to_an_end_line(rules_dir: Path) -> None:
    cleaner = _cleaner(
        rules_dir,
        site="""
[[rule]]
id = "box"
kind = "cut_block"
start = 'Support us!'
end = 'Thank you\\.'
""",
    )
    text = "Para one.\nSupport us!\nGive now.\nThank you.\nPara two.\n"
    assert cleaner.clean(text, site="news").text == "Para one.\nPara two.\n"


def test_cut_block_keep_end(rules_dir: Path) -> None:
    cleaner = _cleaner(
        rules_dir,
        site="""
[[rule]]
id = "box"
kind = "cut_block"
start = 'Menu'
end = 'Main story'
keep_end = true
""",
    )
    assert cleaner.clean("Menu\nHome\nSport\nMain story\nText.\n", site="news").text == (
        "Main story\nText.\n"
    )


def test_cut_block_max_lines_bounds_a_block_without_its_end(rules_dir: Path) -> None:
    cleaner = _cleaner(
        rules_dir,
        site="""
[[rule]]
id = "box"
kind = "cut_block"
start = 'Support us!'
end = 'Thank you\\.'
max_lines = 2
""",
    )
    text = "Support us!\nGive now.\nFirst paragraph.\nSecond paragraph.\n"
    assert cleaner.clean(text, site="news").text == "First paragraph.\nSecond paragraph.\n"


def test_after_body_rules_start_below_the_first_line_of_prose(rules_dir: Path) -> None:
    cleaner = _cleaner(
        rules_dir,
        site="""
[[rule]]
id = "related"
kind = "cut_block"
start = 'Related'
after_body = true

[[rule]]
id = "more"
kind = "drop_line"
lines = ["More"]
after_body = true
""",
    )
    text = (
        "Related\nMore\nTram Line Reaches the Harbour\n\n"
        "The first tram reached the harbour on Monday.\n\nMore\n\n"
        "Fares stay the same this year.\n\nRelated\nFerry Fares Rise\nMore\n"
    )
    assert cleaner.clean(text, site="news").text == (
        "Related\nMore\nTram Line Reaches the Harbour\n\n"
        "The first tram reached the harbour on Monday.\n\n"
        "Fares stay the same this year.\n"
    )


def test_a_line_in_a_cut_block_does_not_start_the_body(rules_dir: Path) -> None:
    cleaner = _cleaner(
        rules_dir,
        site="""
[[rule]]
id = "box"
kind = "cut_block"
start = 'Support us!'
end = 'Thank you\\.'

[[rule]]
id = "more"
kind = "drop_line"
lines = ["More"]
after_body = true
""",
    )
    text = "Support us!\nOur reporters need your help every month.\nThank you.\nMore\nTitle\n"
    assert cleaner.clean(text, site="news").text == "More\nTitle\n"


def test_after_and_after_body_do_not_go_together(rules_dir: Path) -> None:
    (rules_dir / "common.toml").write_text(
        '[[rule]]\nid = "x"\nkind = "drop_line"\npattern = "X"\nafter = "Y"\nafter_body = true\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match=r'rule "x" .*key "after_body": give either after'):
        Cleaner([rules_dir], bundled=False)


def test_after_applies_only_directly_after_its_line(rules_dir: Path) -> None:
    cleaner = _cleaner(
        rules_dir,
        site="""
[[rule]]
id = "see-also"
kind = "drop_line"
lines = ["See also:"]

[[rule]]
id = "see-also-title"
kind = "drop_line"
pattern = '.+'
after = 'See also:'
""",
    )
    text = "Para one.\n\nSee also:\n\nAnother story title\n\nPara two.\n"
    assert cleaner.clean(text, site="news").text == "Para one.\n\nPara two.\n"


def test_every_line_an_after_pattern_matches_arms_its_rule(rules_dir: Path) -> None:
    cleaner = _cleaner(
        rules_dir,
        site="""
[[rule]]
id = "see-also-title"
kind = "drop_line"
pattern = '.+'
after = 'see also:'
ignore_case = true

[[rule]]
id = "after-bar"
kind = "drop_line"
pattern = '[A-Z].+'
after = '[|/]'
""",
    )
    text = "One.\nSEE ALSO:\nA title\nsee Also:\nA title\n/\nA title\n|\nA title\nTwo.\n"
    assert cleaner.clean(text, site="news").text == "One.\nSEE ALSO:\nsee Also:\n/\n|\nTwo.\n"


def test_site_rules_win_over_common_rules_and_disable_works(rules_dir: Path) -> None:
    cleaner = _cleaner(
        rules_dir,
        site="""
[[rule]]
id = "byline"
kind = "capture"
pattern = 'By (?P<byline>.+)'
""",
        common="""
[[rule]]
id = "by-lines"
kind = "drop_line"
pattern = 'By .+'

[[rule]]
id = "ads"
kind = "drop_line"
lines = ["Advertisement"]
""",
    )
    (rules_dir / "news.toml").write_text(
        (rules_dir / "news.toml")
        .read_text(encoding="utf-8")
        .replace("[site]\n", '[site]\ndisable = ["ads"]\n'),
        encoding="utf-8",
    )
    cleaner = Cleaner([rules_dir], bundled=False)
    result = cleaner.clean("Title\nBy Ana Ruiz\nAdvertisement\nText.\n", site="news", explain=True)
    assert result.byline == "Ana Ruiz"
    assert result.text == "Title\nAdvertisement\nText.\n"
    assert [(r.line, r.rule, r.action) for r in result.removals or ()] == [
        (2, "news:byline", "capture")
    ]
    assert cleaner.clean("By Ana Ruiz\nAdvertisement\n").text == ""


def test_literal_lines_scale_and_ignore_case(rules_dir: Path) -> None:
    lines = ", ".join(f'"Promo {n}"' for n in range(10_000))
    cleaner = _cleaner(
        rules_dir,
        site=f"""
[[rule]]
id = "promos"
kind = "drop_line"
lines = [{lines}]
ignore_case = true
""",
    )
    text = "Title\nPROMO 9999\n  promo 42  \nPromo 10000\n"
    assert cleaner.clean(text, site="news").text == "Title\nPromo 10000\n"


def test_substitution_anchored_at_line_end_in_a_longer_document(rules_dir: Path) -> None:
    cleaner = _cleaner(
        rules_dir,
        site="""
[[rule]]
id = "tag"
kind = "substitute"
pattern = ' \\[tag\\]$'
""",
    )
    text = "Title\nA sentence. [tag]\nAnother line.\n"
    assert cleaner.clean(text, site="news").text == "Title\nA sentence.\nAnother line.\n"


def test_substitution_that_empties_a_line_drops_it(rules_dir: Path) -> None:
    cleaner = _cleaner(
        rules_dir,
        site="""
[[rule]]
id = "tag"
kind = "substitute"
pattern = '\\[tag\\]'
""",
    )
    result = cleaner.clean("Title\n[tag]\nText.\n", site="news", explain=True)
    assert result.text == "Title\nText.\n"
    assert [(r.line, r.action) for r in result.removals or ()] == [(2, "drop")]


def test_rejoin_then_caption_pairs(rules_dir: Path) -> None:
    cleaner = _cleaner(
        rules_dir,
        site="""
[[rule]]
id = "split"
kind = "rejoin_paragraph"
""",
        common="""
[[rule]]
id = "repeats"
kind = "drop_repeated"
""",
    )
    text = (
        "Harbour Workers Strike\n\nDockers at the southern port walked out on Monday after "
        "talks with the operators\n\nbroke down late on Sunday.\n\nA crane at the port. (AFP)\n"
        "A crane at the port. (AFP)\n\nThe strike may last a week.\n"
    )
    assert cleaner.clean(text, site="news").text == (
        "Harbour Workers Strike\n\nDockers at the southern port walked out on Monday after talks "
        "with the operators broke down late on Sunday.\n\nThe strike may last a week.\n"
    )


def test_trace_replays_to_the_output(rules_dir: Path) -> None:
    cleaner = _cleaner(
        rules_dir,
        site="""
[[rule]]
id = "ads"
kind = "drop_line"
lines = ["Advertisement"]

[[rule]]
id = "footer"
kind = "cut_block"
start = 'Share this'
""",
    )
    text = "Title\n\nAdvertisement\nText one.\n\nShare this\nFacebook\nX\n"
    result = cleaner.clean(text, site="news", explain=True)
    dropped = {r.line for r in result.removals or ()}
    replay = [line for number, line in enumerate(text.split("\n"), 1) if number not in dropped]
    assert "\n".join(replay).strip() + "\n" == result.text
    assert {(r.line, r.rule) for r in result.removals or ()} == {
        (3, "news:ads"),
        (6, "news:footer"),
        (7, "news:footer"),
        (8, "news:footer"),
    }


def test_no_trace_unless_asked(rules_dir: Path) -> None:
    assert _cleaner(rules_dir).clean("Title\n").removals is None


def test_streamed_lines_clean_like_the_whole_text(cleaner: Cleaner) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    for path in sorted(examples.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        whole = cleaner.clean(text)
        streamed = cleaner.clean_lines(iter(text.splitlines(keepends=True)), site=whole.site)
        assert streamed.text == whole.text, path.name


def test_line_separators_other_than_newline_stay_in_the_line(rules_dir: Path) -> None:
    text = "Title\nOne line\u2028with a separator\x0cand a form feed.\n"
    assert _cleaner(rules_dir).clean(text).text == text


@pytest.mark.parametrize("source", [r"\p{Lu}\p{Ll}+", r"[[:upper:]]+"])
def test_regex_only_syntax_runs_on_the_regex_module(source: str) -> None:
    pattern = compile_pattern(source)
    assert isinstance(pattern, regex.Pattern)
    assert pattern.fullmatch("Ab" if "p{" in source else "AB")


def test_patterns_re_reads_the_same_way_run_on_re() -> None:
    assert type(compile_pattern(r"Also Read \|.*")).__module__ == "re"


def test_sequence_filters_hand_back_an_unchanged_document_as_is(cleaner: Cleaner) -> None:
    # The engine tells a settled document by identity: a filter that changes nothing must not
    # copy the lines.
    text = "Harbour Bridge Reopens After Two Years\n\nThe bridge carried its first trams.\n"
    lines = [Line(number, line) for number, line in enumerate(text.split("\n"), 1)]
    filters = cleaner.rulebook.plan_for(None).filters
    assert filters
    for sequence_filter in filters:
        assert sequence_filter(lines, []) is lines


def test_trace_is_in_input_line_order_across_line_rules_and_filters(rules_dir: Path) -> None:
    cleaner = _cleaner(
        rules_dir,
        site="""
[[rule]]
id = "ads"
kind = "drop_line"
lines = ["Advertisement"]

[[rule]]
id = "repeats"
kind = "drop_repeated"
""",
    )
    text = "Title\n\nA crane. (AFP)\nA crane. (AFP)\n\nAdvertisement\n\nText one.\n"
    result = cleaner.clean(text, site="news", explain=True)
    assert result.text == "Title\n\nText one.\n"
    assert [(r.line, r.rule) for r in result.removals or ()] == [
        (3, "news:repeats"),
        (4, "news:repeats"),
        (6, "news:ads"),
    ]


CAPTION_RULE = """
[[rule]]
id = "caption"
kind = "drop_caption"
credit = '\\(AFP\\)'
"""


@pytest.mark.parametrize("filters", [False, True])
def test_a_caption_takes_its_copy_without_the_credit_above_it(
    rules_dir: Path, filters: bool
) -> None:
    site = CAPTION_RULE + ('[[rule]]\nid = "pairs"\nkind = "drop_repeated"\n' if filters else "")
    cleaner = _cleaner(rules_dir, site=site)
    text = (
        "Tram Line Reaches the Harbour\n\n"
        "Crowds on the quay as the first tram arrives\n\n"
        "Crowds on the quay as the first tram arrives (AFP)\n\n"
        "The first tram reached the harbour on Monday.\n"
    )
    result = cleaner.clean(text, site="news", explain=True)
    assert result.text == (
        "Tram Line Reaches the Harbour\n\nThe first tram reached the harbour on Monday.\n"
    )
    assert result.removals is not None
    assert [(r.line, r.rule) for r in result.removals] == [(3, "news:caption"), (5, "news:caption")]


def test_a_caption_that_starts_with_the_headline_leaves_the_headline(rules_dir: Path) -> None:
    cleaner = _cleaner(rules_dir, site=CAPTION_RULE)
    text = (
        "Tram Line Reaches the Harbour\n"
        "Tram Line Reaches the Harbour Crowds on the quay at dawn (AFP)\n"
        "The first tram reached the harbour on Monday.\n"
    )
    assert cleaner.clean(text, site="news").text == (
        "Tram Line Reaches the Harbour\nThe first tram reached the harbour on Monday.\n"
    )
