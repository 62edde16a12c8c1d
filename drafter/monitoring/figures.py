"""Counts of people, contracts and outcomes, aggregated in the database.

Shared by the end-of-contract report (one market), the yearly report and the national export
(a perimeter of declarations). Each function takes a queryset of monthly declarations.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from .choices import ELIGIBILITY, AgeBand, ContractType, DeclarationStatus, OutcomeCategory, Route, Sex
from .models import Contract, Outcome, Participant

ZERO = Decimal(0)
CENT = Decimal("0.01")


def counted(rows: QuerySet) -> QuerySet:
    """Declarations that count: refused rows never do."""
    return rows.exclude(status=DeclarationStatus.REFUSED)


def hour_totals(rows: QuerySet) -> dict[str, Decimal]:
    """Worked, training and validated hours of the declarations ``rows`` (refused excluded)."""
    totals = counted(rows).aggregate(
        worked=Coalesce(Sum("hours_worked"), ZERO), training=Coalesce(Sum("training_hours"), ZERO),
        validated=Coalesce(Sum(F("hours_worked") + F("training_hours"),
                               filter=Q(status=DeclarationStatus.VALIDATED)), ZERO))
    totals = {k: Decimal(v).quantize(CENT) for k, v in totals.items()}
    totals["total"] = totals["worked"] + totals["training"]
    return totals


def people(rows: QuerySet) -> QuerySet:
    return Participant.objects.filter(pk__in=counted(rows).values("contract__participant"))


def contracts(rows: QuerySet) -> QuerySet:
    return Contract.objects.filter(pk__in=counted(rows).values("contract"))


def by_choice(queryset: QuerySet, field: str, enum) -> Counts:
    """(label, count) for every value of ``enum``, zero included, in the enum's order."""
    counts = dict(queryset.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return [(member.label, counts.get(member.value, 0)) for member in enum]


Counts = list[tuple[str, int]]


class PeopleFigures(TypedDict):
    total: int
    qpv: int
    sex: Counts
    age: Counts
    categories: Counts


class ContractFigures(TypedDict):
    total: int
    types: Counts
    routes: Counts


def people_figures(rows: QuerySet) -> PeopleFigures:
    persons = people(rows)
    flags = persons.aggregate(total=Count("pk"), qpv=Count("pk", filter=Q(qpv=True)),
                              **{f: Count("pk", filter=Q(**{f: True})) for f in ELIGIBILITY})
    return {
        "total": flags["total"],
        "qpv": flags["qpv"],
        "sex": by_choice(persons, "sex", Sex),
        "age": by_choice(persons, "age_band", AgeBand),
        "categories": [(label, flags[f]) for f, (_, label) in ELIGIBILITY.items()],
    }


def contract_figures(rows: QuerySet) -> ContractFigures:
    chosen = contracts(rows)
    return {"total": chosen.count(), "types": by_choice(chosen, "contract_type", ContractType),
            "routes": by_choice(chosen, "route", Route)}


def outcome_figures(rows: QuerySet) -> dict[str, Counts]:
    outcomes = Outcome.objects.filter(participant__in=people(rows))
    return {checkpoint: by_choice(outcomes.filter(checkpoint=checkpoint), "category", OutcomeCategory)
            for checkpoint in ("sortie", "six_mois")}
