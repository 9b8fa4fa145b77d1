"""The library interface: `Cleaner` (pickling, worker processes, streaming, explanations) and the
module-level `clean`. The documents are the bundled examples, which are our own text."""

from __future__ import annotations

import multiprocessing
import pickle
import re
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from cleaner import Cleaner, InputError, Removal
from cleaner import clean as module_clean

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE_PATHS = sorted(EXAMPLES.glob("*.txt"))
RULE_REF = re.compile(r"(?P<site>[a-z0-9][a-z0-9_-]*):(?P<rule>[a-z0-9][a-z0-9_-]*)")
ACTIONS = {"drop", "edit", "join", "capture"}


def example_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def texts() -> list[str]:
    return [example_text(path) for path in EXAMPLE_PATHS]


by_example = pytest.mark.parametrize("path", EXAMPLE_PATHS, ids=lambda p: p.stem)


def test_examples_are_present() -> None:
    assert len(EXAMPLE_PATHS) >= 4


# Pickling and worker processes ---------------------------------------------------------------


@by_example
def test_unpickled_cleaner_cleans_identically(cleaner: Cleaner, path: Path) -> None:
    text = example_text(path)
    copy = pickle.loads(pickle.dumps(cleaner))
    assert isinstance(copy, Cleaner)
    assert copy.clean(text) == cleaner.clean(text)


def test_unpickled_cleaner_keeps_extra_rule_directories(rules_dir: Path) -> None:
    (rules_dir / "notice.toml").write_text(
        '[[rule]]\nid = "notice"\nkind = "drop_line"\nlines = ["Members only"]\n',
        encoding="utf-8",
    )
    original = Cleaner([rules_dir])
    copy = pickle.loads(pickle.dumps(original))
    text = "Headline\n\nMembers only\n\nThe story.\n"
    assert copy.clean(text, site="notice").text == "Headline\n\nThe story.\n"


