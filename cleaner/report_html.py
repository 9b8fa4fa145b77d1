"""An explanation as one self-contained HTML page: no scripts, no network, inline CSS only.

The page is a table of the document's lines: number, mark (as in the terminal listing), text,
and the rule that decided the line, each rule in a colour of its own (hues spread evenly around
the wheel, so that no two rules of a page share one). A captured line shows what it gave, a
changed line what it became, and a cut block its opening line apart from the lines it took.
The header gives all the evidence for the site and the runner-up. A Content-Security-Policy
forbids the browser from fetching anything.
"""

from __future__ import annotations

from html import escape

from cleaner.explain import MARKS, Explanation, LineFate, header

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { font-size: 1.3em; }
.header p { margin: 0.2em 0; }
table { border-collapse: collapse; margin: 1em 0; }
table.rules td, table.rules th { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; vertical-align: middle; }
table.document { font-family: ui-monospace, monospace; font-size: 13px; width: 100%; }
table.document td, table.document th { padding: 0.05em 0.5em; vertical-align: top; }
table.document td.number { color: #888; text-align: right; }
table.document td.mark { font-weight: bold; text-align: center; }
table.document td.text { white-space: pre-wrap; width: 100%; }
tr.removed td.text .line { text-decoration: line-through; }
tr.in-block td.text .line { opacity: 0.7; }
tr.opens-block td { border-top: 2px solid currentColor; }
td.rule { font-size: 11px; white-space: nowrap; }
.note { display: block; font-size: 12px; }
.became { color: #060; }
.captured { color: #333; background: #f3f0ff; }
"""


def rule_colour(index: int, count: int) -> str:
    """The colour of the `index`-th of `count` rules: hues evenly spread, so all differ."""
    return f"hsl({index * 360 / max(count, 1):.1f}, 75%, {38 if index % 2 else 32}%)"


def render_html(explanation: Explanation) -> str:
    """The whole page for `explanation`, as a string to write with UTF-8."""
    fired = explanation.fired()
    index = {rule: i for i, (rule, _) in enumerate(fired)}
    colours = {i: rule_colour(i, len(fired)) for i in index.values()}
    rule_css = "".join(
        f".rule-{i} {{ color: {colour}; }} .swatch.rule-{i} {{ background: {colour}; }}\n"
        for i, colour in colours.items()
    )
    head_lines = "".join(f"<p>{escape(line)}</p>" for line in header(explanation))
    rows = "".join(
        f'<tr><td><span class="swatch rule-{index[rule]}"></span> {escape(rule)}</td>'
        f"<td>{count}</td></tr>"
        for rule, count in fired
    )
    lines = "".join(_line_row(line, index) for line in explanation.lines)
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
        '<table class="document"><thead><tr><th>line</th><th>mark</th><th>text</th>'
        f"<th>rule</th></tr></thead><tbody>{lines}</tbody></table></body></html>\n"
    )


def _line_row(line: LineFate, index: dict[str, int]) -> str:
    cells = f'<td class="number">{line.number}</td><td class="mark">{MARKS[line.fate]}</td>'
    if line.rule is None:
        text = f'<span class="line">{escape(line.text)}</span>'
        return f'<tr class="kept">{cells}<td class="text">{text}</td><td></td></tr>\n'
    rule_class = f"rule-{index[line.rule]}"
    classes = ["removed" if line.removed else "changed", line.fate, rule_class]
    notes = []
    for event in line.events:
        if event.block == event.line:
            classes.append("opens-block")
            notes.append("\u2702 opens a block cut by this rule")
        elif event.block is not None:
            classes.append("in-block")
        if event.captured:
            given = ", ".join(f"{name} = {value!r}" for name, value in event.captured)
            notes.append(f'<span class="captured">captured {escape(given)}</span>')
        if event.action in ("edit", "join") and event.result is not None:
            notes.append(f'<span class="became">\u2192 {escape(event.result)}</span>')
    rules = ", ".join(dict.fromkeys(event.rule for event in line.events))
    why = f"{line.fate} by {rules}"
    block = next((event.block for event in line.events if event.block is not None), None)
    if block is not None and block != line.number:
        why += f", in the block opened at line {block}"
    text = f'<span class="line">{escape(line.text)}</span>' + "".join(
        f'<span class="note">{note}</span>' for note in notes
    )
    return (
        f'<tr class="{" ".join(dict.fromkeys(classes))}" data-rule="{escape(line.rule)}" '
        f'title="{escape(why)}">{cells}<td class="text">{text}</td>'
        f'<td class="rule">[{escape(rules)}]</td></tr>\n'
    )
