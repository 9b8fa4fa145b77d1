"""Which build runs: the hot path compiled with mypyc, or the same sources interpreted.

A wheel built where a C compiler exists carries each hot-path module twice, compiled and as its
source; Python imports the compiled one. With ``CLEANER_PURE_PYTHON=1`` in the environment the
sources are imported instead, so that one installation can run, and compare, both builds.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib.machinery import SOURCE_SUFFIXES, FileFinder, ModuleSpec, SourceFileLoader
from types import ModuleType

PURE_VARIABLE = "CLEANER_PURE_PYTHON"
COMPILED, PURE = "compiled with mypyc", "pure Python"


class _SourceFinder:
    """Finds the modules of `cleaner` as source files, passing over compiled ones."""

    @staticmethod
    def find_spec(
        name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if not name.startswith(f"{__package__}.") or path is None:
            return None
        for directory in path:
            spec = FileFinder(directory, (SourceFileLoader, SOURCE_SUFFIXES)).find_spec(name)
            if spec is not None:
                return spec
        return None


def prefer_sources() -> None:
    """Import `cleaner`'s modules from their sources when ``CLEANER_PURE_PYTHON=1``."""
    if os.environ.get(PURE_VARIABLE) == "1" and _SourceFinder not in sys.meta_path:
        sys.meta_path.insert(0, _SourceFinder)


def build() -> str:
    """The build that runs: "compiled with mypyc" or "pure Python"."""
    from cleaner import engine

    return PURE if (engine.__file__ or "").endswith(".py") else COMPILED
