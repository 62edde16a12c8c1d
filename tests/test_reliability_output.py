"""Issue 11, the output writer: locked per target, leftovers of dead processes removed, no writing
through symbolic links, disk full is a French error (exit 2), nothing escapes the folder."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.cli.main import cli
from drafter.documents import output
from drafter.errors import OutputError

from .conftest import EXAMPLES

PROFILE = str(EXAMPLES / "mapa-petits-travaux.yaml")
REF = "2027-DDETS46-PEINT"


def dead_pid() -> int:
    """The PID of a process that has just ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def generate(runner, out: Path, *extra: str):
    result = runner.invoke(cli, ["generate", PROFILE, "-o", str(out), *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_a_live_lock_refuses_a_second_run(runner, tmp_path):
    target = tmp_path / REF
    with output.output_lock(target):
        assert (tmp_path / f".{REF}.lock").read_text() == f"{os.getpid()}\n"
        with pytest.raises(OutputError) as info, output.output_lock(target):
            pass
    assert info.value.render() == (
        f"« {target} » est en cours d'écriture par une autre exécution de drafter (processus {os.getpid()}) : "
        f"attendez qu'elle se termine, puis relancez (si aucune ne tourne, supprimez « {tmp_path}/.{REF}.lock »). "
        "Rien n'a été écrit.")
    assert not (tmp_path / f".{REF}.lock").exists()


def test_generate_while_another_run_holds_the_lock(runner, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / f".{REF}.lock").write_text(f"{holder.pid}\n")
        result = generate(runner, tmp_path)
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2
    assert result.output.startswith(f"« {tmp_path / REF} » est en cours d'écriture par une autre exécution de "
                                    f"drafter (processus {holder.pid})")
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".{REF}.lock"]


def test_stale_lock_and_leftovers_of_a_dead_process_are_removed(runner, tmp_path):
    pid = dead_pid()
    (tmp_path / f".{REF}.lock").write_text(f"{pid}\n")
    leftover = tmp_path / f".{REF}.{pid}.k2j_x9.tmp"
    leftover.mkdir()
    (leftover / "ccap.docx").write_bytes(b"half")
    (tmp_path / f".AUTRE.{pid}.abc123.old").mkdir()  # replaced by --force, then killed: AUTRE is there
    (tmp_path / "AUTRE").mkdir()
    alive = tmp_path / f".AUTRE.{os.getpid()}.abc123.tmp"  # ours: still alive, kept
    alive.mkdir()
    result = generate(runner, tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, "AUTRE", REF])


def test_concurrent_runs_never_both_succeed(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    code = "from drafter.cli.main import main; main()"
    runs = [subprocess.Popen([sys.executable, "-c", code, "generate", PROFILE, "-o", str(tmp_path)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(6)]
    outcomes = [(run.wait(timeout=120), run.stdout.read()) for run in runs]
    assert sorted(code for code, _ in outcomes) == [0] + [2] * 5, outcomes
    for code, text in outcomes:
        if code == 2:
            assert "existe déjà" in text or "en cours d'écriture" in text, text
    assert sorted(p.name for p in tmp_path.iterdir()) == [REF]


def test_force_over_a_symlinked_target_is_refused(runner, tmp_path):
    real = tmp_path / "ailleurs"
    real.mkdir()
    (real / "garder.txt").write_text("à garder")
    out = tmp_path / "sortie"
    out.mkdir()
    (out / REF).symlink_to(real)
    result = generate(runner, out, "--force")
    assert result.exit_code == 2
    assert result.output == (f"« {out / REF} » est un lien symbolique (vers « {real} ») : drafter n'écrit pas à "
                             "travers un lien ; choisissez un autre -o. Rien n'a été écrit.\n")
    assert sorted(p.name for p in out.iterdir()) == [REF]
    assert [p.name for p in real.iterdir()] == ["garder.txt"]


def test_dangling_symlink_at_the_target(runner, tmp_path):
    (tmp_path / REF).symlink_to(tmp_path / "absent")
    result = generate(runner, tmp_path)
    assert result.exit_code == 2
    assert result.output == (f"« {tmp_path / REF} » est un lien symbolique (cassé) : drafter n'écrit pas à "
                             "travers un lien ; choisissez un autre -o. Rien n'a été écrit.\n")


def test_disk_full_is_a_french_error_and_leaves_nothing(runner, tmp_path, monkeypatch):
    real_write = Path.write_bytes

    def full(self, data):
        if self.suffix == ".docx":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    result = generate(runner, tmp_path)
    assert result.exit_code == 2
    assert result.output == (f"impossible d'écrire dans « {tmp_path} » : plus de place sur le disque. "
                             "Rien n'a été écrit.\n")
    assert list(tmp_path.iterdir()) == []


def test_templates_export_force_does_not_follow_a_symlink(runner, tmp_path):
    outside = tmp_path / "dehors.docx"
    outside.write_bytes(b"SECRET")
    folder = tmp_path / "modeles"
    folder.mkdir()
    (folder / "ccap-article-insertion.docx").symlink_to(outside)
    result = runner.invoke(cli, ["templates", "export", str(folder), "--force"])
    assert result.exit_code == 0, result.output
    assert outside.read_bytes() == b"SECRET"
    assert not (folder / "ccap-article-insertion.docx").is_symlink()
    assert (folder / "ccap-article-insertion.docx").read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []


def test_bulk_spreadsheet_model_force_does_not_follow_a_symlink(runner, tmp_path):
    outside = tmp_path / "dehors.xlsx"
    outside.write_bytes(b"SECRET")
    link = tmp_path / "modele.xlsx"
    link.symlink_to(outside)
    result = runner.invoke(cli, ["bulk", "--modele-tableur", str(link), "--force"])
    assert result.exit_code == 0, result.output
    assert outside.read_bytes() == b"SECRET"
    assert not link.is_symlink() and link.read_bytes()[:2] == b"PK"


def test_a_run_killed_between_the_two_renames_gets_the_old_folder_back(runner, tmp_path):
    pid = dead_pid()
    old = tmp_path / f".{REF}.{pid}.abc123.old"
    old.mkdir()
    (old / "manifest.json").write_text("{}")
    assert output.remove_leftovers(tmp_path) == []
    assert (tmp_path / REF / "manifest.json").read_text() == "{}"
    assert not old.exists()
