"""Reading inputs: finding files, decoding bytes, and JSON Lines records with ``file:line``."""

from __future__ import annotations

import gzip
import itertools
import os
from pathlib import Path, PurePosixPath

import orjson
import pytest

from cleaner.errors import InputError
from cleaner.reader import (
    Document,
    InputFile,
    RecordFields,
    decode,
    find_inputs,
    jsonl_spans,
    read_document,
    read_records,
)


def jsonl_input(path: Path) -> InputFile:
    return InputFile(path, PurePosixPath(path.name), "jsonl")


def write_records(path: Path, records: list[object]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    return path


def documents(items: list[Document | InputError]) -> list[Document]:
    return [item for item in items if isinstance(item, Document)]


def errors(items: list[Document | InputError]) -> list[str]:
    return [str(item) for item in items if isinstance(item, InputError)]


def test_decode_drops_a_utf8_byte_order_mark() -> None:
    assert decode(b"\xef\xbb\xbfHeadline\n", "a.txt") == ("Headline\n", ())


def test_decode_replaces_invalid_utf8_and_warns_with_the_offset() -> None:
    text, warnings = decode(b"caf\xe9 open\n", "a.txt")
    assert text == "caf\ufffd open\n"
    (warning,) = warnings
    assert "a.txt" in warning and "offset 3" in warning and "--encoding" in warning


def test_decode_with_latin1_reads_the_file_as_written() -> None:
    assert decode("café open\n".encode("latin-1"), "a.txt", "latin-1") == ("café open\n", ())


def test_decode_refuses_nul_bytes_naming_the_input() -> None:
    with pytest.raises(InputError, match=r"^blob\.bin: contains NUL characters"):
        decode(b"\x89PNG\x00\x00", "blob.bin")


def test_read_document_keeps_its_id_and_source(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Headline\n")
    document = read_document(str(path))
    assert (document.id, document.source, document.text) == ("story", str(path), "Headline\n")


def test_find_inputs_walks_directories_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b/2.txt", "a/1.txt", "a/skip.md", "c.jsonl", "d.jsonl.gz"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [item for item in find_inputs([str(tmp_path)]) if isinstance(item, InputFile)]
    assert [(str(item.relative), item.format) for item in found] == [
        ("c.jsonl", "jsonl"),
        ("d.jsonl.gz", "jsonl"),
        ("a/1.txt", "text"),
        ("b/2.txt", "text"),
    ]


def test_find_inputs_takes_only_the_files_matching_glob(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.md").write_text("x")
    found = list(find_inputs([str(tmp_path)], globs=["*.md"]))
    assert [item.relative for item in found if isinstance(item, InputFile)] == [
        PurePosixPath("b.md")
    ]


def test_find_inputs_reports_a_missing_path_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    found = list(find_inputs([str(tmp_path / "nope.txt"), str(tmp_path / "a.txt")]))
    assert isinstance(found[0], InputError) and "no such file" in str(found[0])
    assert isinstance(found[1], InputFile)


def test_find_inputs_reports_an_unreadable_directory_and_goes_on(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.txt").write_text("x")
    (tmp_path / "open.txt").write_text("x")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("this user (root) can read a directory with mode 000")
        found = list(find_inputs([str(tmp_path)]))
    finally:
        locked.chmod(0o755)
    problems = [str(item) for item in found if isinstance(item, InputError)]
    assert len(problems) == 1 and "locked" in problems[0] and "permissions" in problems[0]
    assert [item.relative for item in found if isinstance(item, InputFile)] == [
        PurePosixPath("open.txt")
    ]


def test_find_inputs_forces_the_input_format(tmp_path: Path) -> None:
    (tmp_path / "records.txt").write_text("{}")
    (found,) = find_inputs([str(tmp_path / "records.txt")], input_format="jsonl")
    assert isinstance(found, InputFile) and found.format == "jsonl"


def test_read_records_passes_the_whole_record_on(tmp_path: Path) -> None:
    path = write_records(tmp_path / "a.jsonl", [{"id": 7, "text": "T\n", "url": "u", "lang": "en"}])
    (document,) = documents(list(read_records(jsonl_input(path))))
    assert (document.id, document.text, document.url) == ("7", "T\n", "u")
    assert document.record == {"id": 7, "text": "T\n", "url": "u", "lang": "en"}


def test_read_records_uses_the_named_fields(tmp_path: Path) -> None:
    path = write_records(tmp_path / "a.jsonl", [{"key": "k1", "body": "T\n", "link": "u"}])
    fields = RecordFields(text="body", url="link", id="key")
    (document,) = documents(list(read_records(jsonl_input(path), fields)))
    assert (document.id, document.text, document.url) == ("k1", "T\n", "u")


def test_a_record_without_an_id_is_named_by_its_file_and_line(tmp_path: Path) -> None:
    path = write_records(tmp_path / "a.jsonl", [{"text": "one"}, {"text": "two"}])
    ids = [document.id for document in documents(list(read_records(jsonl_input(path))))]
    assert ids == [f"{path}:1", f"{path}:2"]


def test_a_malformed_record_is_reported_as_file_and_line_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"text": "one"}\n{"text": "tw\n{"text": "three"}\n')
    items = list(read_records(jsonl_input(path)))
    assert [document.text for document in documents(items)] == ["one", "three"]
    (error,) = errors(items)
    assert error.startswith(f"{path}:2: not a JSON record")


def test_a_record_without_the_text_field_says_which_option_names_it(tmp_path: Path) -> None:
    path = write_records(tmp_path / "a.jsonl", [{"body": "one"}])
    (error,) = errors(list(read_records(jsonl_input(path))))
    assert error.startswith(f'{path}:1: has no "text" field') and "--text-field" in error


@pytest.mark.parametrize(("value", "kind"), [(3, "number"), (None, "null"), (["a"], "array")])
def test_a_record_with_a_non_string_text_is_reported(
    tmp_path: Path, value: object, kind: str
) -> None:
    path = write_records(tmp_path / "a.jsonl", [{"text": value}])
    (error,) = errors(list(read_records(jsonl_input(path))))
    assert error == f'{path}:1: field "text" is a JSON {kind}, not a string; skipped'


def test_a_line_that_is_not_an_object_is_reported(tmp_path: Path) -> None:
    path = write_records(tmp_path / "a.jsonl", [["text"]])
    (error,) = errors(list(read_records(jsonl_input(path))))
    assert "is a JSON array, not an object" in error


def test_blank_lines_between_records_are_skipped_silently(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"text": "one"}\n\n  \n\t\r\x0b\x0c\n{"text": "two"}')
    items = list(read_records(jsonl_input(path)))
    assert [document.text for document in documents(items)] == ["one", "two"]
    assert errors(items) == []


def test_a_record_with_invalid_utf8_is_kept_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"text": "caf\xe9"}\n')
    (document,) = documents(list(read_records(jsonl_input(path))))
    assert document.text == "caf\ufffd"
    assert document.warnings and document.warnings[0].startswith(f"{path}:1: not valid utf-8")


def test_a_byte_order_mark_before_the_first_record_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "one"}\n')
    (document,) = documents(list(read_records(jsonl_input(path))))
    assert document.text == "one"


def test_gzip_compressed_records_are_read(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "one"}\n'))
    (document,) = documents(list(read_records(jsonl_input(path))))
    assert document.text == "one"


def test_a_truncated_gzip_file_raises_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "one"}\n' * 1000)[:-20])
    with pytest.raises(InputError, match=r"a\.jsonl\.gz: cannot read past line"):
        list(read_records(jsonl_input(path)))


def test_spans_cover_the_file_at_line_starts_with_their_line_numbers(tmp_path: Path) -> None:
    records = [{"id": number, "text": "x" * (number % 7)} for number in range(1, 200)]
    path = write_records(tmp_path / "a.jsonl", records)
    spans = list(jsonl_spans(path, 300))
    assert len(spans) > 3
    assert spans[0].start == 0 and spans[-1].end == path.stat().st_size
    assert all(left.end == right.start for left, right in itertools.pairwise(spans))
    pieces = [documents(list(read_records(jsonl_input(path), part=span))) for span in spans]
    read = [(document.id, document.source) for piece in pieces for document in piece]
    assert read == [(str(number), f"{path}:{number}") for number in range(1, 200)]
