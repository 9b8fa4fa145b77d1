"""Score the bundled rules on the development corpus, next to the peers run on the same text.

The corpus (``shared/devset``: real pages with hand-labelled gold lines) is read at run time and
scored with the corpus's own ``eval.py`` functions, so the numbers are the ones its
``--cmd`` mode prints. `cleaner` runs in-process from the text alone (sites found by their
fingerprints) and, with ``--with-url``, also with each page's source URL. Besides the scores per
site, each batch of the corpus (ids 101-147 and 148-191) is scored on its own, with the sites
that have rule files: rules written from the pages of one batch meet the other's as pages they
were not written from. Peers, where
installed (``pip install -e '.[bench]'``), get the same lines:

* jusText: each line wrapped as a ``<p>``, English stop words;
* trafilatura: each line wrapped as a ``<p>`` in a minimal HTML page;
* C4 line rules: datatrove's ``C4QualityFilter`` line filtering (no page-level sentence minimum,
  which would drop whole short pages).

A peer that is not installed is skipped with a note. Keeping every line scores F1 0.703.

Usage::

    python -m benchmarks.quality [--devset PATH] [--with-url]
"""

from __future__ import annotations

import argparse
import html
import importlib
import importlib.util
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from cleaner import Cleaner

DEFAULT_DEVSET = Path(__file__).resolve().parent.parent.parent / "shared" / "devset"

Clean = Callable[[str, str], str]
"""A system under test: (document text, source URL) -> cleaned text."""


@dataclass(frozen=True)
class Document:
    id: str
    site: str
    url: str
    clean_control: bool
    text: str
    gold: list[str]


