"""The README's walk-through of ``drafter suivi`` runs as written (« Done when » of issue 12)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from .conftest import drafter_cli

ROOT = Path(__file__).resolve().parents[2]


def readme_commands() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Suivi de l'exécution"):]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    return [shlex.split(line) for line in block.splitlines() if line.strip()]


def test_readme_walkthrough(fresh_db, tmp_path, monkeypatch):
    cli = drafter_cli()
    for name in ("profiles", "drafter"):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    outputs = []
    for command in readme_commands():
        assert command[0] == "drafter"
        result = CliRunner().invoke(cli, command[1:])
        assert result.exit_code == 0, (command, result.output)
        outputs.append(result.output)
    # Lot 2: June 120 + 100 h validated; July 150 + 151,67 h declared, not yet validated.
    assert "    Heures : 1 792 h exigées ; 521,67 h réalisées, dont 220 h validées" in outputs[-3]
    assert "    Alerte : 301,67 h déclarées en attente de validation" in outputs[-3]
    assert (tmp_path / "output" / "bilan.docx").is_file()
    assert (tmp_path / "output" / "bilan-annuel-2027.xlsx").is_file()
