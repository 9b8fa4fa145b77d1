"""Site detection: which site's rules a document gets. Never from the file name.

In order: the site the caller names; the site of a URL (the caller's, a record's, or one the
text states, as in "Original url: <...>"); the site whose fingerprints the text shows most.
A document of no known site gets the common rules alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from cleaner.patterns import Pattern
from cleaner.prefilter import fold
from cleaner.rulebook import RuleBook

#: A URL the text gives for itself: "Original url: <https://...>", "Source URL: https://...".
TEXT_URL: Final = re.compile(
    r"^[ \t]*(?:(?:original|source|canonical)[ \t]+)?url[ \t]*:\s*<?(https?://[^\s<>]+)",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(init=False)
class Detection:
    """The detected site (None: unknown), how it was found, the evidence, and the document's
    URL: the one given, else the one the text states. (Its `__init__` is written out for the
    reason `CleanResult`'s is.)"""

    site: str | None
    method: str  # "site", "url", "fingerprint" or "none"
    evidence: str
    url: str | None = None
    #: By fingerprints: every line of the text that a fingerprint of the site found, and the
    #: site with the next most fingerprints, with their number.
    fingerprints: tuple[str, ...] = ()
    runner_up: tuple[str, int] | None = None

    def __init__(
        self,
        site: str | None,
        method: str,
        evidence: str,
        url: str | None = None,
        fingerprints: tuple[str, ...] = (),
        runner_up: tuple[str, int] | None = None,
    ) -> None:
        self.site = site
        self.method = method
        self.evidence = evidence
        self.url = url
        self.fingerprints = fingerprints
        self.runner_up = runner_up


def url_in_text(text: str) -> str | None:
    """The URL a document states for itself, if any: the first match of `TEXT_URL`.

    A search for `TEXT_URL` tries every position of the text (its ``^`` and IGNORECASE give
    the regex engine nothing to jump to), and a document with links in it costs as much as its
    whole cleaning's matcher. A match holds "://", and only spaces, ``<`` and ``http``/``https``
    lie between its "url:" and the "://": so each "://" leads back to the one line where a
    match could start, and the pattern is tried there alone. Lines in text order give the
    search's first match.
    """
    at = text.find("://")
    while at != -1:
        start = _statement_start(text, at)
        if start >= 0 and (match := TEXT_URL.match(text, start)) is not None:
            return match.group(1)
        at = text.find("://", at + 3)
    return None


def _statement_start(text: str, at: int) -> int:
    """The start of the line that a `TEXT_URL` match whose URL has its "://" at `at` would
    start at, or -1 where no "url:" can come before it. Most "://" are links' (a markdown
    link's follows "(http"), told by the character before the scheme without folding it."""
    if not (_may_precede_scheme(text, at - 6) or _may_precede_scheme(text, at - 5)):
        return -1
    if fold(text[max(0, at - 5) : at]) == "https":
        head = at - 5
    elif fold(text[max(0, at - 4) : at]) == "http":
        head = at - 4
    else:
        return -1
    if head > 0 and text[head - 1] == "<":
        head -= 1
    colon = head - 1
    while colon >= 0 and text[colon].isspace():
        colon -= 1
    if colon < 0 or text[colon] != ":":
        return -1
    return text.rfind("\n", 0, colon) + 1


def _may_precede_scheme(text: str, index: int) -> bool:
    """Whether the character at `index` can stand right before the scheme of a stated URL:
    the ":" of "url:", a "<", or a space."""
    if index < 0:
        return False
    char = text[index]
    return char == ":" or char == "<" or char.isspace()


def detect(
    text: str, rulebook: RuleBook, *, site: str | None = None, url: str | None = None
) -> Detection:
    """Decide which site `text` belongs to; `site` and `url` come from the caller when known."""
    if site is not None:
        rulebook.plan_for(site)  # an unknown site id is the caller's error
        return Detection(site, "site", f"site given: {site}", url or url_in_text(text))
    if url and (found := _site_of(url, rulebook)) is not None:
        return Detection(found, "url", f"URL given: {url}", url)
    stated = url_in_text(text)  # looked for only when needed: it searches the whole text
    if stated and (found := _site_of(stated, rulebook)) is not None:
        return Detection(found, "url", f"URL in the text: {stated}", url or stated)
    url = url or stated
    scores = _fingerprint_scores(text, rulebook)
    if scores:
        # Most fingerprints wins; between equals, the first site by id (sorted is stable).
        scores.sort(key=lambda score: -score[0])
        count, site_id, lines = scores[0]
        runner_up = (scores[1][1], scores[1][0]) if len(scores) > 1 else None
        evidence = f"{count} fingerprint(s), first: {lines[0]!r}"
        return Detection(site_id, "fingerprint", evidence, url, lines, runner_up)
    return Detection(None, "none", "no URL of a known site and no fingerprint", url)


def _fingerprint_scores(text: str, rulebook: RuleBook) -> list[tuple[int, str, tuple[str, ...]]]:
    """For each site (in id order) that `text` shows fingerprints of: how many it shows, its
    id, and the line each of them found first.

    One pass over every site's fingerprints; a fingerprint runs only on a text that holds
    one of its needles (all of them looked for in one search of the text), since most
    documents show none of a site's. One alternation of all the fingerprints, searched once,
    was measured 3.5 x slower: it loses the regex module's jumps from line start to line start.
    """
    scores: list[tuple[int, str, tuple[str, ...]]] = []
    site: str | None = None
    found: list[str] = []
    held = rulebook.fingerprint_needles.holding(text)
    for index, fingerprint in enumerate(rulebook.fingerprints):
        if fingerprint.site != site:
            if found and site is not None:
                scores.append((len(found), site, tuple(found)))
            site, found = fingerprint.site, []
        if not held[index]:
            continue
        line = (
            _first_line_holding(fingerprint.pattern, text, fingerprint.line_needles)
            if fingerprint.line_needles
            else _first_line_of(fingerprint.pattern, text)
        )
        if line is not None:
            found.append(line)
    if found and site is not None:
        scores.append((len(found), site, tuple(found)))
    return scores


def _site_of(url: str, rulebook: RuleBook) -> str | None:
    return rulebook.site_for_host(url_host(url))


_SCHEMES: Final = ("https://", "http://")
_URLSPLIT_SPECIAL: Final = "\t\r\n@[]%"
"""Characters with which `urlsplit` does more than cut the host out: the fast path leaves
such URLs to it."""


def url_host(url: str) -> str:
    """``urlsplit(url).hostname or ""``, without `urlsplit` (about 30 us a call) for a plain
    ASCII http(s) URL: the host is what lies between the scheme and the first of ``/?#``,
    less a port, in lower case."""
    scheme = next((s for s in _SCHEMES if url.startswith(s)), None)
    if scheme is None or not url.isascii() or any(c in url for c in _URLSPLIT_SPECIAL):
        return urlsplit(url).hostname or ""
    end = len(url)
    for delimiter in "/?#":
        found = url.find(delimiter, len(scheme))
        if 0 <= found < end:
            end = found
    return url[len(scheme) : end].partition(":")[0].lower()


def _first_line_of(pattern: Pattern, text: str) -> str | None:
    """The line of `text` where `pattern` is first found (None: nowhere)."""
    match = pattern.search(text)
    return _line_at(text, match.start()) if match is not None else None


def _first_line_holding(pattern: Pattern, text: str, needles: tuple[str, ...]) -> str | None:
    """`_first_line_of` for a pattern whose matches lie within a line that holds one of
    `needles`: only those lines are searched, in order."""
    at = 0
    while True:
        offset = -1
        for needle in needles:
            found = text.find(needle, at)
            if found != -1 and (offset == -1 or found < offset):
                offset = found
        if offset == -1:
            return None
        start, end = _line_bounds(text, offset)
        line = text[start:end]
        if pattern.search(line) is not None:
            return line.strip()
        at = end + 1


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    """Where the line of `text` that contains `offset` starts and ends (before its "\\n")."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, end if end != -1 else len(text)


def _line_at(text: str, offset: int) -> str:
    """The whole line of `text` that contains `offset`, as evidence a person can recognise."""
    start, end = _line_bounds(text, offset)
    return text[start:end].strip()
