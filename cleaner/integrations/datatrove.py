"""A datatrove pipeline step: cleans each `Document.text` and adds what the rules found.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.integrations.datatrove import CleanerStep

    LocalPipelineExecutor(
        [JsonlReader("shards/"), CleanerStep(), JsonlWriter("clean/")], tasks=4, workers=2
    ).run()

The metadata fields (``site``, ``title``, ``byline``, ``date``, ``url``) go into
`Document.metadata`, where a field the document already has keeps its value; the URL in the
metadata (``url``, as `JsonlReader` puts a record's other fields there) helps to detect the
site. The step counts documents per site and the dates it left out in datatrove's stats.
Install with ``pip install 'cleaner[datatrove]'``.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from pathlib import Path

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from cleaner.api import Cleaner


class CleanerStep(PipelineStep):
    """Strips site chrome from every document that passes, keeping each one."""

    name = "cleaner"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        cleaner: Cleaner | None = None,
        *,
        rules: Sequence[Path | str] = (),
        site: str | None = None,
        url_key: str = "url",
    ) -> None:
        """Use `cleaner`, or one loading the bundled rules and the directories `rules`;
        `site` forces a site's rules; `url_key` names the metadata field of the URL."""
        super().__init__()  # type: ignore[no-untyped-call]
        self.cleaner = cleaner if cleaner is not None else Cleaner(rules)
        self.site = site
        self.url_key = url_key

    # datatrove declares the stream a NewType of a generator, which no generator can return.
    def run(  # type: ignore[override]
        self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1
    ) -> Generator[Document, None, None]:
        for document in data or ():
            url = document.metadata.get(self.url_key)
            with self.track_time():
                result = self.cleaner.clean(
                    document.text, url=url if isinstance(url, str) else None, site=self.site
                )
            document.text = result.text
            for field, value in result.metadata().items():
                document.metadata.setdefault(field, value)
            self.stat_update(f"site_{result.site or 'unknown'}")
            if result.unread_date is not None:
                self.stat_update("date_left_out")
            self.update_doc_stats(document)
            yield document
