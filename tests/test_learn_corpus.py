"""`cleaner rules learn` on the real corpus pages of ../shared/corpus, scored on ../shared/devset.

The drafts are learnt from the corpus alone; the devset only measures them. Used in place of
the bundled site file, beside the common rules, a draft must pass `rules check`, close a share
of the gap between the common rules alone and F1 = 1.0 on the site's devset pages, and lose no
gold line that the common rules alone keep.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from cleaner import Cleaner
from cleaner.check import check_rules
from cleaner.learn import LearnOptions, learn
from cleaner.rulebook import bundled_rules_dir
from tests.conftest import DEVSET, SHARED, require

CORPUS = SHARED / "corpus"
#: Site id, domain, and the share of the gap to F1 = 1.0 its draft must close.
SITES = [
    ("themoscowtimes", "themoscowtimes.com", 0.5),
    ("hindustantimes", "hindustantimes.com", 0.25),
]


def _scorer() -> ModuleType:
    path = require(DEVSET) / "eval.py"
    spec = importlib.util.spec_from_file_location("devset_eval", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(rules: Path, site: str) -> tuple[float, Counter[str]]:
    """Micro F1 on the site's devset pages, and the gold lines kept, with `rules` and the
    common rules."""
    scorer = _scorer()
    cleaner = Cleaner([rules], environment=False)
    hit = out = gold = 0
    kept: Counter[str] = Counter()
    for row in scorer.load_index(DEVSET):
        if row["site"] != site:
            continue
        text = (DEVSET / "docs" / f"{row['id']}.txt").read_text(encoding="utf-8")
        gold_lines = scorer.lines_of((DEVSET / "gold" / f"{row['id']}.txt").read_text("utf-8"))
        output = scorer.lines_of(cleaner.clean(text, url=row["url"]).text)
        matched = Counter(output) & Counter(gold_lines)
        hit, out, gold = hit + sum(matched.values()), out + len(output), gold + len(gold_lines)
        kept.update({f"{row['id']}:{line}": n for line, n in matched.items()})
    precision, recall = hit / max(out, 1), hit / max(gold, 1)
    return 2 * precision * recall / max(precision + recall, 1e-9), kept


@pytest.fixture(scope="module", params=SITES, ids=[s[0] for s in SITES])
def learnt(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path, float, object]:
    site, domain, share = request.param
    corpus = require(CORPUS) / f"{site}.jsonl"
    if not corpus.exists():
        pytest.skip(f"{corpus} is not present")
    against = bundled_rules_dir() / f"{site}.toml"
    report = learn([str(corpus)], LearnOptions(site=site, domain=domain, against=against))
    directory = tmp_path_factory.mktemp(f"draft-{site}")
    (directory / f"{site}.toml").write_text(report.drafts[0].text, encoding="utf-8")
    return site, directory, share, report.drafts[0]


def test_draft_passes_rules_check(learnt: tuple[str, Path, float, object]) -> None:
    _, directory, _, _ = learnt
    report = check_rules([directory])
    assert report.ok, [str(p) for p in report.problems]


def test_draft_closes_the_gap_and_loses_no_gold_line(
    learnt: tuple[str, Path, float, object], tmp_path: Path
) -> None:
    site, directory, share, _ = learnt
    require(DEVSET)
    common_alone = tmp_path / "common-alone"
    common_alone.mkdir()
    domain = dict((s, d) for s, d, _ in SITES)[site]
    (common_alone / f"{site}.toml").write_text(f'[site]\ndomains = ["{domain}"]\n', "utf-8")
    baseline, baseline_kept = _score(common_alone, site)
    drafted, drafted_kept = _score(directory, site)
    assert drafted - baseline >= share * (1.0 - baseline), (baseline, drafted)
    assert not baseline_kept - drafted_kept


def test_the_template_of_the_hindustan_times_shows_only_when_folded(
    learnt: tuple[str, Path, float, object],
) -> None:
    site, _, _, draft = learnt
    if site != "hindustantimes":
        pytest.skip("a fact about the Hindustan Times corpus")
    patterns = [r for r in draft.rules if "pattern" in r.options]  # type: ignore[attr-defined]
    assert any(r.options["pattern"].startswith("Hindustan Times, ") for r in patterns)


def test_against_the_bundled_file(learnt: tuple[str, Path, float, object]) -> None:
    _, _, _, draft = learnt
    comparison = draft.comparison  # type: ignore[attr-defined]
    assert comparison is not None and comparison.path.name.endswith(".toml")
    assert comparison.lacking, "the bundled file lacks nothing the draft found"
