"""`cleaner explain`: every line's fate, on the terminal and as an HTML page opened in Chromium.

The site and the article below are invented for these tests.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cleaner import Cleaner
from cleaner.cli import main
from cleaner.explain import explain

# Patterns, not literal lines: a site's patterns come before every common rule, so these rules
# decide their lines whatever the bundled common rules become.
RULES = """\
[site]
name = "Valley Courier"
domains = ["valleycourier.example"]
fingerprints = ['^Valley Courier Ltd\\.$']

[[rule]]
id = "byline"
kind = "capture"
pattern = 'Written by (?P<byline>.+)'

[[rule]]
id = "promo"
kind = "drop_line"
pattern = 'Subscribe to the Courier'

[[rule]]
id = "tracking"
kind = "substitute"
pattern = ' \\[ref:\\d+\\]'

[[rule]]
id = "split"
kind = "rejoin_paragraph"

[[rule]]
id = "footer"
kind = "cut_block"
start = 'More from the Courier'
"""

ARTICLE = """\
Orchard growers expect an early harvest

Written by Ines Marlow

Warm weather in April brought the blossom forward by two weeks, growers said. [ref:1042]

Subscribe to the Courier

The cooperative has hired extra pickers and will open its packing shed on the first of the
month, a spokesman said.

More from the Courier
Bridge repairs to finish in May
Valley Courier Ltd.
"""
REMOVED_LINES = 6  # byline, promo, joined half, footer start and its two lines after it
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def site_rules(rules_dir: Path) -> Path:
    (rules_dir / "valleycourier.toml").write_text(RULES, encoding="utf-8")
    return rules_dir


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "orchard.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def fates(site_rules: Path) -> dict[int, tuple[str, str | None]]:
    explained = explain(Cleaner([site_rules]), ARTICLE, source="orchard")
    return {line.number: (line.fate, line.rule) for line in explained.lines}


def test_every_fate_is_attributed_to_its_rule(site_rules: Path) -> None:
    assert fates(site_rules) == {
        1: ("kept", None),
        2: ("kept", None),
        3: ("capture", "valleycourier:byline"),
        4: ("kept", None),
        5: ("edit", "valleycourier:tracking"),
        6: ("kept", None),
        7: ("drop", "valleycourier:promo"),
        8: ("kept", None),
        9: ("kept", None),
        10: ("join", "valleycourier:split"),
        11: ("kept", None),
        12: ("drop", "valleycourier:footer"),
        13: ("drop", "valleycourier:footer"),
        14: ("drop", "valleycourier:footer"),
    }


def test_an_edit_and_a_join_show_what_the_line_became(site_rules: Path) -> None:
    explained = explain(Cleaner([site_rules]), ARTICLE, source="orchard")
    edited, joined = explained.lines[4], explained.lines[9]
    assert edited.events[0].result == (
        "Warm weather in April brought the blossom forward by two weeks, growers said."
    )
    assert joined.events[0].result is not None
    assert joined.events[0].result.endswith(
        "packing shed on the first of the month, a spokesman said."
    )


def run_explain(*args: str, color: bool = False) -> str:
    result = CliRunner().invoke(main, ["explain", *args], color=color)
    assert result.exit_code == 0, result.output
    return result.output


def test_header_names_the_site_and_the_evidence(site_rules: Path, article: Path) -> None:
    first = run_explain(str(article), "--rules", str(site_rules)).splitlines()[0]
    assert first == (
        f"{article}: site valleycourier (detected by fingerprint: 1 fingerprint(s), "
        "first: 'Valley Courier Ltd.')"
    )


def test_url_detection_is_shown_as_the_reason(site_rules: Path, article: Path) -> None:
    url = "https://www.valleycourier.example/orchards"
    output = run_explain(str(article), "--rules", str(site_rules), "--url", url)
    assert f"(detected by url: URL given: {url})" in output.splitlines()[0]


def test_piped_output_is_plain(site_rules: Path, article: Path) -> None:
    assert "\x1b[" not in run_explain(str(article), "--rules", str(site_rules))


def test_terminal_output_is_coloured(site_rules: Path, article: Path) -> None:
    assert "\x1b[" in run_explain(str(article), "--rules", str(site_rules), color=True)


def test_only_removed_lists_the_touched_lines(site_rules: Path, article: Path) -> None:
    output = run_explain(str(article), "--rules", str(site_rules), "--only-removed")
    numbered = [line for line in output.splitlines() if re.match(r" +\d+ ", line)]
    assert [int(line.split()[0]) for line in numbered] == [3, 5, 7, 10, 12, 13, 14]


def test_unknown_site_is_a_usage_error(article: Path) -> None:
    result = CliRunner().invoke(main, ["explain", str(article), "--site", "nosuchsite"])
    assert result.exit_code == 2
    assert "unknown site 'nosuchsite'" in result.output


def write_report(site_rules: Path, article: Path, tmp_path: Path) -> Path:
    report = tmp_path / "report.html"
    run_explain(str(article), "--rules", str(site_rules), "--html", str(report))
    return report


def test_report_loads_nothing_from_outside(site_rules: Path, article: Path, tmp_path: Path) -> None:
    page = write_report(site_rules, article, tmp_path).read_text(encoding="utf-8")
    assert not re.search(r"<script|<link|<img|src=|href=|@import|url\(", page)


def test_report_names_the_rule_on_hover(site_rules: Path, article: Path, tmp_path: Path) -> None:
    page = write_report(site_rules, article, tmp_path).read_text(encoding="utf-8")
    assert (
        'data-rule="valleycourier:promo" title="drop by valleycourier:promo"><td class="number">7'
        in page
    )


def test_report_gives_all_the_evidence_and_the_runner_up(
    site_rules: Path, article: Path, tmp_path: Path
) -> None:
    courier = site_rules / "valleycourier.toml"
    courier.write_text(
        RULES.replace("fingerprints = [", "fingerprints = ['^More from the Courier$', "),
        encoding="utf-8",
    )
    (site_rules / "zephyr.toml").write_text(
        "[site]\nfingerprints = ['^Bridge repairs to finish in May$']\n", encoding="utf-8"
    )
    page = write_report(site_rules, article, tmp_path).read_text(encoding="utf-8")
    assert (
        "<p>fingerprints: &#x27;More from the Courier&#x27;, &#x27;Valley Courier Ltd.&#x27;</p>"
        in page
    )
    assert "<p>runner-up: zephyr (1 fingerprint(s))</p>" in page


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); the page is untested")
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def test_browser_shows_every_removed_line(site_rules: Path, article: Path, tmp_path: Path) -> None:
    report = write_report(site_rules, article, tmp_path)
    dom = chromium(tmp_path, "--dump-dom", report.as_uri()).stdout
    assert len(re.findall(r'<tr [^>]*class="removed ', dom)) == REMOVED_LINES


# A script added to a copy of the page reads what the browser shows of each line the rules
# touched: its mark, its notes, and the colour its rule is drawn in.
PROBE = """<pre id="probe"></pre><script>
const rows = [...document.querySelectorAll("tr[data-rule]")].map((row) => ({
  number: Number(row.querySelector(".number").textContent),
  mark: row.querySelector(".mark").textContent,
  rule: row.dataset.rule,
  colour: getComputedStyle(row.querySelector(".rule")).color,
  notes: [...row.querySelectorAll(".note")].map((note) => note.textContent),
  opens: row.classList.contains("opens-block"),
}));
document.getElementById("probe").textContent = JSON.stringify(rows);
</script>"""


def probed_rows(site_rules: Path, article: Path, tmp_path: Path) -> list[dict[str, Any]]:
    page = write_report(site_rules, article, tmp_path).read_text(encoding="utf-8")
    page = page.replace("default-src 'none'", "default-src 'none'; script-src 'unsafe-inline'")
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", probe.as_uri()).stdout
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL)
    assert found is not None, dom
    return list(json.loads(html.unescape(found.group(1))))


def test_browser_shows_marks_captures_and_the_opening_line_of_a_block(
    site_rules: Path, article: Path, tmp_path: Path
) -> None:
    rows = {row["number"]: row for row in probed_rows(site_rules, article, tmp_path)}
    assert {number: row["mark"] for number, row in rows.items()} == {
        3: "@",
        5: "~",
        7: "-",
        10: "+",
        12: "-",
        13: "-",
        14: "-",
    }
    assert rows[3]["notes"] == ["captured byline = 'Ines Marlow'"]
    assert [number for number, row in rows.items() if row["opens"]] == [12]
    assert rows[12]["notes"] == ["\u2702 opens a block cut by this rule"]


def test_browser_draws_each_rule_in_a_colour_of_its_own(
    site_rules: Path, article: Path, tmp_path: Path
) -> None:
    colours: dict[str, set[str]] = {}
    for row in probed_rows(site_rules, article, tmp_path):
        colours.setdefault(row["rule"], set()).add(row["colour"])
    assert len(colours) == 5 and all(len(seen) == 1 for seen in colours.values())
    assert len({colour for seen in colours.values() for colour in seen}) == 5


def test_browser_renders_the_report(site_rules: Path, article: Path, tmp_path: Path) -> None:
    report = write_report(site_rules, article, tmp_path)
    screenshot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={screenshot}", "--window-size=1000,1400", report.as_uri())
    assert screenshot.read_bytes().startswith(b"\x89PNG")
