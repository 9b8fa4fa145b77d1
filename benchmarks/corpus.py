"""A deterministic, synthetic corpus of scraped news articles for benchmarking `cleaner`.

Benchmarks need far more text than the handful of seed articles, and the project may not ship
third-party writing, so this module writes its own. Every sentence is assembled from small word
lists and templates in this file, then wrapped in the site chrome that a scraper leaves around an
article: Hindustan Times (~30%), Editorji (~15%), The Moscow Times in its markdown and plain scrape
forms (~30%), and articles of other sites with generic chrome or none (~25%). The chrome follows
the shapes of the seed articles in ``shared/seeds``, and what varies between real articles
(headlines, bylines, dates, captions, related links, footers) varies here too.

The same seed always gives the same bytes, and a larger size gives the same documents first, so
timings taken on different sizes or machines describe the same input. Documents are produced one
at a time, so a corpus of any size is generated in constant memory.

Usage::

    python -m benchmarks.corpus --size 100MB --seed 0 --out /tmp/corpus --form both
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

WRITE_BUFFER_BYTES = 1 << 20
"""Buffer size of every file written, so that writing stays a small share of a benchmark."""

FILES_PER_SHARD = 1000
"""Text files per subdirectory: keeps directories small enough for any file system and tool."""


@dataclass(frozen=True)
class Document:
    """One scraped article as `cleaner` receives it: the URL is absent when the scraper lost it."""

    id: str
    url: str | None
    text: str


# ---------------------------------------------------------------------------------------------
# Vocabulary. Invented names and generic phrases: nothing here is taken from a real article.
# ---------------------------------------------------------------------------------------------

_FIRST_NAMES = (
    "Lena", "Tomas", "Aarav", "Meera", "Daniel", "Sofia", "Ivan", "Olga", "Kwame", "Amina",
    "Hiroshi", "Yuna", "Carlos", "Lucia", "Farid", "Leila", "Pieter", "Ingrid", "Rahul", "Priya",
    "Mikhail", "Anya", "Samuel", "Grace", "Tariq", "Nadia", "Jonas", "Elif", "Marek", "Zofia",
    "Arjun", "Kavya", "Emeka", "Chiara", "Dmitri", "Irina", "Oscar", "Hana", "Rohan", "Ananya",
)  # fmt: skip
_LAST_NAMES = (
    "Marsh", "Varga", "Sharma", "Iyer", "Okafor", "Haddad", "Petrov", "Belova", "Mensah", "Yusuf",
    "Tanaka", "Park", "Mendoza", "Ferrari", "Rahimi", "Nasser", "de Vries", "Lund", "Kapoor",
    "Nair", "Orlov", "Kuznetsova", "Adeyemi", "Holm", "Qureshi", "Aziz", "Berg", "Demir", "Novak",
    "Wisniewska", "Menon", "Reddy", "Eze", "Romano", "Volkov", "Sidorova", "Lindqvist", "Sato",
    "Bose", "Chatterjee",
)  # fmt: skip
_ROLES = (
    "Foreign Minister", "Finance Minister", "Defence Minister", "Health Minister",
    "Interior Minister", "Prime Minister", "President", "Deputy Prime Minister", "Energy Minister",
    "Trade Minister", "opposition leader", "central bank governor", "Chief Minister", "Governor",
    "Mayor", "Transport Minister",
)  # fmt: skip
_COUNTRIES = (
    "India", "Russia", "China", "Japan", "Brazil", "Nigeria", "Kenya", "Turkey", "Germany",
    "France", "Poland", "Indonesia", "Vietnam", "Mexico", "Egypt", "Pakistan", "Bangladesh",
    "Kazakhstan", "Georgia", "Armenia", "South Africa", "Argentina", "Canada", "Australia",
    "Italy", "Spain", "Norway", "Chile", "Ukraine", "the United States", "the United Kingdom",
    "South Korea", "Sri Lanka", "Nepal",
)  # fmt: skip
_PLACES = (
    "New Delhi", "Mumbai", "Kolkata", "Chennai", "Bengaluru", "Hyderabad", "Lucknow", "Moscow",
    "St. Petersburg", "Novosibirsk", "Kazan", "Yekaterinburg", "Vladivostok", "Berlin", "Warsaw",
    "Nairobi", "Lagos", "Jakarta", "Hanoi", "Istanbul", "Ankara", "Cairo", "São Paulo",
    "Mexico City", "Buenos Aires", "Tokyo", "Osaka", "Seoul", "Almaty", "Tbilisi", "Yerevan",
    "Geneva", "Brussels", "Dhaka", "Karachi", "Colombo", "Kathmandu", "Santiago", "Toronto",
    "Sydney",
)  # fmt: skip
_INDIAN_CITIES = (
    "New Delhi", "Mumbai", "Kolkata", "Chennai", "Bengaluru", "Hyderabad", "Lucknow", "Pune",
    "Jaipur", "Ahmedabad",
)  # fmt: skip
_ORGANISATIONS = (
    "the central bank", "the election commission", "the health ministry", "the finance ministry",
    "the foreign ministry", "the national railway operator", "the state energy company",
    "the supreme court", "parliament", "the city council", "the meteorological department",
    "the statistics office", "the United Nations", "the World Bank",
    "the International Monetary Fund", "the European Commission", "the African Union",
    "a regional court", "the port authority", "the aviation regulator",
)  # fmt: skip
# Policies and problems are all grammatically singular, so that every template agrees with them.
_POLICIES = (
    "the new trade agreement", "the fuel subsidy scheme", "the rise in rail fares",
    "a vaccination drive", "the port expansion", "a data protection law", "the pension reform",
    "a new metro line", "the tax regime for small firms", "the student visa programme",
    "the seasonal fishing ban", "a gas pipeline project", "the grain export quota",
    "the mining licence regime", "the budget plan", "a programme of road repairs",
    "a minimum wage increase", "the school meals scheme", "the coal phase-out plan",
    "a digital payments law",
)  # fmt: skip
_PROBLEMS = (
    "the water shortage", "the rise in food prices", "the energy crisis", "air pollution",
    "the housing shortage", "the weak currency", "the threat of drone attacks",
    "repeated flooding", "the teachers' strike", "traffic congestion", "youth unemployment",
    "congestion at the border", "the shortage of doctors", "crop failure", "the drought",
)  # fmt: skip
_CONCERNS = (
    "rising costs", "security fears", "public anger", "a cash crunch", "legal challenges",
    "pressure from allies", "a weak harvest", "fresh protests", "election pressure",
    "supply disruptions",
)  # fmt: skip
_GROUPS = (
    "people", "workers", "families", "students", "passengers", "soldiers", "farmers", "residents",
    "households", "small businesses",
)  # fmt: skip
_FUTURE_ACTIONS = (
    "review", "expand", "scale back", "speed up work on", "reconsider", "put new limits on",
    "pause", "fund",
)  # fmt: skip
_HEADLINE_PLANS = (
    "to review", "to expand", "to scrap", "to tighten", "to delay", "to fast-track", "to probe",
    "to revive",
)  # fmt: skip
_HEADLINE_VERBS = (
    "backs", "rejects", "suspends", "approves", "delays", "defends", "extends", "questions",
)  # fmt: skip
_PAST_VERBS = (
    "approved", "criticised", "postponed", "defended", "questioned", "welcomed", "rejected",
    "amended",
)  # fmt: skip
_ASSESSMENTS = (
    "long overdue", "a gamble", "largely symbolic", "a sensible first step",
    "unlikely to change much in the short term", "the clearest signal yet of a change in policy",
    "a response to pressure from voters", "too little, too late",
)  # fmt: skip
_LABELS = (
    "a national emergency", "the biggest test of this decade", "entirely avoidable",
    "a problem inherited from the past", "manageable", "a matter for the courts",
)  # fmt: skip
_INSTITUTIONS = (
    "an economist at the Institute for Regional Studies",
    "a researcher at the Centre for Public Finance", "a political analyst based in {place}",
    "a professor of international relations in {place}", "a former adviser to the government",
    "a senior fellow at a policy institute in {place}",
)  # fmt: skip
_QUOTES = (
    "We will not accept any further delay",
    "This is a matter of national interest and we will treat it as such",
    "The numbers speak for themselves", "We are ready to talk, but not under pressure",
    "Nobody should be surprised by this decision",
    "Families cannot wait another season for help",
    "The plan is ambitious, but it is not impossible",
    "We have asked for clear answers and received none",
    "Our priority is the safety of ordinary people",
    "The market had already priced in most of this",
    "It is too early to say what the long-term effects will be",
    "We expect the first results before the end of the year",
    "There is no alternative to dialogue",
    "The situation on the ground has changed completely",
    "This agreement opens a new chapter for both countries", "We were never consulted",
    "The figures are worse than anyone expected",
)  # fmt: skip
_AGENCIES = ("AFP", "Reuters", "AP", "PTI", "TASS", "Interfax", "ANI", "Bloomberg")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_FUTURE_TIMES = (
    "next week", "later this month", "in the autumn", "before the end of the year",
    "after the holidays", "within weeks",
)  # fmt: skip
_PAST_TIMES = (
    "last week", "earlier this month", "over the weekend", "this year", "last year",
    "in recent days",
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Stories and sentences
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Story:
    """What one article is about, so that its sentences keep returning to the same subject."""

    person_role: str
    person_name: str
    country: str
    place: str
    policy: str
    problem: str
    published: datetime


def _random_name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"


def _random_date(rng: random.Random) -> datetime:
    """A publication time in 2023-2025, to the minute."""
    day = date(2023, 1, 1) + timedelta(days=rng.randrange(3 * 365))
    return datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), tzinfo=UTC)


def _new_story(rng: random.Random) -> _Story:
    return _Story(
        person_role=rng.choice(_ROLES),
        person_name=_random_name(rng),
        country=rng.choice(_COUNTRIES),
        place=rng.choice(_PLACES),
        policy=rng.choice(_POLICIES),
        problem=rng.choice(_PROBLEMS),
        published=_random_date(rng),
    )


def _person(rng: random.Random, story: _Story) -> str:
    if rng.random() < 0.6:
        return f"{story.person_role} {story.person_name}"
    return f"{rng.choice(_ROLES)} {_random_name(rng)}"


def _count(rng: random.Random) -> str:
    form = rng.randrange(5)
    if form == 0:
        return str(rng.randint(3, 99))
    if form == 1:
        return f"more than {rng.randint(2, 40) * 100:,}"
    if form == 2:
        return f"about {rng.randint(1, 9)},{rng.randint(0, 9)}00"
    if form == 3:
        return f"nearly {rng.randint(11, 99) / 10} million"
    return rng.choice(("two dozen", "several hundred", "hundreds of", "thousands of", "a few"))


def _percent(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.randint(0, 14)}.{rng.randint(1, 9)}%"
    return f"{rng.randint(2, 25)} percent"


def _money(rng: random.Random) -> str:
    amount = rng.randint(11, 990) / 10
    return rng.choice(
        (
            f"${amount} billion",
            f"Rs {rng.randint(2, 900) * 10:,} crore",
            f"{amount} billion rubles",
            f"€{rng.randint(5, 900)} million",
        )
    )


def _past_time(rng: random.Random) -> str:
    form = rng.randrange(4)
    if form == 0:
        return f"on {rng.choice(_WEEKDAYS)}"
    if form == 1:
        return f"late on {rng.choice(_WEEKDAYS)}"
    if form == 2:
        return f"in {rng.choice(_MONTHS)}"
    return rng.choice(_PAST_TIMES)


def _expert_affiliation(rng: random.Random, story: _Story) -> str:
    return rng.choice(_INSTITUTIONS).format(place=story.place)


_SlotFiller = Callable[[random.Random, _Story], str]

_SLOT_FILLERS: dict[str, _SlotFiller] = {
    "person": _person,
    "other_person": lambda rng, story: f"{rng.choice(_ROLES)} {_random_name(rng)}",
    "surname": lambda rng, story: story.person_name.split(" ", 1)[1],
    "country": lambda rng, story: story.country if rng.random() < 0.6 else rng.choice(_COUNTRIES),
    "other_country": lambda rng, story: rng.choice(_COUNTRIES),
    "place": lambda rng, story: story.place if rng.random() < 0.5 else rng.choice(_PLACES),
    "organisation": lambda rng, story: rng.choice(_ORGANISATIONS),
    "policy": lambda rng, story: story.policy if rng.random() < 0.7 else rng.choice(_POLICIES),
    "problem": lambda rng, story: story.problem if rng.random() < 0.7 else rng.choice(_PROBLEMS),
    "concern": lambda rng, story: rng.choice(_CONCERNS),
    "group": lambda rng, story: rng.choice(_GROUPS),
    "count": lambda rng, story: _count(rng),
    "small_count": lambda rng, story: str(rng.randint(2, 60)),
    "percent": lambda rng, story: _percent(rng),
    "money": lambda rng, story: _money(rng),
    "past_time": lambda rng, story: _past_time(rng),
    "future_time": lambda rng, story: rng.choice(_FUTURE_TIMES),
    "weekday": lambda rng, story: rng.choice(_WEEKDAYS),
    "month": lambda rng, story: rng.choice(_MONTHS),
    "year": lambda rng, story: str(story.published.year - rng.randint(1, 12)),
    "future_year": lambda rng, story: str(story.published.year + rng.randint(1, 6)),
    "days": lambda rng, story: str(rng.randint(2, 12)),
    "action": lambda rng, story: rng.choice(_FUTURE_ACTIONS),
    "past_verb": lambda rng, story: rng.choice(_PAST_VERBS),
    "assessment": lambda rng, story: rng.choice(_ASSESSMENTS),
    "label": lambda rng, story: rng.choice(_LABELS),
    "quote": lambda rng, story: rng.choice(_QUOTES),
    "agency": lambda rng, story: rng.choice(_AGENCIES),
    "expert": lambda rng, story: _random_name(rng),
    "affiliation": _expert_affiliation,
    "headline_plan": lambda rng, story: rng.choice(_HEADLINE_PLANS),
    "headline_verb": lambda rng, story: rng.choice(_HEADLINE_VERBS),
}

_SENTENCE_TEMPLATES = (
    "{person} said {past_time} that {country} would {action} {policy}.",
    "The decision follows weeks of debate over {policy}, which critics say has done little to "
    "ease {problem}.",
    "{organisation} {past_verb} the proposal {past_time}, saying it needed more detail on costs.",
    "According to {organisation}, {count} {group} have been affected by {problem} since {month}.",
    '"{quote}," {person} told reporters in {place}.',
    '"{quote}," {surname} added.',
    "{expert}, {affiliation}, said the move was {assessment}.",
    "Officials in {place} estimate the cost at {money}, about {percent} more than last year's "
    "figure.",
    "{problem} has worsened in recent months, with {count} {group} reporting difficulties in "
    "{place} alone.",
    "The {weekday} announcement came {days} days after {organisation} warned that {problem} "
    "could spread to other regions.",
    "Opposition lawmakers accused the government of ignoring {problem} and demanded a debate in "
    "parliament.",
    "Shares of companies linked to {policy} rose {percent} in early trading in {place}.",
    "{country} has spent {money} on {policy} since {year}, according to official figures.",
    "Talks between {country} and {other_country} on {policy} are expected to resume {future_time}.",
    "Local media reported that at least {small_count} people were detained during protests in "
    "{place} {past_time}.",
    "The {agency} news agency, citing unnamed sources, said the plan could be announced as early "
    "as {future_time}.",
    "It was not immediately clear how the measures would be paid for.",
    "Residents of {place} have complained for years about {problem}.",
    "{organisation} did not respond to a request for comment.",
    "The government says {policy} will create {count} jobs by {future_year}.",
    "Critics argue that {policy} favours large companies over small ones.",
    "Turnout at the meeting in {place} was lower than organisers had hoped, with only "
    "{small_count} {group} attending.",
    "{person} is due to travel to {place} {future_time} for talks with {other_person}.",
    "Prices in {place} rose by {percent} in {month}, the fastest pace since {year}.",
    'Earlier, {person} had described {problem} as "{label}".',
    "Both sides said they remained committed to reaching a deal on {policy}.",
    "More than {small_count},000 {group} have signed a petition calling for changes to {policy}.",
    "{country} last revised {policy} in {year}, when {problem} was far less of a concern.",
    "Analysts said {problem} was likely to remain a political issue until {future_year}.",
    "The proposal will now go to {organisation}, which is expected to rule on it {future_time}.",
    "{organisation} said in a statement that it was monitoring {problem} closely.",
    "The measure still needs the approval of {organisation}.",
    "Last year, {problem} cost {place} an estimated {money}, officials said.",
    "{person} defended {policy} in a speech in {place} {past_time}, calling it necessary.",
    "Police in {place} said the situation was calm by {weekday} evening.",
    "Neither side gave details of the timetable.",
    "The economy of {country} grew {percent} last year, below the government's own forecast.",
    "The plan was first proposed in {year} but stalled amid {concern}.",
    "A spokesperson for {organisation} said further talks were planned {future_time}.",
    "Diplomats in {place} said the talks had been tense but constructive.",
    "Polls suggest that most voters support {policy}, though the margin has narrowed.",
    "Some {group} in {place} said they had heard about the plan only from the news.",
    "{expert}, {affiliation}, warned that {problem} could cost the economy {money} a year.",
    "The figures could not be independently verified.",
    "{person} has faced criticism over {problem} since taking office in {year}.",
)

_HEADLINE_TEMPLATES = (
    "{country} {headline_plan} {policy} amid {concern}",
    "{surname} says {country} will {action} {policy}",
    "{organisation} {headline_verb} {policy}",
    "{place} residents protest over {problem}",
    "Talks on {policy} stall as {country} faces {concern}",
    "{country} and {other_country} agree to {action} {policy}",
    "Why {problem} matters for {country}",
    "{small_count} detained in {place} after protests over {problem}",
    "{organisation} warns of {problem} in {place}",
    "{person} to visit {place} for talks on {policy}",
    "{country} braces for {problem} as {concern} grows",
    "{surname} defends {policy} after {concern}",
    "What {policy} means for {group} in {place}",
)

_CAPTION_TEMPLATES = (
    "{person} speaks to reporters in {place} on {weekday}.",
    "Residents wait in line during a protest over {problem} in {place}.",
    "A general view of the city centre in {place}.",
    "{person} arrives for a meeting in {place}.",
    "Workers at a site linked to {policy} near {place}.",
    "Demonstrators hold placards outside the parliament building in {place}.",
)

_Template = tuple[str, tuple[str, ...]]


def _compile(templates: Sequence[str]) -> tuple[_Template, ...]:
    """Pair each template with its slot names, so that only the slots it uses are filled."""
    formatter = string.Formatter()
    return tuple(
        (template, tuple(field for _, field, _, _ in formatter.parse(template) if field))
        for template in templates
    )


_SENTENCES = _compile(_SENTENCE_TEMPLATES)
_HEADLINES = _compile(_HEADLINE_TEMPLATES)
_CAPTIONS = _compile(_CAPTION_TEMPLATES)


def _capitalise_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fill_template(rng: random.Random, story: _Story, template: _Template) -> str:
    text, slots = template
    values = {slot: _SLOT_FILLERS[slot](rng, story) for slot in slots}
    return _capitalise_first(text.format(**values))


def _fill(rng: random.Random, story: _Story, templates: Sequence[_Template]) -> str:
    return _fill_template(rng, story, rng.choice(templates))


_MIN_PARAGRAPH = 80
_MAX_PARAGRAPH = 600
_MAX_SENTENCES = 8


def _paragraph(rng: random.Random, story: _Story) -> str:
    """Sentences of distinct templates up to a random length in 80-600 characters, mostly short
    as in news copy."""
    target = min(_MIN_PARAGRAPH + int(rng.expovariate(1 / 180)), _MAX_PARAGRAPH)
    templates = iter(rng.sample(_SENTENCES, _MAX_SENTENCES))
    sentences = [_fill_template(rng, story, next(templates))]
    length = len(sentences[0])
    for template in templates:
        if length >= target:
            break
        sentence = _fill_template(rng, story, template)
        if length + 1 + len(sentence) > _MAX_PARAGRAPH:
            break
        sentences.append(sentence)
        length += 1 + len(sentence)
    return " ".join(sentences)


def _paragraphs(rng: random.Random, story: _Story, minimum: int, maximum: int) -> list[str]:
    return [_paragraph(rng, story) for _ in range(rng.randint(minimum, maximum))]


_SMALL_WORDS = frozenset(
    ("a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "amid",
     "with", "over", "after")
)  # fmt: skip


def _title_case(headline: str) -> str:
    words = headline.split(" ")
    return " ".join(
        word if index and word in _SMALL_WORDS else _capitalise_first(word)
        for index, word in enumerate(words)
    )


def _headline(rng: random.Random, story: _Story) -> str:
    return _fill(rng, story, _HEADLINES)


def _other_headline(rng: random.Random) -> str:
    """The headline of another article, for related links and recommendation lists."""
    return _headline(rng, _new_story(rng))


def _slug(headline: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", headline.lower()).strip("-")


def _interleave(paragraphs: Sequence[str], inserts: Sequence[str], rng: random.Random) -> list[str]:
    """Paragraphs with each insert placed between two of them, never first or last."""
    blocks = list(paragraphs)
    for insert in inserts:
        blocks.insert(rng.randint(1, max(1, len(blocks) - 1)), insert)
    return blocks


def _blank_separated(blocks: Sequence[str]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if lines:
            lines.append("")
        lines.append(block)
    return lines


# ---------------------------------------------------------------------------------------------
# Site forms. Each returns the article's lines and its canonical URL.
# ---------------------------------------------------------------------------------------------

_SiteLines = tuple[list[str], str]

_HT_BYLINES = ("AFP", "PTI", "Reuters", "ANI", "Bloomberg", "HT News Desk", "Associated Press")
_HT_SECTIONS = (
    ("World News", "world-news"),
    ("India News", "india-news"),
    ("Business", "business"),
    ("Cities", "cities"),
)
_HT_CAPTION_CREDITS = ("(REUTERS)", "(PTI)", "(HT Photo)", "(AFP)", "(ANI)", "(AP)")
_HT_FOOTER_FIRST_LINES = (
    "Get the latest headlines from {region} news and global updates from {countries}, all in "
    "one place on Hindustan Times.",
    "Get the latest headlines on world news with updates from {countries} on Hindustan Times.",
    "Get the latest headlines, breaking news and {region} updates from {countries} only on "
    "Hindustan Times.",
)
_HT_REGIONS = ("US", "world", "India", "Asia", "Europe")
_HT_ACCOUNT_BOX = (
    "SHARE THIS ARTICLE ON",
    "SHARE",
    "Copy",
    "close",
    "",
    "Join Hindustan Times",
    "",
    "Create free account and unlock exciting features like",
    "",
    "Newsletters, Alerts and Recommendations Get personalised news and exciting deals Bookmark "
    "the stories you want to read later",
    "Already have an account? Sign In",
)
_HT_SISTER_SITES = (
    "mint-logo", "mint-lounge", "HT_Auto", "ht-tech", "ht-bangla", "healthshots", "OTT-icons",
    "slurrp-icon", "ht-kannada", "ht-tamil", "ht-telegu", "ht-marathi", "Instore Radio - FAB Play",
    "vc-circle", "tech-circle", "vcc-edge", "edge-insights",
)  # fmt: skip
_HT_ACCOUNT_MENU = (
    "Story Saved",
    "Live Score",
    "Edit Profile",
    "Saved Articles",
    "Following",
    "My Reads",
    "Sign out",
    "Get App",
    "Subscribe Now!",
    "Copyright © HT Digital Streams Ltd. All rights reserved.",
    "Follow Us On",
)


def _hindustantimes(rng: random.Random, story: _Story) -> _SiteLines:
    """Header, byline and "Updated on:", double caption, "Also Read |" lines, long footer."""
    published = story.published
    headline = _headline(rng, story)
    city = rng.choice(_INDIAN_CITIES)
    weather = f"{city} oC" if rng.random() < 0.5 else f"{city} {rng.randint(12, 44)}oC"
    byline = rng.choice(_HT_BYLINES) if rng.random() < 0.7 else _random_name(rng)
    lines = [
        "Search",
        published.strftime("%A, %b %d, %Y"),
        weather,
        "",
        headline,
        "",
        f"{byline} |",
        f"Updated on: {published:%b %d, %Y %I:%M %p} IST",
        "",
        _fill(rng, story, _SENTENCES),
        "",
    ]
    body = _paragraphs(rng, story, 4, 16)
    if rng.random() < 0.6:
        caption = _fill(rng, story, _CAPTIONS) + rng.choice(_HT_CAPTION_CREDITS)
        body.insert(1, f"{caption}\n{caption}")
    also_read = [f"Also Read | {_other_headline(rng)}" for _ in range(rng.randint(0, 3))]
    lines += _blank_separated(_interleave(body, also_read, rng))

    section, section_slug = rng.choice(_HT_SECTIONS)
    countries = ", ".join(rng.sample(_COUNTRIES, rng.randint(2, 4)))
    footer_first = rng.choice(_HT_FOOTER_FIRST_LINES).format(
        region=rng.choice(_HT_REGIONS), countries=countries
    )
    lines += ["", footer_first]
    if rng.random() < 0.7:
        lines.append(footer_first)
    lines.append(f"News / {section} / {headline}")
    lines += _HT_ACCOUNT_BOX
    lines += [f"  • {site}" for site in _HT_SISTER_SITES]
    lines.append(f"Copyright © {published.year} HT Digital Streams Limited. All Rights Reserved.")
    lines += _HT_ACCOUNT_MENU
    article_number = int(published.timestamp() * 1000) + rng.randrange(1000)
    url = (
        f"https://www.hindustantimes.com/{section_slug}/{_slug(headline)}-101{article_number}.html"
    )
    return lines, url


_EDITORJI_SECTIONS = ("World", "India", "Business", "Sports", "Tech", "Entertainment", "Lifestyle")
_EDITORJI_DISCLAIMER = (
    "(Only the headline of this report may have been reworked by Editorji; the rest of the content "
    "is auto-generated from a syndicated feed.)"
)


def _editor_tag(rng: random.Random) -> str:
    """The initials an agency desk appends to a story, e.g. " NSA NSA" or " GRS"."""
    initials = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(2, 4)))
    return " ".join([initials] * rng.randint(1, 2))


def _editorji(rng: random.Random, story: _Story) -> _SiteLines:
    """Lines "Updated :" and "|", an agency dateline and tag, disclaimer, recommendation list."""
    published = story.published
    headline = _headline(rng, story)
    byline = "Editorji News Desk" if rng.random() < 0.75 else _random_name(rng)
    agency = rng.choice(("AP", "PTI"))
    body = _paragraphs(rng, story, 3, 12)
    body[0] = f"{story.place}, {published:%b} {published.day} ({agency}) — {body[0]}"
    body[-1] = f"{body[-1]} ({agency}) {_editor_tag(rng)}"
    lines = [
        headline,
        "",
        f"Updated : {published:%b %d, %Y %H:%M}",
        "|",
        byline,
        "",
        *_blank_separated(body),
        "",
        _EDITORJI_DISCLAIMER,
        "",
        "Recommended For You",
    ]
    for _ in range(rng.randint(3, 6)):
        lines += ["", f"editorji | {rng.choice(_EDITORJI_SECTIONS)}", "", _other_headline(rng)]
    section = rng.choice(_EDITORJI_SECTIONS).lower()
    article_number = int(published.timestamp() * 1000) + rng.randrange(1000)
    return lines, f"https://www.editorji.com/{section}-news/{_slug(headline)}-{article_number}"


_MOSCOW_TIMES_BYLINES = ("AFP", "Reuters", "The Moscow Times", "Bloomberg", "AP")
_MOSCOW_TIMES_APPEAL = (  # the "A Message from The Moscow Times:" box
    "Independent reporting from and about Russia depends on the support of its readers.",
    "Every contribution, however small, helps keep our journalists at work.",
    "We rely on readers like you to keep this reporting free for everyone.",
    "Our newsroom has been labelled undesirable, and readers are now our main source of support.",
)
_MOSCOW_TIMES_PHOTO_AGENCIES = (
    "TASS", "Moskva News Agency", "Kremlin.ru", "Telegram", "Unsplash", "Social media",
)  # fmt: skip
_MOSCOW_TIMES_PHOTO_SOURCES = (
    "Russian Foreign Ministry", "Defense Ministry", "Kremlin press service",
    "Moscow Mayor's Office", "Emergencies Ministry", "Central Bank press service",
)  # fmt: skip


def _moscow_times_caption(rng: random.Random, story: _Story) -> str:
    """A caption, with or without its full stop, then a bold credit: "**Name / Agency**",
    "**Ministry/Telegram**" or "**Agency**"."""
    caption = _fill(rng, story, _CAPTIONS)
    if rng.random() < 0.5:
        caption = caption.removesuffix(".")
    agency = rng.choice(_MOSCOW_TIMES_PHOTO_AGENCIES)
    form = rng.randrange(3)
    if form == 0:
        credit = f"{_random_name(rng)} / {agency}"
    elif form == 1:
        credit = f"{rng.choice(_MOSCOW_TIMES_PHOTO_SOURCES)}{rng.choice((' / ', '/'))}{agency}"
    else:
        credit = agency
    return f"{caption} **{credit}**"


def _split_mid_sentence(paragraph: str, rng: random.Random) -> str:
    """The paragraph broken by a blank line between two words, as a removed ad slot leaves it."""
    spaces = [
        index
        for index in range(len(paragraph) // 3, 2 * len(paragraph) // 3)
        if paragraph[index] == " " and paragraph[index - 1].isalpha()
    ]
    if not spaces:
        return paragraph
    cut = rng.choice(spaces)
    return f"{paragraph[:cut]}\n\n{paragraph[cut + 1 :]}"


def _themoscowtimes(rng: random.Random, story: _Story) -> _SiteLines:
    """Markdown or plain scrape: byline link, bold credit, related link, split paragraph, URL."""
    published = story.published
    headline = _title_case(_headline(rng, story))
    url = (
        f"https://www.themoscowtimes.com/{published:%Y/%m/%d}/{_slug(headline)}"
        f"-a{rng.randint(10000, 99999)}"
    )
    markdown = rng.random() < 0.5
    lines = ["", ""]
    if rng.random() < 0.15:
        lines += ["Support The Moscow Times!", ""]
    lines += [
        f"# {headline}" if markdown else headline,
        "",
        f"By [{rng.choice(_MOSCOW_TIMES_BYLINES)}](#)",
        "",
        published.strftime("%B %d, %Y"),
        "",
        "",
        "",
        _moscow_times_caption(rng, story),
        "",
    ]
    body = _paragraphs(rng, story, 4, 14)
    longest = max(range(len(body)), key=lambda index: len(body[index]))
    body[longest] = _split_mid_sentence(body[longest], rng)
    related_label = "**Related article:**" if markdown else "Related article:"
    inserts = [f"{related_label} [{_title_case(_other_headline(rng))}](#)"]
    if not markdown and rng.random() < 0.6:
        inserts.append("Embed:")
    lines += _blank_separated(_interleave(body, inserts, rng))
    if rng.random() < 0.15:
        appeal = rng.sample(_MOSCOW_TIMES_APPEAL, 2)
        lines += ["", "A Message from The Moscow Times:", "", *_blank_separated(appeal)]
        lines += ["", "Continue", "", "Not ready to support today?", "Remind me later."]
    if markdown or rng.random() < 0.5:
        lines += ["", "Original url:", "", f"<{url}>"]
    return lines, url


_OUTLETS = (
    ("The Harbour Ledger", "harbourledger.example.com"),
    ("Northfield Courier", "northfieldcourier.example.net"),
    ("Daily Meridian", "dailymeridian.example.org"),
    ("The Riverside Post", "riversidepost.example.com"),
    ("Eastern Wire", "easternwire.example.net"),
    ("Coastline Times", "coastlinetimes.example.org"),
)
_GENERIC_PROMPTS = ("Share this article", "Follow us on Twitter", "Subscribe to our newsletter")
_UNKNOWN_SECTIONS = ("world", "politics", "business", "economy", "asia", "europe")


def _unknown_site(rng: random.Random, story: _Story) -> _SiteLines:
    """Another site's article: plain, or with a key-points list and sub-headings, and maybe chrome
    ("Advertisement", "Read more:", share and follow prompts, a copyright line)."""
    outlet, domain = rng.choice(_OUTLETS)
    headline = _headline(rng, story)
    with_chrome = rng.random() < 0.5
    lines = [headline, ""]
    if rng.random() < 0.4:
        published = story.published
        lines += [
            f"By {_random_name(rng)}",
            f"{published:%B} {published.day}, {published.year}",
            "",
        ]
    if with_chrome and rng.random() < 0.5:
        lines += ["Share this article", ""]
    if rng.random() < 0.3:
        key_points = [f"- {_fill(rng, story, _SENTENCES)}" for _ in range(rng.randint(3, 5))]
        lines += key_points
        for _ in range(rng.randint(2, 4)):
            lines.append(_headline(rng, story))
            lines += _paragraphs(rng, story, 1, 2)
    else:
        inserts: list[str] = []
        if with_chrome:
            inserts += ["Advertisement"] * rng.randint(0, 3)
            inserts += [f"Read more: {_other_headline(rng)}" for _ in range(rng.randint(0, 2))]
        lines += _blank_separated(_interleave(_paragraphs(rng, story, 3, 14), inserts, rng))
    if with_chrome:
        lines.append("")
        lines += rng.sample(_GENERIC_PROMPTS, rng.randint(1, 3))
        lines.append(f"© {story.published.year} {outlet}. All rights reserved.")
    url = (
        f"https://www.{domain}/{rng.choice(_UNKNOWN_SECTIONS)}/{story.published:%Y/%m/%d}/"
        f"{_slug(headline)}"
    )
    return lines, url


_SiteForm = Callable[[random.Random, _Story], _SiteLines]

_SITE_FORMS: tuple[_SiteForm, ...] = (_hindustantimes, _editorji, _themoscowtimes, _unknown_site)
_SITE_WEIGHTS = (30, 15, 30, 25)
_URL_KNOWN_SHARE = 0.7


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def generate(total_bytes: int, seed: int = 0) -> Iterator[Document]:
    """Yield documents until their texts add up to at least `total_bytes` bytes of UTF-8.

    Documents are made one at a time from `random.Random(seed)`, so memory stays flat and the
    corpus for a larger size starts with the corpus for a smaller one.
    """
    rng = random.Random(seed)
    produced = 0
    number = 0
    while produced < total_bytes:
        number += 1
        form = rng.choices(_SITE_FORMS, _SITE_WEIGHTS)[0]
        lines, url = form(rng, _new_story(rng))
        text = "\n".join(lines) + "\n"
        produced += len(text.encode("utf-8"))
        yield Document(
            id=f"doc-{number:06d}", url=url if rng.random() < _URL_KNOWN_SHARE else None, text=text
        )


def write_text_tree(directory: Path, total_bytes: int, seed: int = 0) -> list[Path]:
    """Write one ``<id>.txt`` per document, 1000 to a subdirectory (``0000/``, ``0001/``, ...).

    This is the input of `cleaner` run over files; the URLs are not written, as a scraper that
    saves bare text files loses them too.
    """
    paths: list[Path] = []
    for index, document in enumerate(generate(total_bytes, seed)):
        shard = directory / f"{index // FILES_PER_SHARD:04d}"
        if index % FILES_PER_SHARD == 0:
            shard.mkdir(parents=True, exist_ok=True)
        path = shard / f"{document.id}.txt"
        with path.open("w", encoding="utf-8", newline="", buffering=WRITE_BUFFER_BYTES) as file:
            file.write(document.text)
        paths.append(path)
    return paths


def write_jsonl(path: Path, total_bytes: int, seed: int = 0) -> Path:
    """Write the corpus as JSON Lines (``id``, ``url``, ``text``), the streaming input form."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="", buffering=WRITE_BUFFER_BYTES) as file:
        for document in generate(total_bytes, seed):
            record = {"id": document.id, "url": document.url, "text": document.text}
            file.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(i?)b?|b)?\s*", re.IGNORECASE)
