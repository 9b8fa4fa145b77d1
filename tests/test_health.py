"""Rule health from a ``--stats`` file: rules that never fired, footer cuts that stopped firing.

The rule files are invented; the stats files are written here in the shape `clean --stats` uses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cleaner import load_rulebook
from cleaner.cli import main
from cleaner.errors import InputError
from cleaner.health import parse_stats, read_stats, rule_health, rule_usage
from cleaner.rulebook import RuleBook

SITE = """\
[site]
domains = ["quayside.example"]
disable = ["ads"]

[[rule]]
id = "promo"
kind = "drop_line"
lines = ["Read the print edition"]

[[rule]]
id = "related"
kind = "cut_block"
start = 'Related:'
end = 'End of related'

[[rule]]
id = "footer"
kind = "cut_block"
start = 'More from Quayside'

[[rule]]
id = "share-bar"
kind = "cut_block"
start = 'Share this story'
"""
COMMON = """\
[[rule]]
id = "ads"
kind = "drop_line"
lines = ["Advertisement"]
"""


@pytest.fixture
def rulebook(rules_dir: Path) -> RuleBook:
    """The site's rules and common rules of its own, without the bundled rules."""
    (rules_dir / "quayside.toml").write_text(SITE, encoding="utf-8")
    (rules_dir / "common.toml").write_text(COMMON, encoding="utf-8")
    return load_rulebook([rules_dir], bundled=False, environment=False)


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """The site for a run with the bundled rules, whose common rules have no "ads" to disable."""
    directory = tmp_path / "with-bundled"
    directory.mkdir()
    site = SITE.replace('disable = ["ads"]\n', "")
    (directory / "quayside.toml").write_text(site, encoding="utf-8")
    return directory


def stats(sites: dict[str, int], fired: dict[str, int]) -> dict[str, Any]:
    return {
        "documents": sum(sites.values()),
        "sites": sites,
        "rules": {rule: {"documents": n, "lines": 2 * n} for rule, n in fired.items()},
    }


def findings(rulebook: RuleBook, sites: dict[str, int], fired: dict[str, int]) -> list[str]:
    return [str(f) for f in rule_health(parse_stats(stats(sites, fired)), rulebook)]


HEALTHY = {
    "quayside:promo": 9,
    "quayside:related": 4,
    "quayside:footer": 15,
    "quayside:share-bar": 2,
    "common:ads": 3,
}


def test_a_healthy_corpus_has_no_findings(rulebook: RuleBook) -> None:
    assert findings(rulebook, {"quayside": 20, "unknown": 5}, HEALTHY) == []


def test_a_rule_that_never_fired_is_flagged(rulebook: RuleBook) -> None:
    fired = {**HEALTHY, "quayside:promo": 0}
    assert findings(rulebook, {"quayside": 20}, fired) == [
        "quayside:promo: never fired in 20 document(s)"
    ]


def test_a_rule_missing_from_the_stats_never_fired(rulebook: RuleBook) -> None:
    fired = {k: v for k, v in HEALTHY.items() if k != "quayside:related"}
    assert findings(rulebook, {"quayside": 20}, fired) == [
        "quayside:related: never fired in 20 document(s)"
    ]


def test_a_site_without_documents_is_not_judged(rulebook: RuleBook) -> None:
    assert findings(rulebook, {"unknown": 7}, {"common:ads": 1}) == []


def test_a_common_rule_is_judged_on_the_sites_that_keep_it(rulebook: RuleBook) -> None:
    fired = {**HEALTHY, "common:ads": 0}
    assert findings(rulebook, {"quayside": 20, "unknown": 5}, fired) == [
        "common:ads: never fired in 5 document(s)"
    ]


def test_footer_cuts_firing_rarely_flag_the_site(rulebook: RuleBook) -> None:
    fired = {**HEALTHY, "quayside:footer": 5, "quayside:share-bar": 2}
    assert findings(rulebook, {"quayside": 20}, fired) == [
        "quayside: terminal rules (footer, share-bar) fired in at most 7 of 20 document(s) "
        "(35%, expected at least 50%); the site may have changed its template: "
        "run cleaner explain on one of its documents"
    ]


def test_a_block_with_an_end_is_not_terminal(rulebook: RuleBook) -> None:
    fired = {**HEALTHY, "quayside:related": 1}
    assert findings(rulebook, {"quayside": 20}, fired) == []


def test_a_bad_stats_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "stats.json"
    path.write_text(json.dumps({"documents": 3, "rules": {}}))
    with pytest.raises(InputError, match=r"stats\.json: not a stats file \(no key 'sites'\)"):
        read_stats(path)


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(TypeError, match="-1 is not a count"):
        parse_stats({"documents": -1, "sites": {}, "rules": {}})


def run_health(rules: Path, path: Path) -> Result:
    return CliRunner().invoke(main, ["rules", "health", "--rules", str(rules), str(path)])


def test_cli_exits_1_on_findings(rules: Path, tmp_path: Path) -> None:
    path = tmp_path / "stats.json"
    path.write_text(json.dumps(stats({"quayside": 20}, {**HEALTHY, "quayside:promo": 0})))
    result = run_health(rules, path)
    assert result.exit_code == 1
    assert "quayside:promo: never fired in 20 document(s)" in result.output.splitlines()


def test_cli_exits_2_on_a_bad_stats_file(rules: Path, tmp_path: Path) -> None:
    path = tmp_path / "stats.json"
    path.write_text("{not json")
    result = run_health(rules, path)
    assert result.exit_code == 2
    assert f"cleaner: {path}: not JSON" in result.output


def test_findings_can_be_limited_to_one_site(rulebook: RuleBook) -> None:
    fired = {**HEALTHY, "quayside:promo": 0, "common:ads": 0}
    health = rule_health(
        parse_stats(stats({"quayside": 20, "unknown": 5}, fired)), rulebook, sites=["quayside"]
    )
    assert [str(finding) for finding in health] == ["quayside:promo: never fired in 20 document(s)"]


def test_usage_gives_each_rule_its_share_of_the_documents_that_got_it(
    rulebook: RuleBook,
) -> None:
    fired = {**HEALTHY, "quayside:promo": 1}
    usage = rule_usage(parse_stats(stats({"quayside": 20, "unknown": 5}, fired)), rulebook)
    assert [str(u) for u in usage] == [
        "common:ads: fired in 3 of 5 document(s) (60%), 6 line(s)",
        "quayside:promo: fired in 1 of 20 document(s) (5%), 2 line(s); "
        "on one page only: a sentence, or a form of the template?",
        "quayside:related: fired in 4 of 20 document(s) (20%), 8 line(s)",
        "quayside:footer: fired in 15 of 20 document(s) (75%), 30 line(s)",
        "quayside:share-bar: fired in 2 of 20 document(s) (10%), 4 line(s)",
    ]


def test_cli_lists_the_counts_first_when_asked(rules: Path, tmp_path: Path) -> None:
    path = tmp_path / "stats.json"
    path.write_text(json.dumps(stats({"quayside": 20}, HEALTHY)))
    result = CliRunner().invoke(
        main,
        ["rules", "health", "--counts", "--site", "quayside", "--rules", str(rules), str(path)],
    )
    assert result.output.splitlines()[0] == (
        "quayside:promo: fired in 9 of 20 document(s) (45%), 18 line(s)"
    )
