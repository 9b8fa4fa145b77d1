"""`cleaner rules learn` on invented pages: the template is found, the draft is safe and
stable, near-duplicates count once, and the parts (shapes, counting, patterns) do their job."""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner

from cleaner import Cleaner
from cleaner.check import check_rules
from cleaner.cli import main
from cleaner.learn import LearnOptions, learn
from cleaner.learn.counting import DuplicatePages, PageCounter
from cleaner.learn.generalise import narrowings, pattern
from cleaner.learn.shapes import Slot, fold_dates, prefix_shape, shapes
from tests.learn_corpus import BANNER, DOMAIN, FOOTER, HEADER, SITE, pages, write_jsonl


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("corpus") / "gazette.jsonl", pages())


@pytest.fixture(scope="module")
def draft(corpus: Path) -> dict[str, object]:
    report = learn([str(corpus)], LearnOptions(site=SITE, domain=DOMAIN))
    assert len(report.drafts) == 1
    return {"report": report, "text": report.drafts[0].text}


def _rules(draft: dict[str, object]) -> list[dict[str, object]]:
    return list(tomllib.loads(str(draft["text"]))["rule"])


def _rule_with(draft: dict[str, object], line: str) -> dict[str, object]:
    """The draft's rule that takes `line`, alone."""
    for rule in _rules(draft):
        sources = [rule.get("pattern"), rule.get("start")]
        if line in (rule.get("lines") or []) or any(
            s and regex.fullmatch(str(s), line) for s in sources
        ):
            return rule
    raise AssertionError(f"no rule takes {line!r}")


def test_exact_lines_and_boxes(draft: dict[str, object]) -> None:
    banner = _rule_with(draft, BANNER)
    header = _rule_with(draft, HEADER[1])
    assert banner["kind"] == "drop_line"
    assert set(HEADER[1:]) <= set(header["lines"])  # type: ignore[arg-type]


def test_folded_templates(draft: dict[str, object]) -> None:
    place = _rule_with(draft, "Harbour Gazette, Nowhere Sands")
    assert str(place["pattern"]).startswith("Harbour Gazette, ")
    edition = _rule_with(draft, "Print edition no. 4321")
    assert r"\d{4}" in str(edition["pattern"])
    link = _rule_with(draft, "See more | Quay Opens Night Service (12)")
    assert "See more" in str(link["pattern"])
    section = _rule_with(draft, "port news")
    assert section["kind"] == "drop_line"


def test_footer_start_is_a_cut(draft: dict[str, object]) -> None:
    footer = _rule_with(draft, FOOTER[0])
    assert footer["kind"] == "cut_block" and "end" not in footer


def test_descriptions_give_evidence_and_examples_come_from_the_corpus(
    draft: dict[str, object],
) -> None:
    corpus_lines = {line for record in pages() for line in record["text"].splitlines()}
    for rule in _rules(draft):
        assert str(rule["description"]).startswith("Fires on "), rule["id"]
        assert " of 40 pages" in str(rule["description"])
        assert rule["must_drop"] and rule["must_keep"], rule["id"]
        for line in [*rule["must_drop"], *rule["must_keep"]]:  # type: ignore[misc]
            assert line in corpus_lines


def test_near_duplicate_counted_once(draft: dict[str, object]) -> None:
    site = draft["report"].drafts[0]  # type: ignore[attr-defined]
    assert (site.pages, site.copies) == (41, 1)


def test_draft_passes_rules_check(tmp_path: Path, draft: dict[str, object]) -> None:
    path = tmp_path / f"{SITE}.toml"
    path.write_text(str(draft["text"]), encoding="utf-8")
    report = check_rules([path])
    assert report.ok, [str(p) for p in report.problems]


def test_draft_keeps_every_headline_and_paragraph(tmp_path: Path, draft: dict[str, object]) -> None:
    (tmp_path / f"{SITE}.toml").write_text(str(draft["text"]), encoding="utf-8")
    cleaner = Cleaner([tmp_path])
    chrome = {BANNER, *HEADER, *FOOTER}
    for record in pages():
        url = record["url"]
        kept = cleaner.clean(record["text"], url=url).text.splitlines()
        lines = record["text"].splitlines()
        headline = next(line for line in lines if line and line.lower().replace(" ", "-") in url)
        article = [line for line in lines if line.count(" ") > 8 and line.endswith(".")]
        assert headline in kept
        assert all(line in kept for line in article)
        assert not chrome & set(kept)


def test_output_is_stable(corpus: Path, draft: dict[str, object]) -> None:
    again = learn([str(corpus)], LearnOptions(site=SITE, domain=DOMAIN))
    assert again.drafts[0].text == draft["text"]


def test_against_lists_what_the_file_lacks_and_what_never_fires(
    tmp_path: Path, corpus: Path
) -> None:
    existing = tmp_path / f"{SITE}.toml"
    existing.write_text(
        f"""[site]
domains = ["{DOMAIN}"]

[[rule]]
id = "banner"
kind = "drop_line"
lines = {json.dumps([BANNER, *HEADER])}

[[rule]]
id = "old-footer"
kind = "cut_block"
start = 'Read the Gazette in print'
""",
        encoding="utf-8",
    )
    report = learn([str(corpus)], LearnOptions(site=SITE, domain=DOMAIN, against=existing))
    comparison = report.drafts[0].comparison
    assert comparison is not None
    assert comparison.silent == ["old-footer"]
    lacking = {rule.id for rule, _, _ in comparison.lacking}
    banner_rule = next(r for r in report.drafts[0].rules if BANNER in r.instances)
    assert banner_rule.id not in lacking
    assert any(rule.kind == "cut_block" for rule, _, _ in comparison.lacking)


