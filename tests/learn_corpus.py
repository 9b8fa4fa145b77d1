"""An invented news site for the learning tests: the Harbour Gazette, with its template.

Every page has the site's chrome around an article built from word lists: a donation banner,
a header box, a lower-case section name, the headline (which the URL spells), a place line
under the byline naming a town, a print-edition number, "See more |" links, and a footer cut
off by the page's end. The article sentences are made up here and never repeat.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SITE = "harbourgazette"
DOMAIN = "harbourgazette.example"
BANNER = "Keep the Harbour Gazette independent!"
HEADER = ("Menu", "Search the Gazette archive", "Tide times and ferry news")
FOOTER = ("More from the Gazette", "Terms of use and privacy", "Contact the newsroom")
SECTIONS = ("city", "sport", "port news", "culture", "weather")
TOWNS = ("Port Ellis", "Marrow Bay", "Kestle", "Old Quay", "Dunmarrow", "Fenwick Point")
_SUBJECTS = (
    "The harbour board",
    "A ferry crew",
    "The town council",
    "Local fishermen",
    "The lifeboat station",
    "A group of traders",
    "The museum trust",
    "Dock workers",
)
_VERBS = ("approved", "rejected", "delayed", "announced", "questioned", "funded", "opened")
_OBJECTS = (
    "a new slipway",
    "the winter timetable",
    "repairs to the sea wall",
    "a second car park",
    "the fish market lease",
    "a survey of the moorings",
    "longer opening hours",
    "the festival programme",
)
_WHEN = (
    "on Monday",
    "last week",
    "after a long debate",
    "before the storm season",
    "at its spring meeting",
    "despite objections",
    "within a month",
)
_HEAD_WORDS = ("Harbour", "Ferry", "Council", "Quay", "Lifeboat", "Market", "Festival", "Tide")
_HEAD_VERBS = ("Plans", "Delays", "Wins", "Faces", "Opens", "Rejects", "Funds")
_HEAD_ENDS = ("New Slipway", "Winter Fares", "Sea Wall Repairs", "Extra Moorings", "Night Service")


def sentence(rng: random.Random) -> str:
    """An article sentence, never the same twice in practice: a number makes it unique."""
    return (
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
        f"{rng.choice(_WHEN)}, and {rng.randint(2, 900)} residents "
        f"{rng.choice(('signed a letter', 'came to listen', 'asked questions'))} about "
        f"{rng.choice(_OBJECTS)}."
    )


def page(number: int, rng: random.Random) -> dict[str, str]:
    """One page record: id, url and text."""
    headline = f"{rng.choice(_HEAD_WORDS)} {rng.choice(_HEAD_VERBS)} {rng.choice(_HEAD_ENDS)}"
    slug = headline.lower().replace(" ", "-")
    lines = [BANNER, "", *HEADER, "", rng.choice(SECTIONS), "", headline, ""]
    lines += [f"By Staff Reporter {number}", f"Harbour Gazette, {rng.choice(TOWNS)}", ""]
    lines += [f"Print edition no. {4000 + number}", ""]
    for index in range(rng.randint(3, 5)):
        lines += [sentence(rng), ""]
        if index == 1:
            see = f"{rng.choice(_HEAD_WORDS)} {rng.choice(_HEAD_VERBS)} {rng.choice(_HEAD_ENDS)}"
            lines += [f"See more | {see} ({rng.randint(1, 99)})", ""]
    lines += [*FOOTER[: rng.randint(1, 3)]]
    url = f"https://www.{DOMAIN}/{2020 + number % 5}/{slug}-a{10000 + number}"
    return {"id": f"gazette-{number}", "url": url, "text": "\n".join(lines) + "\n"}


def pages(count: int = 40, seed: int = 7) -> list[dict[str, str]]:
    """`count` pages, and the fifth page again under another URL (a syndicated copy)."""
    rng = random.Random(seed)
    records = [page(number, rng) for number in range(count)]
    copy = dict(records[4], id="gazette-copy", url=records[4]["url"].replace("www.", "m."))
    return [*records, copy]


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
