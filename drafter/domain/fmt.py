"""French number, money and date formatting (one place, unit-tested).

``sep`` is the thousands separator and the space before units: a plain space for the
terminal and JSON, a no-break space (``NBSP``) for Word documents.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def number(value: Decimal | int, decimals: int = 0, sep: str = " ") -> str:
    """``1234567.5`` → ``1 234 567,50`` (half-up to ``decimals``)."""
    q = Decimal(1).scaleb(-decimals)
    d = Decimal(value).quantize(q, rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = sep.join(groups) or "0"
    return sign + text + ("," + frac if frac else "")


def seconds(value: float) -> str:
    """A duration measured by the clock, to a tenth: ``0.34`` → ``0,3``."""
    return number(Decimal(str(round(value, 1))), 1)


def smart(value: Decimal | int, max_decimals: int = 2, sep: str = " ") -> str:
    """Shortest exact form up to ``max_decimals``: ``30`` → ``30``, ``0.5`` → ``0,5``."""
    d = Decimal(value).quantize(Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_UP).normalize()
    exponent = d.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return number(d, decimals, sep)


def euros(value: Decimal | int, sep: str = " ", cents: bool | None = None) -> str:
    """``1234567.5`` → ``1 234 567,50 €``; whole amounts without cents unless asked."""
    d = Decimal(value)
    show_cents = cents if cents is not None else d != d.to_integral_value()
    return number(d, 2 if show_cents else 0, sep) + sep + "€"


def percent(rate: Decimal, sep: str = " ") -> str:
    """``0.05`` → ``5 %``; ``0.075`` → ``7,5 %``."""
    return smart(Decimal(rate) * 100, 2, sep) + sep + "%"


def hours(value: Decimal | int, sep: str = " ") -> str:
    """``833`` → ``833 heures``; ``1`` → ``1 heure``; ``8.3`` → ``8,3 heures``."""
    text = smart(value, 1, sep)
    return f"{text}{sep}heure" + ("s" if Decimal(value) >= 2 else "")


def date_long(value: dt.date) -> str:
    """``2027-03-01`` → ``1er mars 2027``."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def date_short(value: dt.date) -> str:
    """``2027-03-01`` → ``01/03/2027``."""
    return value.strftime("%d/%m/%Y")


def months(value: Decimal, sep: str = " ") -> str:
    """``5.5`` → ``5,5 mois`` (one decimal, half-up)."""
    return smart(value, 1, sep) + sep + "mois"
