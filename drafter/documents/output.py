"""The only writer of an output folder: files assembled in memory are written into a hidden
temporary folder beside the target, then moved into place with renames (SPEC §7).

A failure leaves nothing behind; an existing folder is replaced only with ``force``, and then
the old folder is removed last, so that the target is never half-written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from drafter.errors import OutputError


def check_target(target: Path, force: bool) -> None:
    """Refuse an existing target unless ``force`` (and never replace a file by a folder)."""
    if target.exists() and not (force and target.is_dir()):
        what = "Le dossier" if target.is_dir() else "Le chemin"
        hint = ("ajoutez --force pour le remplacer" if target.is_dir()
                else "ce n'est pas un dossier : choisissez un autre -o")
        raise OutputError(f"{what} « {target} » existe déjà : {hint}. Rien n'a été écrit.")


def staging_folder(target: Path) -> Path:
    """A new hidden folder beside ``target`` (same file system, so the final move is a rename)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise OutputError(f"impossible d'écrire dans « {target.parent} » : {exc.strerror or exc}.") from None


def write_folder(target: Path, files: Mapping[str, bytes], *, force: bool = False) -> None:
    """Write ``files`` (name → bytes) as the folder ``target``, atomically."""
    check_target(target, force)
    work = staging_folder(target)
    try:
        for name, data in files.items():
            path = work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        follow_umask(work)
        move_into_place(work, target)
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


def move_into_place(work: Path, target: Path) -> None:
    """Replace ``target`` by ``work`` with renames only (the old folder is removed last)."""
    if not target.exists():
        work.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        work.rename(target)
    except OSError:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
