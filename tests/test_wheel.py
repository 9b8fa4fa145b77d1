"""The built wheel: installed into a fresh virtualenv, run from outside the checkout, it must clean
with the rule files it carries (`cleaner/bundled_rules/`), not with the checkout's `rules/`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "hindustantimes-example.txt"
FOOTER_MARKS = (
    "Get the latest",
    "SHARE THIS ARTICLE ON",
    "Join Hindustan Times",
    "HT Digital Streams",
    "Sign out",
    "Follow Us On",
)

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    workdir: Path  # outside the checkout

    @property
    def bin(self) -> Path:
        return self.venv / ("Scripts" if os.name == "nt" else "bin")


def _env() -> dict[str, str]:
    """The environment without anything that could point the installed copy at the checkout."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CLEANER_RULES", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(args: list[str | Path], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    dist, venv, workdir = base / "dist", base / "venv", base / "work"
    workdir.mkdir()
    _run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", dist, ROOT], cwd=workdir, timeout=900
    )
    (wheel,) = dist.glob("cleaner-*.whl")
    _run([sys.executable, "-m", "venv", venv], cwd=workdir, timeout=60)
    result = Installed(wheel, venv, workdir)
    _run(
        [result.bin / "python", "-m", "pip", "install", "--quiet", wheel], cwd=workdir, timeout=120
    )
    return result


def test_wheel_contains_the_bundled_rules(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        assert "cleaner/bundled_rules/hindustantimes.toml" in names
        rules = wheel.read("cleaner/bundled_rules/hindustantimes.toml").decode("utf-8")
    assert rules == (ROOT / "rules" / "hindustantimes.toml").read_text(encoding="utf-8")


def _has_c_compiler() -> bool:
    """What the build hook (hatch_build.py) asks before it compiles."""
    compiler = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    return shutil.which(compiler.split()[0]) is not None


@pytest.mark.skipif(not _has_c_compiler(), reason="no C compiler: the wheel is pure Python")
def test_wheel_carries_the_compiled_hot_path_and_its_sources(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    compiled = {name for name in names if name.endswith(".so")}
    assert any(name.startswith("cleaner/engine.") for name in compiled)
    assert "cleaner/engine.py" in names  # the same source, for CLEANER_PURE_PYTHON=1
    assert not installed.wheel.name.endswith("-none-any.whl")
    assert not list((ROOT / "cleaner").rglob("*.so")), "the build must leave the checkout clean"
    done = _run([installed.bin / "cleaner", "--version"], cwd=installed.workdir, timeout=60)
    assert done.stdout.strip().endswith("(compiled with mypyc)")


def test_installed_copy_uses_the_rules_of_the_wheel(installed: Installed) -> None:
    done = _run(
        [
            installed.bin / "python",
            "-c",
            "import cleaner.rulebook as r; print(r.bundled_rules_dir())",
        ],
        cwd=installed.workdir,
        timeout=60,
    )
    rules_dir = Path(done.stdout.strip())
    assert rules_dir.name == "bundled_rules"
    assert rules_dir.resolve().is_relative_to(installed.venv.resolve())


def test_installed_cleaner_strips_the_chrome(installed: Installed) -> None:
    done = _run([installed.bin / "cleaner", "clean", EXAMPLE], cwd=installed.workdir, timeout=60)
    lines = done.stdout.splitlines()
    assert lines[0] == "Kochi water metro to extend ferry service to four more islands by December"
    assert not [line for line in lines if line.startswith("Also Read")]
    assert not [line for line in lines if any(mark in line for mark in FOOTER_MARKS)]
    assert lines[-1].startswith("The project is funded by the state government")


def test_installed_cleaner_jsonl_reports_the_site(installed: Installed) -> None:
    done = _run(
        [installed.bin / "cleaner", "clean", "--format", "jsonl", EXAMPLE],
        cwd=installed.workdir,
        timeout=60,
    )
    (line,) = done.stdout.splitlines()
    record = json.loads(line)
    assert (record["id"], record["site"]) == ("hindustantimes-example", "hindustantimes")
