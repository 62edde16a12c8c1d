"""The one door between the monitoring module and the rest of drafter.

Everything the monitoring needs from drafter — reading a generated folder and its profile,
French number formatting, Word rendering and document text, the user-error class — goes
through here, so the rest of ``drafter.monitoring`` never imports another drafter module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from drafter.app.analyse import analyse
from drafter.documents.docx_text import docx_text
from drafter.documents.render import render_document
from drafter.domain import fmt
from drafter.domain.places import departement
from drafter.errors import DrafterError, Problem
from drafter.inputs.directory import departements, read_structures
from drafter.inputs.loading import load_profile

__all__ = [
    "departements",
    "read_structures",
    "DraftedFacilitator",
    "DraftedLot",
    "DraftedMarket",
    "DrafterError",
    "Problem",
    "decp_value",
    "docx_text",
    "fmt",
    "read_generated",
    "render_docx",
]

DECP = {
    "condition_execution": ("Clause sociale",),
    "condition_et_critere": ("Clause sociale", "Critère social"),
    "critere_attribution": ("Critère social",),
    "reserve_siae": ("Marché réservé",),
    "reserve_handicap": ("Marché réservé",),
    "reserve_siae_handicap": ("Marché réservé",),
    "marche_insertion": ("Clause sociale",),
    "aucun": ("Pas de considération sociale",),
}


class ImportError_(DrafterError):
    """A generated folder or its profile cannot be imported."""


@dataclass(frozen=True)
class DraftedFacilitator:
    name: str
    structure: str
    email: str
    phone: str
    territory: str


@dataclass(frozen=True)
class DraftedLot:
    number: int
    title: str
    mechanism: str
    decp_value: str
    method: str
    hours: Decimal | None
    ratio: Decimal | None
    penalty: Decimal | None
    amount: Decimal
    facilitator: DraftedFacilitator | None


@dataclass(frozen=True)
class DraftedMarket:
    reference: str
    subject: str
    nature: str
    form: str
    department: str
    launch_date: dt.date
    duration_months: int
    amount: Decimal
    buyer_name: str
    buyer_category: str
    drafter_version: str
    rules_date: dt.date
    rules_versions: dict[str, str]
    profile_sha256: str
    lots: tuple[DraftedLot, ...]


def decp_value(mechanism: str) -> str:
    """DECP v2 ``considerationsSociales`` values of a mechanism, comma-separated."""
    return ", ".join(DECP.get(mechanism, ("Pas de considération sociale",)))


def _manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportError_(f"« {folder} » : pas de manifest.json. Indiquez un dossier produit par "
                           "drafter generate.") from None
    except (OSError, ValueError) as exc:
        raise ImportError_(f"« {path} » illisible : {exc}.") from None


def _facilitator(f: Any) -> DraftedFacilitator | None:
    if f is None:
        return None
    return DraftedFacilitator(f.name, f.organisation, f.email or "", f.phone or "", f.territory or "")


def _hours(value: Any) -> str:
    return "aucune heure" if value is None else fmt.smart(Decimal(str(value))) + " h"


def read_generated(folder: str | Path, profile: str | Path, today: dt.date) -> DraftedMarket:
    """A generated folder (manifest.json) and the profile it came from, checked against each other.

    Hours, ratio and mechanism are taken from the manifest (what was drafted and signed);
    the rest (buyer, dates, penalty, method, facilitator) from the profile's decision.
    """
    folder = Path(folder)
    manifest = _manifest(folder)
    raw = Path(profile).read_bytes()
    analysis = analyse(profile, today=today, date=dt.date.fromisoformat(manifest["date_reference"]))
    p, decision = analysis.profile, analysis.decision
    reference = manifest["marche"]["reference"]
    if p.market.reference != reference:
        raise ImportError_(f"le profil « {profile} » décrit le marché « {p.market.reference} », pas « {reference} » "
                           f"(dossier « {folder} »). Indiquez le profil qui a servi à générer ce dossier.")
    decided = {lot.numero: lot for lot in decision.lots}
    if sorted(decided) != sorted(lot["numero"] for lot in manifest["lots"]):
        raise ImportError_(f"les lots du profil « {profile} » ne sont pas ceux du dossier « {folder} » : "
                           "régénérez le dossier avec ce profil.")
    drift = [f"lot {item['numero']} : {_hours(d_hours)} selon le profil, {_hours(item.get('heures'))} dans le dossier"
             for item in manifest["lots"]
             if (d_hours := decided[item["numero"]].heures) != item.get("heures")]
    if drift:
        raise ImportError_(f"le profil « {profile} » ne donne plus les heures du dossier « {folder} » ("
                           + " ; ".join(drift) + ") : il a changé depuis la génération. Indiquez le profil "
                           "d'origine ou régénérez le dossier.")
    lots = []
    for item in manifest["lots"]:
        d = decided[item["numero"]]
        hours, ratio = item.get("heures"), item.get("ratio_heures_10000_eur")
        method = d.methode_accord_cadre.value if d.methode_accord_cadre else "volume"
        lots.append(DraftedLot(
            item["numero"], item["intitule"], item["dispositif"], decp_value(item["dispositif"]), method,
            None if hours is None else Decimal(str(hours)), None if ratio is None else Decimal(str(ratio)),
            d.penalite_par_heure, d.montant_estime_ht, _facilitator(d.facilitateur)))
    return DraftedMarket(
        reference, p.market.subject, p.market.nature.value, p.market.form.value,
        departement(p.market.place, p.buyer.address), p.market.launch_date or analysis.decision.date_reference,
        p.market.duration_months, Decimal(str(manifest["marche"]["valeur_estimee_ht"])), p.buyer.name,
        p.buyer.category.value, manifest["drafter_version"], dt.date.fromisoformat(manifest["date_reference"]),
        dict(manifest.get("regles", {})), hashlib.sha256(raw).hexdigest(), tuple(lots))


def render_docx(template: Path, context: dict[str, Any], target: Path) -> None:
    """Render a Word template with drafter's strict sandboxed Jinja environment into ``target``."""
    data = render_document(template, context)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)


def profile_reference(path: str | Path) -> str:
    """The market reference a profile describes (validated like any profile)."""
    return load_profile(path).profile.market.reference
