"""Facts entered by hand (or by the admin): awards, orders, decisions, outcomes."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db import transaction

from .choices import DecisionKind
from .importing import end_of
from .models import Award, Decision, Lot, Order, Outcome, Participant
from .services import MonitoringError


def lot_of(reference: str, number: int) -> Lot:
    lot = Lot.objects.filter(market__reference=reference, number=number).select_related("market").first()
    if lot is None:
        raise MonitoringError(f"lot {number} du marché « {reference} » inconnu : importez d'abord le marché "
                              "(drafter suivi importer).")
    return lot


def award_of(reference: str, number: int) -> Award:
    lot = lot_of(reference, number)
    award = Award.objects.filter(lot=lot).first()
    if award is None:
        raise MonitoringError(f"lot {number} du marché « {reference} » : aucun titulaire enregistré "
                              "(drafter suivi attribuer).")
    return award


@transaction.atomic
def record_award(reference: str, number: int, *, siret: str, name: str, kind: str, notified: dt.date,
                 start: dt.date | None = None) -> Award:
    """Record (or correct) the contractor of a lot; execution starts on ``start`` (default: notification)."""
    siret = re.sub(r"\s", "", siret)
    if not re.fullmatch(r"\d{14}", siret):
        raise MonitoringError(f"SIRET de 14 chiffres attendu (valeur lue : « {siret} »).")
    lot = lot_of(reference, number)
    lot.start_date = start or notified
    lot.end_date = end_of(lot.start_date, lot.market.duration_months)
    lot.save(update_fields=["start_date", "end_date"])
    award, _ = Award.objects.update_or_create(lot=lot, defaults={
        "contractor_siret": siret, "contractor_name": name, "contractor_kind": kind, "awarded_on": notified})
    return award


def record_order(reference: str, number: int, month: dt.date, amount: Decimal) -> Order:
    if amount < 0:
        raise MonitoringError(f"montant négatif (valeur lue : « {amount} »).")
    order, _ = Order.objects.update_or_create(award=award_of(reference, number), month=month,
                                              defaults={"amount": amount})
    return order


def record_decision(reference: str, number: int, *, kind: str, hours: Decimal, decided_on: dt.date, author: str,
                    reason: str = "", source_lot: int | None = None) -> Decision:
    """A buyer's decision on the hours owed; pooling moves ``hours`` from ``source_lot`` to this lot."""
    lot = lot_of(reference, number)
    source = lot_of(reference, source_lot) if source_lot is not None else None
    if kind == DecisionKind.POOLING and source is None:
        raise MonitoringError("une mutualisation indique le lot d'origine des heures (--depuis-lot).")
    if kind == DecisionKind.REDUCTION and hours > 0:
        raise MonitoringError("une réduction diminue le volume : indiquez un nombre d'heures négatif.")
    return Decision.objects.create(lot=lot, kind=kind, hours_delta=hours, source_lot=source, decided_on=decided_on,
                                   author=author, reason=reason)


def record_outcome(structure: str | None, code: str, checkpoint: str, category: str, observed: dt.date) -> Outcome:
    people = Participant.objects.filter(code=code)
    if structure:
        people = people.filter(structure__name=structure)
    found = list(people[:2])
    if len(found) != 1:
        raise MonitoringError(f"participant « {code} » {'inconnu' if not found else 'ambigu : précisez --structure'}.")
    outcome, _ = Outcome.objects.update_or_create(participant=found[0], checkpoint=checkpoint,
                                                  defaults={"category": category, "observed_on": observed})
    return outcome
