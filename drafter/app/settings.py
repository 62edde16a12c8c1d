"""Settings shared by every front end: the rule book (with ``--parametres``), the edited
templates (``--modeles``), the clock. The clock is read here and nowhere below."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from drafter.app.analyse import Analysis, analyse
from drafter.inputs.parameters import load_parameters
from drafter.law.rules import RuleBook, load_rules


@dataclass
class Settings:
    """Global options, shared by every command through ``ctx.obj``."""

    parametres: str | None = None
    modeles: str | None = None
    debug: bool = False
    _book: RuleBook | None = field(default=None, repr=False)

    def book(self) -> RuleBook:
        """Bundled rule tables, with ``--parametres`` applied (validated like a profile)."""
        if self._book is None:
            self._book = load_parameters(self.parametres) if self.parametres else load_rules()
        return self._book

    def today(self) -> dt.date:
        return dt.date.today()

    def analyse(self, path: str, date: dt.date | None = None) -> Analysis:
        return analyse(path, today=self.today(), date=date, book=self.book())