def test_unsafe_pattern_is_left_out(tmp_path: Path) -> None:
    """A label that article lines share ("Note: ...") would drop them: it is left out."""
    records = pages(30)
    for number, record in enumerate(records):
        record["text"] += f"\nNote: the council met {number} times this year to discuss it.\n"
    corpus = write_jsonl(tmp_path / "notes.jsonl", records)
    text = learn([str(corpus)], LearnOptions(site=SITE, domain=DOMAIN)).drafts[0].text
    assert "Note" not in text


def test_cli_writes_the_draft_and_a_summary(tmp_path: Path, corpus: Path) -> None:
    target = tmp_path / "draft" / f"{SITE}.toml"
    result = CliRunner().invoke(
        main, ["rules", "learn", str(corpus), "--site", SITE, "--domain", DOMAIN, "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "41 page(s) read, 1 near-duplicate(s) counted once" in result.stderr
    assert "template(s) found" in result.stderr and "lines (" in result.stderr
    assert target.read_text(encoding="utf-8").startswith("# Draft rules for Harbour Gazette")


def test_cli_one_draft_per_domain(tmp_path: Path) -> None:
    other = [
        dict(r, url=r["url"].replace(DOMAIN, "quaytimes.example"), id=f"q{i}")
        for i, r in enumerate(pages(12, seed=3))
    ]
    corpus = write_jsonl(tmp_path / "two.jsonl", [*pages(), *other])
    runner = CliRunner()
    refused = runner.invoke(main, ["rules", "learn", str(corpus)])
    assert refused.exit_code == 2 and "give -o DIR" in refused.stderr
    out = tmp_path / "drafts"
    result = runner.invoke(main, ["rules", "learn", str(corpus), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["harbourgazette.toml", "quaytimes.toml"]


def test_cli_reports_a_bad_record_and_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text(
        "".join(json.dumps(r) + "\n" for r in pages(20)) + "{not json\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["rules", "learn", str(corpus), "--domain", DOMAIN])
    assert result.exit_code == 1
    assert f"{corpus}:22: not a JSON record" in result.stderr
    assert result.stdout.startswith("# Draft rules")


# The parts


def test_shapes_fold_dates_names_labels_and_links() -> None:
    keys = {s.kind: s for s in shapes("Updated on Feb 19, 2023 11:32 PM IST")}
    assert keys["#"].parts == (
        "Updated on ", Slot.MONTH, " ", Slot.NUMBER, ", ", Slot.NUMBER, " ", Slot.NUMBER, ":",
        Slot.NUMBER, " ", Slot.MERIDIEM, " IST",
    )  # fmt: skip
    names = [s for s in shapes("Harbour Gazette, Port Ellis") if s.kind == "N"]
    assert [s.values for s in names] == [("Harbour Gazette",), ("Port Ellis",)]
    assert {s.kind for s in shapes("pune news")} == {"=", "L"}
    link = prefix_shape("ALSO READ| Ferry fares rise")
    assert link is not None and link.values == ("ALSO READ| ", "Ferry fares rise")
    assert fold_dates("May the best team win")[1] == ()  # "May" is a month only by a number


def test_patterns_are_the_narrowest_class_of_what_was_seen() -> None:
    parts = ("Updated ", Slot.MONTH, " ", Slot.NUMBER, ", ", Slot.NUMBER)
    values = [Counter({"Feb": 1, "Sept": 1}), Counter({"9": 1, "19": 1}), Counter({"2023": 2})]
    source = pattern(parts, values, level=1)
    assert source == (
        r"Updated (?:Sept|Apr|Aug|Dec|Feb|Jan|Jul|Jun|Mar|May|Nov|Oct|Sep) \d{1,2}, \d{4}"
    )
    name = list(narrowings(("Gazette, ", Slot.NAME), [Counter({"Kestle": 1, "Old Quay": 1})]))
    assert name[0] == "Gazette, [A-Z][a-z]+(?: [A-Z][a-z]+){0,1}"
    assert name[-1] == "Gazette, (?:Old Quay|Kestle)"


def test_counting_keeps_frequent_keys_in_bounded_memory() -> None:
    counter = PageCounter(bucket_pages=10)
    sizes = []
    for number in range(1000):
        counter.add_page([f"article line {number}", "template line"])
        sizes.append(len(counter))
    assert counter.count("template line") == 1000
    assert counter.count("article line 5") == 0  # forgotten: it was on one page
    assert max(sizes) <= 21


def test_duplicate_pages_by_their_article_lines() -> None:
    duplicates = DuplicatePages()
    story = [f"The ferry sailed at {h} o'clock with forty passengers on board." for h in (6, 7)]
    assert not duplicates.is_copy(0, story)
    assert not duplicates.is_copy(1, ["A different story about the quay and its repair costs."])
    assert duplicates.is_copy(2, story)
