"""A progress bar on standard error for learning's passes over the corpus."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from tqdm import tqdm


class BarProgress:
    """One bar per pass, counting pages; the first pass does not know the total yet."""

    def __init__(self) -> None:
        self.bar: tqdm[NoReturn] | None = None

    def start(self, stage: str, total: int | None) -> None:
        from tqdm import tqdm  # imported only for a bar: every command's start-up would pay

        self.bar = tqdm(
            total=total, desc=stage, unit=" pages", file=sys.stderr, dynamic_ncols=True, leave=False
        )

    def advance(self, pages: int) -> None:
        if self.bar is not None:
            self.bar.update(pages)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
