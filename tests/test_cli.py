"""The command line, run in-process with click's CliRunner against `cleaner.cli.main`.

The articles below are invented for these tests: a few sentences each, in the form the scrapers
give (one paragraph per line) with the chrome of a site around them.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import cleaner
from cleaner.cli import _exit_status, main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# A Hindustan Times page: header, byline, date line, an "Also Read" link and the footer.
HT_ARTICLE = """\
Search
Tuesday, Mar 11, 2025
Pune 29oC

Pune civic body to plant 50,000 trees along the new ring road

PTI |
Updated on: Mar 11, 2025 06:45 PM IST

The Pune Municipal Corporation will plant 50,000 native trees along the ring road, officials said.

Saplings of neem, banyan and jamun will be planted in two rows on each side of the 40 km road.

Also Read | Pune metro to add three new stations by June

Residents' groups welcomed the plan but asked for the saplings to be watered in the dry months.

Get the latest headlines from India news and city updates on Hindustan Times.
News / Cities / Pune News / Pune civic body to plant 50,000 trees
SHARE THIS ARTICLE ON
Copyright © 2025 HT Digital Streams Limited. All Rights Reserved.
"""

HT_CLEANED = """\
Pune civic body to plant 50,000 trees along the new ring road

The Pune Municipal Corporation will plant 50,000 native trees along the ring road, officials said.

Saplings of neem, banyan and jamun will be planted in two rows on each side of the 40 km road.

Residents' groups welcomed the plan but asked for the saplings to be watered in the dry months.
"""

# An article with no chrome of any site: cleaning leaves it as it is.
PLAIN_ARTICLE = """\
Harbour Town Opens Its First Public Library in Forty Years

The new library on Quay Street opened on Saturday with 12,000 books and a room over the harbour.

Volunteers spent two years raising money for the building, which was once a fish market.

The mayor said the library would stay open until nine in the evening on weekdays.
"""

# A Moscow Times article without any of the site's fingerprints: only a URL can place it.
VOLGA_ARTICLE = """\
Volga Ferry Service Resumes After Ice Delays

By Reuters

March 14, 2025

Passenger ferries on the Volga resumed service on Friday after a late thaw, the ministry said.

Operators said tickets for the spring season had sold faster than in previous years.
"""
VOLGA_URL = "https://www.themoscowtimes.com/2025/03/14/volga-ferry-service-resumes-a12345"

# A site that no bundled rule file knows, and a rule file for it.
RIVERSIDE_ARTICLE = """\
Riverside Council Approves New Footbridge

Riverside Gazette Staff

The council voted on Monday to build a footbridge across the river near the old mill.

Subscribe to the Riverside Gazette for daily news.

Construction is expected to start in the autumn and take about a year. [more]
"""

RIVERSIDE_CLEANED = """\
Riverside Council Approves New Footbridge

The council voted on Monday to build a footbridge across the river near the old mill.

Construction is expected to start in the autumn and take about a year.
"""

RIVERSIDE_RULES = """\
[site]
name = "Riverside Gazette"
domains = ["riverside-gazette.example"]
fingerprints = ['^Riverside Gazette Staff$']

[[rule]]
id = "staff-byline"
kind = "capture"
pattern = '(?P<byline>Riverside Gazette Staff)'

[[rule]]
id = "subscribe"
kind = "drop_line"
pattern = 'Subscribe to the Riverside Gazette.*'

[[rule]]
id = "more-link"
kind = "substitute"
pattern = ' \\[more\\]$'
"""

# A replacement for the bundled hindustantimes.toml: one rule the bundled file does not have.
HT_REPLACEMENT_RULES = """\
[site]
name = "Hindustan Times, local rules"
domains = ["hindustantimes.com"]

[[rule]]
id = "listen"
kind = "drop_line"
lines = ["Listen to this article"]
"""

JSONL_KEYS = {"id", "site", "title", "byline", "date", "url", "text"}


@pytest.fixture(autouse=True)
def _no_user_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start without $CLEANER_RULES, whatever the calling shell has set."""
    monkeypatch.delenv("CLEANER_RULES", raising=False)


