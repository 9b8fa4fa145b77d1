"""``cleaner clean`` over batches: inputs and outputs, bad input, audit trail, stats and resume."""

from __future__ import annotations

import gzip
import io
import multiprocessing
import sys
from collections.abc import Sequence
from pathlib import Path

import orjson
import pytest
from backports import zstd
from click.testing import CliRunner, Result

from cleaner import Cleaner
from cleaner.batch import BatchOptions, Reporter, run_batch, start_method
from cleaner.cli import main
from cleaner.reader import find_inputs

ARTICLE = (
    "Harbour tram line opens\n\nAdvertisement\n\n"
    "The new tram line carried its first passengers on Monday.\n\n"
    "City officials said trams would run every ten minutes.\n"
)
CLEANED = (
    "Harbour tram line opens\n\n"
    "The new tram line carried its first passengers on Monday.\n\n"
    "City officials said trams would run every ten minutes.\n"
)


def run(args: Sequence[str], stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["clean", "--no-progress", *args], input=stdin)


def write_records(path: Path, records: Sequence[object]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    return path


def read_records(data: bytes) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in data.splitlines()]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small input tree: two text files in subdirectories and a JSON Lines file."""
    root = tmp_path / "in"
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    (root / "a" / "one.txt").write_text(ARTICLE)
    (root / "b" / "two.txt").write_text(ARTICLE.replace("Harbour", "River"))
    write_records(root / "c.jsonl", [{"id": "r1", "text": ARTICLE, "lang": "en"}])
    return root


def test_a_jsonl_record_keeps_its_other_fields_and_gains_metadata(tmp_path: Path) -> None:
    record = {"id": "r1", "text": ARTICLE, "lang": "en", "tags": [1, {"x": None}]}
    path = write_records(tmp_path / "in.jsonl", [record])
    result = run([str(path)])
    assert result.exit_code == 0, result.stderr
    (cleaned,) = read_records(result.stdout_bytes)
    assert cleaned["text"] == CLEANED
    assert (cleaned["id"], cleaned["lang"], cleaned["tags"]) == ("r1", "en", [1, {"x": None}])
    assert cleaned["title"] == "Harbour tram line opens" and "site" in cleaned


def test_the_field_options_name_the_text_url_and_id(tmp_path: Path) -> None:
    path = write_records(tmp_path / "in.jsonl", [{"key": "k", "body": ARTICLE, "link": "x"}])
    args = ["--text-field", "body", "--url-field", "link", "--id-field", "key", str(path)]
    (cleaned,) = read_records(run(args).stdout_bytes)
    assert (cleaned["body"], cleaned["link"], cleaned["key"]) == (CLEANED, "x", "k")


def test_output_dir_mirrors_the_input_tree(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(["-o", f"{out}/", str(tree)])
    assert result.exit_code == 0, result.stderr
    assert (out / "a" / "one.txt").read_text() == CLEANED
    assert (out / "b" / "two.txt").read_text() == CLEANED.replace("Harbour", "River")
    (record,) = read_records((out / "c.jsonl").read_bytes())
    assert (record["id"], record["lang"], record["text"]) == ("r1", "en", CLEANED)


def test_output_file_holds_every_document_in_input_order(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    result = run(["--output", str(out), str(tree)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == b""
    ids = [record["id"] for record in read_records(out.read_bytes())]
    assert ids == ["r1", "a/one", "b/two"]


def test_text_format_of_jsonl_into_a_directory_writes_a_file_per_record(tmp_path: Path) -> None:
    path = write_records(tmp_path / "in.jsonl", [{"id": "x", "text": ARTICLE}])
    out = tmp_path / "out"
    assert run(["--format", "text", "-o", f"{out}/", str(path)]).exit_code == 0
    assert (out / "in" / "x.txt").read_text() == CLEANED


@pytest.mark.parametrize("record_id", ["../../etc/passwd", "/etc/passwd", "..", "a/../../b"])
def test_a_record_id_cannot_lead_outside_the_output_dir(tmp_path: Path, record_id: str) -> None:
    path = write_records(tmp_path / "in.jsonl", [{"id": record_id, "text": ARTICLE}])
    out = tmp_path / "out"
    assert run(["--format", "text", "-o", f"{out}/", str(path)]).exit_code == 0
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != path]
    assert len(written) == 1 and written[0].parent == out / "in"


def test_an_input_named_through_parent_directories_is_written_inside(tmp_path: Path) -> None:
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "story.txt").write_text(ARTICLE)
    out = tmp_path / "deep" / "er" / "out"
    out.mkdir()  # the input path goes through it, so it must exist before the input is read
    assert run(["-o", f"{out}/", str(out / ".." / ".." / ".." / "story.txt")]).exit_code == 0
    assert (out / "story.txt").read_text() == CLEANED


def test_records_with_the_same_id_are_both_kept(tmp_path: Path) -> None:
    records = [{"id": "same", "text": ARTICLE}, {"id": "same", "text": "Other\n"}]
    path = write_records(tmp_path / "in.jsonl", records)
    out = tmp_path / "out"
    assert run(["--format", "text", "-o", f"{out}/", str(path)]).exit_code == 0
    assert sorted(p.name for p in (out / "in").iterdir()) == ["same-2.txt", "same.txt"]


def test_two_inputs_with_one_output_path_fail_the_second(tmp_path: Path) -> None:
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(ARTICLE + folder)
    out = tmp_path / "out"
    result = run(
        ["-o", f"{out}/", str(tmp_path / "x" / "story.txt"), str(tmp_path / "y/story.txt")]
    )
    assert result.exit_code == 1
    assert "is also an earlier input's output" in result.stderr
    assert (out / "story.txt").read_text().endswith("x\n")


def test_invalid_utf8_is_replaced_counted_and_not_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(ARTICLE.encode() + b"Caf\xe9 reopens.\n")
    result = run([str(path)])
    assert result.exit_code == 0
    assert result.stdout.endswith("Caf\ufffd reopens.\n")
    assert f"warning: {path}: not valid utf-8" in result.stderr
    assert "1 warning(s)" in result.stderr


def test_a_latin1_file_is_read_with_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes((ARTICLE + "Café reopens.\n").encode("latin-1"))
    result = run(["--encoding", "latin-1", str(path)])
    assert result.exit_code == 0 and "warning" not in result.stderr
    assert result.stdout.endswith("Café reopens.\n")


def test_an_unknown_encoding_is_a_usage_error(tmp_path: Path) -> None:
    result = run(["--encoding", "klingon", "-"], stdin=b"")
    assert result.exit_code == 2 and "unknown encoding" in result.stderr


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + ARTICLE.encode(),
        ARTICLE.replace("\n", "\r\n").encode(),
        ARTICLE.replace("\n", "\r").encode(),
        ARTICLE.rstrip("\n").encode(),
    ],
    ids=["bom", "crlf", "lone-cr", "no-final-newline"],
)
def test_byte_order_marks_and_line_ends_do_not_change_the_result(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    result = run([str(path)])
    assert (result.exit_code, result.stdout) == (0, CLEANED)


def test_a_binary_file_is_skipped_with_a_message_and_fails_the_batch(tmp_path: Path) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x00\x00\x00")
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    out = tmp_path / "out"
    result = run(["-o", f"{out}/", str(binary), str(good)])
    assert result.exit_code == 1
    assert f"{binary}: contains NUL characters" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["good.txt"]


def test_an_empty_file_gives_an_empty_output(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    out = tmp_path / "out"
    result = run(["-o", f"{out}/", str(path)])
    assert result.exit_code == 0 and (out / "empty.txt").read_bytes() == b""


def test_one_very_long_line_passes_through(tmp_path: Path) -> None:
    line = " ".join(f"Tram {n} left the depot on time." for n in range(100_000))  # 3.4 MB
    path = tmp_path / "long.txt"
    path.write_text(f"Harbour tram line opens\n\n{line}\n")
    result = run([str(path)])
    assert result.exit_code == 0
    assert result.stdout == f"Harbour tram line opens\n\n{line}\n"


def test_a_malformed_record_is_reported_as_file_and_line_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(orjson.dumps({"id": 1, "text": ARTICLE}) + b'\n{"id": 2,\n')
    result = run([str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: not a JSON record" in result.stderr
    assert [record["id"] for record in read_records(result.stdout_bytes)] == [1]


def test_strict_makes_a_malformed_record_fatal_and_writes_no_output_file(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": 2,\n' + orjson.dumps({"id": 1, "text": ARTICLE}) + b"\n")
    out = tmp_path / "out.jsonl"
    result = run(["--strict", "--output", str(out), str(path)])
    assert result.exit_code == 1
    assert f"{path}:1: not a JSON record" in result.stderr and "--strict" in result.stderr
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize("record", [{"id": 1, "body": "x"}, {"id": 1, "text": 42}])
def test_a_record_without_a_string_text_fails_and_the_rest_go_on(
    tmp_path: Path, record: dict[str, object]
) -> None:
    path = write_records(tmp_path / "in.jsonl", [record, {"id": 2, "text": ARTICLE}])
    result = run([str(path)])
    assert result.exit_code == 1 and f"{path}:1: " in result.stderr
    assert [cleaned["id"] for cleaned in read_records(result.stdout_bytes)] == [2]


def test_a_missing_input_fails_after_the_others_are_cleaned(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    result = run([str(tmp_path / "missing.txt"), str(good)])
    assert result.exit_code == 1 and result.stdout == CLEANED
    assert "missing.txt: no such file or directory" in result.stderr


def test_the_summary_names_documents_sites_and_failures(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    result = run([str(good), str(tmp_path / "missing.txt")])
    assert "cleaner: 1 document(s)" in result.stderr
    assert "sites: unknown 1" in result.stderr
    assert result.stderr.count("missing.txt") == 1  # reported once, not again in the summary
    assert result.stderr.endswith(
        "cleaner: 1 input(s) or record(s) failed; the others were cleaned\n"
    )


def test_no_summary_leaves_stderr_empty(tmp_path: Path) -> None:
    assert run(["--no-summary", "-"], stdin=ARTICLE.encode()).stderr == ""


def test_progress_can_be_forced_on_stderr(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["clean", "--progress", "-"], input=ARTICLE.encode())
    assert "1 docs" in result.stderr and result.stdout == CLEANED


def test_removed_lists_every_removed_line_with_its_rule(tmp_path: Path) -> None:
    audit = tmp_path / "removed.jsonl"
    result = run(["--removed", str(audit), "-"], stdin=ARTICLE.encode())
    assert result.exit_code == 0
    assert read_records(audit.read_bytes()) == [
        {
            "id": "stdin",
            "line": 3,
            "rule": "common:advertisement",
            "action": "drop",
            "text": "Advertisement",
            "result": None,
        }
    ]


def test_stats_has_exactly_the_documented_shape(tmp_path: Path) -> None:
    stats = tmp_path / "stats.json"
    assert run(["--stats", str(stats), "-"], stdin=ARTICLE.encode()).exit_code == 0
    assert orjson.loads(stats.read_bytes()) == {
        "documents": 1,
        "sites": {"unknown": 1},
        "rules": {"common:advertisement": {"documents": 1, "lines": 1}},
    }


def test_resume_skips_inputs_whose_output_is_complete(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(["-o", f"{out}/", str(tree)]).exit_code == 0
    (out / "a" / "one.txt").write_text("kept as it is")
    (out / "b" / "two.txt").unlink()
    result = run(["--resume", "-o", f"{out}/", str(tree)])
    assert result.exit_code == 0
    assert (out / "a" / "one.txt").read_text() == "kept as it is"
    assert (out / "b" / "two.txt").read_text() == CLEANED.replace("Harbour", "River")
    assert "2 input(s) skipped: their output was complete" in result.stderr


def test_resume_needs_an_output_dir() -> None:
    result = run(["--resume", "-"], stdin=b"")
    assert result.exit_code == 2 and "--resume needs an output directory (-o DIR/)" in result.stderr


def test_a_failed_input_leaves_no_partial_or_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00 not really gzip")
    out = tmp_path / "out"
    result = run(["-o", f"{out}/", str(path)])
    assert result.exit_code == 1 and f"{path}: cannot read" in result.stderr
    assert list(out.rglob("*")) == []


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked only on Linux")
def test_workers_are_forked_only_from_a_process_that_runs_no_other_thread() -> None:
    methods = ["fork", "spawn", "forkserver"]
    assert start_method(methods, threads=1) == "fork"
    assert start_method(methods, threads=2) == "forkserver"
    assert start_method(["spawn"], threads=1) == "spawn"


@pytest.mark.slow
@pytest.mark.parametrize("form", ["text", "jsonl"])
@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_two_jobs_give_the_same_output_as_one(
    tmp_path: Path, form: str, method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} start method on this platform")
    monkeypatch.setattr("cleaner.batch.start_method", lambda available, threads: method)
    monkeypatch.setattr("cleaner.batch.MIN_RANGE_BYTES", 2_000)  # several ranges per file
    records = [{"id": n, "text": ARTICLE.replace("tram", f"tram {n}"), "n": n} for n in range(300)]
    corpus = tmp_path / "in"
    corpus.mkdir()
    if form == "jsonl":
        inputs = [str(write_records(corpus / "in.jsonl", records))]
    else:
        for record in records:
            (corpus / f"{record['n']:03d}.txt").write_text(str(record["text"]))
        inputs = [str(corpus)]
    audits = [tmp_path / "one.removed", tmp_path / "two.removed"]
    one = run(["-j", "1", "--removed", str(audits[0]), *inputs])
    two = run(["-j", "2", "--removed", str(audits[1]), *inputs])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout_bytes == two.stdout_bytes and one.stdout.count("passengers") == 300
    assert audits[0].read_bytes() == audits[1].read_bytes()


@pytest.mark.slow
def test_two_jobs_join_the_ranges_of_a_big_file_in_an_output_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cleaner.batch.MIN_RANGE_BYTES", 2_000)
    records = [{"id": n, "text": ARTICLE} for n in range(200)]
    path = write_records(tmp_path / "in.jsonl", [*records[:100], "oops", *records[100:]])
    out = tmp_path / "out"
    result = run(["-j", "2", "-o", f"{out}/", str(path)])
    assert result.exit_code == 1 and f"{path}:101: is a JSON string" in result.stderr
    assert [record["id"] for record in read_records((out / "in.jsonl").read_bytes())] == list(
        range(200)
    )
    assert [p.name for p in out.iterdir()] == ["in.jsonl"]


# Errors that respect the reader ----------------------------------------------------------------


def test_a_wrong_text_field_is_said_a_few_times_then_counted(tmp_path: Path) -> None:
    path = write_records(tmp_path / "in.jsonl", [{"id": n, "body": ARTICLE} for n in range(40)])
    result = run([str(path)])
    assert result.exit_code == 1
    said = [line for line in result.stderr.splitlines() if 'has no "text" field' in line]
    assert [line.split(": ")[1] for line in said[:5]] == [f"{path}:{n}" for n in range(1, 6)]
    assert len(said) == 5 + 2  # the notice that the rest are counted, and the count at the end
    assert "35 more like this were counted, not shown" in result.stderr
    assert result.stderr.endswith("40 input(s) or record(s) failed; the others were cleaned\n")


def test_each_bad_record_is_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": 1,\n' + orjson.dumps({"id": 2, "text": ARTICLE}) + b"\n[3]\n")
    stderr = run([str(path)]).stderr
    assert stderr.count(f"{path}:1:") == 1 and stderr.count(f"{path}:3:") == 1


def test_max_errors_stops_the_batch(tmp_path: Path) -> None:
    records = [{"id": n, "text": ARTICLE} if n % 2 else {"id": n} for n in range(20)]
    path = write_records(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    result = run(["--max-errors", "3", "-o", str(out), str(path)])
    assert result.exit_code == 1
    assert "stopped after 3 failure(s)" in result.stderr
    assert result.stderr.endswith(
        "3 input(s) or record(s) failed; stopped early (--max-errors 3)\n"
    )
    assert not out.exists()


def test_strict_and_another_max_errors_are_refused(tmp_path: Path) -> None:
    result = run(["--strict", "--max-errors", "3", "-"], stdin=b"")
    assert result.exit_code == 2 and "leave out --max-errors" in result.stderr


# A big file in parts ---------------------------------------------------------------------------


class CountingReporter(Reporter):
    """A reporter that remembers each step of progress instead of drawing a bar."""

    def __init__(self) -> None:
        super().__init__(show_progress=False)
        self.steps: list[tuple[int, int]] = []

    def advance(self, size: int, documents: int) -> None:
        self.steps.append((size, documents))


@pytest.mark.parametrize("jobs", [1, pytest.param(2, marks=pytest.mark.slow)])
@pytest.mark.parametrize("suffix", ["", ".gz", ".zst"])
def test_a_big_file_is_cleaned_in_parts_in_order_with_progress_by_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, suffix: str
) -> None:
    monkeypatch.setattr("cleaner.batch.MIN_RANGE_BYTES", 500)  # compressed, the file is small
    records = [{"id": n, "text": ARTICLE.replace("tram", f"tram {n}")} for n in range(400)]
    data = b"".join(orjson.dumps(record) + b"\n" for record in records)
    path = tmp_path / f"big.jsonl{suffix}"
    path.write_bytes({"": bytes, ".gz": gzip.compress, ".zst": zstd.compress}[suffix](data))
    out = io.BytesIO()
    reporter = CountingReporter()
    options = BatchOptions(jobs=jobs)
    stats = run_batch(find_inputs([str(path)]), Cleaner(), options, out, reporter)
    assert stats.documents == 400 and stats.failures == 0
    assert [record["id"] for record in read_records(out.getvalue())] == list(range(400))
    assert len(reporter.steps) > 3
    assert sum(size for size, _ in reporter.steps) == path.stat().st_size
    assert sum(documents for _, documents in reporter.steps) == 400
