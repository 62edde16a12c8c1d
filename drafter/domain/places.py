"""Where a market is: the départements read from what a buyer writes (« Carcassonne (11) »,
« Bassin de la Garonne (31, 82) », a postcode)."""

from __future__ import annotations

import re

_BRACKETS = re.compile(r"\(([^)]*)\)")
_CODE = re.compile(r"\b(97\d|\d[\dAB])\b")
_POSTCODE = re.compile(r"\b(97\d|\d[\dAB])\d{3}\b")


def departements(*texts: str | None) -> list[str]:
    """Every département code named in brackets, else those of the postcodes, in order."""
    found = [code for text in texts if text for inside in _BRACKETS.findall(text) for code in _CODE.findall(inside)]
    if not found:
        found = [m.group(1) for text in texts if text for m in _POSTCODE.finditer(text)]
    return list(dict.fromkeys(found))


def departement(*texts: str | None) -> str:
    """« Carcassonne (11) » → ``11``; else the first French postcode's département; else ``""``."""
    found = departements(*texts)
    return found[0] if found else ""
