"""Click options shared by the commands (French messages)."""

from __future__ import annotations

import datetime as dt

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class FrenchDate(click.ParamType):
    """An ISO date (AAAA-MM-JJ) with a French error message."""

    name = "date"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"date attendue au format AAAA-MM-JJ, par exemple 2027-01-15 (valeur lue : « {value} »)",
                      param, ctx)


DATE = FrenchDate()


class Sortie(click.Option):
    """``-o, --sortie`` everywhere; ``--output`` still accepted (older scripts) but not shown in the help."""

    HIDDEN = ("--output",)

    def get_help_record(self, ctx):
        record = super().get_help_record(ctx)
        if record is None:
            return None
        names, text = record
        for alias in self.HIDDEN:
            names = names.replace(f", {alias}", "").replace(f"{alias}, ", "")
        return names, text