def run(args: Sequence[str], stdin: str | bytes | None = None) -> Result:
    """`cleaner ARGS`; an unexpected exception fails the test instead of passing for exit 1."""
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def write(directory: Path, name: str, text: str | bytes) -> Path:
    path = directory / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def records(result: Result) -> list[dict[str, str | None]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture
def ht_file(tmp_path: Path) -> Path:
    return write(tmp_path, "pune-trees.txt", HT_ARTICLE)


@pytest.fixture
def plain_file(tmp_path: Path) -> Path:
    return write(tmp_path, "harbour-library.txt", PLAIN_ARTICLE)


# Plain text output ---------------------------------------------------------------------------


def test_clean_file_prints_cleaned_text(ht_file: Path) -> None:
    result = run(["clean", str(ht_file)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == HT_CLEANED


def test_clean_two_files_prints_both_in_order(ht_file: Path, plain_file: Path) -> None:
    result = run(["clean", str(plain_file), str(ht_file)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == PLAIN_ARTICLE + HT_CLEANED


def test_clean_dash_reads_stdin() -> None:
    result = run(["clean", "-"], stdin=HT_ARTICLE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == HT_CLEANED


def test_clean_without_files_reads_stdin() -> None:
    result = run(["clean"], stdin=HT_ARTICLE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == HT_CLEANED


# Output directory ----------------------------------------------------------------------------


def test_output_dir_writes_one_file_per_input(
    tmp_path: Path, ht_file: Path, plain_file: Path
) -> None:
    out = tmp_path / "out"
    result = run(["clean", "-o", f"{out}/", str(ht_file), str(plain_file)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert (out / "pune-trees.txt").read_text(encoding="utf-8") == HT_CLEANED
    assert (out / "harbour-library.txt").read_text(encoding="utf-8") == PLAIN_ARTICLE


def test_output_dir_jsonl_writes_stem_dot_jsonl(tmp_path: Path, ht_file: Path) -> None:
    out = tmp_path / "out"
    result = run(["clean", "--format", "jsonl", "-o", f"{out}/", str(ht_file)])
    assert result.exit_code == 0, result.stderr
    record = json.loads((out / "pune-trees.jsonl").read_text(encoding="utf-8"))
    assert (record["id"], record["text"]) == ("pune-trees", HT_CLEANED)


@pytest.mark.parametrize("output_format", ["text", "jsonl"])
def test_output_dir_leaves_no_temporary_files(
    tmp_path: Path, ht_file: Path, plain_file: Path, output_format: str
) -> None:
    out = tmp_path / "out"
    result = run(
        ["clean", "--format", output_format, "-o", f"{out}/", str(ht_file), str(plain_file)]
    )
    assert result.exit_code == 0, result.stderr
    suffix = ".txt" if output_format == "text" else ".jsonl"
    assert sorted(p.name for p in out.iterdir()) == [
        f"harbour-library{suffix}",
        f"pune-trees{suffix}",
    ]


# JSON Lines ----------------------------------------------------------------------------------


def test_jsonl_record_has_exactly_the_documented_keys(ht_file: Path) -> None:
    (record,) = records(run(["clean", "--format", "jsonl", str(ht_file)]))
    assert set(record) == JSONL_KEYS


def test_jsonl_record_values(ht_file: Path) -> None:
    (record,) = records(run(["clean", "--format", "jsonl", str(ht_file)]))
    assert record == {
        "id": "pune-trees",
        "site": "hindustantimes",
        "title": "Pune civic body to plant 50,000 trees along the new ring road",
        "byline": "PTI",
        "date": "2025-03-11",
        "url": None,
        "text": HT_CLEANED,
    }


def test_jsonl_one_record_per_file_in_order(ht_file: Path, plain_file: Path) -> None:
    found = records(run(["clean", "--format", "jsonl", str(ht_file), str(plain_file)]))
    assert [(r["id"], r["site"]) for r in found] == [
        ("pune-trees", "hindustantimes"),
        ("harbour-library", None),
    ]


def test_jsonl_id_of_stdin_is_stdin() -> None:
    (record,) = records(run(["clean", "--format", "jsonl", "-"], stdin=PLAIN_ARTICLE))
    assert (record["id"], record["text"]) == ("stdin", PLAIN_ARTICLE)


def test_jsonl_reports_the_url_the_text_gives() -> None:
    path = EXAMPLES / "themoscowtimes-plain-example.txt"
    (record,) = records(run(["clean", "--format", "jsonl", str(path)]))
    assert record["site"] == "themoscowtimes"
    assert record["url"] == (
        "https://www.themoscowtimes.com/2025/11/12/"
        "vladivostok-port-struggles-with-backlog-as-trade-with-asia-surges-a91520"
    )


# Choosing the site ---------------------------------------------------------------------------


def test_site_option_forces_the_site(plain_file: Path) -> None:
    (record,) = records(
        run(["clean", "--format", "jsonl", "--site", "themoscowtimes", str(plain_file)])
    )
    assert (record["site"], record["text"]) == ("themoscowtimes", PLAIN_ARTICLE)


def test_unknown_site_exits_2_naming_known_sites(plain_file: Path) -> None:
    result = run(["clean", "--site", "nosuchsite", str(plain_file)])
    assert result.exit_code == 2
    assert result.stdout == ""
    for name in ("nosuchsite", "editorji", "hindustantimes", "themoscowtimes"):
        assert name in result.stderr


def test_text_without_fingerprints_has_no_site(tmp_path: Path) -> None:
    path = write(tmp_path, "volga-ferry.txt", VOLGA_ARTICLE)
    (record,) = records(run(["clean", "--format", "jsonl", str(path)]))
    assert record["site"] is None


def test_url_option_selects_the_site_of_its_host(tmp_path: Path) -> None:
    path = write(tmp_path, "volga-ferry.txt", VOLGA_ARTICLE)
    (record,) = records(run(["clean", "--format", "jsonl", "--url", VOLGA_URL, str(path)]))
    assert record["site"] == "themoscowtimes"
    assert record["url"] == VOLGA_URL
    assert (record["byline"], record["date"]) == ("Reuters", "2025-03-14")
    assert "By Reuters" not in str(record["text"])


# User rule directories -----------------------------------------------------------------------


def _user_rules(
    tmp_path: Path, via: str, monkeypatch: pytest.MonkeyPatch, name: str, body: str
) -> list[str]:
    """Put a rule file in a user directory; the options that pass that directory on."""
    directory = tmp_path / "my-rules"
    directory.mkdir()
    write(directory, name, body)
    if via == "--rules":
        return ["--rules", str(directory)]
    monkeypatch.setenv("CLEANER_RULES", str(directory))
    return []


@pytest.mark.parametrize("via", ["--rules", "CLEANER_RULES"])
def test_user_rule_file_adds_a_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, via: str
) -> None:
    options = _user_rules(tmp_path, via, monkeypatch, "riverside.toml", RIVERSIDE_RULES)
    path = write(tmp_path, "footbridge.txt", RIVERSIDE_ARTICLE)
    result = run(["clean", "--format", "jsonl", *options, str(path)])
    assert result.exit_code == 0, result.stderr
    (record,) = records(result)
    assert (record["site"], record["byline"]) == ("riverside", "Riverside Gazette Staff")
    assert record["text"] == RIVERSIDE_CLEANED


@pytest.mark.parametrize("via", ["--rules", "CLEANER_RULES"])
def test_user_rule_file_replaces_bundled_file_of_same_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, via: str
) -> None:
    options = _user_rules(tmp_path, via, monkeypatch, "hindustantimes.toml", HT_REPLACEMENT_RULES)
    article = HT_ARTICLE.replace("PTI |\n", "PTI |\nListen to this article\n")
    path = write(tmp_path, "pune-trees.txt", article)
    result = run(["clean", "--site", "hindustantimes", *options, str(path)])
    assert result.exit_code == 0, result.stderr
    assert "Listen to this article" not in result.stdout  # the user file's own rule ran
    assert "Also Read | Pune metro" in result.stdout  # the bundled file's rules did not


# Bad rule files ------------------------------------------------------------------------------

TYPO_AND_DUPLICATE = """\
[site]
name = "Alpha"

[[rule]]
id = "sponsored"
kind = "drop_line"
patern = 'Sponsored content'

[[rule]]
id = "promo"
kind = "drop_line"
lines = ["Promoted"]

[[rule]]
id = "promo"
kind = "drop_line"
lines = ["Promotion"]
"""

BAD_REGEX = """\
[[rule]]
id = "footer"
kind = "cut_block"
start = 'Read more (on'
"""


@pytest.fixture
def bad_rules_run(tmp_path: Path, plain_file: Path) -> tuple[Result, Path, Path]:
    directory = tmp_path / "bad-rules"
    directory.mkdir()
    alpha = write(directory, "alpha.toml", TYPO_AND_DUPLICATE)
    beta = write(directory, "beta.toml", BAD_REGEX)
    return run(["clean", "--rules", str(directory), str(plain_file)]), alpha, beta


def test_bad_rule_files_exit_2_and_clean_nothing(
    bad_rules_run: tuple[Result, Path, Path],
) -> None:
    result, _, _ = bad_rules_run
    assert result.exit_code == 2
    assert result.stdout == ""


def test_bad_rule_files_report_every_problem_in_one_run(
    bad_rules_run: tuple[Result, Path, Path],
) -> None:
    result, alpha, beta = bad_rules_run
    problems = [line for line in result.stderr.splitlines() if ".toml:" in line]
    assert len(problems) == 3, result.stderr
    typo = next(line for line in problems if '"patern"' in line)
    duplicate = next(line for line in problems if "duplicate" in line)
    regex = next(line for line in problems if "Read more (on" in line)
    assert str(alpha) in typo and 'rule "sponsored"' in typo
    assert str(alpha) in duplicate and 'rule "promo"' in duplicate and 'key "id"' in duplicate
    assert str(beta) in regex and 'rule "footer"' in regex and 'key "start"' in regex


def test_bad_rule_key_typo_suggests_the_right_key(
    bad_rules_run: tuple[Result, Path, Path],
) -> None:
    result, _, _ = bad_rules_run
    typo = next(line for line in result.stderr.splitlines() if '"patern"' in line)
    assert 'did you mean "pattern"?' in typo


def test_duplicate_id_of_an_invalid_rule_is_reported_too(tmp_path: Path, plain_file: Path) -> None:
    directory = tmp_path / "bad-rules"
    directory.mkdir()
    write(
        directory,
        "alpha.toml",
        """\
[[rule]]
id = "ads"
kind = "drop_line"
patern = 'Sponsored content'

[[rule]]
id = "ads"
kind = "drop_line"
lines = ["Promoted"]
""",
    )
    result = run(["clean", "--rules", str(directory), str(plain_file)])
    assert result.exit_code == 2
    assert '"patern"' in result.stderr
    assert "duplicate rule id" in result.stderr


# Bad inputs ----------------------------------------------------------------------------------


def test_missing_input_exits_1_and_cleans_the_others(tmp_path: Path, ht_file: Path) -> None:
    missing = tmp_path / "no-such-article.txt"
    result = run(["clean", str(missing), str(ht_file)])
    assert result.exit_code == 1
    assert result.stdout == HT_CLEANED
    assert str(missing) in result.stderr


def test_binary_input_exits_1_and_cleans_the_others(tmp_path: Path, ht_file: Path) -> None:
    binary = write(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    result = run(["clean", str(binary), str(ht_file)])
    assert result.exit_code == 1
    assert result.stdout == HT_CLEANED
    assert str(binary) in result.stderr


def test_invalid_utf8_is_cleaned_with_a_warning(tmp_path: Path) -> None:
    data = PLAIN_ARTICLE.encode("utf-8").replace(b"Quay Street", b"Quay Stra\xdfe")  # Latin-1
    path = write(tmp_path, "latin1.txt", data)
    result = run(["clean", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == PLAIN_ARTICLE.replace("Quay Street", "Quay Stra\ufffde")
    assert "warning" in result.stderr and str(path) in result.stderr


def test_utf8_bom_is_not_in_the_output(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + HT_ARTICLE.encode("utf-8"))
    result = run(["clean", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == HT_CLEANED


def test_utf8_bom_on_stdin_is_not_in_the_output() -> None:
    result = run(["clean", "-"], stdin=b"\xef\xbb\xbf" + HT_ARTICLE.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == HT_CLEANED


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_crlf_gives_the_same_output_as_lf(tmp_path: Path, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    crlf = write(tmp_path, "crlf.txt", text.replace("\n", "\r\n"))
    assert run(["clean", str(crlf)]).stdout == run(["clean", str(path)]).stdout


def test_crlf_article_gives_the_same_output_as_lf(tmp_path: Path) -> None:
    crlf = write(tmp_path, "crlf.txt", HT_ARTICLE.replace("\n", "\r\n"))
    assert run(["clean", str(crlf)]).stdout == HT_CLEANED


def test_crlf_document_is_detected_by_a_dollar_anchored_fingerprint(tmp_path: Path) -> None:
    directory = tmp_path / "my-rules"
    directory.mkdir()
    write(directory, "riverside.toml", RIVERSIDE_RULES)
    crlf = write(tmp_path, "crlf.txt", RIVERSIDE_ARTICLE.replace("\n", "\r\n"))
    (record,) = records(run(["clean", "--format", "jsonl", "--rules", str(directory), str(crlf)]))
    assert record["site"] == "riverside"


def test_crlf_document_gets_a_dollar_anchored_substitution(tmp_path: Path) -> None:
    directory = tmp_path / "my-rules"
    directory.mkdir()
    write(directory, "riverside.toml", RIVERSIDE_RULES)
    crlf = write(tmp_path, "crlf.txt", RIVERSIDE_ARTICLE.replace("\n", "\r\n"))
    result = run(["clean", "--rules", str(directory), "--site", "riverside", str(crlf)])
    assert "[more]" not in result.stdout


# Version -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_python_m_cleaner_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"cleaner, version {cleaner.__version__} ({cleaner.build()})"


@pytest.mark.slow
def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path) -> None:
    article = (EXAMPLES / "unknown-site-example.txt").read_text(encoding="utf-8")
    for number in range(300):  # far more output than a pipe buffers
        (tmp_path / f"{number:03}.txt").write_text(article, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "cleaner", "clean", "-j", "1", "--no-summary", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    with process.stderr:
        stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert stderr == ""


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["explain", str(EXAMPLES / "editorji-example.txt")],
        ["detect", str(EXAMPLES)],
        ["rules", "list"],
    ],
    ids=["explain", "detect", "rules-list"],
)
def test_every_command_ends_quietly_when_its_reader_is_gone(command: list[str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "cleaner", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the command has written anything
    with process.stderr:
        stderr = process.stderr.read().decode()
    assert (process.wait(timeout=60), stderr) == (141, "")


@pytest.mark.slow
@pytest.mark.parametrize("command", [["clean", "-j", "1", "--no-progress"], ["detect"]])
def test_the_program_ends_with_all_its_output_and_its_status(
    command: list[str], tmp_path: Path
) -> None:
    # `cleaner` ends without tearing the interpreter down: what it wrote must still all arrive,
    # through the batch's stream (clean) and through click's standard output (detect).
    article = (EXAMPLES / "unknown-site-example.txt").read_text(encoding="utf-8")
    for number in range(300):  # far more output than one buffer holds
        (tmp_path / f"{number:03}.txt").write_text(article, encoding="utf-8")
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfe\x00 not text")
    arguments = [*command, str(tmp_path)]
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", *arguments], capture_output=True, timeout=120, check=False
    )
    in_process = run(arguments)
    assert done.returncode == in_process.exit_code == 1  # the broken input is reported
    assert done.stdout == in_process.stdout_bytes
    assert done.stderr.decode().splitlines()[-1] == in_process.stderr.splitlines()[-1]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_the_program_ends_with_all_it_wrote_to_a_terminal(tmp_path: Path) -> None:
    # On a terminal the records go through Python's own standard output buffer, which only
    # the program's flush on the way out empties.
    import pty

    article = (EXAMPLES / "unknown-site-example.txt").read_text(encoding="utf-8")
    for number in range(20):
        (tmp_path / f"{number:03}.txt").write_text(article, encoding="utf-8")
    arguments = ["clean", "-j", "1", "--no-progress", "--no-summary", str(tmp_path)]
    terminal, program_side = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "cleaner", *arguments], stdout=program_side, stderr=subprocess.PIPE
    )
    os.close(program_side)
    received = bytearray()
    while True:
        try:
            block = os.read(terminal, 65536)
        except OSError:  # the program's side is closed
            break
        if not block:
            break
        received += block
    os.close(terminal)
    assert process.stderr is not None
    with process.stderr:
        assert process.stderr.read() == b""
    assert process.wait(timeout=120) == 0
    assert bytes(received).replace(b"\r\n", b"\n") == run(arguments).stdout_bytes


@pytest.mark.parametrize(
    ("code", "status", "printed"),
    [(None, 0, ""), (0, 0, ""), (2, 2, ""), ("no rules", 1, "no rules\n")],
)
def test_the_exit_status_is_the_one_sys_exit_gives(
    code: object, status: int, printed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _exit_status(code) == status
    assert capsys.readouterr().err == printed


# JSON Lines everywhere -----------------------------------------------------------------------

HT_RECORDS = b"".join(
    json.dumps({"id": name, "text": text}).encode() + b"\n"
    for name, text in [("pune", HT_ARTICLE), ("harbour", PLAIN_ARTICLE), ("volga", VOLGA_ARTICLE)]
)


def test_json_lines_on_stdin_are_read_as_records_with_a_warning() -> None:
    result = run(["clean", "-"], stdin=HT_RECORDS)
    assert result.exit_code == 0, result.stderr
    assert [record["id"] for record in records(result)] == ["pune", "harbour", "volga"]
    assert records(result)[0]["text"] == HT_CLEANED
    assert "its first line starts with '{', so it is read as JSON Lines" in result.stderr
    assert "--input-format text" in result.stderr


def test_input_format_says_what_stdin_holds() -> None:
    as_records = run(["clean", "--input-format", "jsonl", "-"], stdin=HT_RECORDS)
    assert len(records(as_records)) == 3 and "warning" not in as_records.stderr
    as_text = run(["clean", "--input-format", "text", "-"], stdin=HT_RECORDS)
    assert as_text.stdout == HT_RECORDS.decode()


@pytest.fixture
def records_file(tmp_path: Path) -> Path:
    return write(tmp_path, "pages.jsonl", HT_RECORDS)


def test_explain_shows_one_record_by_its_id(records_file: Path) -> None:
    result = run(["explain", "--id", "pune", str(records_file)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{records_file}:1 (id pune): site hindustantimes (")
    assert "    1 - Search [hindustantimes:header-search]" in lines


def test_explain_takes_the_url_of_the_record(tmp_path: Path) -> None:
    path = write(
        tmp_path, "volga.jsonl", json.dumps({"id": 7, "text": VOLGA_ARTICLE, "url": VOLGA_URL})
    )
    result = run(["explain", str(path)])
    assert result.exit_code == 0, result.stderr
    assert f"site themoscowtimes (detected by url: URL given: {VOLGA_URL})" in result.stdout


def test_explain_of_many_records_asks_which(records_file: Path) -> None:
    result = run(["explain", str(records_file)])
    assert result.exit_code == 1
    assert (
        f"{records_file}: holds 3 records; choose one with --id ID (ids: pune, harbour, volga)"
        in result.stderr
    )


def test_explain_of_a_missing_id_names_the_ids_there_are(records_file: Path) -> None:
    result = run(["explain", "--id", "pnue", str(records_file)])
    assert result.exit_code == 1
    assert 'has no record with the id "pnue" (ids: pune, harbour, volga)' in result.stderr


def test_explain_id_of_a_text_file_is_a_usage_error(ht_file: Path) -> None:
    result = run(["explain", "--id", "pune", str(ht_file)])
    assert result.exit_code == 2 and "--id picks a record of a JSON Lines file" in result.stderr


def test_detect_names_the_site_of_each_record(records_file: Path) -> None:
    result = run(["detect", str(records_file)])
    assert result.exit_code == 0, result.stderr
    assert [line.split(" (")[0] for line in result.stdout.splitlines()] == [
        f"{records_file}:1",
        f"{records_file}:2",
        f"{records_file}:3",
    ]
    sites = [line.split(": ")[1].split(" ")[0] for line in result.stdout.splitlines()]
    assert sites == ["hindustantimes", "unknown", "unknown"]
    assert "(id harbour)" in result.stdout.splitlines()[1]


# Consistent exits --------------------------------------------------------------------------


def test_an_empty_input_directory_is_a_warning_and_fails(tmp_path: Path) -> None:
    empty = tmp_path / "corpus"
    empty.mkdir()
    (empty / "notes.md").write_text("not an article")
    result = run(["clean", str(empty)])
    assert result.exit_code == 1
    assert f"cleaner: warning: {empty}: no file below it matches *.txt or *.jsonl" in result.stderr
    assert "1 input(s) held nothing to clean" in result.stderr


def test_text_and_json_lines_inputs_cannot_share_stdout(ht_file: Path, records_file: Path) -> None:
    result = run(["clean", str(ht_file), str(records_file)])
    assert result.exit_code == 2 and result.stdout == ""
    assert "--format text or --format jsonl" in result.stderr
    both = run(["clean", "--format", "jsonl", str(ht_file), str(records_file)])
    assert both.exit_code == 0 and len(records(both)) == 4


def test_a_batch_leaves_garbage_collection_as_it_found_it() -> None:
    # The batch freezes what is loaded and collects more rarely; a host process running the
    # command in-process gets its own settings back.
    threshold = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    result = run(["clean", "-"], stdin=HT_ARTICLE)
    assert result.exit_code == 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, 0)
    gc.freeze()  # a host that froze objects of its own keeps them frozen
    try:
        assert run(["clean", "-"], stdin=HT_ARTICLE).exit_code == 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
