"""The wizard's draft: the answers so far, in the shape of a profile file (French keys, typed
values), with what every section needs (rules at the launch date, market facts, field questions).

Sections are functions of the draft (:mod:`drafter.wizard.sections`, :mod:`~drafter.wizard.lots`,
:mod:`~drafter.wizard.insertion`); :mod:`drafter.wizard.flow` registers them and runs them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from drafter.domain import fmt, schema
from drafter.domain.labels import FORM_FR, NATURE_FR, PROCEDURE_FR, capitalised
from drafter.domain.profile import Facilitator, Form, Profile
from drafter.engine.facts import MarketFacts, market_facts
from drafter.errors import DrafterError
from drafter.inputs.directory import Entry
from drafter.inputs.loading import LoadedProfile, validate_profile
from drafter.inputs.profile_yaml import profile_to_yaml
from drafter.inputs.source import parse_yaml
from drafter.law.rules import RuleBook, Rules
from drafter.wizard.prompter import (
    Option,
    Prompter,
    field_parser,
    is_required,
    question_of,
)

DRAFT_NAME = "profil en cours"
SECTIONS = {
    "acheteur": "Acheteur",
    "marche": "Marché",
    "facilitateur": "Facilitateur",
    "lots": "Lots, montants et secteurs",
    "insertion": "Choix d'insertion",
}
NATURE_LABELS = capitalised(NATURE_FR)
FORM_LABELS = capitalised(FORM_FR)
PROCEDURE_LABELS = capitalised(PROCEDURE_FR)


class Abandoned(Exception):
    """The buyer chose to leave without saving."""


def put(target: dict, key: str, value: Any) -> None:
    """Set ``key``, or remove it when the answer is empty."""
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


def enum_options(labels: dict) -> list[Option]:
    return [Option(value, f"{label} ({value.value})") for value, label in labels.items()]


class Draft:
    """Holds the draft; the flow registers the section functions (``sections``)."""

    def __init__(self, io: Prompter, book: RuleBook, today: dt.date, start: Profile | None = None,
                 directory: list[Entry] | None = None):
        self.io, self.book, self.today = io, book, today
        self.directory = directory or []
        self.editing = start is not None
        self.reviewing = False
        self.data: dict[str, Any] = start.model_dump(by_alias=True, exclude_unset=True) if start else {}
        self.data["version"] = 1
        self.sections: dict[str, Callable[[Draft], None]] = {}

    # --- the draft ----------------------------------------------------------------------
    def part(self, key: str) -> dict:
        return self.data.setdefault(key, {})

    @property
    def market(self) -> dict:
        return self.part("marche")

    @property
    def form(self) -> Form:
        return Form(self.market.get("forme", Form.ORDINARY))

    @property
    def is_multi_lot(self) -> bool:
        return "lots" in self.data

    def launch_date(self) -> dt.date:
        return self.market.get("date_lancement") or self.today

    def rules(self) -> Rules:
        return self.book.at(self.launch_date())

    def facts(self) -> MarketFacts | None:
        """Value, threshold and obligation of the market as drafted (None if not computable yet)."""
        try:
            return market_facts(Profile.model_validate(self.data), self.rules())
        except (ValidationError, DrafterError):
            return None

    def sector_labels(self) -> dict[str, str]:
        labels = {}
        for key, rv in self.rules().sectors().items():
            flag = " (indicatif, à confirmer)" if rv.to_confirm else ""
            labels[key] = f"{rv.libelle}, main-d'œuvre {fmt.percent(rv.valeur)}{flag}"
        return labels

    def yaml_text(self) -> str:
        """The profile file as it will be written (commented YAML)."""
        try:
            labels = self.sector_labels()
        except DrafterError:
            labels = {}
        return profile_to_yaml(self.data, sector_labels=labels)

    def load(self, text: str) -> LoadedProfile:
        """Validate the text exactly as ``drafter check`` validates a file (ProfileError)."""
        return validate_profile(parse_yaml(text.encode("utf-8"), DRAFT_NAME))

    # --- generic field questions --------------------------------------------------------
    def text_field(self, target: dict, model: type, alias: str, question: str | None = None,
                   proposal: Any = None) -> None:
        """Ask one field; Enter keeps the current value, or takes ``proposal`` when there is none."""
        current = target.get(alias, proposal)
        value = self.io.ask(question or question_of(model, alias), field_parser(model, alias),
                            current=current, required=is_required(model, alias))
        put(target, alias, value)

    def ask_facilitator_fields(self, target: dict) -> None:
        for alias in schema.aliases(Facilitator):
            if alias != "convention":        # agreement terms: a sub-section edited in the profile file
                self.text_field(target, Facilitator, alias)

    def ask_section(self, key: str) -> None:
        number = list(SECTIONS).index(key) + 1
        self.io.title(f"{number}/{len(SECTIONS)} · {SECTIONS[key]}")
        self.sections[key](self)


__all__ = ["Draft", "Abandoned", "SECTIONS", "put", "enum_options"]
