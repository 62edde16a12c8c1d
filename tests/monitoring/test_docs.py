"""Every ``drafter suivi`` command has French help with an example and is named in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.monitoring.commands import suivi_group

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(suivi_group.commands))
def test_command_documented(name):
    command = suivi_group.commands[name]
    assert command.help and "Exemple : drafter suivi " + name in command.help
    assert f"`{name}" in README or f"suivi {name}" in README
