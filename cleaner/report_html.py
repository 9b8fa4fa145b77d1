"""An explanation as one self-contained HTML page: no scripts, no network, inline CSS only.

The page shows the document with every removed line struck through in its rule's colour (the
rule id on hover, in a ``title``), changed lines with what they became, and a table of the rules
that fired. A Content-Security-Policy forbids the browser from fetching anything.
"""

from __future__ import annotations

from html import escape

from cleaner.explain import Explanation, LineFate, header

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.3em; }
.header p { margin: 0.2em 0; }
table.rules { border-collapse: collapse; margin: 1em 0; }
table.rules td, table.rules th { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; vertical-align: middle; }
ol.document { font-family: ui-monospace, monospace; font-size: 13px; padding-left: 4em; }
ol.document li { white-space: pre-wrap; min-height: 1.2em; }
li.removed .text { text-decoration: line-through; }
li .rule { font-size: 11px; margin-left: 1em; }
li .became { display: block; color: #060; }
"""


def _colour(index: int) -> str:
    """Distinct, readable hues for any number of rules (golden-angle steps around the wheel)."""
    return f"hsl({index * 137.508 % 360:.0f}, 70%, 38%)"


def render_html(explanation: Explanation) -> str:
    """The whole page for `explanation`, as a string to write with UTF-8."""
    fired = explanation.fired()
    index = {rule: i for i, (rule, _) in enumerate(fired)}
    rule_css = "".join(
        f".rule-{i} {{ color: {_colour(i)}; }} .swatch.rule-{i} {{ background: {_colour(i)}; }}\n"
        for i in index.values()
    )
    head_lines = "".join(f"<p>{escape(line)}</p>" for line in header(explanation))
    rows = "".join(
        f'<tr><td><span class="swatch rule-{index[rule]}"></span> {escape(rule)}</td>'
        f"<td>{count}</td></tr>"
        for rule, count in fired
    )
    items = "".join(_line_item(line, index) for line in explanation.lines)
    title = escape(f"cleaner explain: {explanation.source}")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{title}</title><style>{_STYLE}{rule_css}</style></head>\n"
        f'<body><h1>{title}</h1><div class="header">{head_lines}</div>\n'
        '<table class="rules"><thead><tr><th>rule</th><th>lines</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>\n"
        f'<ol class="document">{items}</ol></body></html>\n'
    )


def _line_item(line: LineFate, index: dict[str, int]) -> str:
    if line.rule is None:
        return f'<li value="{line.number}" class="kept">{escape(line.text)}</li>\n'
    rule_class = f"rule-{index[line.rule]}"
    fate = "removed" if line.removed else "changed"
    became = "".join(
        f'<span class="became">\u2192 {escape(event.result)}</span>'
        for event in line.events
        if event.action in ("edit", "join") and event.result is not None
    )
    rules = ", ".join(dict.fromkeys(event.rule for event in line.events))
    return (
        f'<li value="{line.number}" class="{fate} {line.fate} {rule_class}" '
        f'title="{escape(line.fate)} by {escape(rules)}">'
        f'<span class="text">{escape(line.text)}</span>'
        f'<span class="rule">[{escape(rules)}]</span>{became}</li>\n'
    )
