"""The library interface: a `Cleaner` that loads the rules once and cleans any number of texts."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal

from cleaner import engine
from cleaner.detect import Detection, detect
from cleaner.errors import InputError, RepeatLimit
from cleaner.metadata import iso_date, plain_title
from cleaner.plan import Removal
from cleaner.reader import RecordFields, record_document
from cleaner.rulebook import RuleBook, environment_rule_dirs, load_rulebook

METADATA_FIELDS: Final = ("site", "title", "byline", "date", "url")
"""The fields a cleaned record gains, unless it has them already."""


@dataclass(init=False)
class CleanResult:
    """A cleaned document: its text, its metadata, how its site was found, and its removals.

    Made once per document, so it is a plain dataclass (compiled, a frozen one takes four
    times as long to make) with its `__init__` written out: the one `dataclass` generates
    runs interpreted in the compiled build too, and cost a microsecond per document. The same
    holds for `Detection`, `EngineOutput` and `Removal`.
    """

    text: str
    site: str | None
    title: str | None
    byline: str | None
    date: str | None
    url: str | None
    detection: Detection
    removals: tuple[Removal, ...] | None = None
    #: A date the rules captured but that names no one day for certain (or needs the site's
    #: date_order): it is left out of `date` rather than guessed.
    unread_date: str | None = None

    def __init__(
        self,
        text: str,
        site: str | None,
        title: str | None,
        byline: str | None,
        date: str | None,
        url: str | None,
        detection: Detection,
        removals: tuple[Removal, ...] | None = None,
        unread_date: str | None = None,
    ) -> None:
        self.text = text
        self.site = site
        self.title = title
        self.byline = byline
        self.date = date
        self.url = url
        self.detection = detection
        self.removals = removals
        self.unread_date = unread_date

    def metadata(self) -> dict[str, str | None]:
        """The metadata fields (`METADATA_FIELDS`), as written to JSON Lines."""
        return {
            "site": self.site,
            "title": self.title,
            "byline": self.byline,
            "date": self.date,
            "url": self.url,
        }

    def merged_into(self, record: Mapping[str, Any], text_field: str = "text") -> dict[str, Any]:
        """`record` with the cleaned text in `text_field` and the metadata fields added.

        Every other field is passed through untouched, so a field the record already has
        (its own ``title`` or ``url``, say) keeps its value rather than the metadata's.
        """
        cleaned = dict(record)
        cleaned[text_field] = self.text
        for name, value in self.metadata().items():
            cleaned.setdefault(name, value)
        return cleaned


def normalise_line_ends(text: str) -> str:
    """`text` with \\r\\n and lone \\r line ends made \\n, so that ``$`` in a pattern sees them."""
    if "\r" in text:
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split_lines(text: str) -> list[str]:
    """Split on line ends (\\n, \\r\\n, \\r) only: other Unicode separators belong to the text."""
    return normalise_line_ends(text).split("\n")


class Cleaner:
    """Loads the rules once; cheap to reuse, and picklable for worker processes.

    >>> cleaner = Cleaner()
    >>> cleaner.clean("A headline\\n\\nAdvertisement\\n\\nThe story.\\n").text
    'A headline\\n\\nThe story.\\n'
    """

    def __init__(
        self, rules: Sequence[Path | str] = (), *, bundled: bool = True, environment: bool = True
    ) -> None:
        # `$CLEANER_RULES` is read once, here, so that a copy in a worker has the same rules.
        env_dirs = environment_rule_dirs() if environment else []
        self._rule_dirs = (*env_dirs, *(Path(d) for d in rules))
        self._bundled = bundled
        self.rulebook: RuleBook = load_rulebook(self._rule_dirs, bundled=bundled, environment=False)

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled plans hold closures; a worker rebuilds them from the same rule directories.
        return (_rebuild, (self._rule_dirs, self._bundled))

    def clean(
        self, text: str, *, url: str | None = None, site: str | None = None, explain: bool = False
    ) -> CleanResult:
        """Clean one document. `explain` records every removal with the rule that made it."""
        text = normalise_line_ends(text)
        detection = detect(text, self.rulebook, site=site, url=url)
        return self._run(text.split("\n"), detection, text=text, explain=explain)

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

    def clean_record(
        self,
        record: Mapping[str, Any],
        *,
        text_field: str = "text",
        url_field: str = "url",
        id_field: str = "id",
        site: str | None = None,
    ) -> dict[str, Any]:
        """Clean the text of one record (a dict), as `clean_records` does.

        >>> Cleaner().clean_record({"text": "Title\\n\\nAdvertisement\\n\\nBody.\\n", "lang": "en"})
        {'text': 'Title\\n\\nBody.\\n', 'lang': 'en', 'site': None, 'title': 'Title', \
'byline': None, 'date': None, 'url': None}
        """
        fields = RecordFields(text_field, url_field, id_field)
        source = _record_name(record, id_field)
        document = record_document(record, fields, source, source)
        result = self.clean(document.text, url=document.url, site=site)
        return result.merged_into(record, text_field)

    def clean_records(
        self,
        records: Iterable[Mapping[str, Any]],
        *,
        text_field: str = "text",
        url_field: str = "url",
        id_field: str = "id",
        site: str | None = None,
        on_error: Literal["skip", "raise"] = "skip",
    ) -> Iterator[dict[str, Any]]:
        """Clean each record's `text_field`, lazily, for pipelines of dicts.

        The URL in `url_field` (if any) helps to detect the site; `id_field` names the record
        in errors. The output record is the input record with the cleaned text and the metadata
        fields (``site``, ``title``, ``byline``, ``date``, ``url``) that it does not have
        already; every other field is passed through untouched.

        A record without a string text is skipped, as the command line skips it, and logged
        as a warning on the ``cleaner`` logger (the first few of each kind of mistake, then
        how many more); with ``on_error="raise"`` it raises `InputError` instead.

        >>> records = [{"id": 7, "text": "Title\\n\\nAdvertisement\\n\\nBody.\\n"}, {"id": 8}]
        >>> [record["text"] for record in Cleaner().clean_records(records)]
        ['Title\\n\\nBody.\\n']
        >>> next(Cleaner().clean_records([{"id": "a1", "body": "x"}], on_error="raise"))
        Traceback (most recent call last):
        ...
        cleaner.errors.InputError: record 'a1': has no "text" field (name the text field with \
--text-field, or text_field= in Python)
        """
        if on_error not in ("skip", "raise"):
            raise ValueError(f'on_error must be "skip" or "raise", not {on_error!r}')
        limit = RepeatLimit()
        for record in records:
            try:
                yield self.clean_record(
                    record, text_field=text_field, url_field=url_field, id_field=id_field, site=site
                )
            except InputError as error:
                if on_error == "raise":
                    raise
                if limit.admit(error.reason):
                    _log.warning("%s; skipped", error)
        for kind, count in limit.hidden.items():
            _log.warning("%d more record(s) skipped for the same reason: %s", count, kind)

    def clean_batch(
        self,
        batch: Mapping[str, Sequence[Any]],
        *,
        text_field: str = "text",
        url_field: str = "url",
        site: str | None = None,
        on_error: Literal["skip", "raise"] = "skip",
    ) -> dict[str, list[Any]]:
        """Clean a batch of records given as columns, as ``datasets.Dataset.map(...,
        batched=True)`` hands them over: the same columns with the text cleaned, and the
        metadata columns the batch does not have already. A row without a string text is left
        out and logged (or raises `InputError` with ``on_error="raise"``), as in
        `clean_records`.

        >>> batch = {"id": [1, 2], "text": ["Title\\n\\nAdvertisement\\n\\nBody.\\n", None]}
        >>> cleaned = Cleaner().clean_batch(batch)
        >>> cleaned["id"], cleaned["text"], cleaned["title"]
        ([1], ['Title\\n\\nBody.\\n'], ['Title'])
        """
        count = len(batch[text_field])
        rows = [{name: column[index] for name, column in batch.items()} for index in range(count)]
        cleaned = list(
            self.clean_records(
                rows, text_field=text_field, url_field=url_field, site=site, on_error=on_error
            )
        )
        names = list(batch) + [name for name in METADATA_FIELDS if name not in batch]
        return {name: [row[name] for row in cleaned] for name in names}

    def _run(
        self, lines: Iterable[str], detection: Detection, *, text: str | None, explain: bool
    ) -> CleanResult:
        plan = self.rulebook.plan_for(detection.site)
        output = engine.run(plan, lines, text=text, trace=explain)
        captured = output.captured
        title = captured.get("title") or next((line for line in output.lines if line.strip()), None)
        date_text = captured.get("date")
        date = iso_date(date_text, output.date_order or plan.date_order) if date_text else None
        url = captured.get("url") or detection.url
        return CleanResult(
            text=_joined(output.lines),
            site=detection.site,
            title=plain_title(title) if title else None,
            byline=captured.get("byline"),
            date=date,
            url=url,
            detection=detection,
            removals=tuple(output.removals) if output.removals is not None else None,
            unread_date=date_text if date_text and date is None else None,
        )


def _joined(lines: list[str]) -> str:
    """`lines` as a text with a line end after each (none at all for no lines), made in one
    join: adding the last line end afterwards copied the whole text again."""
    return "\n".join([*lines, ""]) if lines else ""


def _record_name(record: Mapping[str, Any], id_field: str) -> str:
    """How errors name a record: by its id when it has one."""
    record_id = record.get(id_field) if isinstance(record, Mapping) else None
    return f"record {record_id!r}" if record_id is not None else "record"


_log = logging.getLogger("cleaner")


@lru_cache(maxsize=8)  # a worker handed many tasks with the same cleaner loads the rules once
def _rebuild(rule_dirs: tuple[Path, ...], bundled: bool) -> Cleaner:
    return Cleaner(rule_dirs, bundled=bundled, environment=False)


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
