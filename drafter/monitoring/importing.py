"""``drafter suivi importer``: markets and lots from generated folders, idempotently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from .drafted import DraftedFacilitator, DraftedMarket
from .models import Buyer, Department, Facilitator, Lot, Market, Structure
from .services import add_months, guess_kind


@dataclass(frozen=True)
class ImportResult:
    reference: str
    created: bool
    lots: int


# Départements a profile's « territoire » may name (Occitanie); the directory file states the rest.
DEPARTMENTS = {"ariège": "09", "aude": "11", "aveyron": "12", "gard": "30", "haute-garonne": "31", "gers": "32",
               "hérault": "34", "lot": "46", "lozère": "48", "hautes-pyrénées": "65", "pyrénées-orientales": "66",
               "tarn": "81", "tarn-et-garonne": "82"}


def facilitator_for(f: DraftedFacilitator | None) -> Facilitator | None:
    """The facilitator named in a profile, created with its structure if the directory lacks them."""
    if f is None:
        return None
    structure, created = Structure.objects.get_or_create(name=f.structure, defaults={"kind": guess_kind(f.structure)})
    code = DEPARTMENTS.get(f.territory.strip().lower())
    if created and code:
        structure.departments.add(Department.objects.get_or_create(code=code, defaults={"name": f.territory})[0])
    facilitator, _ = Facilitator.objects.update_or_create(
        structure=structure, name=f.name, defaults={"email": f.email, "phone": f.phone})
    return facilitator


@transaction.atomic
def import_market(drafted: DraftedMarket) -> ImportResult:
    """Create or update the market and its lots; awards, declarations and decisions are kept."""
    buyer, _ = Buyer.objects.update_or_create(
        name=drafted.buyer_name, defaults={"category": drafted.buyer_category, "department": drafted.department})
    market, created = Market.objects.update_or_create(reference=drafted.reference, defaults={
        "buyer": buyer, "subject": drafted.subject, "nature": drafted.nature, "form": drafted.form,
        "department": drafted.department, "launch_date": drafted.launch_date,
        "duration_months": drafted.duration_months, "estimated_amount": drafted.amount,
        "drafter_version": drafted.drafter_version, "rules_date": drafted.rules_date,
        "rules_versions": drafted.rules_versions, "profile_sha256": drafted.profile_sha256})
    for lot in drafted.lots:
        existing = Lot.objects.filter(market=market, number=lot.number).select_related("award").first()
        start = existing.start_date if existing else drafted.launch_date
        Lot.objects.update_or_create(market=market, number=lot.number, defaults={
            "title": lot.title, "mechanism": lot.mechanism, "decp_value": lot.decp_value, "method": lot.method,
            "hours_owed": None if lot.method == "ratio" else lot.hours, "ratio_per_10k": lot.ratio,
            "penalty_per_hour": lot.penalty, "estimated_amount": lot.amount, "start_date": start,
            "end_date": end_of(start, drafted.duration_months), "facilitator": facilitator_for(lot.facilitator)})
    return ImportResult(drafted.reference, created, len(drafted.lots))


def end_of(start: dt.date, months: int) -> dt.date:
    """Last day of a ``months``-long execution starting on ``start``."""
    return add_months(start, months) - dt.timedelta(days=1)
