"""Shared fixtures: example profiles, a CLI runner, the --update-golden option."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "profiles" / "examples"
TODAY = dt.date(2026, 11, 25)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite the golden text files from the current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def example_copy(tmp_path: Path):
    """Copy an example profile into tmp_path and return its path."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copy(EXAMPLES / name, target)
        return target

    return copy


def example_names() -> list[str]:
    return sorted(p.name for p in EXAMPLES.glob("*.yaml"))


class piece:
    """``folder / piece("note-de-calcul.docx")`` is ``folder / "<folder name>_note-de-calcul.docx"``:
    every file of a market starts with its reference (the folder's name)."""

    def __init__(self, name: str):
        self.name = name

    def __rtruediv__(self, folder: Path) -> Path:
        market = folder.parent.name if folder.name == "relecture" else folder.name
        return folder / f"{market}_{self.name}"
