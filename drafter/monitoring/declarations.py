"""``drafter suivi declarer`` and ``valider``: monthly statements in, validated or refused.

All or nothing: every row is checked, every error reported at once, and the database is
written in one transaction only when there is none. A month already declared for a lot is
replaced by the new statement (never duplicated).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from .choices import ELIGIBILITY, DeclarationStatus
from .declaration_rows import Row, SheetReader
from .drafted import Problem
from .models import Contract, Lot, MonthlyDeclaration, Participant
from .services import MonitoringError
from .workbook import COLUMNS

HEADER = {c.key: c.header for c in COLUMNS}


class DeclarationError(MonitoringError):
    """The statement file has errors; nothing was imported."""


@dataclass(frozen=True)
class DeclarationResult:
    rows: int
    replaced: int
    months: tuple[dt.date, ...]


def _resolve(reader: SheetReader, rows: list[Row], today: dt.date) -> dict[tuple[str, int], Lot]:
    """Check each row against the database (market, lot, award, dates); returns the lots used."""
    wanted = {(r.values["market"], r.values["lot"]) for r in rows if {"market", "lot"} <= r.values.keys()}
    query = Q(pk__in=[])
    for reference, number in wanted:
        query |= Q(market__reference=reference, number=number)
    lots = {(lot.market.reference, lot.number): lot
            for lot in Lot.objects.filter(query).select_related("market", "award", "facilitator")}
    seen: dict[tuple, int] = {}
    for r in rows:
        v = r.values
        key = (v.get("market"), v.get("lot"))
        if None in key:
            continue
        lot = lots.get(key)
        if lot is None:
            reader.error(r.line, HEADER["lot"], f"lot inconnu du marché « {key[0]} » : importez d'abord le marché "
                         "(drafter suivi importer)", key[1])
            continue
        if not hasattr(lot, "award"):
            reader.error(r.line, HEADER["lot"], "aucun titulaire enregistré pour ce lot : enregistrez d'abord "
                         "l'attribution (drafter suivi attribuer)", key[1])
        elif lot.facilitator_id is None:
            reader.error(r.line, HEADER["lot"], "aucun facilitateur n'est chargé de ce lot : les participants ne "
                         "peuvent pas être rattachés", key[1])
        _check_dates(reader, r, lot, today)
        dup = (key, v.get("code"), v.get("start"), v.get("month"))
        if None not in dup and dup in seen:
            reader.error(r.line, HEADER["month"], f"même contrat et même mois que la ligne {seen[dup]}",
                         v["month"].strftime("%Y-%m"))
        seen.setdefault(dup, r.line)
    return lots


def _check_dates(reader: SheetReader, r: Row, lot: Lot, today: dt.date) -> None:
    v = r.values
    start, end, month = v.get("start"), v.get("end"), v.get("month")
    if start and end and end < start:
        reader.error(r.line, HEADER["end"], "la fin du contrat précède son début", end.strftime("%d/%m/%Y"))
    if month is None:
        return
    if month > today.replace(day=1):
        reader.error(r.line, HEADER["month"], "mois à venir : on ne déclare que des mois commencés",
                     month.strftime("%Y-%m"))
    elif start and month < start.replace(day=1):
        reader.error(r.line, HEADER["month"], "mois antérieur au début du contrat", month.strftime("%Y-%m"))
    elif end and month > end.replace(day=1):
        reader.error(r.line, HEADER["month"], "mois postérieur à la fin du contrat", month.strftime("%Y-%m"))
    elif not lot.start_date.replace(day=1) <= month <= lot.end_date:
        reader.error(r.line, HEADER["month"], "mois hors de la période d'exécution du lot", month.strftime("%Y-%m"))


def declare(path: str | Path, *, today: dt.date, now: dt.datetime, label: str | None = None) -> DeclarationResult:
    """Import a statement workbook, or raise DeclarationError listing every problem."""
    reader = SheetReader(Path(path), label)
    rows = reader.read()
    lots = _resolve(reader, rows, today)
    if reader.errors:
        raise DeclarationError([Problem(e) for e in reader.errors]
                               + [Problem("Aucune ligne n'a été importée : corrigez le fichier puis relancez.")])
    if not rows:
        raise DeclarationError(f"{reader.label} : aucune ligne de déclaration.")
    return _write(rows, lots, now, Path(path).name)


@transaction.atomic
def _write(rows: list[Row], lots: dict[tuple[str, int], Lot], now: dt.datetime, source: str) -> DeclarationResult:
    scope = {(lots[(r.values["market"], r.values["lot"])].award.pk, r.values["month"]) for r in rows}
    query = Q(pk__in=[])
    for award_id, month in scope:
        query |= Q(contract__award_id=award_id, month=month)
    replaced, _ = MonthlyDeclaration.objects.filter(query).delete()
    for r in rows:
        v = r.values
        lot = lots[(v["market"], v["lot"])]
        participant, _ = Participant.objects.update_or_create(
            structure_id=lot.facilitator.structure_id, code=v["code"], defaults={
                "sex": v["sex"], "age_band": v["age_band"], "qpv": v["qpv"],
                "qualification": v.get("qualification", ""), "prescriber": v.get("prescriber", ""),
                **{f: f in v["categories"] for f in ELIGIBILITY}})
        contract, _ = Contract.objects.update_or_create(
            participant=participant, award=lot.award, start=v["start"], defaults={
                "route": v["route"], "contract_type": v["contract_type"], "end": v.get("end"),
                "employer_siret": v["employer"]})
        MonthlyDeclaration.objects.create(
            contract=contract, month=v["month"], hours_worked=v["hours"], training_hours=v.get("training", 0),
            declared_at=now, source_file=source[:300])
    return DeclarationResult(len(rows), replaced, tuple(sorted({m for _, m in scope})))


@transaction.atomic
def validate(reference: str, month: dt.date, *, by: str, now: dt.datetime,
             refusals: dict[str, str]) -> tuple[int, int]:
    """Validate the month's declared rows of a market, refusing those of the given participant codes."""
    rows = MonthlyDeclaration.objects.filter(contract__award__lot__market__reference=reference, month=month)
    if not rows.exists():
        raise MonitoringError(f"aucune déclaration pour le marché « {reference} » au mois {month:%m/%Y}.")
    known = set(rows.values_list("contract__participant__code", flat=True))
    unknown = sorted(set(refusals) - known)
    if unknown:
        raise MonitoringError(f"participant(s) sans déclaration ce mois-ci : {', '.join(unknown)}.")
    refused = rows.filter(contract__participant__code__in=list(refusals))
    for code, reason in refusals.items():
        refused.filter(contract__participant__code=code).update(
            status=DeclarationStatus.REFUSED, refusal_reason=reason, validated_by=by, validated_at=now)
    validated = rows.exclude(contract__participant__code__in=list(refusals)).update(
        status=DeclarationStatus.VALIDATED, refusal_reason="", validated_by=by, validated_at=now)
    return validated, len(refusals)
