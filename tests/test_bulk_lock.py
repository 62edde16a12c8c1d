"""Issue 14: a bulk run holds its whole output folder with one lock (``.~drafter-bulk.lock``), creates
no lock file per market, and deletes nothing while it writes (folders replaced with --force are
removed at the end). ``generate`` and ``bulk`` never both write the same folder."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.app import bulk
from drafter.app.bulk_inputs import tasks
from drafter.cli.main import cli
from drafter.documents import output
from drafter.law.rules import load_rules

from .conftest import EXAMPLES
from .test_bulk import SMALL, small_folder
from .test_reliability_output import dead_pid

REFS = ["2027-DDETS46-PEINT", "2027-RECT-INFO-07"]


@pytest.fixture
def holder() -> Iterator[subprocess.Popen]:
    """A live process other than this one, whose PID a lock can hold."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    process.kill()
    process.wait()


def invoke(runner: CliRunner, *args: str):
    result = runner.invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def markets(folder: Path):
    return tasks(sorted(folder.iterdir()), sectors=())


def profiles(tmp_path: Path) -> Path:
    return small_folder(tmp_path)   # the two SMALL examples, whose references are REFS


def test_a_bulk_run_holds_its_folder_and_leaves_no_lock(runner, tmp_path):
    out = tmp_path / "sortie"
    seen: list[list[str]] = []
    result = bulk.run(markets(profiles(tmp_path)), out, book=load_rules(), today=dt.date(2026, 12, 7),
                      on_market=lambda outcome: seen.append(sorted(p.name for p in out.glob(".*.lock"))))
    assert result.markets == 2
    assert seen == [[".~drafter-bulk.lock"]] * 2   # one lock for the run, none per market
    assert sorted(p.name for p in out.iterdir()) == [*REFS, "synthese.xlsx"]


def test_bulk_into_a_folder_another_run_holds_is_refused_and_writes_nothing(runner, tmp_path, holder):
    out = tmp_path / "sortie"
    out.mkdir()
    (out / ".~drafter-bulk.lock").write_text(f"{holder.pid}\n")
    result = invoke(runner, "bulk", str(profiles(tmp_path)), "-o", str(out))
    assert result.exit_code == 2
    assert result.output == "Rédaction des marchés\n" + (
        f"« {out} » est en cours d'écriture par une autre exécution de drafter (processus {holder.pid}) : "
        f"attendez qu'elle se termine, puis relancez (si aucune ne tourne, supprimez « {out}/.~drafter-bulk.lock »). "
        "Rien n'a été écrit.\n")
    assert sorted(p.name for p in out.iterdir()) == [".~drafter-bulk.lock"]


def test_generate_into_a_folder_a_bulk_run_holds_is_refused(runner, tmp_path, holder):
    (tmp_path / ".~drafter-bulk.lock").write_text(f"{holder.pid}\n")
    result = invoke(runner, "generate", str(EXAMPLES / SMALL[0]), "-o", str(tmp_path))
    assert result.exit_code == 2
    assert result.output.startswith(f"« {tmp_path} » est en cours d'écriture par une autre exécution de drafter "
                                    f"(processus {holder.pid})")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".~drafter-bulk.lock"]   # its own lock released


def test_a_market_whose_lock_a_generate_holds_fails_alone(runner, tmp_path, holder):
    out = tmp_path / "sortie"
    out.mkdir()
    (out / f".{REFS[0]}.lock").write_text(f"{holder.pid}\n")
    result = invoke(runner, "bulk", str(profiles(tmp_path)), "-o", str(out))
    assert result.exit_code == 1
    assert (f"« {out / REFS[0]} » est en cours d'écriture par une autre exécution de drafter "
            f"(processus {holder.pid})") in result.output
    assert sorted(p.name for p in out.iterdir()) == [f".{REFS[0]}.lock", REFS[1], "erreurs.txt", "synthese.xlsx"]
    assert (out / f".{REFS[0]}.lock").read_text() == f"{holder.pid}\n"   # the other run's lock is left alone


def test_stale_locks_and_a_dead_runs_staging_folder_are_cleared(runner, tmp_path):
    out = tmp_path / "sortie"
    out.mkdir()
    pid = dead_pid()
    (out / ".~drafter-bulk.lock").write_text(f"{pid}\n")
    (out / f".{REFS[0]}.lock").write_text(f"{pid}\n")   # a killed generate's: broken
    stage = out / f".bulk.{pid}.k2j_x9.tmp"
    (stage / "0").mkdir(parents=True)
    (stage / "0" / "piece.docx").write_bytes(b"half")
    result = invoke(runner, "bulk", str(profiles(tmp_path)), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [*REFS, "synthese.xlsx"]


def test_folders_replaced_with_force_are_removed_only_at_the_end(runner, tmp_path):
    out = tmp_path / "sortie"
    folder = profiles(tmp_path)
    assert invoke(runner, "bulk", str(folder), "-o", str(out)).exit_code == 0
    for ref in REFS:
        (out / ref / "ancien.txt").write_text("version précédente")
    old: list[int] = []
    result = bulk.run(markets(folder), out, book=load_rules(), today=dt.date(2026, 12, 7), force=True,
                      on_market=lambda outcome: old.append(len(list(out.glob(f".*.{os.getpid()}.*.old")))))
    assert result.markets == 2
    assert old == [1, 2]   # kept while the run writes...
    assert sorted(p.name for p in out.iterdir()) == [*REFS, "synthese.xlsx"]   # ...removed at its end
    assert not [ref for ref in REFS if (out / ref / "ancien.txt").exists()]


def test_a_long_run_keeps_its_lock_fresh(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "REFRESH", 0.0)
    with output.FolderLock(tmp_path) as lock:
        old = time.time() - output.LOCK_MAX_AGE + 5
        os.utime(lock.path, (old, old))
        lock.refresh()
        assert time.time() - lock.path.stat().st_mtime < 5
    assert not lock.path.exists()
