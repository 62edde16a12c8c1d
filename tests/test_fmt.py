"""French formatting used everywhere a buyer reads a number or a date."""

import datetime as dt
from decimal import Decimal

import pytest

from drafter.domain import fmt


@pytest.mark.parametrize("value, expected", [
    (Decimal("1234567.5"), "1 234 567,50 €"), (Decimal("480000"), "480 000 €"), (Decimal("0.5"), "0,50 €"),
    (30, "30 €"), (Decimal("999"), "999 €"),
])
def test_euros(value, expected):
    assert fmt.euros(value) == expected


def test_nbsp_for_documents():
    assert fmt.euros(Decimal("1234567.5"), sep=fmt.NBSP) == "1\u00a0234\u00a0567,50\u00a0€"


@pytest.mark.parametrize("rate, expected", [(Decimal("0.05"), "5 %"), (Decimal("0.075"), "7,5 %"),
                                            (Decimal("0.8"), "80 %"), (Decimal("1"), "100 %")])
def test_percent(rate, expected):
    assert fmt.percent(rate) == expected


@pytest.mark.parametrize("value, expected", [(833, "833 heures"), (1, "1 heure"), (Decimal("8.3"), "8,3 heures"),
                                             (Decimal("8.25"), "8,3 heures"), (1792, "1 792 heures")])
def test_hours(value, expected):
    assert fmt.hours(value) == expected


@pytest.mark.parametrize("value, expected", [(dt.date(2027, 3, 1), "1er mars 2027"),
                                             (dt.date(2026, 8, 22), "22 août 2026"),
                                             (dt.date(2027, 12, 31), "31 décembre 2027")])
def test_dates(value, expected):
    assert fmt.date_long(value) == expected


def test_months_and_half_up():
    assert fmt.months(Decimal("5.49")) == "5,5 mois"
    assert fmt.number(Decimal("2.5")) == "3" and fmt.number(Decimal("-2.5")) == "-3"
    assert fmt.smart(Decimal("22.40"), 1) == "22,4"
