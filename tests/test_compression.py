"""Compressed inputs and outputs, and the one output option: what a name says is what is written.

The outputs are read back with the standard library's own decompressors (and zstd's), not with
the code that wrote them.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
from collections.abc import Callable, Sequence
from pathlib import Path

import orjson
import pytest
from backports import zstd
from click.testing import CliRunner, Result

from cleaner.cli import main

ARTICLE = (
    "Ferry timetable changes for winter\n\nAdvertisement\n\n"
    "The island ferry will sail four times a day from November, the operator said.\n"
)
CLEANED = (
    "Ferry timetable changes for winter\n\n"
    "The island ferry will sail four times a day from November, the operator said.\n"
)
DECOMPRESS: dict[str, Callable[[bytes], bytes]] = {
    ".gz": gzip.decompress,
    ".zst": zstd.decompress,
    ".bz2": bz2.decompress,
    ".xz": lzma.decompress,
}
COMPRESS: dict[str, Callable[[bytes], bytes]] = {
    ".gz": gzip.compress,
    ".zst": zstd.compress,
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
}
SUFFIXES = sorted(DECOMPRESS)


def run(args: Sequence[str], stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["clean", "--no-progress", *args], input=stdin)


def records_data(count: int = 3) -> bytes:
    return b"".join(
        orjson.dumps({"id": n, "text": ARTICLE.replace("four", f"{n + 2}")}) + b"\n"
        for n in range(count)
    )


def ids(data: bytes) -> list[object]:
    return [orjson.loads(line)["id"] for line in data.splitlines()]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_an_output_file_is_compressed_as_its_name_says(tmp_path: Path, suffix: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(records_data())
    out = tmp_path / f"all.jsonl{suffix}"
    result = run(["-o", str(out), str(source)])
    assert result.exit_code == 0, result.stderr
    assert ids(DECOMPRESS[suffix](out.read_bytes())) == [0, 1, 2]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_compressed_inputs_are_read_and_an_output_dir_keeps_their_compression(
    tmp_path: Path, suffix: str
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / f"part-1.jsonl{suffix}").write_bytes(COMPRESS[suffix](records_data()))
    (corpus / f"story.txt{suffix}").write_bytes(COMPRESS[suffix](ARTICLE.encode()))
    out = tmp_path / "out"
    result = run(["-o", f"{out}/", str(corpus)])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"part-1.jsonl{suffix}", f"story.txt{suffix}"]
    assert ids(DECOMPRESS[suffix]((out / f"part-1.jsonl{suffix}").read_bytes())) == [0, 1, 2]
    assert DECOMPRESS[suffix]((out / f"story.txt{suffix}").read_bytes()) == CLEANED.encode()


def test_compression_chooses_another_for_every_output(tmp_path: Path) -> None:
    source = tmp_path / "part-1.jsonl.gz"
    source.write_bytes(gzip.compress(records_data()))
    out = tmp_path / "out"
    assert run(["--compression", "zstd", "-o", f"{out}/", str(source)]).exit_code == 0
    assert ids(zstd.decompress((out / "part-1.jsonl.zst").read_bytes())) == [0, 1, 2]
    assert run(["--compression", "none", "-o", f"{out}/", str(source)]).exit_code == 0
    assert ids((out / "part-1.jsonl").read_bytes()) == [0, 1, 2]


def test_a_compressed_corpus_stays_small(tmp_path: Path) -> None:
    source = tmp_path / "big.jsonl.gz"
    source.write_bytes(gzip.compress(records_data(2000)))
    out = tmp_path / "out"
    assert run(["-o", f"{out}/", str(source)]).exit_code == 0
    written = (out / "big.jsonl.gz").stat().st_size
    assert written < len(records_data(2000)) / 5


def test_text_records_of_a_compressed_input_are_compressed_too(tmp_path: Path) -> None:
    source = tmp_path / "part-1.jsonl.zst"
    source.write_bytes(zstd.compress(records_data(1)))
    out = tmp_path / "out"
    assert run(["--format", "text", "-o", f"{out}/", str(source)]).exit_code == 0
    written = zstd.decompress((out / "part-1" / "0.txt.zst").read_bytes())
    assert written == CLEANED.replace("four", "2").encode()


def test_standard_output_is_compressed_when_asked(tmp_path: Path) -> None:
    result = run(["--compression", "gzip", "-"], stdin=ARTICLE.encode())
    assert result.exit_code == 0, result.stderr
    assert gzip.decompress(result.stdout_bytes) == CLEANED.encode()


def test_the_audit_trail_is_compressed_as_its_name_says(tmp_path: Path) -> None:
    audit = tmp_path / "removed.jsonl.gz"
    assert run(["--removed", str(audit), "-"], stdin=ARTICLE.encode()).exit_code == 0
    (removal,) = [orjson.loads(line) for line in gzip.decompress(audit.read_bytes()).splitlines()]
    assert removal["text"] == "Advertisement"


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_damaged_compressed_file_is_reported_and_the_others_cleaned(
    tmp_path: Path, suffix: str
) -> None:
    damaged = tmp_path / f"a.jsonl{suffix}"
    damaged.write_bytes(COMPRESS[suffix](records_data(500))[:-40])
    good = tmp_path / "b.jsonl"
    good.write_bytes(records_data(1))
    result = run([str(damaged), str(good)])
    assert result.exit_code == 1
    assert f"{damaged}: cannot read past line" in result.stderr
    assert result.stdout_bytes.endswith(run([str(good)]).stdout_bytes)


# The output option -----------------------------------------------------------------------------


def test_a_file_name_is_a_file_not_a_directory(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(records_data())
    for option in ("-o", "--output"):
        out = tmp_path / f"all{option}.jsonl"
        assert run([option, str(out), str(source)]).exit_code == 0
        assert out.is_file() and ids(out.read_bytes()) == [0, 1, 2]


def test_a_text_file_name_gets_the_text(tmp_path: Path) -> None:
    out = tmp_path / "all.txt"
    assert run(["-o", str(out), "-"], stdin=ARTICLE.encode()).exit_code == 0
    assert out.read_text() == CLEANED


@pytest.mark.parametrize("name", ["clean", "out.parquet", "all.json", "all.gz"])
def test_an_ambiguous_output_name_is_refused_with_the_fix(tmp_path: Path, name: str) -> None:
    result = run(["-o", str(tmp_path / name), "-"], stdin=ARTICLE.encode())
    assert result.exit_code == 2
    shown = str(tmp_path / name)
    message = " ".join(result.stderr.split())
    assert f"write '{shown}/' for a directory of outputs" in message
    assert ".jsonl' (or .jsonl.gz, .jsonl.zst, .txt) for one file" in message
    assert list(tmp_path.iterdir()) == []


def test_an_existing_directory_is_written_into(tmp_path: Path) -> None:
    out = tmp_path / "clean"
    out.mkdir()
    assert run(["-o", str(out), "-"], stdin=ARTICLE.encode()).exit_code == 0
    assert (out / "stdin.txt").read_text() == CLEANED


def test_a_directory_with_a_file_name_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    out.mkdir()
    result = run(["-o", str(out), "-"], stdin=ARTICLE.encode())
    assert result.exit_code == 2 and f"write '{out}/' to write into the directory" in " ".join(
        result.stderr.split()
    )


def test_output_dir_is_a_directory_whatever_its_name(tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    assert run(["--output-dir", str(out), "-"], stdin=ARTICLE.encode()).exit_code == 0
    assert (out / "stdin.txt").read_text() == CLEANED


@pytest.mark.parametrize(
    ("name", "option", "said"),
    [
        ("all.jsonl.gz", ["--compression", "zstd"], "says gzip, but --compression says zstd"),
        ("all.jsonl", ["--compression", "gzip"], "says no compression, but --compression"),
        ("all.txt", ["--format", "jsonl"], "says text, but --format says jsonl"),
    ],
)
def test_options_that_contradict_the_file_name_are_refused(
    tmp_path: Path, name: str, option: list[str], said: str
) -> None:
    result = run(["-o", str(tmp_path / name), *option, "-"], stdin=ARTICLE.encode())
    assert result.exit_code == 2 and said in " ".join(result.stderr.split())


def test_output_and_output_dir_together_are_refused(tmp_path: Path) -> None:
    result = run(["-o", "a.jsonl", "--output-dir", str(tmp_path), "-"], stdin=b"")
    assert result.exit_code == 2 and "not both" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".gz", ".zst"])
def test_two_jobs_write_one_compressed_file_that_reads_whole(tmp_path: Path, suffix: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for shard in range(6):
        (corpus / f"part-{shard}.jsonl").write_bytes(records_data(50))
    out = tmp_path / f"all.jsonl{suffix}"
    result = run(["-j", "2", "-o", str(out), str(corpus)])
    assert result.exit_code == 0, result.stderr
    assert ids(DECOMPRESS[suffix](out.read_bytes())) == list(range(50)) * 6
