"""The atomic output writer on its own (drafter/documents/output.py): the lock per target folder,
stale locks, leftovers of dead processes, file modes and the French messages a user reads."""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drafter.documents import output
from drafter.errors import OutputError, os_reason


def dead_pid() -> int:
    """The PID of a process that has just ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def busy_message(target: Path, who: str = "") -> str:
    return (f"« {target} » est en cours d'écriture par une autre exécution de drafter{who} : attendez "
            "qu'elle se termine, puis relancez (si aucune ne tourne, supprimez "
            f"« {output.lock_path(target)} »). Rien n'a été écrit.")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def umask():
    """Set the process umask for one test, then restore it."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield lambda value: os.umask(value)
    os.umask(previous)


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --- the lock -------------------------------------------------------------------------------


def test_a_lock_held_by_a_live_process_names_it_and_leaves_it_running(tmp_path):
    target = tmp_path / "DCE"
    owner = subprocess.Popen(["sleep", "30"])
    try:
        output.lock_path(target).write_text(f"{owner.pid}\n", encoding="ascii")
        with pytest.raises(OutputError) as caught:
            output.write_folder(target, {"a.txt": b"x"})
        assert str(caught.value) == busy_message(target, f" (processus {owner.pid})")
        assert owner.poll() is None  # probing the owner sends it no signal
        assert output.lock_path(target).read_text(encoding="ascii") == f"{owner.pid}\n"
    finally:
        owner.kill()
        owner.wait()
    assert not target.exists()


def only_probe(pid: int, sig: int) -> None:
    """``os.kill`` that only checks probes (signal 0) of the PIDs 0 and 1, never sending anything."""
    assert sig == 0, "a lock owner must only be probed, never signalled"
    if pid not in (0, 1):
        raise ProcessLookupError(errno.ESRCH, "No such process")


def test_a_lock_held_by_pid_1_is_busy_and_names_it(tmp_path, monkeypatch):
    """drafter run as PID 1 of a container holds the lock of a shared folder."""
    monkeypatch.setattr(output.os, "kill", only_probe)
    target = tmp_path / "DCE"
    output.lock_path(target).write_text("1\n", encoding="ascii")
    with pytest.raises(OutputError) as caught:
        output.write_folder(target, {"a.txt": b"x"})
    assert str(caught.value) == busy_message(target, " (processus 1)")


def test_a_lock_of_another_users_process_is_busy(tmp_path, monkeypatch):
    """On a shared drive the owner may belong to a colleague: signalling it is not permitted."""
    target = tmp_path / "DCE"
    output.lock_path(target).write_text("4242\n", encoding="ascii")

    def not_permitted(pid, sig):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(output.os, "kill", not_permitted)
    with pytest.raises(OutputError) as caught:
        output.write_folder(target, {"a.txt": b"x"})
    assert str(caught.value) == busy_message(target, " (processus 4242)")


def test_an_empty_fresh_lock_is_a_run_starting_and_names_no_process(tmp_path, monkeypatch):
    target = tmp_path / "DCE"
    output.lock_path(target).touch()
    probed = []
    monkeypatch.setattr(output.os, "kill", lambda pid, sig: probed.append(pid))
    with pytest.raises(OutputError) as caught:
        output.write_folder(target, {"a.txt": b"x"})
    assert str(caught.value) == busy_message(target)
    assert probed == []  # no PID to probe (and kill(-1, …) would reach every process)
    assert output.lock_path(target).exists()


def test_a_lock_holding_pid_0_names_no_process(tmp_path, monkeypatch):
    monkeypatch.setattr(output.os, "kill", only_probe)
    target = tmp_path / "DCE"
    output.lock_path(target).write_text("0\n", encoding="ascii")
    with pytest.raises(OutputError) as caught:
        output.write_folder(target, {"a.txt": b"x"})
    assert str(caught.value) == busy_message(target)


def test_an_empty_lock_older_than_its_grace_is_taken_over(tmp_path):
    target = tmp_path / "DCE"
    lock = output.lock_path(target)
    lock.touch()
    old = time.time() - output.EMPTY_LOCK_GRACE - 5
    os.utime(lock, (old, old))
    output.write_folder(target, {"a.txt": b"x"})
    assert (target / "a.txt").read_bytes() == b"x"
    assert not lock.exists()


