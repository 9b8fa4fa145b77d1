"""Shared fixtures: where the reference documents are, and small rule directories."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DEVSET = SHARED / "devset"


def require(path: Path) -> Path:
    """Skip the calling test, saying why, when a reference folder is not beside the checkout."""
    if not path.is_dir():
        pytest.skip(f"{path} is not present: the reference documents live outside the repository")
    return path


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner()


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "rules"
    directory.mkdir()
    return directory
