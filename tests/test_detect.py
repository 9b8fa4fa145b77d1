"""Site detection: --site, then a URL (given or in the text), then fingerprints."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cleaner.rulebook
from benchmarks.corpus import generate
from cleaner import Cleaner, UnknownSiteError
from cleaner.detect import TEXT_URL, _line_at, detect, url_host, url_in_text
from tests.conftest import DEVSET, SHARED

PLAIN = "A Quiet Week in Parliament\n\nLawmakers met twice and adjourned early.\n"


def test_explicit_site_wins(cleaner: Cleaner) -> None:
    found = detect(PLAIN, cleaner.rulebook, site="editorji", url="https://www.hindustantimes.com/x")
    assert (found.site, found.method) == ("editorji", "site")


def test_unknown_explicit_site_is_an_error(cleaner: Cleaner) -> None:
    with pytest.raises(UnknownSiteError, match="known sites: editorji, hindustantimes"):
        detect(PLAIN, cleaner.rulebook, site="nosuchsite")


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.hindustantimes.com/world-news/a-story-101.html", "hindustantimes"),
        ("https://hindustantimes.com/x", "hindustantimes"),
        ("https://m.editorji.com/story", "editorji"),
        ("http://www.themoscowtimes.com/2025/01/01/x-a1", "themoscowtimes"),
    ],
)
def test_url_host_and_subdomains(cleaner: Cleaner, url: str, site: str) -> None:
    assert detect(PLAIN, cleaner.rulebook, url=url).site == site


def test_lookalike_host_is_not_the_site(cleaner: Cleaner) -> None:
    found = detect(PLAIN, cleaner.rulebook, url="https://nothindustantimes.com/x")
    assert found.site is None


def test_a_remembered_host_gets_its_site_and_the_memory_stays_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cleaner.rulebook, "HOSTS_KEPT", 3)
    book = Cleaner().rulebook
    hosts = {
        "www.hindustantimes.com": "hindustantimes",
        "m.editorji.com": "editorji",
        "nothindustantimes.com": None,
        "a.example": None,
        "M.EditorJi.com.": "editorji",
    }
    for _ in range(3):
        for host, site in hosts.items():
            assert book.site_for_host(host) == site, host
            assert len(book._host_sites) <= 3


def test_url_in_the_text(cleaner: Cleaner) -> None:
    text = PLAIN + "\nOriginal url:\n\n<https://www.themoscowtimes.com/2025/02/03/story-a1>\n"
    assert url_in_text(text) == "https://www.themoscowtimes.com/2025/02/03/story-a1"
    found = detect(text, cleaner.rulebook)
    assert (found.site, found.method) == ("themoscowtimes", "url")


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Source URL: https://a.example/x\n", "https://a.example/x"),
        ("  canonical\tURL :\n\n <HTTPS://A.example/x>", "HTTPS://A.example/x"),
        ("see https://a.example/x\nurl: http://b.example/y", "http://b.example/y"),
        ("url: no link here https://a.example/x", None),
        ("url: x url: https://a.example/x", None),
        ("url:\u2003http\u017f://a.example/x", "http\u017f://a.example/x"),
        ("url: ftp://a.example/x https://b.example/", None),
        ("Original url: https://", None),
    ],
)
def test_url_in_the_text_forms(text: str, url: str | None) -> None:
    assert url_in_text(text) == url


_NOISE = st.text(st.sampled_from(["x", " ", "\n", "\u2003", ":", "<", "/", "é"]), max_size=6)
_PIECES = [
    st.sampled_from(["", "\n", "x\n", "x ", " \t"]),
    st.sampled_from(["", "original ", "Source\t", "CANONICAL  "]),
    st.sampled_from(["url", "URL", "uri", ""]),
    st.sampled_from(["", " ", "\t"]),
    st.sampled_from([":", ""]),
    st.sampled_from(["", " ", "\n\n", "\u2003", " x "]),
    st.sampled_from(["", "<"]),
    st.sampled_from(["https", "HTTP", "http\u017f", "ftp", "xhttps", ""]),
    st.sampled_from(["://", ":/"]),
    st.sampled_from(["a.example/b", "", " a", ">"]),
    _NOISE,
]


@settings(max_examples=300)
@given(st.lists(st.tuples(*_PIECES).map("".join), max_size=3).map("".join))
def test_url_in_text_finds_what_a_search_of_the_whole_text_finds(text: str) -> None:
    """It tries the pattern only where a "://" leads back to: never a different answer."""
    match = TEXT_URL.search(text)
    assert url_in_text(text) == (match.group(1) if match else None)


def test_fingerprints(cleaner: Cleaner) -> None:
    text = PLAIN + "\nRecommended For You\n\neditorji | Sports\n\nA teaser headline\n"
    found = detect(text, cleaner.rulebook)
    assert (found.site, found.method) == ("editorji", "fingerprint")
    assert "editorji | Sports" in found.evidence


def test_a_fingerprint_is_found_in_the_line_it_matches_not_the_first_holding_its_text(
    cleaner: Cleaner,
) -> None:
    text = (
        "Readers wrote: Support The Moscow Times! was on every sign.\n\n"
        "Support The Moscow Times!\n\nEnjoying ad-free content?\n"
    )
    found = detect(text, cleaner.rulebook)
    assert found.site == "themoscowtimes"
    assert found.fingerprints == ("Support The Moscow Times!", "Enjoying ad-free content?")


def test_no_evidence_means_unknown(cleaner: Cleaner) -> None:
    found = detect(PLAIN, cleaner.rulebook)
    assert (found.site, found.method) == (None, "none")


def test_unknown_site_gets_common_rules_only(cleaner: Cleaner) -> None:
    text = PLAIN + "\nAlso Read | Not a link on this site\n"
    assert cleaner.clean(text).text == text


@pytest.mark.parametrize(
    "url",
    [
        "https://www.hindustantimes.com/india-news/a-b-101.html",
        "http://EXAMPLE.com:8080/path?q=1#frag",
        "https://example.com",
        "https://example.com?x=/y",
        "https://example.com#a/b",
        "https://:80/x",
        "https://user@example.com/",
        "https://[::1]:80/",
        "https://host%25zone/",
        "HTTPS://Example.COM/",
        " https://example.com/",
        "https://exa\tmple.com/",
        "https://bücher.example/",
        "ftp://example.com/",
        "example.com/path",
        "",
    ],
)
def test_url_host_is_the_hostname_urlsplit_gives(url: str) -> None:
    assert url_host(url) == (urlsplit(url).hostname or "")


@given(st.sampled_from(["https://", "http://", "HTTP://", ""]), st.text("aZ.-:/?#@[]%\t1 é"))
def test_url_host_agrees_with_urlsplit_on_any_text(scheme: str, rest: str) -> None:
    url = scheme + rest
    try:
        expected = urlsplit(url).hostname or ""
    except ValueError:  # urlsplit refuses it; url_host hands such URLs to urlsplit
        with pytest.raises(ValueError):
            url_host(url)
        return
    assert url_host(url) == expected


def _documents() -> Iterator[str]:
    """Our own generated pages of every form, and the real pages beside the checkout."""
    yield from (document.text for document in generate(400_000, seed=7))
    for path in sorted((SHARED / "corpus").glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            yield from (orjson.loads(line)["text"] for line in lines)
    for path in sorted((DEVSET / "raw").glob("*.json")):
        yield orjson.loads(path.read_bytes())["excerpt"]


def test_fingerprints_searched_in_their_lines_find_what_whole_texts_show(
    cleaner: Cleaner,
) -> None:
    """Each fingerprint found within a line is searched only in the lines holding its needles:
    the site, the first line each finds and the runner-up are those of a search of the whole
    text by every fingerprint."""
    rulebook = cleaner.rulebook
    assert any(fingerprint.line_needles for fingerprint in rulebook.fingerprints)
    compared = 0
    for text in _documents():
        expected: dict[str, list[str]] = {}
        for fingerprint in rulebook.fingerprints:
            match = fingerprint.pattern.search(text)
            if match is not None:
                line = _line_at(text, match.start())
                expected.setdefault(fingerprint.site, []).append(line)
        found = detect(text, rulebook)
        if found.method == "url":
            continue  # the text states its URL, which settles the site first
        if expected:
            ranked = sorted(expected.items(), key=lambda site: (-len(site[1]), site[0]))
            assert found.site == ranked[0][0]
            assert list(found.fingerprints) == ranked[0][1]
            runner_up = (ranked[1][0], len(ranked[1][1])) if len(ranked) > 1 else None
            assert found.runner_up == runner_up
            compared += 1
        else:
            assert found.method != "fingerprint"
    assert compared > 100