def test_lock_ages_at_their_exact_limits(tmp_path, monkeypatch):
    """An empty lock exactly EMPTY_LOCK_GRACE old is stale; a live lock exactly LOCK_MAX_AGE old still holds."""
    lock = tmp_path / ".DCE.lock"
    lock.touch()
    os.utime(lock, (1_000_000.0, 1_000_000.0))
    monkeypatch.setattr(output.time, "time", lambda: 1_000_000.0 + output.EMPTY_LOCK_GRACE)
    assert output._owner(lock) is None
    monkeypatch.setattr(output.time, "time", lambda: 1_000_000.0 + output.EMPTY_LOCK_GRACE - 1)
    assert output._owner(lock) == -1
    lock.write_text(f"{os.getpid()}\n", encoding="ascii")
    os.utime(lock, (1_000_000.0, 1_000_000.0))
    monkeypatch.setattr(output.time, "time", lambda: 1_000_000.0 + output.LOCK_MAX_AGE)
    assert output._owner(lock) == os.getpid()
    monkeypatch.setattr(output.time, "time", lambda: 1_000_000.0 + output.LOCK_MAX_AGE + 1)
    assert output._owner(lock) is None


def test_a_live_lock_older_than_its_limit_is_broken(tmp_path):
    """A PID may be reused after a crash: a lock older than LOCK_MAX_AGE is stale whatever it holds."""
    target = tmp_path / "DCE"
    lock = output.lock_path(target)
    lock.write_text(f"{os.getpid()}\n", encoding="ascii")  # a live PID, as if reused
    old = time.time() - output.LOCK_MAX_AGE - 60
    os.utime(lock, (old, old))
    output.write_folder(target, {"a.txt": b"x"})
    assert (target / "a.txt").read_bytes() == b"x"
    assert hidden(tmp_path) == []


def test_the_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    target = tmp_path / "DCE"
    lock = output.lock_path(target)
    lock.write_text(f"{dead_pid()}\n", encoding="ascii")
    output.write_folder(target, {"a.txt": b"x"})
    assert (target / "a.txt").read_bytes() == b"x"
    assert hidden(tmp_path) == []  # neither the lock nor its renamed ``.stale`` copy remains


@pytest.mark.parametrize("junk", [b"pas un pid", b"\xff\xfe\x00garbage", "é".encode(), "\u0661\n".encode(),
                                  "\u00b2".encode()])
def test_a_lock_holding_junk_is_taken_over(tmp_path, junk):
    target = tmp_path / "DCE"
    output.lock_path(target).write_bytes(junk)
    output.write_folder(target, {"a.txt": b"x"})
    assert (target / "a.txt").read_bytes() == b"x"
    assert hidden(tmp_path) == []


def test_the_lock_holds_our_pid_with_a_non_executable_mode(tmp_path, umask):
    umask(0o022)
    target = tmp_path / "DCE"
    with output.output_lock(target):
        lock = output.lock_path(target)
        assert lock.read_text(encoding="ascii") == f"{os.getpid()}\n"
        assert mode(lock) == 0o644
    assert not lock.exists()


def test_stale_locks_recreated_by_racing_runs_give_up_after_three_attempts(tmp_path, monkeypatch):
    target = tmp_path / "DCE"
    lock = output.lock_path(target)
    gone = dead_pid()
    lock.write_text(f"{gone}\n", encoding="ascii")
    real, calls = output._break_stale, []

    def break_then_race(path, owner):
        calls.append(owner)
        real(path, owner)
        path.write_text(f"{gone}\n", encoding="ascii")  # another crashed run left a new one

    monkeypatch.setattr(output, "_break_stale", break_then_race)
    with pytest.raises(OutputError) as caught:
        output.write_folder(target, {"a.txt": b"x"})
    assert str(caught.value) == busy_message(target)
    assert calls == [gone, gone, gone]
    assert not target.exists()


