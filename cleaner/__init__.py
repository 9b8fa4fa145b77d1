"""cleaner: strip site chrome from scraped news text with declarative per-site rules.

The path of a document: `reader` -> `detect` -> `engine` (with the `plan` compiled from the
`rulebook`) -> `writer`. `Cleaner` and `clean` are the library interface.
"""

from cleaner.compiled import prefer_sources

prefer_sources()  # before any module of the hot path is imported

from cleaner.api import Cleaner, CleanResult, clean
from cleaner.compiled import build
from cleaner.detect import Detection
from cleaner.errors import CleanerError, InputError, RuleFileError, UnknownSiteError
from cleaner.plan import Removal
from cleaner.rulebook import RuleBook, load_rulebook

__version__ = "0.1.0"

__all__ = [
    "CleanResult",
    "Cleaner",
    "CleanerError",
    "Detection",
    "InputError",
    "Removal",
    "RuleBook",
    "RuleFileError",
    "UnknownSiteError",
    "__version__",
    "build",
    "clean",
    "load_rulebook",
]