def test_unpickled_cleaner_keeps_rules_from_the_environment(
    rules_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (rules_dir / "notice.toml").write_text(
        '[[rule]]\nid = "notice"\nkind = "drop_line"\nlines = ["Members only"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("CLEANER_RULES", str(rules_dir))
    data = pickle.dumps(Cleaner())
    monkeypatch.delenv("CLEANER_RULES")
    copy = pickle.loads(data)
    assert "notice" in copy.rulebook.sites


@pytest.mark.slow
def test_process_pool_gives_the_same_results_as_in_process(cleaner: Cleaner) -> None:
    documents = texts()
    # spawn: every worker starts afresh, so the Cleaner really travels by pickle.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        in_workers = list(pool.map(cleaner.clean, documents))
    assert in_workers == [cleaner.clean(text) for text in documents]


# Streaming -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [p for p in EXAMPLE_PATHS if "unknown" not in p.stem], ids=lambda p: p.stem
)
def test_clean_lines_with_site_gives_the_same_text_as_clean(cleaner: Cleaner, path: Path) -> None:
    text = example_text(path)
    whole = cleaner.clean(text)
    assert whole.site is not None

    def lines() -> Iterator[str]:  # a one-pass iterator, as from an open file
        yield from text.splitlines(keepends=True)

    assert cleaner.clean_lines(lines(), site=whole.site).text == whole.text


def test_clean_lines_without_site_gives_the_same_text_as_clean(cleaner: Cleaner) -> None:
    text = example_text(EXAMPLES / "unknown-site-example.txt")
    streamed = cleaner.clean_lines(iter(text.splitlines(keepends=True)))
    assert streamed.text == cleaner.clean(text).text


# Explanations --------------------------------------------------------------------------------


def apply_removals(text: str, removals: tuple[Removal, ...]) -> str:
    """Redo what the removals say: the input lines minus dropped and captured lines, with edits
    and joins applied (a join replaces the nearest kept line above with the joined text), blank
    runs collapsed and blank lines at both ends removed."""
    lines = dict(enumerate(text.replace("\r\n", "\n").split("\n"), 1))
    for removal in removals:
        if removal.action in ("drop", "capture"):
            del lines[removal.line]
        elif removal.action == "edit":
            assert removal.result is not None
            lines[removal.line] = removal.result
        elif removal.action == "join":
            assert removal.result is not None
            target = max(n for n, line in lines.items() if n < removal.line and line.strip())
            lines[target] = removal.result
            del lines[removal.line]
        else:
            raise AssertionError(f"unknown action {removal.action!r}")
    out: list[str] = []
    for _, line in sorted(lines.items()):
        if line.strip():
            out.append(line)
        elif out and out[-1]:
            out.append("")
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""


@by_example
def test_applying_the_removals_reproduces_the_output(cleaner: Cleaner, path: Path) -> None:
    text = example_text(path)
    result = cleaner.clean(text, explain=True)
    assert result.removals is not None
    assert apply_removals(text, result.removals) == result.text


@by_example
def test_removals_name_a_rule_of_the_site_or_common(cleaner: Cleaner, path: Path) -> None:
    result = cleaner.clean(example_text(path), explain=True)
    assert result.removals is not None
    for removal in result.removals:
        ref = RULE_REF.fullmatch(removal.rule)
        assert ref is not None, removal
        assert ref["site"] in {result.site, "common"}, removal
        assert removal.action in ACTIONS, removal


@by_example
def test_removals_quote_the_removed_input_line(cleaner: Cleaner, path: Path) -> None:
    text = example_text(path)
    lines = text.split("\n")
    result = cleaner.clean(text, explain=True)
    assert result.removals is not None
    for removal in result.removals:
        if removal.action in ("drop", "capture"):
            assert removal.text == lines[removal.line - 1], removal


def test_removals_list_each_removed_line_with_its_rule(cleaner: Cleaner) -> None:
    text = example_text(EXAMPLES / "hindustantimes-example.txt")
    lines = text.split("\n")
    result = cleaner.clean(text, explain=True)
    assert result.removals is not None
    found = {(r.line, r.rule, r.action) for r in result.removals}
    also_read = [n for n, line in enumerate(lines, 1) if line.startswith("Also Read |")]
    assert len(also_read) == 2
    for number in also_read:
        assert (number, "hindustantimes:also-read", "drop") in found
    assert (lines.index("ANI |") + 1, "hindustantimes:byline", "capture") in found
    assert (1, "hindustantimes:header-search", "drop") in found
    caption = next(n for n, line in enumerate(lines, 1) if line.endswith("(HT Photo/Vivek Nair)"))
    assert {
        (caption, "common:caption-photo-credit", "drop"),
        (caption + 1, "common:caption-photo-credit", "drop"),
    } <= found


def test_join_is_explained_with_the_joined_text(cleaner: Cleaner) -> None:
    text = example_text(EXAMPLES / "themoscowtimes-plain-example.txt")
    lines = text.split("\n")
    result = cleaner.clean(text, explain=True)
    assert result.removals is not None
    (join,) = [r for r in result.removals if r.action == "join"]
    assert join.rule == "themoscowtimes:split-paragraph"
    assert lines[join.line - 1] == join.text == "trains heading west towards Moscow and the Urals."
    assert join.result is not None and join.result.endswith(" loaded onto " + join.text)


def test_explain_does_not_change_the_result(cleaner: Cleaner) -> None:
    text = example_text(EXAMPLES / "editorji-example.txt")
    explained = cleaner.clean(text, explain=True)
    plain = cleaner.clean(text)
    assert plain.removals is None
    assert (explained.text, explained.metadata()) == (plain.text, plain.metadata())


# The module-level function -------------------------------------------------------------------


@by_example
def test_module_level_clean_matches_cleaner(cleaner: Cleaner, path: Path) -> None:
    text = example_text(path)
    assert module_clean(text) == cleaner.clean(text)


def test_module_level_clean_takes_url_and_site() -> None:
    text = "Ferry Service Resumes\n\nBy Reuters\n\nThe ferries sailed again on Friday.\n"
    url = "https://www.themoscowtimes.com/2025/03/14/ferry-a1"
    by_url = module_clean(text, url=url)
    assert (by_url.site, by_url.byline, by_url.url) == ("themoscowtimes", "Reuters", url)
    assert module_clean(text, site="themoscowtimes").text == by_url.text
    assert module_clean(text).site is None


# Records with mistakes -----------------------------------------------------------------------


def test_clean_records_skips_a_bad_record_and_goes_on(
    cleaner: Cleaner, caplog: pytest.LogCaptureFixture
) -> None:
    records = [{"id": 1, "body": "x"}, {"id": 2, "text": "Headline\n\nAdvertisement\n"}]
    assert [record["id"] for record in cleaner.clean_records(records)] == [2]
    (logged,) = caplog.records
    assert logged.name == "cleaner" and logged.levelname == "WARNING"
    assert logged.getMessage().startswith('record 1: has no "text" field')
    assert logged.getMessage().endswith("; skipped")


def test_clean_records_logs_a_repeated_mistake_a_few_times_then_a_count(
    cleaner: Cleaner, caplog: pytest.LogCaptureFixture
) -> None:
    assert list(cleaner.clean_records([{"id": n} for n in range(30)])) == []
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 6
    assert messages[-1].startswith("25 more record(s) skipped for the same reason: ")


def test_clean_records_can_raise_instead(cleaner: Cleaner) -> None:
    records = iter([{"id": 1, "text": "Headline\n"}, {"id": 2, "text": 3}])
    cleaned = cleaner.clean_records(records, on_error="raise")
    assert next(cleaned)["id"] == 1
    with pytest.raises(
        InputError, match=r"^record 2: field \"text\" is a JSON number, not a string$"
    ):
        next(cleaned)


def test_clean_records_refuses_an_unknown_on_error(cleaner: Cleaner) -> None:
    with pytest.raises(ValueError, match="on_error"):
        next(cleaner.clean_records([], on_error="ignore"))  # type: ignore[arg-type]
