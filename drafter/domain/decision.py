"""The decision document: what ``decide`` returns and ``explain --json`` prints (SPEC §6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from drafter.domain.profile import ExceptionMotive, Facilitator, FrameworkMethod, Mechanism


@dataclass(frozen=True)
class Step:
    """One reason in a trail: rule id, French sentence, legal or practical reference."""

    regle: str
    texte: str
    reference: str

    def as_json(self) -> dict[str, str]:
        return {"regle": self.regle, "texte": self.texte, "reference": self.reference}


class Coded(str):
    """A French sentence that carries a stable code (a warning id or the rule id it comes from), so
    that presentation picks items by code, never by their wording. ``worded``: the sentence
    already says « à confirmer »."""

    code: str
    worded: bool

    def __new__(cls, texte: str, code: str, *, worded: bool = False) -> Coded:
        item = super().__new__(cls, texte)
        item.code = code
        item.worded = worded
        return item

    @property
    def regle(self) -> str:
        return self.code


ToConfirm = Coded     # a point to confirm: its code is the id of the rule it comes from


@dataclass(frozen=True)
class Issue:
    """A decision-level error (SPEC §4): located in the profile, blocks generation."""

    loc: tuple[str | int, ...]
    message: str


@dataclass(frozen=True)
class Sizing:
    """The numbers of the hours calculation, kept for the note and the comments."""

    base_label: str              # "montant estimé", "montant minimum"
    base_amount: Decimal
    labour_share: Decimal
    rate: Decimal
    hourly_cost: Decimal
    raw_hours: Decimal           # before rounding
    hours: int
    pact_weight: Decimal | None = None   # P of the PACT Propreté weighting
    pact_coefficient: Decimal | None = None
    staff_hours: Decimal | None = None
    ratio: Decimal | None = None         # hours per 10 000 € HT ordered
    indicative_hours: int | None = None  # framework: total on the estimate
    estimate: Decimal | None = None
    fte_months: Decimal = Decimal(0)
    staff_deduction: int | None = None   # PACT under a framework: hours deducted for staff taken over


@dataclass(frozen=True)
class ExceptionUsed:
    motive: ExceptionMotive
    wording: str
    justification: str


@dataclass(frozen=True)
class LotDecision:
    numero: int
    intitule: str
    dispositif: Mechanism
    base_legale: tuple[str, ...]
    heures: int | None
    ratio_heures_10000_eur: Decimal | None
    part_main_oeuvre: Decimal | None
    taux_insertion: Decimal
    cout_horaire: Decimal
    penalite_par_heure: Decimal | None
    ponderation_critere: Decimal | None
    methode_accord_cadre: FrameworkMethod | None
    secteur: str | None
    montant_estime_ht: Decimal
    montant_minimum_ht: Decimal | None
    montant_maximum_ht: Decimal | None
    calcul: Sizing | None
    exception: ExceptionUsed | None
    facilitateur: Facilitator | None
    objet_insertion: bool
    avertissements: tuple[Coded, ...]
    a_confirmer: tuple[Coded, ...]
    alternatives: tuple[str, ...]
    mentions_avis: tuple[str, ...]
    trace: tuple[Step, ...]
    heures_formation_par_salarie: Decimal | None = None   # condition_formation: per employee and year
    activite_support: str | None = None                    # insertion market: the support activity
    postes_insertion: int | None = None
    heures_activite_support: Decimal | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "numero": self.numero,
            "intitule": self.intitule,
            "dispositif": self.dispositif.value,
            "base_legale": list(self.base_legale),
            "heures": self.heures,
            "ratio_heures_10000_eur": _num(self.ratio_heures_10000_eur),
            "part_main_oeuvre": _num(self.part_main_oeuvre),
            "taux_insertion": _num(self.taux_insertion),
            "cout_horaire": _num(self.cout_horaire),
            "avertissements": list(self.avertissements),
            "trace": [s.as_json() for s in self.trace],
        }


@dataclass(frozen=True)
class MarketDecision:
    date_reference: dt.date
    regles: dict[str, str]
    valeur_estimee_ht: Decimal
    seuil_europeen_ht: Decimal
    obligation_sociale: bool
    critere_environnemental_obligatoire: bool
    lots: tuple[LotDecision, ...]
    trace: tuple[Step, ...]
    erreurs: tuple[Issue, ...] = field(default=())

    def as_json(self, drafter_version: str) -> dict[str, Any]:
        return {
            "drafter_version": drafter_version,
            "date_reference": self.date_reference.isoformat(),
            "regles": dict(self.regles),
            "marche": {
                "valeur_estimee_ht": _num(self.valeur_estimee_ht),
                "seuil_europeen_ht": _num(self.seuil_europeen_ht),
                "obligation_sociale": self.obligation_sociale,
            },
            "lots": [lot.as_json() for lot in self.lots],
        }


def _num(value: Decimal | None) -> int | float | None:
    """JSON number: integral decimals as int, others as float (exact for our 1–2 decimals)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)
