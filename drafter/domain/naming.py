"""Safe file and folder names from profile values (SPEC §7: no separators, no ``..``, bounded).

A market reference or a facilitator's structure is data typed by a buyer: it may hold
``/``, ``..``, accents, emoji or 5 000 characters. The names built here are a single path
component made of ``[A-Za-z0-9._-]``, never ``.`` or ``..``, never hidden, never a
reserved Windows device name, and at most ``limit`` characters long.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                    *(f"lpt{i}" for i in range(1, 10))}


def safe_name(text: str, *, fallback: str = "marche", limit: int = MAX_LENGTH, lower: bool = False) -> str:
    """One safe path component: ``"2027/PREF 31 — Lot n°1"`` → ``2027-PREF-31-Lot-n-1``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = _UNSAFE.sub("-", ascii_text)
    name = re.sub(r"\.{2,}", ".", name)          # no "..": neither a parent nor a trick
    name = re.sub(r"-{2,}", "-", name).strip("-._")
    if lower:
        name = name.lower()
    name = name[:limit].rstrip("-._")
    if not name:
        name = fallback
    if name.split(".")[0].lower() in _WINDOWS_DEVICES:
        name = f"{name}-{fallback}"[:limit]
    return name


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name-2``, ``name-3``… so that two different values never share a file."""
    candidate, index = name, 2
    while candidate.lower() in taken:
        candidate = f"{name}-{index}"
        index += 1
    taken.add(candidate.lower())
    return candidate