def load_scorer(devset: Path) -> ModuleType:
    """The corpus's ``eval.py``, imported from its file, for its loaders and scoring."""
    path = devset / "eval.py"
    spec = importlib.util.spec_from_file_location("devset_eval", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise SystemExit(f"{path}: not found; give the corpus folder with --devset PATH")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_documents(devset: Path, scorer: ModuleType) -> list[Document]:
    return [
        Document(
            id=row["id"],
            site=row["site"],
            url=row.get("url", ""),
            clean_control=bool(row.get("clean_control", False)),
            text=(devset / "docs" / f"{row['id']}.txt").read_text(encoding="utf-8"),
            gold=scorer.lines_of((devset / "gold" / f"{row['id']}.txt").read_text("utf-8")),
        )
        for row in scorer.load_index(devset)
    ]


def cleaner_systems(with_url: bool) -> dict[str, Clean]:
    cleaner = Cleaner()
    systems: dict[str, Clean] = {"cleaner": lambda text, url: cleaner.clean(text).text}
    if with_url:
        systems["cleaner+url"] = lambda text, url: cleaner.clean(text, url=url or None).text
    return systems


def _optional(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        print(f"note: {name} is not installed; skipped (pip install -e '.[bench]')")
        return None


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())


def peer_systems() -> dict[str, Clean]:
    """The peers that are installed, each fed the document's lines as HTML paragraphs."""
    systems: dict[str, Clean] = {}
    justext = _optional("justext")
    if justext is not None:
        stoplist = justext.get_stoplist("English")

        def run_justext(text: str, url: str) -> str:
            page = f"<html><body>{_paragraphs(text)}</body></html>"
            kept = justext.justext(page, stoplist)
            return "\n".join(p.text for p in kept if not p.is_boilerplate)

        systems["justext"] = run_justext
    trafilatura = _optional("trafilatura")
    if trafilatura is not None:

        def run_trafilatura(text: str, url: str) -> str:
            page = f"<html><head><title></title></head><body>{_paragraphs(text)}</body></html>"
            return trafilatura.extract(page, deduplicate=False, include_comments=False) or ""

        systems["trafilatura"] = run_trafilatura
    filters = _optional("datatrove.pipeline.filters")
    if filters is not None:
        c4 = filters.C4QualityFilter(min_num_sentences=-1)
        data = importlib.import_module("datatrove.data")

        def run_c4(text: str, url: str) -> str:
            document = data.Document(text=text, id="devset")
            verdict = c4.filter(document)
            kept = verdict is True or (not isinstance(verdict, tuple) and bool(verdict))
            return str(document.text) if kept else ""

        systems["c4-lines"] = run_c4
    return systems


def score_system(
    clean: Clean, documents: Iterable[Document], scorer: ModuleType
) -> list[dict[str, Any]]:
    """One score row per document, as ``eval.py`` makes them; a crash is an empty output."""
    rows = []
    for document in documents:
        try:
            output = clean(document.text, document.url)
        except Exception as exc:  # a peer failing on one page must not stop the run
            print(f"note: {document.id}: {type(exc).__name__}: {exc}", file=sys.stderr)
            output = ""
        row = scorer.score(scorer.lines_of(output), document.gold)
        row.update(id=document.id, site=document.site, clean_control=document.clean_control)
        rows.append(row)
    return rows


def summary(name: str, totals: dict[str, Any]) -> str:
    """The last line of ``eval.py``, named after the system."""
    return (
        f"{name}: P={totals['P']:.3f} R={totals['R']:.3f} F1={totals['F1']:.3f} "
        f"docs={totals['docs']} lost_docs={totals['lost_docs']} "
        f"chrome_docs={totals['chrome_docs']}"
    )


def _of_site(site: str) -> Callable[[dict[str, Any]], bool]:
    return lambda row: bool(row["site"] == site)


BATCHES = {"101-147": range(101, 148), "148-191": range(148, 192)}
"""The corpus's batches of pages, by id: a rule written from one batch meets the other as
pages it was not written from, so the gap between them is the figure to watch."""
BATCH_SITES = ("hindustantimes", "themoscowtimes")
"""The sites with rule files, scored per batch as well."""


def batch_subsets() -> list[tuple[str, Callable[[dict[str, Any]], bool]]]:
    """Each batch, and each site with a rule file within it."""
    subsets: list[tuple[str, Callable[[dict[str, Any]], bool]]] = []
    for name, ids in BATCHES.items():

        def in_batch(row: dict[str, Any], ids: range = ids) -> bool:
            return int(row["id"]) in ids

        subsets.append((f"batch {name}", in_batch))
        for site in BATCH_SITES:
            of_site = _of_site(site)
            subsets.append((f"  {site} {name}", lambda r, b=in_batch, s=of_site: b(r) and s(r)))
    return subsets


LABEL = 24
"""The width of the first column of the report."""


def report(results: dict[str, list[dict[str, Any]]], scorer: ModuleType) -> str:
    """F1 per site (lost documents in brackets) for every system, then each system's totals."""
    names = list(results)
    sites = sorted({row["site"] for rows in results.values() for row in rows})
    width = max(12, *(len(n) for n in names))
    lines = [f"{'site':{LABEL}} {'docs':>4}  " + "  ".join(f"{n:>{width}}" for n in names)]

    def cells(select: Callable[[dict[str, Any]], bool]) -> tuple[int, str]:
        parts = []
        count = 0
        for name in names:
            chosen = [row for row in results[name] if select(row)]
            totals = scorer.aggregate(chosen)
            count = len(chosen)
            parts.append(f"{totals['F1']:.3f} ({totals['lost_docs']} lost)".rjust(width))
        return count, "  ".join(parts)

    for site in sites:
        count, row = cells(_of_site(site))
        lines.append(f"{site[:LABEL]:{LABEL}} {count:4d}  {row}")
    lines.append("")
    subsets: list[tuple[str, Callable[[dict[str, Any]], bool]]] = [
        *batch_subsets(),
        ("clean controls", lambda r: bool(r["clean_control"])),
        ("with chrome", lambda r: not r["clean_control"]),
        ("all", lambda r: True),
    ]
    for label, select in subsets:
        count, row = cells(select)
        lines.append(f"{label:{LABEL}} {count:4d}  {row}")
    lines.append("")
    lines.extend(summary(name, scorer.aggregate(rows)) for name, rows in results.items())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET, help="corpus folder")
    parser.add_argument("--with-url", action="store_true", help="also score cleaner with URLs")
    parser.add_argument("--json", action="store_true", help="print the totals as JSON")
    args = parser.parse_args(argv)
    scorer = load_scorer(args.devset)
    documents = load_documents(args.devset, scorer)
    systems = {**cleaner_systems(args.with_url), **peer_systems()}
    results = {name: score_system(clean, documents, scorer) for name, clean in systems.items()}
    if args.json:
        totals = {
            name: {
                "all": scorer.aggregate(rows),
                **{
                    label.strip(): scorer.aggregate([r for r in rows if select(r)])
                    for label, select in batch_subsets()
                },
            }
            for name, rows in results.items()
        }
        print(json.dumps(totals, indent=1))
    else:
        print(report(results, scorer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
