"""The only writer of an output folder: files assembled in memory are written into a hidden
temporary folder beside the target, then moved into place with renames (SPEC §7).

A failure leaves nothing behind; an existing folder is replaced only with ``force``, and then
the old folder is removed last, so that the target is never half-written. One run at a time
writes a given target: a lock file beside it (``.NOM.lock``, created with ``O_EXCL``, holding the
owner's PID) makes a concurrent run fail with a clear message; a lock or temporary folder left by
a process that no longer exists (kill -9, power cut) is removed by the next run.

``drafter bulk`` holds its whole output folder instead (:class:`FolderLock`, ``.~drafter-bulk.lock``
in it): its summary and error report belong to the folder, and thousands of per-market lock files
would each be created and deleted (on an ext4 file system without a journal, every file created
in the next minutes then scans past those deleted inodes). A ``generate`` into a folder that a
bulk run holds is refused; the bulk run refuses a market whose own lock a ``generate`` holds.
Each side creates its lock before it looks for the other's, so two runs never both write.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from drafter.errors import OutputError, os_reason

# Hidden work entries carry their owner's PID: ``.NOM.<pid>.<random>.tmp`` (or ``.old``).
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.(?P<kind>tmp|old)(?:\.xlsx)?$")
EMPTY_LOCK_GRACE = 10.0  # seconds: a lock file still empty after this is a crash between open and write
LOCK_MAX_AGE = 600.0  # seconds: writing takes a few; an older lock is stale even if its PID was reused
FOLDER_LOCK = ".~drafter-bulk.lock"  # never a target's lock: folder names never hold « ~ » (domain.naming)
REFRESH = 60.0  # seconds: a bulk run touches its folder lock this often, so that it never looks stale

def write_error(folder: Path, exc: OSError) -> OutputError:
    return OutputError(f"impossible d'écrire dans « {folder} » : {os_reason(exc)}. Rien n'a été écrit.")


def check_target(target: Path, force: bool) -> None:
    """Refuse an existing target unless ``force`` (and never replace a file by a folder, nor write
    through a symbolic link)."""
    if target.is_symlink():
        state = "cassé" if not target.exists() else f"vers « {os.readlink(target)} »"
        raise OutputError(f"« {target} » est un lien symbolique ({state}) : drafter n'écrit pas à travers un "
                          "lien ; choisissez un autre -o. Rien n'a été écrit.")
    if target.exists() and not (force and target.is_dir()):
        what = "Le dossier" if target.is_dir() else "Le chemin"
        hint = ("ajoutez --force pour le remplacer" if target.is_dir()
                else "ce n'est pas un dossier : choisissez un autre -o")
        raise OutputError(f"{what} « {target} » existe déjà : {hint}. Rien n'a été écrit.")


def work_prefix(name: str) -> str:
    """Prefix of a hidden work entry owned by this process (see :func:`remove_leftovers`)."""
    return f".{name}.{os.getpid()}."


def staging_folder(target: Path) -> Path:
    """A new hidden folder beside ``target`` (same file system, so the final move is a rename)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=work_prefix(target.name), suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise write_error(target.parent, exc) from None


def write_folder(target: Path, files: Mapping[str, bytes], *, force: bool = False) -> None:
    """Write ``files`` (name → bytes) as the folder ``target``, atomically, under its lock."""
    with output_lock(target):
        _clean_once(target.parent)
        check_target(target, force)
        work = staging_folder(target)
        try:
            for name, data in files.items():
                path = work / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            follow_umask(work)
            move_into_place(work, target)
        except OSError as exc:
            shutil.rmtree(work, ignore_errors=True)
            raise write_error(target.parent, exc) from None
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise


def follow_umask(folder: Path) -> None:
    """``mkdtemp`` makes a private folder (0700): give the folder tree the modes the user's umask
    asks for, so that colleagues on a shared drive can read the pieces."""
    mask = os.umask(0)
    os.umask(mask)
    for path in [folder, *folder.rglob("*")]:
        path.chmod((0o777 if path.is_dir() else 0o666) & ~mask)


def follow_umask_file(path: Path) -> None:
    """A single file written through a private temporary name: the mode the umask asks for."""
    mask = os.umask(0)
    os.umask(mask)
    path.chmod(0o666 & ~mask)


def move_into_place(work: Path, target: Path, *, keep_old: bool = False) -> None:
    """Replace ``target`` by ``work`` with renames only (the old folder is removed last).

    With ``keep_old`` the old folder stays as a hidden ``.old`` entry of this process, removed by
    :func:`remove_own_old` when the run ends: a bulk run replacing thousands of folders deletes
    nothing while it creates files (see the module's docstring)."""
    if not target.exists():
        work.rename(target)
        return
    # a fresh name, not a folder made then removed (each removal slows the next creations, see above)
    old = target.parent / f"{work_prefix(target.name)}{secrets.token_hex(6)}.old"
    target.rename(old)
    try:
        work.rename(target)
    except OSError:
        old.rename(target)
        raise
    if not keep_old:
        shutil.rmtree(old, ignore_errors=True)


