"""Shared click pieces of ``drafter suivi`` (types, database set-up, the clock)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import click

from .services import parse_month


class FrenchDate(click.ParamType):
    name = "date"

    def convert(self, value: Any, param, ctx) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"date attendue au format AAAA-MM-JJ, par exemple 2027-06-15 (valeur lue : « {value} »)",
                      param, ctx)


class Month(click.ParamType):
    name = "mois"

    def convert(self, value: Any, param, ctx) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_month(str(value))
        except ValueError:
            self.fail(f"mois attendu au format AAAA-MM, par exemple 2027-05 (valeur lue : « {value} »)", param, ctx)


class Amount(click.ParamType):
    name = "nombre"

    def convert(self, value: Any, param, ctx) -> Decimal:
        try:
            return Decimal(str(value).replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            self.fail(f"nombre attendu (valeur lue : « {value} »)", param, ctx)


DATE, MONTH, AMOUNT = FrenchDate(), Month(), Amount()


def ready() -> None:
    """Configure Django and migrate the database (first use creates it)."""
    from . import db

    db.setup()


def today(value: dt.date | None = None) -> dt.date:
    """The clock is read here (the CLI), never below."""
    return value or dt.date.today()


def now(when: dt.date | None = None) -> dt.datetime:
    """The current time; noon (Paris time) of ``when`` when a command is given ``--date``."""
    from django.utils import timezone

    if when is None:
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(when, dt.time(12)))


def choice_help(enum: Any) -> str:
    return ", ".join(f"{m.value} ({m.label})" for m in enum)
