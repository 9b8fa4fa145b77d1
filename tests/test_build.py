"""The two builds: the hot path compiled with mypyc, or the same sources interpreted.

CI runs the whole suite once on each; `CLEANER_EXPECT_BUILD` tells a run which build it must
be testing, so that a compiled run cannot quietly test the sources instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cleaner
from cleaner.cli import main
from cleaner.compiled import COMPILED, PURE

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str, cwd: Path, **env: str) -> str:
    """Run `code` in a fresh interpreter that imports the `cleaner` this run imports."""
    done = subprocess.run(
        [sys.executable, "-P", "-c", code],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return done.stdout.strip()


def test_this_run_tests_the_build_it_expects() -> None:
    expected = os.environ.get("CLEANER_EXPECT_BUILD")
    if expected is None:
        pytest.skip("CLEANER_EXPECT_BUILD is not set: any build will do")
    assert cleaner.build() == expected


def test_version_says_which_build_runs() -> None:
    output = CliRunner().invoke(main, ["--version"]).output
    assert output == f"cleaner, version {cleaner.__version__} ({cleaner.build()})\n"


def test_pure_python_variable_imports_the_sources(tmp_path: Path) -> None:
    code = "import cleaner, cleaner.engine as e; print(cleaner.build(), e.__file__)"
    build, engine_file = _python(code, tmp_path, CLEANER_PURE_PYTHON="1").rsplit(" ", 1)
    assert build == PURE
    assert engine_file.endswith("engine.py")


@pytest.mark.skipif(cleaner.build() != COMPILED, reason="only a compiled build has a twin")
def test_compiled_and_pure_builds_clean_alike(tmp_path: Path) -> None:
    # The dump of benchmarks/equivalence.py: examples, 2 MB of the benchmark corpus and, where
    # ../shared is present, the seeds and the devset, with and without traces.
    code = (
        f"import sys; sys.path.append({str(ROOT)!r}); from benchmarks.equivalence import main; "
        "sys.exit(main(['builds', '--corpus-size', '2MB']))"
    )
    done = subprocess.run(
        [sys.executable, "-P", "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 difference(s)" in done.stderr