def replace_file(path: Path, data: bytes) -> None:
    """Write one file atomically; a symbolic link at ``path`` is replaced, never followed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=work_prefix(path.name), suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            follow_umask_file(Path(tmp))
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise write_error(path.parent, exc) from None


# --- lock and leftovers -----------------------------------------------------------------


def lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def output_lock(target: Path) -> Iterator[None]:
    """Hold ``.NOM.lock`` beside ``target`` while writing it; refuse if a live process holds it."""
    path = lock_path(target)
    try:
        if not target.parent.is_dir():  # a stat; mkdir would take the folder's write lock (bulk: every market)
            target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(target.parent, exc) from None
    _acquire(path, target)
    try:
        _refuse_if_held(target.parent / FOLDER_LOCK, target.parent)  # after ours: see the module's docstring
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


class FolderLock:
    """A whole output folder held by one bulk run (``.~drafter-bulk.lock`` in it)."""

    def __init__(self, folder: Path):
        self.folder, self.path = folder, folder / FOLDER_LOCK
        self.touched = 0.0

    def __enter__(self) -> FolderLock:
        _acquire(self.path, self.folder)
        self.touched = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()

    def refresh(self) -> None:
        """Keep the lock fresh during a long run (older than LOCK_MAX_AGE, it would look stale)."""
        if time.monotonic() - self.touched >= REFRESH:
            with contextlib.suppress(OSError):
                os.utime(self.path)
            self.touched = time.monotonic()

    def check_target(self, target: Path) -> None:
        """Refuse ``target`` if a live ``generate`` holds its own lock (one look, nothing created);
        the lock of a dead one is removed."""
        path = lock_path(target)
        if os.path.lexists(path):
            _break_stale(path, _held(path, target))


def _refuse_if_held(path: Path, target: Path) -> None:
    if os.path.lexists(path):
        _held(path, target)


def _held(path: Path, target: Path) -> int | None:
    """Raise if a live process holds the lock ``path``; else its dead owner (None: junk or too old)."""
    owner = _owner(path)
    if owner is not None and (owner == -1 or _alive(owner)):
        raise _busy(target, owner, path)
    return owner


def _acquire(path: Path, target: Path) -> None:
    for _ in range(3):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            owner = _owner(path)
            if owner is not None and (owner == -1 or _alive(owner)):
                raise _busy(target, owner, path) from None
            _break_stale(path, owner)
            continue
        except OSError as exc:
            raise write_error(target.parent, exc) from None
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{os.getpid()}\n")
        return
    raise _busy(target, -1, path)


def _busy(target: Path, owner: int, lock: Path) -> OutputError:
    who = f" (processus {owner})" if owner > 0 else ""
    return OutputError(f"« {target} » est en cours d'écriture par une autre exécution de drafter{who} : "
                       "attendez qu'elle se termine, puis relancez (si aucune ne tourne, supprimez "
                       f"« {lock} »). Rien n'a été écrit.")


def _owner(path: Path) -> int | None:
    """PID in a lock file; -1 if it is still being written; None if it is gone or unreadable junk."""
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
        age = time.time() - path.stat().st_mtime
    except OSError:
        return None
    if age > LOCK_MAX_AGE:
        return None
    if text.isdigit():
        return int(text)
    return -1 if not text and age < EMPTY_LOCK_GRACE else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _break_stale(path: Path, owner: int | None) -> None:
    """Remove a lock whose owner is dead. Renaming first makes the takeover atomic: if the file
    renamed turns out to be a fresh lock of another run, it is put back."""
    grabbed = path.with_name(f"{path.name}.{os.getpid()}.stale")
    try:
        os.rename(path, grabbed)
    except OSError:
        return  # someone else broke it first
    if _owner(grabbed) == owner:
        with contextlib.suppress(OSError):
            grabbed.unlink()
        return
    with contextlib.suppress(OSError):
        os.link(grabbed, path)  # a fresh lock: give it back (fails only if a newer one exists)
    with contextlib.suppress(OSError):
        grabbed.unlink()


_CLEANED: set[str] = set()


def _clean_once(folder: Path) -> None:
    """Leftovers are looked for once per folder and process (bulk writes thousands of folders)."""
    key = os.path.abspath(folder)
    if key not in _CLEANED:
        remove_leftovers(folder)
        _CLEANED.add(key)


def remove_own_old(folder: Path) -> None:
    """Remove the old folders this process replaced with ``move_into_place(keep_old=True)``."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            found = _LEFTOVER.match(entry.name) if entry.name.endswith(".old") else None
            if found and found.group("pid") == str(os.getpid()):
                shutil.rmtree(entry.path, ignore_errors=True)


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the hidden work folders and files of processes that no longer exist (kill -9)."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = _LEFTOVER.match(entry.name) if entry.name.startswith(".") else None
        if not found or _alive(int(found.group("pid"))):
            continue
        path = Path(entry.path)
        previous = folder / found.group("name")
        if found.group("kind") == "old" and not os.path.lexists(previous):
            with contextlib.suppress(OSError):  # killed between the two renames: the old result comes back
                path.rename(previous)
                continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()
        removed.append(path)
    return removed