_UNIT_EXPONENTS = {"k": 1, "m": 2, "g": 3, "t": 4}


def parse_size(text: str) -> int:
    """Bytes in a size such as "1000000", "100MB", "1.5GB" (powers of 1000) or "512KiB" (1024).

    >>> parse_size("100MB"), parse_size("512KiB"), parse_size("1000000")
    (100000000, 524288, 1000000)
    """
    match = _SIZE.fullmatch(text)
    if match is None:
        raise ValueError(f"not a size: {text!r} (expected e.g. 1000000, 100MB, 1GB, 512KiB)")
    number, prefix, binary = match.groups()
    base = 1024 if binary else 1000
    exponent = _UNIT_EXPONENTS[prefix.lower()] if prefix else 0
    return int(float(number) * base**exponent)


def _size_argument(text: str) -> int:
    """`parse_size` for argparse, whose error message then shows the reason."""
    try:
        return parse_size(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def main(argv: list[str] | None = None) -> int:
    """Write a corpus: a text tree in ``OUT/text/``, JSON Lines in ``OUT/corpus.jsonl``, or both."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.corpus",
        description="Generate a deterministic synthetic corpus of scraped news articles.",
    )
    parser.add_argument(
        "--size",
        type=_size_argument,
        required=True,
        help="total text size: 100MB, 1GB, 512KiB, ...",
    )
    parser.add_argument("--seed", type=int, default=0, help="same seed, same corpus (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument(
        "--form", choices=("text", "jsonl", "both"), default="both", help="what to write (both)"
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    if args.form in ("text", "both"):
        started = time.perf_counter()
        paths = write_text_tree(out / "text", args.size, args.seed)
        seconds = time.perf_counter() - started
        print(f"{len(paths)} text files in {out / 'text'} ({seconds:.1f} s)")
    if args.form in ("jsonl", "both"):
        started = time.perf_counter()
        jsonl = write_jsonl(out / "corpus.jsonl", args.size, args.seed)
        seconds = time.perf_counter() - started
        print(f"{jsonl} ({jsonl.stat().st_size:,} bytes, {seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
