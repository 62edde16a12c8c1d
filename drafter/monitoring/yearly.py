"""The brochure's figures for a year and a perimeter, and the national indicators.

Everything is counted in the database over the declarations of the year (refused rows
excluded); every count of people below the dated small-cell threshold is suppressed.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from . import parameters
from .choices import ContractorKind, Route
from .figures import contract_figures, counted, hour_totals, outcome_figures, people_figures
from .models import Award, Contract, Department, Facilitator, Lot, Market, MonthlyDeclaration

SECRET = "< 5"
AMOUNT_BANDS = (
    (Decimal(0), "moins de 100 000 €"),
    (Decimal(100_000), "100 000 à 999 999 €"),
    (Decimal(1_000_000), "1 000 000 à 4 999 999 €"),
    (Decimal(5_000_000), "5 000 000 € et plus"),
)


@dataclass
class Perimeter:
    year: int
    department: str | None = None
    buyer: str | None = None

    def declarations(self) -> QuerySet:
        rows = MonthlyDeclaration.objects.filter(
            month__gte=dt.date(self.year, 1, 1), month__lte=dt.date(self.year, 12, 1)
        )
        if self.department:
            rows = rows.filter(contract__award__lot__market__department=self.department)
        if self.buyer:
            rows = rows.filter(contract__award__lot__market__buyer__name__icontains=self.buyer)
        return counted(rows)

    def label(self) -> str:
        parts = [f"année {self.year}"]
        if self.department:
            parts.append(f"département {self.department}")
        if self.buyer:
            parts.append(f"acheteur « {self.buyer} »")
        return ", ".join(parts)


@dataclass
class Yearly:
    perimeter: Perimeter
    key: dict[str, Decimal | int | str] = field(default_factory=dict)
    tables: dict[str, list[tuple[str, int | str]]] = field(default_factory=dict)


def suppress(count: int, threshold: int) -> int | str:
    return SECRET if 0 < count < threshold else count


def _suppressed(pairs: list[tuple[str, int]], threshold: int) -> list[tuple[str, int | str]]:
    return [(label, suppress(n, threshold)) for label, n in pairs]


def _cells(pairs: list[tuple[str, int]]) -> list[tuple[str, int | str]]:
    """Counts of contracts or markets: published as they are (no person can be singled out)."""
    return [(label, n) for label, n in pairs]


def inclusive_firms(rows: QuerySet) -> int:
    """Distinct SIAE, EA, ESAT, GEIQ: holders of a lot, or employers through placement or subcontracting."""
    awards = Award.objects.filter(contracts__declarations__in=rows).exclude(contractor_kind=ContractorKind.ORDINARY)
    holders = set(awards.values_list("contractor_siret", flat=True).distinct())
    employers = set(
        Contract.objects.filter(declarations__in=rows, route__in=[Route.PLACEMENT, Route.SUBCONTRACTING])
        .values_list("employer_siret", flat=True)
        .distinct()
    )
    return len(holders | employers)


def yearly(perimeter: Perimeter) -> Yearly:
    on = dt.date(perimeter.year, 12, 31)
    threshold = int(parameters.value("seuil_secret_statistique", on))
    rows = perimeter.declarations()
    lots = Lot.objects.filter(award__contracts__declarations__in=rows).distinct()
    markets = Market.objects.filter(lots__in=lots).distinct()
    facilitators = Facilitator.objects.filter(lots__in=lots).distinct()
    hours, persons = hour_totals(rows), people_figures(rows)
    contracts, outcomes = contract_figures(rows), outcome_figures(rows)
    fte_hours = parameters.value("heures_etp_annuelles", on)
    result = Yearly(perimeter)
    result.key = {
        "heures": hours["total"],
        "heures_validees": hours["validated"],
        "heures_formation": hours["training"],
        "etp": (hours["total"] / fte_hours).quantize(Decimal("0.1"), ROUND_HALF_UP),
        "personnes": suppress(int(persons["total"]), threshold),
        "contrats": contracts["total"],
        "entreprises_inclusives": inclusive_firms(rows),
        "entreprises": Award.objects.filter(lot__in=lots).values("contractor_siret").distinct().count(),
        "acheteurs": markets.values("buyer").distinct().count(),
        "marches": markets.count(),
        "facilitateurs": facilitators.count(),
        "departements_couverts": Department.objects.filter(structures__facilitators__in=facilitators)
        .distinct()
        .count(),
    }
    result.tables = {
        "Sexe": _suppressed(persons["sex"], threshold),
        "Tranche d'âge à l'entrée": _suppressed(persons["age"], threshold),
        "Catégorie d'éligibilité": _suppressed(persons["categories"], threshold),
        "Résidence en QPV": _suppressed([("Résident QPV", int(persons["qpv"]))], threshold),
        "Type de contrat": _cells(contracts["types"]),
        "Modalité de réalisation": _cells(contracts["routes"]),
        "Situation à la sortie": _suppressed(outcomes["sortie"], threshold),
        "Situation six mois après": _suppressed(outcomes["six_mois"], threshold),
        "Marchés par tranche de montant": _cells(amount_bands(markets)),
    }
    return result


def amount_bands(markets: QuerySet) -> list[tuple[str, int]]:
    bounds = [b for b, _ in AMOUNT_BANDS] + [None]
    counts = markets.aggregate(
        **{
            f"b{i}": Count(
                "pk", filter=Q(estimated_amount__gte=low) & (Q() if high is None else Q(estimated_amount__lt=high))
            )
            for i, (low, high) in enumerate(itertools.pairwise(bounds))
        }
    )
    return [(label, counts[f"b{i}"]) for i, (_, label) in enumerate(AMOUNT_BANDS)]


def decp_values(perimeter: Perimeter) -> list[dict[str, str | list[str]]]:
    """DECP ``considerationsSociales`` per market of the perimeter (union over its lots)."""
    markets = Market.objects.filter(lots__award__contracts__declarations__in=perimeter.declarations()).distinct()
    values: dict[str, set[str]] = {}
    for reference, value in Lot.objects.filter(market__in=markets).values_list("market__reference", "decp_value"):
        values.setdefault(reference, set()).update(v.strip() for v in value.split(","))
    return [{"reference": ref, "considerationsSociales": sorted(vals)} for ref, vals in sorted(values.items())]
