"""docs/authoring.md works as written: its commands, the outputs it shows, and its rule files."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cleaner.cli import main
from cleaner.rulefile import SiteRules, load_rule_file

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "authoring.md"
EXAMPLE = ROOT / "examples" / "authoring"
SHIPPED = EXAMPLE / "rules" / "lakesideledger.toml"
BLOCKS = re.findall(r"^```(\w+)\n(.*?)^```$", DOC.read_text(encoding="utf-8"), re.M | re.S)
#: `rules health` exits with 1 when it reports something, as the guide shows it doing.
EXIT_CODES = {("rules", "health"): 1}
WRITES_FILES = re.compile(r" (?:--stats|--html|-o) ")


def commands() -> list[tuple[str, str | None]]:
    """Each command of the guide, with the output shown right under it (if any)."""
    found: list[tuple[str, str | None]] = []
    for index, (language, body) in enumerate(BLOCKS):
        if language != "sh":
            continue
        lines = [line for line in body.splitlines() if line.startswith("cleaner ")]
        following = BLOCKS[index + 1] if index + 1 < len(BLOCKS) else ("", "")
        shown = following[1] if following[0] == "text" and len(lines) == 1 else None
        found += [(line, shown) for line in lines]
    return found


def run(command: str) -> Result:
    return CliRunner().invoke(main, shlex.split(command)[1:])


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch directory with the guide's example files where its commands expect them."""
    shutil.copytree(EXAMPLE, tmp_path / "examples" / "authoring")
    (tmp_path / "my-rules").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_guide_has_commands() -> None:
    assert len(commands()) >= 8


@pytest.mark.parametrize(("command", "shown"), commands(), ids=[c for c, _ in commands()])
def test_command_works_as_written(workdir: Path, command: str, shown: str | None) -> None:
    for earlier, _ in commands():  # a command may need the files an earlier one writes
        if earlier == command:
            break
        if WRITES_FILES.search(earlier):
            run(earlier)
    result = run(command)
    args = tuple(shlex.split(command)[1:3])
    assert result.exit_code == EXIT_CODES.get(args, 0), result.output
    if shown is not None:
        assert result.stdout == shown


def load_block(body: str, directory: Path) -> SiteRules:
    path = directory / "lakesideledger.toml"
    path.write_text(body, encoding="utf-8")
    site, problems = load_rule_file(path)
    assert problems == []
    assert site is not None
    return site


def rules_of(site: SiteRules) -> list[tuple[str, str, object]]:
    return [(r.ref.rule_id, r.ref.kind, dict(r.rule.options)) for r in site.rules]


@pytest.mark.parametrize("body", [body for language, body in BLOCKS if language == "toml"])
def test_every_rule_file_shown_loads(body: str, tmp_path: Path) -> None:
    load_block(body, tmp_path)


def test_first_version_is_the_shipped_file_without_examples(tmp_path: Path) -> None:
    draft = load_block(next(body for language, body in BLOCKS if language == "toml"), tmp_path)
    shipped, _ = load_rule_file(SHIPPED)
    assert shipped is not None
    assert (draft.domains, rules_of(draft)) == (shipped.domains, rules_of(shipped))


def test_the_fix_at_the_end_makes_the_site_healthy(workdir: Path) -> None:
    fix = [body for language, body in BLOCKS if language == "toml"][-1]
    rules = workdir / "examples" / "authoring" / "rules" / "lakesideledger.toml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text[: text.index('[[rule]]\nid = "share-box"')] + fix, encoding="utf-8")
    stats_command = next(c for c, _ in commands() if "--stats" in c)
    assert run(stats_command).exit_code == 0
    assert run("cleaner rules check examples/authoring/rules").exit_code == 0
    health = run(
        "cleaner rules health --rules examples/authoring/rules --site lakesideledger stats.json"
    )
    assert health.exit_code == 0, health.output
