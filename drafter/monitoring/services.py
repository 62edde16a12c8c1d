"""Small shared helpers: months, structures by name, user errors of the monitoring module."""

from __future__ import annotations

import datetime as dt
import re

from .choices import StructureKind
from .drafted import DrafterError

KIND_HINTS = (
    (r"maison de l.emploi|m[ée]tropole emploi", StructureKind.EMPLOYMENT_HOUSE),
    (r"\bplie\b", StructureKind.PLIE),
    (r"d[ée]partement", StructureKind.DEPARTMENT),
    (r"m[ée]tropole|agglom[ée]ration|communaut[ée]", StructureKind.EPCI),
    (r"groupement", StructureKind.EMPLOYER_GROUP),
    (r"\bsiae\b|insertion|\bgeiq\b", StructureKind.SIAE),
)


class MonitoringError(DrafterError):
    """A user error of ``drafter suivi`` (exit code 2)."""


def guess_kind(name: str) -> str:
    """Structure kind from its name (the directory file states it properly)."""
    lowered = name.lower()
    return next((kind for pattern, kind in KIND_HINTS if re.search(pattern, lowered)), StructureKind.ASSOCIATION)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` months, clamped to the end of the month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every first-of-month from ``first``'s month to ``last``'s month, inclusive."""
    out, m = [], month_start(first)
    while m <= last:
        out.append(m)
        m = add_months(m, 1)
    return out


def parse_month(text: str) -> dt.date:
    """« 2027-05 » or « 05/2027 » → 2027-05-01 (ValueError otherwise)."""
    text = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text) or re.fullmatch(r"(\d{1,2})/(\d{4})", text)
    if not m:
        raise ValueError(text)
    year, month = (m.group(1), m.group(2)) if len(m.group(1)) == 4 else (m.group(2), m.group(1))
    return dt.date(int(year), int(month), 1)
