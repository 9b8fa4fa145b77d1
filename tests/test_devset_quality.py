"""The bundled rules on the development corpus (real pages, read at run time): the quality
targets hold, from the text alone and with each page's URL."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.quality import cleaner_systems, load_documents, load_scorer, score_system
from tests.conftest import DEVSET, require


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[Any, list[dict[str, Any]]]]:
    devset = require(DEVSET)
    scorer = load_scorer(devset)
    documents = load_documents(devset, scorer)
    return {
        name: (scorer, score_system(clean, documents, scorer))
        for name, clean in cleaner_systems(with_url=True).items()
    }


@pytest.mark.parametrize(("system", "minimum"), [("cleaner", 0.95), ("cleaner+url", 0.97)])
def test_overall_f1(results: dict[str, Any], system: str, minimum: float) -> None:
    scorer, rows = results[system]
    assert scorer.aggregate(rows)["F1"] >= minimum


@pytest.mark.parametrize("site", ["hindustantimes", "themoscowtimes"])
def test_f1_of_the_sites_with_rule_files(results: dict[str, Any], site: str) -> None:
    scorer, rows = results["cleaner+url"]
    assert scorer.aggregate([row for row in rows if row["site"] == site])["F1"] >= 0.98


@pytest.mark.parametrize("system", ["cleaner", "cleaner+url"])
def test_clean_controls_come_out_unchanged(results: dict[str, Any], system: str) -> None:
    _scorer, rows = results[system]
    assert [row["id"] for row in rows if row["clean_control"] and row["F1"] < 1] == []


@pytest.mark.parametrize("system", ["cleaner", "cleaner+url"])
def test_at_most_two_documents_lose_a_gold_line(results: dict[str, Any], system: str) -> None:
    scorer, rows = results[system]
    assert scorer.aggregate(rows)["lost_docs"] <= 2