def test_breaking_a_lock_that_turned_out_fresh_gives_it_back(tmp_path):
    lock = tmp_path / ".DCE.lock"
    lock.write_text(f"{os.getpid()}\n", encoding="ascii")  # another run took it after we read a dead PID
    output._break_stale(lock, dead_pid())
    assert lock.read_text(encoding="ascii") == f"{os.getpid()}\n"
    assert hidden(tmp_path) == [".DCE.lock"]


def test_breaking_a_stale_lock_removes_it(tmp_path):
    lock = tmp_path / ".DCE.lock"
    gone = dead_pid()
    lock.write_text(f"{gone}\n", encoding="ascii")
    output._break_stale(lock, gone)
    assert hidden(tmp_path) == []


def test_a_lock_name_too_long_is_a_french_error(tmp_path):
    target = tmp_path / ("d" * 252)  # the folder name fits, ``.NOM.lock`` does not
    with pytest.raises(OutputError) as caught:
        output.write_folder(target, {"a.txt": b"x"})
    assert str(caught.value) == (f"impossible d'écrire dans « {tmp_path} » : nom de fichier trop long. "
                                 "Rien n'a été écrit.")
    assert list(tmp_path.iterdir()) == []


def test_a_staging_name_too_long_is_a_french_error(tmp_path):
    target = tmp_path / ("d" * 240)  # ``.NOM.lock`` fits, ``.NOM.<pid>.<random>.tmp`` does not
    with pytest.raises(OutputError) as caught:
        output.write_folder(target, {"a.txt": b"x"})
    assert str(caught.value) == (f"impossible d'écrire dans « {tmp_path} » : nom de fichier trop long. "
                                 "Rien n'a été écrit.")
    assert list(tmp_path.iterdir()) == []


# --- write_folder, modes --------------------------------------------------------------------


def test_nested_files_are_written_in_their_subfolders(tmp_path):
    target = tmp_path / "sous" / "dossier" / "DCE"
    output.write_folder(target, {"annexes/lot 1/CCAP.txt": b"ccap", "README.txt": b"lisez"})
    assert (target / "annexes" / "lot 1" / "CCAP.txt").read_bytes() == b"ccap"
    assert (target / "README.txt").read_bytes() == b"lisez"


def test_a_failure_while_writing_leaves_nothing_behind(tmp_path):
    target = tmp_path / "DCE"
    with pytest.raises(OutputError) as caught:  # "a" is a file, so "a/b" cannot be written
        output.write_folder(target, {"a": b"x", "a/b": b"y"})
    assert str(caught.value) == (f"impossible d'écrire dans « {tmp_path} » : le chemin existe déjà. "
                                 "Rien n'a été écrit.")
    assert list(tmp_path.iterdir()) == []


class Interrupted(dict):
    """The files of a run interrupted (Ctrl-C) after its first document was written."""

    def items(self):
        yield "CCAP.txt", b"ccap"
        raise KeyboardInterrupt


def test_an_interrupted_write_leaves_nothing_behind(tmp_path):
    target = tmp_path / "DCE"
    with pytest.raises(KeyboardInterrupt):
        output.write_folder(target, Interrupted())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("mask", "folder_mode", "file_mode"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640),
                                                               (0o077, 0o700, 0o600)])
def test_written_folders_follow_the_umask(tmp_path, umask, mask, folder_mode, file_mode):
    umask(mask)
    target = tmp_path / "DCE"
    output.write_folder(target, {"CCAP.txt": b"ccap", "annexes/lot 1/AE.txt": b"ae"})
    assert [mode(p) for p in (target, target / "annexes", target / "annexes" / "lot 1")] == [folder_mode] * 3
    assert [mode(p) for p in (target / "CCAP.txt", target / "annexes" / "lot 1" / "AE.txt")] == [file_mode] * 2


