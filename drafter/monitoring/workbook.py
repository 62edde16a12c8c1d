"""``drafter suivi modele-declaration``: the monthly statement workbook a contractor fills.

One « Déclarations » sheet (one row per contract and month; drop-down lists through data
validation; no formula anywhere), one « Aide » sheet, one hidden « Listes » sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from . import parameters
from .choices import ELIGIBILITY, AgeBand, ContractType, Prescriber, Qualification, Route, Sex

SHEET = "Déclarations"
YES_NO = ("Oui", "Non")
FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    choices: tuple[str, ...] = ()
    required: bool = True
    width: int = 18


COLUMNS = (
    Column("market", "Marché", "Référence du marché, telle qu'elle figure dans les pièces."),
    Column("lot", "Lot", "Numéro du lot.", width=6),
    Column("code", "Code participant", "Code pseudonyme attribué par le facilitateur (jamais le nom ni le NIR)."),
    Column("sex", "Sexe", "Femme ou Homme.", tuple(Sex.labels), width=10),
    Column("age_band", "Tranche d'âge à l'entrée", "Âge à l'entrée dans l'action d'insertion.", tuple(AgeBand.labels)),
    Column("qpv", "Résident QPV", "Oui si la personne réside dans un quartier prioritaire.", YES_NO, width=10),
    Column("categories", "Catégories d'éligibilité",
           "Codes séparés par « ; » (voir la liste ci-dessous), validés par le facilitateur.", width=22),
    Column("qualification", "Niveau de qualification", "Niveau du plus haut diplôme.", tuple(Qualification.labels),
           required=False),
    Column("prescriber", "Prescripteur", "Organisme qui a orienté la personne.", tuple(Prescriber.labels),
           required=False),
    Column("route", "Modalité", "Modalité de réalisation des heures.", tuple(Route.labels), width=30),
    Column("contract_type", "Type de contrat", "Nature du contrat de la personne.", tuple(ContractType.labels)),
    Column("start", "Début du contrat", "Date au format JJ/MM/AAAA."),
    Column("end", "Fin du contrat", "Date au format JJ/MM/AAAA ; vide pour un CDI ou un contrat en cours.",
           required=False),
    Column("employer", "SIRET de l'employeur", "14 chiffres : titulaire, sous-traitant, ETTI, GEIQ…"),
    Column("month", "Mois", "Mois déclaré, au format AAAA-MM (par exemple 2027-05).", width=10),
    Column("hours", "Heures travaillées", "Heures de travail du mois pour ce marché (nombre, 0 à 744)."),
    Column("training", "Heures de formation", "Heures de formation du mois (nombre ; 0 si aucune).", required=False),
)
HEADERS = {c.header: c for c in COLUMNS}


def put(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """Write a value as data: a text starting with = + - @ is stored as text, never as a formula."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"


def _lists_sheet(wb: Workbook) -> dict[str, str]:
    """A hidden sheet holding each drop-down list; returns column key → range reference."""
    ws = wb.create_sheet("Listes")
    ws.sheet_state = "hidden"
    ranges = {}
    for index, column in enumerate((c for c in COLUMNS if c.choices), start=1):
        letter = get_column_letter(index)
        for row, label in enumerate(column.choices, start=1):
            put(ws, row, index, label)
        ranges[column.key] = f"Listes!${letter}$1:${letter}${len(column.choices)}"
    return ranges


def _help_sheet(wb: Workbook, markets: list[tuple[str, int]], on: dt.date) -> None:
    ws = wb.create_sheet("Aide")
    due = parameters.entry("jour_limite_declaration", on)
    lines: list[tuple[str, str]] = [
        ("Déclaration mensuelle des heures d'insertion", ""),
        (f"À transmettre au facilitateur au plus tard le {due.value} du mois suivant.", due.source),
        (("Une ligne par contrat et par mois. Aucune donnée d'identité : ni nom, ni NIR, ni adresse, "
          "ni date de naissance. Le facilitateur conserve seul la clé des codes."), ""),
        ("", ""), ("Colonne", "Ce qu'il faut saisir")]
    lines += [(c.header + ("" if c.required else " (facultatif)"), c.help) for c in COLUMNS]
    lines += [("", ""), ("Code", "Catégorie d'éligibilité")]
    lines += [(code, label) for code, label in ELIGIBILITY.values()]
    if markets:
        lines += [("", ""), ("Marché", "Lot")] + [(ref, str(lot)) for ref, lot in markets]
    for row, (a, b) in enumerate(lines, start=1):
        put(ws, row, 1, a)
        put(ws, row, 2, b)
    ws["A1"].font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 100


def build_model(target: str | Path, markets: list[tuple[str, int]], rows: int = 500,
                on: dt.date = dt.date(2027, 1, 1)) -> Path:
    """Write the statement workbook; ``markets`` (reference, lot) pre-fill the help sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    for index, column in enumerate(COLUMNS, start=1):
        put(ws, 1, index, column.header)
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F3864")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    ranges = _lists_sheet(wb)
    for index, column in enumerate(COLUMNS, start=1):
        if column.key in ranges:
            letter = get_column_letter(index)
            dv = DataValidation(type="list", formula1=ranges[column.key], allow_blank=not column.required,
                                showErrorMessage=True, errorTitle="Valeur non prévue",
                                error="Choisissez une valeur dans la liste.")
            dv.add(f"{letter}2:{letter}{rows + 1}")
            ws.add_data_validation(dv)
    for index, column in enumerate(COLUMNS, start=1):
        if column.key in {"start", "end"}:
            for row in range(2, rows + 2):
                ws.cell(row=row, column=index).number_format = "DD/MM/YYYY"
        elif column.key in {"market", "code", "employer", "month", "categories"}:
            for row in range(2, rows + 2):
                ws.cell(row=row, column=index).number_format = "@"
    _help_sheet(wb, markets, on)
    wb.active = 0
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target
