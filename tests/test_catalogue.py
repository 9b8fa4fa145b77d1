"""The catalogue checks itself: the documented kinds are the implemented ones, and every kind's
docstring example is a valid rule whose examples pass."""

from __future__ import annotations

import ast
import importlib
import re
import tomllib
from pathlib import Path

import pytest

from cleaner.examples import check_example
from cleaner.kinds import KINDS
from cleaner.rulefile import load_rule_file

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def _documented_sections() -> dict[str, str]:
    text = DOCS.read_text(encoding="utf-8")
    parts = re.split(r"^## `(\w+)`$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_documented_kinds_are_the_implemented_kinds() -> None:
    assert sorted(_documented_sections()) == sorted(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_option_is_documented(kind: str) -> None:
    section = _documented_sections()[kind]
    documented = set(re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE))
    assert documented == set(KINDS[kind].OPTIONS)


def _module_docstring(kind: str) -> str:
    """The docstring of the kind's module, read from its source: a compiled module may not
    keep it."""
    module = importlib.import_module(f"cleaner.kinds.{kind}")
    source = Path(module.__file__ or "").with_name(f"{kind}.py")
    return ast.get_docstring(ast.parse(source.read_text(encoding="utf-8"))) or ""


def _docstring_example(kind: str) -> str:
    doc = _module_docstring(kind)
    assert "\nOptions:\n" in doc, f"{kind}: the docstring needs an Options section"
    example = doc.partition("\nExample:\n")[2]
    assert example.strip(), f"{kind}: the docstring needs an Example section"
    return "\n".join(line.removeprefix("    ") for line in example.splitlines())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_docstring_example_is_a_working_rule(kind: str, tmp_path: Path) -> None:
    source = _docstring_example(kind)
    tomllib.loads(source)
    path = tmp_path / "example.toml"
    path.write_text(source, encoding="utf-8")
    site, problems = load_rule_file(path)
    assert problems == []
    assert site is not None
    (loaded,) = site.rules
    assert kind == loaded.rule.KIND
    assert loaded.examples, f"{kind}: the docstring example should carry examples"
    for example in loaded.examples:
        assert check_example(loaded, example) is None


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_docs_show_the_docstring_example(kind: str) -> None:
    assert _docstring_example(kind).strip() in _documented_sections()[kind]