@pytest.mark.parametrize(("mask", "file_mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_replaced_files_follow_the_umask(tmp_path, umask, mask, file_mode):
    umask(mask)
    path = tmp_path / "modele.xlsx"
    output.replace_file(path, b"data")
    assert mode(path) == file_mode


def test_staging_folder_creates_the_missing_parents(tmp_path):
    work = output.staging_folder(tmp_path / "a" / "b" / "DCE")
    assert work.parent == tmp_path / "a" / "b"
    assert re.fullmatch(rf"\.DCE\.{os.getpid()}\.\w+\.tmp", work.name)


# --- replace_file ---------------------------------------------------------------------------


def test_replace_file_replaces_a_symlink_instead_of_writing_through_it(tmp_path):
    elsewhere = tmp_path / "ailleurs.txt"
    elsewhere.write_bytes(b"a proteger")
    link = tmp_path / "sortie" / "modele.xlsx"
    link.parent.mkdir()
    link.symlink_to(elsewhere)
    output.replace_file(link, b"nouveau")
    assert not link.is_symlink()
    assert link.read_bytes() == b"nouveau"
    assert elsewhere.read_bytes() == b"a proteger"
    assert hidden(link.parent) == []


def test_replace_file_creates_the_missing_parents(tmp_path):
    path = tmp_path / "a" / "b" / "modele.xlsx"
    output.replace_file(path, b"data")
    assert path.read_bytes() == b"data"


def test_replace_file_failing_at_the_last_step_leaves_nothing_and_says_why(tmp_path, monkeypatch):
    path = tmp_path / "modele.xlsx"
    path.write_bytes(b"ancien")
    seen = []

    def full(source, destination):
        seen.append(Path(source))
        assert Path(source).read_bytes() == b"nouveau"
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "replace", full)
    with pytest.raises(OutputError) as caught:
        output.replace_file(path, b"nouveau")
    assert str(caught.value) == (f"impossible d'écrire dans « {tmp_path} » : plus de place sur le disque. "
                                 "Rien n'a été écrit.")
    # the temporary file lived beside the target under a name a later run recognises as a leftover
    [temporary] = seen
    assert temporary.parent == tmp_path
    assert re.fullmatch(rf"\.modele\.xlsx\.{os.getpid()}\.\w+\.tmp", temporary.name)
    assert output._LEFTOVER.match(temporary.name)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["modele.xlsx"]
    assert path.read_bytes() == b"ancien"


# --- leftovers ------------------------------------------------------------------------------


def test_leftovers_of_dead_processes_are_removed_and_those_of_live_ones_kept(tmp_path):
    gone, live = dead_pid(), os.getpid()
    dead_dir = tmp_path / f".DCE.{gone}.ab12cd.tmp"
    (dead_dir / "annexes").mkdir(parents=True)
    (dead_dir / "annexes" / "CCAP.docx").write_bytes(b"x")
    dead_file = tmp_path / f".modele.xlsx.{gone}.zz9.tmp"
    dead_file.write_bytes(b"x")
    live_dir = tmp_path / f".DCE.{live}.ef34gh.tmp"
    live_dir.mkdir()
    not_ours = tmp_path / f".notes.{gone}.txt"
    not_ours.write_bytes(b"x")
    removed = output.remove_leftovers(tmp_path)
    assert sorted(removed) == sorted([dead_dir, dead_file])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live_dir.name, not_ours.name])


