"""What a buyer must read about their input before generating (``check``, each market of ``bulk``).

Three kinds, each located at the field it is about (file:line:column — field for a profile,
row and column for a spreadsheet), so that the buyer knows what to look at:

- « à noter »: what drafter completed or translated for them (a CPV code completed with its
  check digit, a sector written by its name);
- « attention »: every warning of the decision: a doubtful value (a sector of another nature,
  a heavy criterion weight), a value that is ignored (a method on an ordinary market, an
  exception that is not needed), a missing one (staff taken over in cleaning, the facilitator),
  a volume too weak to be worth a clause. Each points at the profile field that governs it;
- « à confirmer »: a value the profile left to a rule table that is not verified and that the
  buyer can give instead (the labour share of a sector whose table value is unsourced).

None of them is an error: ``check`` exits 0. A warning said for every lot in the same place
(a market-wide setting) is said once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from drafter.domain import fmt
from drafter.domain.decision import Coded
from drafter.domain.profile import lot_path
from drafter.engine.analysis import Analysis
from drafter.errors import Problem

NOTE, WARNING, CONFIRM = "à noter", "attention", "à confirmer"

# warning code → field of the lot it is about (None: the lot itself)
LOT_FIELDS: dict[str, str | None] = {
    "secteur.nature": "secteur",
    "secteur.restriction": "secteur",
    "proprete.personnel_repris_non_renseigne": "heures_mensuelles_personnel_repris",
    "heures.pact_personnel_repris_couvre_tout": "heures_mensuelles_personnel_repris",
    "marche_insertion.activite_support": "activite_support",
    "marche_insertion.objet": "objet_insertion",
    "dispositif.objet_insertion_sans_marche_insertion": "objet_insertion",
    "volume_faible": None,
    "volume_faible.obligatoire": None,
}
# warning code → insertion setting it is about (the lot's when the lot sets it, else the market's)
INSERTION_FIELDS: dict[str, tuple[str, ...]] = {
    "methode.pact_affine": ("methode_accord_cadre",),
    "methode.ignoree_marche_ordinaire": ("methode_accord_cadre",),
    "methode.ignoree_marches_subsequents": ("methode_accord_cadre",),
    "marche_reserve.sourcage": ("structures_inclusives_disponibles",),
    "critere.ponderation_elevee": ("ponderation_critere",),
    "critere.ponderation_ignoree": ("ponderation_critere",),
    "critere.ignore": ("critere",),
    "critere.non_retenu_sans_clause": ("critere",),
    "exception.sans_objet": ("exception",),
    "exception.inutile": ("exception",),
    "exception.motif_non_confirme": ("exception", "motif"),
}
# warning code → field of the market
MARKET_FIELDS: dict[str, tuple[str, ...]] = {
    "seuils.perimes": ("marche", "date_lancement"),
    "facilitateur.manquant": ("facilitateur",),
}


@dataclass(frozen=True)
class InputWarning:
    """One thing to read about the input: its kind (« attention »…) and where it is."""

    kind: str
    problem: Problem

    def render(self) -> str:
        return f"{self.kind} : {self.problem.render()}"


def _has(data: Any, loc: tuple) -> bool:
    for part in loc:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return False
        elif not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def _facilitator(data: Any, lot: tuple, field: str) -> tuple:
    """The facilitator's ``convention`` field: the lot's facilitator when it has one."""
    own = (*lot, "facilitateur")
    return (*(own if _has(data, own) else ("facilitateur",)), "convention", field)


def warning_place(analysis: Analysis, index: int, code: str) -> tuple:
    """Where in the profile the warning ``code`` of lot ``index`` points."""
    data, lot = analysis.loaded.source.data, lot_path(analysis.profile, index)
    if code in LOT_FIELDS:
        field = LOT_FIELDS[code]
        return (*lot, field) if field else lot
    if code in INSERTION_FIELDS:
        own = (*lot, "insertion", *INSERTION_FIELDS[code])
        return own if _has(data, own[:len(lot) + 2]) else ("insertion", *INSERTION_FIELDS[code])
    if code in MARKET_FIELDS:
        return MARKET_FIELDS[code]
    if code == "convention.financee":
        return _facilitator(data, lot, "financement")
    if code == "convention.programme":
        return _facilitator(data, lot, "programme")
    return lot


def _confirm(analysis: Analysis, index: int, item: Coded) -> Problem | None:
    """A point to confirm the buyer can settle in the profile: the labour share their lot takes
    from an unsourced line of the sector table (other points are about the rule tables)."""
    lot = analysis.decision.lots[index]
    if not item.code.startswith("part_main_oeuvre.") or lot.part_main_oeuvre is None:
        return None
    return _located(
        analysis, (*lot_path(analysis.profile, index), "secteur"),
        f"part de main-d'œuvre de {fmt.percent(lot.part_main_oeuvre)} tirée de la table des secteurs — {item} "
        "Si vous la connaissez, indiquez la part de main-d'œuvre du lot.")


def _located(analysis: Analysis, loc: tuple, message: str) -> Problem:
    """``message`` at ``loc``; a top-level section the profile lacks (« facilitateur ») is named
    without the line 1 that its nearest parent, the whole file, would give."""
    problem = analysis.loaded.source.problem(loc, str(message))   # plain text: sent between processes by bulk
    if loc and not _has(analysis.loaded.source.data, loc[:1]) and type(problem) is Problem:
        return dataclasses.replace(problem, line=None, column=None)
    return problem


def input_warnings(analysis: Analysis) -> list[InputWarning]:
    """Every notice, warning and located point to confirm of an analysed profile, each said once."""
    found = [InputWarning(NOTE, _located(analysis, getattr(n, "loc", ()), n)) for n in analysis.notices]
    confirm = []
    for index, lot in enumerate(analysis.decision.lots):
        found += [InputWarning(WARNING, _located(analysis, warning_place(analysis, index, w.code), w))
                  for w in lot.avertissements]
        confirm += [InputWarning(CONFIRM, problem) for item in lot.a_confirmer
                    if (problem := _confirm(analysis, index, item)) is not None]
    return list(dict.fromkeys(found + confirm))
