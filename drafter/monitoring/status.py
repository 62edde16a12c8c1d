"""``drafter suivi etat``: where each lot stands, computed in the database.

Hours owed after decisions (from the amounts ordered for ratio clauses), hours done
(declared, refused rows excepted) and validated, the pace against the time elapsed, the
months whose statement is late, the penalty exposure and who must act next.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Max, Q, QuerySet, Sum

from . import parameters
from .choices import ClauseMethod, DeclarationStatus
from .models import Decision, Lot, MonthlyDeclaration, Order
from .services import months_between

ZERO = Decimal(0)
TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")


@dataclass
class LotStatus:
    reference: str
    number: int
    title: str
    contractor: str | None
    method: str
    owed: Decimal | None
    done: Decimal
    validated: Decimal
    pending: Decimal
    refused: Decimal
    expected: Decimal
    elapsed: Decimal
    late_months: list[dt.date]
    penalty_per_hour: Decimal | None
    exposure: Decimal
    ordered: Decimal
    start: dt.date
    end: dt.date
    last_action: dt.datetime | None
    alerts: list[str] = field(default_factory=list)
    next_step: str = ""

    @property
    def missing(self) -> Decimal:
        return max(ZERO, (self.owed or ZERO) - self.validated)


HOURS = F("hours_worked") + F("training_hours")
DECLARED_FIGURES = {
    "done": Sum(HOURS, filter=~Q(status=DeclarationStatus.REFUSED)),
    "validated": Sum(HOURS, filter=Q(status=DeclarationStatus.VALIDATED)),
    "pending": Sum(HOURS, filter=Q(status=DeclarationStatus.DECLARED)),
    "refused": Sum(HOURS, filter=Q(status=DeclarationStatus.REFUSED)),
    "last_declared": Max("declared_at"),
    "last_validated": Max("validated_at"),
}


def _grouped(queryset: QuerySet, key: str, **aggregates) -> dict[int, dict]:
    """One GROUP BY query: lot id → its aggregates."""
    return {row[key]: row for row in queryset.values(key).annotate(**aggregates).order_by()}


def annotated_lots(lots: QuerySet) -> list[Lot]:
    """The lots with their figures, from five GROUP BY queries (never one query per lot)."""
    chosen = list(lots.select_related("market", "award"))
    ids = lots.values("pk")
    declared = _grouped(MonthlyDeclaration.objects.filter(contract__award__lot__in=ids), "contract__award__lot",
                        **DECLARED_FIGURES)
    pooled_in = _grouped(Decision.objects.filter(lot__in=ids), "lot", total=Sum("hours_delta"))
    pooled_away = _grouped(Decision.objects.filter(source_lot__in=ids), "source_lot", total=Sum("hours_delta"))
    ordered = _grouped(Order.objects.filter(award__lot__in=ids), "award__lot", total=Sum("amount"))
    for lot in chosen:
        figures = declared.get(lot.pk, {})
        for name in DECLARED_FIGURES:
            value = figures.get(name)
            setattr(lot, name, value if name.startswith("last") else Decimal(value or 0).quantize(CENT))
        lot.pooled_in = Decimal(pooled_in.get(lot.pk, {}).get("total") or 0)
        lot.pooled_away = Decimal(pooled_away.get(lot.pk, {}).get("total") or 0)
        lot.ordered = Decimal(ordered.get(lot.pk, {}).get("total") or 0)
    return chosen


def owed_hours(lot: Lot) -> Decimal | None:
    """Hours owed after decisions; for a ratio clause, amounts ordered × ratio ÷ 10 000."""
    if lot.method == ClauseMethod.RATIO and lot.ratio_per_10k is not None:
        base = (lot.ordered * lot.ratio_per_10k / TEN_THOUSAND).quantize(Decimal("0.01"))
    elif lot.hours_owed is not None:
        base = lot.hours_owed
    else:
        return None
    return base + lot.pooled_in - lot.pooled_away


def elapsed_share(start: dt.date, end: dt.date, as_of: dt.date) -> Decimal:
    total = (end - start).days + 1
    done = min(max((as_of - start).days, 0), total)
    return (Decimal(done) / Decimal(total)).quantize(Decimal("0.0001"))


def declared_months(lot_ids: list[int]) -> dict[int, set[dt.date]]:
    out: dict[int, set[dt.date]] = defaultdict(set)
    pairs = (MonthlyDeclaration.objects.filter(contract__award__lot_id__in=lot_ids)
             .values_list("contract__award__lot_id", "month").distinct())
    for lot_id, month in pairs.iterator(chunk_size=5000):
        out[lot_id].add(month)
    return out


def late_months(lot: Lot, declared: set[dt.date], as_of: dt.date) -> list[dt.date]:
    """Months of execution whose statement was due before ``as_of`` and never came."""
    if not hasattr(lot, "award"):
        return []
    last = min(lot.end_date, as_of)
    return [m for m in months_between(lot.start_date, last)
            if m not in declared and parameters.statement_due(m) < as_of]


def lot_status(lot: Lot, declared: set[dt.date], as_of: dt.date) -> LotStatus:
    owed = owed_hours(lot)
    share = elapsed_share(lot.start_date, lot.end_date, as_of)
    expected = ((owed or ZERO) * share).quantize(Decimal("0.01"))
    award = getattr(lot, "award", None)
    last = max((t for t in (lot.last_declared, lot.last_validated) if t), default=None)
    status = LotStatus(
        lot.market.reference, lot.number, lot.title, award.contractor_name if award else None, lot.method, owed,
        lot.done, lot.validated, lot.pending, lot.refused, expected, share, late_months(lot, declared, as_of),
        lot.penalty_per_hour, ZERO, lot.ordered, lot.start_date, lot.end_date, last)
    if award is not None and owed is not None and lot.penalty_per_hour is not None:
        status.exposure = (status.missing * lot.penalty_per_hour).quantize(Decimal("0.01"))
    return status


def status_of(reference: str | None, as_of: dt.date) -> list[LotStatus]:
    lots = Lot.objects.all() if reference is None else Lot.objects.filter(
        Q(market__reference=reference) | Q(market__reference__iexact=reference))
    lots = annotated_lots(lots.order_by("market__reference", "number"))
    months = declared_months([lot.pk for lot in lots])
    return [lot_status(lot, months.get(lot.pk, set()), as_of) for lot in lots]
