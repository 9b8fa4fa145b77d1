"""The library interface: a `Cleaner` that loads the rules once and cleans any number of texts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner import engine
from cleaner.detect import Detection, detect, url_in_text
from cleaner.metadata import iso_date, plain_title
from cleaner.plan import Removal
from cleaner.rulebook import RuleBook, load_rulebook


@dataclass(frozen=True)
class CleanResult:
    """A cleaned document: its text, its metadata, how its site was found, and its removals."""

    text: str
    site: str | None
    title: str | None
    byline: str | None
    date: str | None
    url: str | None
    detection: Detection
    removals: tuple[Removal, ...] | None = None

    def metadata(self) -> dict[str, str | None]:
        """The metadata fields, as written to JSON Lines."""
        return {
            "site": self.site,
            "title": self.title,
            "byline": self.byline,
            "date": self.date,
            "url": self.url,
        }


def split_lines(text: str) -> list[str]:
    """Split on line ends (\\n, \\r\\n, \\r) only: other Unicode separators belong to the text."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


class Cleaner:
    """Loads the rules once; cheap to reuse, and picklable for worker processes.

    >>> cleaner = Cleaner()
    >>> cleaner.clean("A headline\\n\\nAdvertisement\\n\\nThe story.\\n").text
    'A headline\\n\\nThe story.\\n'
    """

    def __init__(self, rules: Sequence[Path | str] = (), *, bundled: bool = True) -> None:
        self._rule_dirs = tuple(Path(d) for d in rules)
        self._bundled = bundled
        self.rulebook: RuleBook = load_rulebook(self._rule_dirs, bundled=bundled)

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled plans hold closures; a worker rebuilds them from the same rule directories.
        return (_rebuild, (self._rule_dirs, self._bundled))

    def clean(
        self, text: str, *, url: str | None = None, site: str | None = None, explain: bool = False
    ) -> CleanResult:
        """Clean one document. `explain` records every removal with the rule that made it."""
        detection = detect(text, self.rulebook, site=site, url=url)
        return self._run(split_lines(text), detection, text=text, explain=explain)

    def clean_lines(
        self,
        lines: Iterable[str],
        *,
        url: str | None = None,
        site: str | None = None,
        explain: bool = False,
    ) -> CleanResult:
        """Clean one document given as lines. With `site` or `url` the lines stream through;
        otherwise the document is read whole first, to detect its site from the text."""
        stripped = (line.rstrip("\r\n") for line in lines)
        if site is None and url is None:
            materialised = list(stripped)
            text = "\n".join(materialised)
            detection = detect(text, self.rulebook)
            return self._run(materialised, detection, text=text, explain=explain)
        return self._run(
            stripped, detect("", self.rulebook, site=site, url=url), text=None, explain=explain
        )

    def _run(
        self, lines: Iterable[str], detection: Detection, *, text: str | None, explain: bool
    ) -> CleanResult:
        plan = self.rulebook.plan_for(detection.site)
        output = engine.run(plan, lines, text=text, trace=explain)
        captured = output.captured
        title = captured.get("title") or next((line for line in output.lines if line.strip()), None)
        date = captured.get("date")
        url = captured.get("url") or detection.url or (url_in_text(text) if text else None)
        return CleanResult(
            text="\n".join(output.lines) + "\n" if output.lines else "",
            site=detection.site,
            title=plain_title(title) if title else None,
            byline=captured.get("byline"),
            date=iso_date(date) if date else None,
            url=url,
            detection=detection,
            removals=tuple(output.removals) if output.removals is not None else None,
        )


def _rebuild(rule_dirs: tuple[Path, ...], bundled: bool) -> Cleaner:
    return Cleaner(rule_dirs, bundled=bundled)


_default: Cleaner | None = None


def clean(text: str, url: str | None = None, site: str | None = None) -> CleanResult:
    """Clean `text` with the bundled rules (and ``$CLEANER_RULES``), loaded on first use.

    >>> clean("Headline\\n\\nBody text.\\n").title
    'Headline'
    """
    global _default
    if _default is None:
        _default = Cleaner()
    return _default.clean(text, url=url, site=site)
