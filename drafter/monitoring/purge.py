"""``drafter suivi purger``: participants of markets closed before a date are anonymised.

A participant is anonymised only when every contract it has belongs to such markets. The
pseudonym and every attribute are cleared; hours, contracts and outcomes stay, so past
totals remain right while nobody can be singled out any more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from .choices import ELIGIBILITY
from .models import Market, Participant


@dataclass(frozen=True)
class PurgeResult:
    markets: int
    participants: int


def closed_markets(before: dt.date):
    return Market.objects.annotate(closed=Max("lots__end_date")).filter(closed__lt=before)


@transaction.atomic
def purge(before: dt.date, dry_run: bool) -> PurgeResult:
    closed = closed_markets(before).values("pk")
    still_open = Market.objects.exclude(pk__in=closed)
    open_people = Participant.objects.filter(contracts__award__lot__market__in=still_open).values("pk")
    targets = (Participant.objects.filter(anonymised=False, contracts__award__lot__market__in=closed)
               .exclude(pk__in=open_people).distinct())
    result = PurgeResult(closed.count(), targets.count())
    if not dry_run:
        for pk in list(targets.values_list("pk", flat=True)):
            Participant.objects.filter(pk=pk).update(
                code=f"anonyme-{pk}", sex="", age_band="", qpv=False, qualification="", prescriber="",
                anonymised=True, **dict.fromkeys(ELIGIBILITY, False))
    return result
