"""The pipelines of examples/pipelines/, each run as a script on shards of invented articles,
and docs/pipelines.md, whose code is theirs."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from cleaner import Cleaner
from tests.conftest import ROOT

SCRIPTS = ROOT / "examples" / "pipelines"
PIPELINES_DOC = ROOT / "docs" / "pipelines.md"
CODE_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)

ARTICLE = "Harbour tram line {n} opens\n\nAdvertisement\n\nThe first trams ran on time.\n"
CLEANED = "Harbour tram line {n} opens\n\nThe first trams ran on time.\n"
MOSCOW = "Ferry service resumes\n\nBy Reuters\n\nMarch 14, 2025\n\nThe ferries sailed again.\n"
MOSCOW_URL = "https://www.themoscowtimes.com/2025/03/14/ferry-a1"
TRAMS_URL = "https://harbour-courier.example/trams/"
SHARDS = 3
PER_SHARD = 40


def shard_records(shard: int) -> list[dict[str, object]]:
    """A shard's records, all with the same fields, as a table-minded reader wants them; one
    of them has no text."""
    numbers = range(shard * PER_SHARD, (shard + 1) * PER_SHARD)
    records: list[dict[str, object]] = [
        {"id": f"tram-{n}", "text": ARTICLE.format(n=n), "url": f"{TRAMS_URL}{n}", "lang": "en"}
        for n in numbers
    ]
    if shard == 1:
        records.insert(5, {"id": "moscow", "text": MOSCOW, "url": MOSCOW_URL, "lang": "en"})
        records.insert(9, {"id": "no-text", "text": None, "url": TRAMS_URL, "lang": "en"})
    return records


@pytest.fixture
def shards(tmp_path: Path) -> Path:
    directory = tmp_path / "shards"
    directory.mkdir()
    for shard in range(SHARDS):
        data = b"".join(orjson.dumps(record) + b"\n" for record in shard_records(shard))
        (directory / f"part-{shard:05d}.jsonl.gz").write_bytes(gzip.compress(data))
    return directory


def run_script(name: str, *args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python examples/pipelines/NAME ARGS`, as a user runs it, from a directory of its own."""
    env = {**os.environ, "HF_DATASETS_CACHE": str(cwd / "hf-cache"), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / name), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


def read_jsonl(path: Path) -> list[dict[str, object]]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return [orjson.loads(line) for line in data.splitlines()]


def check_cleaned(records: list[dict[str, object]], in_order: bool = True) -> None:
    """Every record with a text is there, cleaned, with the metadata; the bad one is not."""
    expected = [r["id"] for shard in range(SHARDS) for r in shard_records(shard) if r["text"]]
    found = [record["id"] for record in records]
    assert found == expected if in_order else sorted(map(str, found)) == sorted(map(str, expected))
    by_id = {record["id"]: record for record in records}
    tram = by_id["tram-7"]
    assert (tram["text"], tram["title"]) == (CLEANED.format(n=7), "Harbour tram line 7 opens")
    moscow = by_id["moscow"]
    assert (moscow["site"], moscow["byline"], moscow["date"]) == (
        "themoscowtimes",
        "Reuters",
        "2025-03-14",
    )
    assert (moscow["url"], moscow["lang"]) == (MOSCOW_URL, "en")


pytestmark = pytest.mark.slow


def test_datatrove_pipeline(shards: Path, tmp_path: Path) -> None:
    pytest.importorskip("datatrove", reason="datatrove is not installed: pip install '.[test]'")
    out = tmp_path / "clean"
    run_script("datatrove_pipeline.py", shards, out, "--logs", tmp_path / "logs", cwd=tmp_path)
    records = []
    for path in sorted(out.glob("*.jsonl.gz")):
        for record in read_jsonl(path):
            metadata = record.pop("metadata")
            assert isinstance(metadata, dict)
            records.append({**record, **metadata})
    assert sorted(path.name for path in out.iterdir()) == ["00000.jsonl.gz", "00001.jsonl.gz"]
    check_cleaned(records, in_order=False)  # each task writes the shards it was given


def test_dask_on_a_local_cluster(shards: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="dask[distributed] is not installed")
    out = tmp_path / "clean"
    run_script("dask_cluster.py", shards, out, cwd=tmp_path)
    names = sorted(path.name for path in out.iterdir())
    assert names == [f"part-{shard:05d}.jsonl.gz" for shard in range(SHARDS)]
    check_cleaned([record for name in names for record in read_jsonl(out / name)])


def test_hugging_face_datasets_batched_in_two_processes(shards: Path, tmp_path: Path) -> None:
    pytest.importorskip("datasets", reason="datasets is not installed: pip install '.[test]'")
    out = tmp_path / "clean.jsonl"
    run_script("hf_datasets.py", shards, out, cwd=tmp_path)
    check_cleaned(read_jsonl(out))


def test_a_multiprocessing_pool(shards: Path, tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    records.write_bytes(b"".join(gzip.decompress(p.read_bytes()) for p in sorted(shards.iterdir())))
    out = tmp_path / "clean.jsonl"
    done = run_script("multiprocessing_pool.py", records, out, cwd=tmp_path)
    check_cleaned(read_jsonl(out))
    assert "record 'no-text': field \"text\" is a JSON null, not a string; skipped" in done.stderr


def test_the_datatrove_step_cleans_documents_and_adds_the_metadata() -> None:
    pytest.importorskip("datatrove", reason="datatrove is not installed: pip install '.[test]'")
    from datatrove.data import Document

    from cleaner.integrations.datatrove import CleanerStep

    documents = [
        Document(text=ARTICLE.format(n=1), id="1"),
        Document(text=MOSCOW, id="2", metadata={"url": MOSCOW_URL}),
    ]
    cleaned = list(CleanerStep(Cleaner()).run(iter(documents)))
    assert [document.text for document in cleaned] == [
        CLEANED.format(n=1),
        "Ferry service resumes\n\nThe ferries sailed again.\n",
    ]
    assert cleaned[1].metadata["byline"] == "Reuters" and cleaned[1].metadata["url"] == MOSCOW_URL


def test_the_page_shows_the_scripts_code() -> None:
    scripts = {path.name: path.read_text(encoding="utf-8") for path in SCRIPTS.glob("*.py")}
    page = PIPELINES_DOC.read_text(encoding="utf-8")
    blocks = CODE_BLOCK.findall(page)
    shown = {name for name, code in scripts.items() if any(block in code for block in blocks)}
    assert shown == set(scripts), "each script is shown, from its own code"
    for block in blocks:
        assert any(block in code for code in scripts.values()), f"not in any script:\n{block}"
