"""Dated values of the monitoring rules (``parametres.yaml``): never a bare literal in code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

import yaml

FILE = Path(__file__).with_name("parametres.yaml")


@dataclass(frozen=True)
class Value:
    name: str
    value: Decimal
    since: dt.date
    source: str
    to_confirm: bool


@cache
def _table() -> dict:
    return yaml.safe_load(FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=4096)
def entry(name: str, on: dt.date) -> Value:
    """The value of ``name`` in force on ``on`` (the latest start date not after it)."""
    values = _table()[name]["valeurs"]
    starts = sorted(d for d in values if d <= on)
    if not starts:
        raise LookupError(f"aucune valeur de « {name} » en vigueur au {on:%d/%m/%Y}")
    item = values[starts[-1]]
    return Value(name, Decimal(str(item["valeur"])), starts[-1], item["source"], bool(item.get("a_confirmer")))


def value(name: str, on: dt.date) -> Decimal:
    return entry(name, on).value


@lru_cache(maxsize=4096)
def statement_due(month: dt.date) -> dt.date:
    """Due date of the statement of ``month``: the n-th day of the following month."""
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following.replace(day=int(value("jour_limite_declaration", following)))