def test_an_old_folder_of_a_run_killed_between_renames_comes_back_and_other_leftovers_go(tmp_path):
    gone = dead_pid()
    old = tmp_path / f".DCE.{gone}.ab12cd.old"
    old.mkdir()
    (old / "CCAP.txt").write_bytes(b"ancien")
    others = [tmp_path / f".DCE{i}.{gone}.x{i}.tmp" for i in range(8)]
    for other in others:
        other.mkdir()
    output.remove_leftovers(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["DCE"]
    assert (tmp_path / "DCE" / "CCAP.txt").read_bytes() == b"ancien"


def test_an_old_folder_is_dropped_when_the_new_one_is_in_place(tmp_path):
    gone = dead_pid()
    (tmp_path / "DCE").mkdir()
    old = tmp_path / f".DCE.{gone}.ab12cd.old"
    old.mkdir()
    assert output.remove_leftovers(tmp_path) == [old]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["DCE"]


def test_a_leftover_symlink_is_removed_without_touching_what_it_points_to(tmp_path):
    kept = tmp_path / "documents"
    kept.mkdir()
    (kept / "precieux.txt").write_bytes(b"x")
    link = tmp_path / f".DCE.{dead_pid()}.ab12cd.tmp"
    link.symlink_to(kept)
    assert output.remove_leftovers(tmp_path) == [link]
    assert not os.path.lexists(link)
    assert (kept / "precieux.txt").read_bytes() == b"x"


def test_leftovers_are_looked_for_once_per_folder_and_process(tmp_path):
    output.write_folder(tmp_path / "lot1", {"a.txt": b"1"})
    late = tmp_path / f".lot1.{dead_pid()}.ab12cd.tmp"
    late.mkdir()
    output.write_folder(tmp_path / "lot2", {"a.txt": b"2"})
    assert late.exists()  # bulk writes thousands of folders: the folder is not scanned again


def test_a_missing_folder_has_no_leftovers(tmp_path):
    assert output.remove_leftovers(tmp_path / "absent") == []


# --- reasons --------------------------------------------------------------------------------


def test_system_errors_are_said_in_french_and_unknown_ones_are_marked_as_the_systems_words():
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "plus de place sur le disque"
    assert os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")) == (
        "fichier ou dossier introuvable")
    assert os_reason(OSError(errno.ELOOP, "Too many levels of symbolic links")) == (
        "trop de liens symboliques imbriqués")
    assert os_reason(OSError(errno.ENXIO, "No such device or address")) == (
        "erreur du système : No such device or address")
    assert os_reason(OSError("Cannot call rmtree on a symbolic link")) == (
        "erreur du système : Cannot call rmtree on a symbolic link")


# --- clean-up that fails (a colleague's file on a shared drive) -------------------------------


@pytest.fixture
def undeletable(monkeypatch):
    """Make unlink, rmdir and rename refuse (permission) every path whose name contains a fragment."""

    def refuse(fragment: str) -> None:
        for name in ("unlink", "rmdir", "rename"):
            real = getattr(os, name)

            def fake(path, *args, _real=real, **kwargs):
                if fragment in os.fspath(path):
                    raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
                return _real(path, *args, **kwargs)

            monkeypatch.setattr(os, name, fake)

    return refuse


def test_leftovers_that_cannot_be_removed_do_not_stop_the_run(tmp_path, undeletable):
    gone = dead_pid()
    (tmp_path / f".DCE.{gone}.ab12cd.tmp").mkdir()
    (tmp_path / f".modele.xlsx.{gone}.zz9.tmp").write_bytes(b"x")
    (tmp_path / f".AUTRE.{gone}.ef34gh.old").mkdir()  # its previous name cannot be restored either
    undeletable(f".{gone}.")
    output.write_folder(tmp_path / "DCE", {"a.txt": b"x"})
    assert (tmp_path / "DCE" / "a.txt").read_bytes() == b"x"


def test_an_interrupted_write_whose_clean_up_fails_still_reports_the_interruption(tmp_path, undeletable):
    undeletable(f".DCE.{os.getpid()}.")
    with pytest.raises(KeyboardInterrupt):
        output.write_folder(tmp_path / "DCE", Interrupted())


def test_a_failed_replace_whose_clean_up_fails_still_says_why(tmp_path, monkeypatch, undeletable):
    def full(source, destination):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "replace", full)
    undeletable(f".modele.xlsx.{os.getpid()}.")
    with pytest.raises(OutputError) as caught:
        output.replace_file(tmp_path / "modele.xlsx", b"nouveau")
    assert str(caught.value) == (f"impossible d'écrire dans « {tmp_path} » : plus de place sur le disque. "
                                 "Rien n'a été écrit.")


def test_a_stale_lock_whose_renamed_copy_cannot_be_removed_is_still_taken_over(tmp_path, undeletable):
    target = tmp_path / "DCE"
    output.lock_path(target).write_text(f"{dead_pid()}\n", encoding="ascii")
    undeletable(".stale")
    output.write_folder(target, {"a.txt": b"x"})
    assert (target / "a.txt").read_bytes() == b"x"
