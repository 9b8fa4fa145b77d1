"""The five seed articles: exact text, exact metadata, and idempotence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import Cleaner
from tests.conftest import SEEDS, require

NAMES = ["hindustantimes-1", "editorji-1", "moscowtimes-1", "moscowtimes-2", "unknown-1"]


def _seed(name: str) -> tuple[str, str, dict[str, str | None]]:
    folder = require(SEEDS)
    text = (folder / f"{name}.txt").read_text(encoding="utf-8")
    expected = (folder / "expected" / f"{name}.txt").read_text(encoding="utf-8")
    meta = json.loads((folder / "expected" / f"{name}.meta.json").read_text(encoding="utf-8"))
    return text, expected, meta


@pytest.mark.parametrize("name", NAMES)
def test_seed_text(cleaner: Cleaner, name: str) -> None:
    text, expected, _ = _seed(name)
    assert cleaner.clean(text).text == expected


@pytest.mark.parametrize("name", NAMES)
def test_seed_metadata(cleaner: Cleaner, name: str) -> None:
    text, _, meta = _seed(name)
    assert cleaner.clean(text).metadata() == meta


@pytest.mark.parametrize("name", NAMES)
def test_seed_idempotent(cleaner: Cleaner, name: str) -> None:
    text, expected, _ = _seed(name)
    result = cleaner.clean(text)
    assert cleaner.clean(result.text, site=result.site).text == expected


def test_seed_sites_are_not_taken_from_file_names(cleaner: Cleaner, tmp_path: Path) -> None:
    text, _, meta = _seed("hindustantimes-1")
    misleading = tmp_path / "themoscowtimes-article.txt"
    misleading.write_text(text, encoding="utf-8")
    assert cleaner.clean(misleading.read_text(encoding="utf-8")).site == meta["site"]
