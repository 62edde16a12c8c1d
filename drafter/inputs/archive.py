"""Bounds on zip packages (.xlsx spreadsheets, .docx templates) before anything reads them.

Only compressed sizes were bounded: a 2 MB .xlsx holding 2 GiB of XML took 2.1 GB of memory.
The sizes a zip declares for its members are what Python's ``zipfile`` will ever return for
them (it stops there and checks the CRC), so checking the declared sizes bounds every reader
built on it (openpyxl, python-docx, docxtpl).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from drafter.domain import fmt
from drafter.errors import os_reason


@dataclass(frozen=True)
class Limits:
    members: int
    member_bytes: int
    total_bytes: int


MIB = 1024 * 1024
SPREADSHEET = Limits(members=10_000, member_bytes=100 * MIB, total_bytes=150 * MIB)
TEMPLATE = Limits(members=2_000, member_bytes=64 * MIB, total_bytes=128 * MIB)


def _mib(size: int) -> str:
    return fmt.number(round(size / MIB)) + " Mo"


def archive_problem(path: Path, limits: Limits, *, what: str, required: str | None = None) -> str | None:
    """A French sentence saying why ``path`` cannot be read safely, or None if it can."""
    try:
        if path.stat().st_size == 0:
            return f"fichier vide : ce n'est pas un {what}"
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        return f"ce n'est pas un {what} (archive illisible, tronquée ou d'un autre format)"
    except OSError as exc:
        return f"fichier illisible ({os_reason(exc)})"
    if len(infos) > limits.members:
        return f"{what} refusé : plus de {limits.members} éléments dans l'archive"
    total = 0
    for info in infos:
        if info.file_size > limits.member_bytes:
            return (f"{what} refusé : l'élément « {info.filename[:80]} » occupe {_mib(info.file_size)} une fois "
                    f"décompressé (maximum {_mib(limits.member_bytes)})")
        total += info.file_size
    if total > limits.total_bytes:
        return (f"{what} refusé : {_mib(total)} une fois décompressé (maximum {_mib(limits.total_bytes)})")
    if required and required not in {info.filename for info in infos}:
        return f"ce n'est pas un {what} (élément « {required} » absent)"
    return None
