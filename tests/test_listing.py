"""`cleaner rules list` and `cleaner detect`. The site and the texts are invented."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from cleaner.cli import main

RULES = """\
[site]
domains = ["tidewater.example", "tidewater-news.example"]
fingerprints = ['^Tidewater Weekly, all rights reserved\\.$']

[[rule]]
id = "promo"
kind = "drop_line"
lines = ["Read the print edition"]

[[rule]]
id = "tags"
kind = "drop_line"
pattern = 'Tags: .*'

[[rule]]
id = "footer"
kind = "cut_block"
start = 'More from Tidewater'
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_list_shows_a_user_site_and_its_directory(rules_dir: Path) -> None:
    (rules_dir / "tidewater.toml").write_text(RULES, encoding="utf-8")
    result = run("rules", "list", "--rules", str(rules_dir))
    assert result.exit_code == 0, result.output
    assert (
        "tidewater: tidewater.example, tidewater-news.example; "
        f"3 rule(s) (drop_line 2, cut_block 1); from {rules_dir}"
    ) in result.output.splitlines()


def test_list_marks_bundled_sites() -> None:
    lines = run("rules", "list").output.splitlines()
    assert next(line for line in lines if line.startswith("hindustantimes:")).endswith("; bundled")


def test_list_names_the_directory_of_a_replaced_bundled_file(rules_dir: Path) -> None:
    (rules_dir / "hindustantimes.toml").write_text(RULES, encoding="utf-8")
    lines = run("rules", "list", "--rules", str(rules_dir)).output.splitlines()
    assert next(line for line in lines if line.startswith("hindustantimes:")).endswith(
        f"; from {rules_dir}"
    )


def test_detect_gives_the_evidence(rules_dir: Path, tmp_path: Path) -> None:
    (rules_dir / "tidewater.toml").write_text(RULES, encoding="utf-8")
    by_url = tmp_path / "a.txt"
    by_url.write_text("Ferry fares rise\n\nSource URL: https://tidewater.example/ferry\n")
    by_print = tmp_path / "b.txt"
    by_print.write_text("Dune path reopens\n\nTidewater Weekly, all rights reserved.\n")
    result = run("detect", "--rules", str(rules_dir), str(by_url), str(by_print))
    assert result.output.splitlines() == [
        f"{by_url}: tidewater (URL in the text: https://tidewater.example/ferry)",
        f"{by_print}: tidewater (1 fingerprint(s), first: "
        "'Tidewater Weekly, all rights reserved.')",
    ]


def test_detect_says_unknown(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("A headline\n\nA paragraph of no particular site.\n")
    result = run("detect", str(path))
    assert result.exit_code == 0
    assert result.output == (f"{path}: unknown (no URL of a known site and no fingerprint)\n")


def test_detect_reports_an_unreadable_file_and_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("A headline\n")
    result = run("detect", str(tmp_path / "missing.txt"), str(path))
    assert result.exit_code == 1
    assert f"{path}: unknown" in result.output
