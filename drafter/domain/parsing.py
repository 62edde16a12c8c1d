"""Parsing of the number forms a French buyer writes: amounts, rates, percentages.

Amounts: ``480000``, ``480 000``, ``480000.50``, ``480 000,50``, ``"480 000 €"``.
Rates: ``0.05`` or ``"5 %"``. Errors are French sentences (``ParseError``) that the
profile validator turns into located messages.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009_]")


class ParseError(ValueError):
    """A French explanation of why a number could not be read."""


def _to_decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    if isinstance(raw, str):
        text = _SPACES.sub("", raw).removesuffix("€").removesuffix("EUR").removesuffix("HT")
        text = text.replace(",", ".")
        if not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return None


def parse_amount(raw: Any, *, allow_zero: bool = False) -> Decimal:
    """A positive euro amount (HT)."""
    value = _to_decimal(raw)
    if value is None:
        raise ParseError("doit être un montant en euros HT écrit en chiffres (ex. 480000 ou « 480 000 »)")
    if value < 0 or (value == 0 and not allow_zero):
        raise ParseError("doit être un montant positif en euros HT")
    return value


def parse_count(raw: Any) -> int:
    """A whole number ≥ 0."""
    value = _to_decimal(raw)
    if value is None or value != value.to_integral_value() or value < 0:
        raise ParseError("doit être un nombre entier positif ou nul")
    return int(value)


def parse_rate(raw: Any) -> Decimal:
    """A rate in ]0, 1]: ``0.05`` or ``"5 %"``."""
    if isinstance(raw, str) and raw.strip().endswith("%"):
        value = _to_decimal(raw.strip()[:-1])
        if value is None:
            raise ParseError("doit être un taux, écrit 0.05 ou « 5 % »")
        value = value / 100
    else:
        value = _to_decimal(raw)
        if value is None:
            raise ParseError("doit être un taux, écrit 0.05 ou « 5 % »")
        if value > 1:
            raise ParseError(
                f"doit être un taux entre 0 et 1 : écrivez {value / 100} ou « {raw} % »"
            )
    if value <= 0 or value > 1:
        raise ParseError("doit être un taux strictement positif et au plus égal à 100 %")
    return value


def parse_percent(raw: Any) -> Decimal:
    """A weighting in percent of the mark: ``10`` or ``"10 %"``, from 1 to 100."""
    text = raw.strip()[:-1] if isinstance(raw, str) and raw.strip().endswith("%") else raw
    value = _to_decimal(text)
    if value is None:
        raise ParseError("doit être un pourcentage de la note, entre 1 et 100 (ex. 10 ou « 10 % »)")
    if isinstance(raw, Decimal | int) and not isinstance(raw, bool) and 0 < value < 1:
        raise ParseError(f"s'exprime en pourcentage de la note : écrivez {value * 100} et non {value}")
    if value < 1 or value > 100:
        raise ParseError("doit être compris entre 1 et 100 % de la note")
    return value
