"""The examples of docs/pipelines.md run as written; those for libraries that are not installed
are skipped, saying which library is missing."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

PIPELINES = ROOT / "docs" / "pipelines.md"
CODE_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
OPTIONAL_LIBRARIES = {"datasets": "datasets", "dask": "dask.bag"}


def examples() -> list[str]:
    return CODE_BLOCK.findall(PIPELINES.read_text(encoding="utf-8"))


def needed_library(code: str) -> str | None:
    """The optional library an example imports, if any."""
    imported = re.findall(r"^(?:from|import) (\w+)", code, re.MULTILINE)
    return next((OPTIONAL_LIBRARIES[name] for name in imported if name in OPTIONAL_LIBRARIES), None)


def test_the_page_has_the_three_pipeline_examples() -> None:
    libraries = [needed_library(code) for code in examples()]
    assert libraries == [None, "datasets", "dask.bag"]


@pytest.mark.slow
@pytest.mark.parametrize("code", examples(), ids=["multiprocessing", "datasets", "dask"])
def test_example_runs(code: str, monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    library = needed_library(code)
    if library is not None:
        pytest.importorskip(library, reason=f"{library} is not installed: pip install '.[test]'")
        monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path))  # no cache files in the home
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    exec(compile(code, str(PIPELINES), "exec"), {"__name__": "pipelines_example"})
