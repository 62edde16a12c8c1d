"""The profile's values: its enumerations and the types that read amounts, rates, counts, dates and
codes as buyers write them (French messages, see :mod:`drafter.domain.parsing`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from drafter.domain.parsing import (
    ParseError,
    parse_amount,
    parse_choice,
    parse_count,
    parse_cpv,
    parse_date,
    parse_percent,
    parse_rate,
)


class BuyerCategory(StrEnum):
    ETAT = "etat"
    OTHER_AUTHORITY = "autre_pouvoir_adjudicateur"
    UTILITY = "entite_adjudicatrice"


class Nature(StrEnum):
    WORKS = "travaux"
    SERVICES = "services"
    SUPPLIES = "fournitures"


class Form(StrEnum):
    ORDINARY = "marche_ordinaire"
    FRAMEWORK_ORDERS = "accord_cadre_bons_de_commande"
    FRAMEWORK_SUBSEQUENT = "accord_cadre_marches_subsequents"

    @property
    def is_framework(self) -> bool:
        return self is not Form.ORDINARY


class Procedure(StrEnum):
    OPEN = "appel_offres_ouvert"
    RESTRICTED = "appel_offres_restreint"
    ADAPTED = "procedure_adaptee"
    NEGOTIATED = "procedure_negociee"
    DIALOGUE = "dialogue_competitif"

    @property
    def is_formalised(self) -> bool:
        return self is not Procedure.ADAPTED


class FrameworkMethod(StrEnum):
    RATIO = "ratio"
    MINIMUM = "minimum"
    ESTIMATE = "estime"


class ExceptionMotive(StrEnum):
    IMMEDIATE_SOLUTION = "solution_immediatement_disponible"
    INSUFFICIENT_LINK = "lien_insuffisant_avec_objet"
    COMPETITION = "restriction_concurrence_ou_execution_difficile"


def _parser(kind: str, func: Any) -> BeforeValidator:
    def check(value: Any) -> Any:
        try:
            return func(value)
        except ParseError as exc:
            raise PydanticCustomError(kind, str(exc)) from None

    check.kind = kind  # type: ignore[attr-defined]  # read by drafter.domain.schema.kind_of
    return BeforeValidator(check)


Amount = Annotated[Decimal, _parser("montant", parse_amount)]
Rate = Annotated[Decimal, _parser("taux", parse_rate)]
Percent = Annotated[Decimal, _parser("pourcentage", parse_percent)]
Count = Annotated[int, _parser("nombre", parse_count)]
Hours = Annotated[Decimal, _parser("heures", lambda v: parse_amount(v, allow_zero=True))]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Cpv = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{8}-\d$"), _parser("cpv", parse_cpv)]
LaunchDate = Annotated[dt.date, _parser("date", parse_date)]


def _choice(kind: str) -> BeforeValidator:
    """Accept the usual French names of a code (« MAPA », « Appel d'offres ouvert »…)."""
    return _parser(kind, lambda raw: parse_choice(kind, raw))
