"""``drafter suivi bilan``: the end-of-contract report the CCAP announces (Word).

Every string the template shows is built here, in French typography (no-break spaces in
numbers, before « ; : ! ? », inside « », between a number and its unit); the template only
displays.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import parameters
from .drafted import fmt, render_docx
from .figures import contract_figures, hour_totals, outcome_figures, people_figures
from .models import Market, MonthlyDeclaration
from .services import MonitoringError
from .status import ZERO, LotStatus
from .status_text import situation

TEMPLATES = Path(__file__).with_name("templates")
NBSP = fmt.NBSP


def nb(value: Decimal | int, decimals: int = 0) -> str:
    return fmt.number(value, decimals, NBSP) if decimals else fmt.smart(value, 2, NBSP)


def h(value: Decimal | int) -> str:
    return nb(value) + NBSP + "h"


def euros(value: Decimal) -> str:
    return fmt.euros(value, NBSP, cents=value != value.to_integral_value())


def typo(text: str) -> str:
    """French spacing: no-break space before ; : ! ? and inside « »."""
    for mark in (";", ":", "!", "?", "»"):
        text = text.replace(" " + mark, NBSP + mark)
    return text.replace("« ", "«" + NBSP)


def _lot_row(s: LotStatus) -> dict[str, str]:
    return {
        "numero": str(s.number),
        "intitule": typo(s.title),
        "titulaire": typo(s.contractor or "titulaire non enregistré"),
        "exigees": "—" if s.owed is None else h(s.owed),
        "realisees": h(s.done),
        "validees": h(s.validated),
        "manquantes": h(s.missing) if s.owed is not None else "—",
        "penalite": euros(s.exposure) if s.exposure > ZERO else "—",
    }


def _table(pairs: list[tuple[str, int]]) -> list[dict[str, str]]:
    return [{"libelle": typo(label), "nombre": nb(count)} for label, count in pairs]


def report_context(reference: str, as_of: dt.date) -> dict[str, Any]:
    market = Market.objects.filter(reference=reference).select_related("buyer").first()
    if market is None:
        raise MonitoringError(f"marché « {reference} » inconnu : importez-le d'abord (drafter suivi importer).")
    statuses = situation(reference, as_of)
    rows = MonthlyDeclaration.objects.filter(contract__award__lot__market=market)
    hours, persons = hour_totals(rows), people_figures(rows)
    contracts, outcomes = contract_figures(rows), outcome_figures(rows)
    owed = sum((s.owed for s in statuses if s.owed is not None), ZERO)
    penalty = sum((s.exposure for s in statuses), ZERO)
    delay = parameters.value("delai_observations_jours", as_of)
    facilitators = sorted(
        {lot.facilitator.name for lot in market.lots.select_related("facilitator") if lot.facilitator}
    )
    return {
        "marche": {
            "reference": typo(market.reference),
            "objet": typo(market.subject),
            "acheteur": typo(market.buyer.name),
            "date": fmt.date_long(as_of).replace(" ", NBSP),
            "facilitateurs": typo(", ".join(facilitators) or "—"),
            "provenance": typo(
                f"clause rédigée par drafter {market.drafter_version}, règles au "
                f"{fmt.date_long(market.rules_date)}, profil {market.profile_sha256[:12]}"
            ),
        },
        "lots": [_lot_row(s) for s in statuses],
        "totaux": {
            "exigees": h(owed),
            "realisees": h(hours["total"]),
            "validees": h(hours["validated"]),
            "travail": h(hours["worked"]),
            "formation": h(hours["training"]),
            "taux": fmt.percent((hours["validated"] / owed) if owed else ZERO, NBSP),
        },
        "personnes": {
            "total": nb(persons["total"]),
            "qpv": nb(persons["qpv"]),
            "sexe": _table(persons["sex"]),
            "ages": _table(persons["age"]),
            "categories": _table(persons["categories"]),
        },
        "contrats": {
            "total": nb(contracts["total"]),
            "types": _table(contracts["types"]),
            "modalites": _table(contracts["routes"]),
        },
        "sorties": {"sortie": _table(outcomes["sortie"]), "six_mois": _table(outcomes["six_mois"])},
        "penalite": {
            "due": penalty > ZERO,
            "montant": euros(penalty),
            "lots": [
                typo(f"lot {s.number} : {h(s.missing)} × {euros(s.penalty_per_hour or ZERO)} = {euros(s.exposure)}")
                for s in statuses
                if s.exposure > ZERO
            ],
            "delai": nb(delay) + NBSP + "jours",
        },
    }


def write_report(reference: str, target: str | Path, as_of: dt.date) -> Path:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    render_docx(TEMPLATES / "bilan.docx", report_context(reference, as_of), target)
    return target
