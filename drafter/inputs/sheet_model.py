"""``drafter bulk --modele-tableur``: an empty bulk spreadsheet a buyer can fill in.

Sheet « Lots »: the headers (with their help as cell comments), one example row and
drop-down lists; sheet « Aide »: every column described in French (the pydantic field
descriptions); sheet « Listes »: the allowed values the drop-downs point at (enums and
rule tables: sectors, exception motives).
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from drafter.inputs.sheet_columns import COLUMNS, EXCEPTION, FACILITATOR, INSERTION, LOT, MARKET, Column
from drafter.inputs.spreadsheet import DATA_SHEET, HELP_SHEET, LISTS_SHEET
from drafter.law.rules import Rules

ROWS = 1000                      # rows prepared with drop-downs
LEVELS = {
    MARKET: "marché (identique sur toutes les lignes du marché)",
    LOT: "lot (propre à chaque ligne)",
    FACILITATOR: "marché ou lot (facilitateur commun, ou propre à chaque lot s'il diffère)",
    INSERTION: "marché ou lot (valeur commune, ou propre à chaque lot si elle diffère)",
    EXCEPTION: "marché ou lot (exception commune, ou propre à chaque lot si elle diffère)",
}
KINDS = {
    "text": "texte",
    "amount": "montant en euros HT (480000 ou « 480 000 »)",
    "rate": "taux (0,05 ou « 5 % »)",
    "percent": "pourcentage de la note (10 ou « 10 % »)",
    "int": "nombre entier",
    "bool": "oui ou non",
    "date": "date (AAAA-MM-JJ ou JJ/MM/AAAA)",
    "choice": "valeur de la liste",
    "sector": ("secteur de la liste, qui réunit toutes les natures de marché : choisissez un secteur de la nature "
               "du marché (drafter regles indique les natures de chaque secteur)"),
    "list": "codes séparés par « ; » (format NNNNNNNN-N)",
}
INTRO = (
    "Mode d'emploi du tableur de drafter bulk",
    ("Une ligne par lot. Les lignes qui portent la même « Référence du marché » forment un seul marché "
    "(un dossier de sortie par marché)."),
    "Les colonnes de niveau « marché » doivent être identiques sur toutes les lignes d'un même marché.",
    "Marché à lot unique : une seule ligne, « N° de lot » et « Intitulé du lot » laissés vides.",
    ("Les intitulés de colonnes peuvent varier (majuscules, accents, espaces, tirets bas, unité entre "
    "parenthèses) ; les colonnes facultatives peuvent être supprimées."),
    "Remplacez la ligne d'exemple par vos lots, puis lancez : drafter bulk mon-tableur.xlsx -o sortie",
)


def choices(column: Column, rules: Rules) -> tuple[str, ...]:
    """The drop-down values of a column (rule tables for sectors and exception motives)."""
    if column.kind == "sector":
        return tuple(sorted(rules.sectors()))
    if column.key == "insertion.exception.motif":
        return tuple(sorted(rules.exception_motives())) or column.choices
    if column.kind == "bool":
        return ("oui", "non")
    return column.choices


def write_model(path: str | Path | BinaryIO, rules: Rules) -> None:
    """Write the model spreadsheet to ``path`` (a file name or a binary stream)."""
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    lists = book.create_sheet(LISTS_SHEET)
    help_sheet = book.create_sheet(HELP_SHEET)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    list_column = 0
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.label)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.comment = Comment(_help(column), "drafter", width=320, height=160)
        sheet.column_dimensions[letter].width = max(14, min(40, len(column.label) + 4))
        if column.example is not None:
            sheet.cell(row=2, column=index, value=column.example)
        values = choices(column, rules)
        if values:
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=column.label).font = bold
            for row, value in enumerate(values, start=2):
                lists.cell(row=row, column=list_column, value=value)
            lists.column_dimensions[list_letter].width = max(len(v) for v in values) + 2
            validation = DataValidation(
                type="list", formula1=f"={LISTS_SHEET}!${list_letter}$2:${list_letter}${len(values) + 1}",
                allow_blank=True, showErrorMessage=True, errorTitle="Valeur non admise",
                error=f"Choisissez une valeur de la liste « {column.label} ».",
                promptTitle=column.label[:32], prompt=column.description[:250], showInputMessage=True)
            validation.add(f"{letter}2:{letter}{ROWS + 1}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "B2"
    sheet.row_dimensions[1].height = 32
    _write_help(help_sheet, rules)
    book.save(path)


def _help(column: Column) -> str:
    need = "obligatoire" if column.required else "facultative"
    return f"{column.description}.\nColonne {need} ; niveau : {LEVELS[column.level]}."


def _write_help(sheet, rules: Rules) -> None:
    bold = Font(bold=True)
    sheet.cell(row=1, column=1, value=INTRO[0]).font = Font(bold=True, size=14)
    for row, line in enumerate(INTRO[1:], start=2):
        sheet.cell(row=row, column=1, value=line)
    top = len(INTRO) + 2
    headers = ("Colonne", "Obligatoire", "Niveau", "Description", "Format", "Valeurs possibles", "Exemple")
    for index, header in enumerate(headers, start=1):
        sheet.cell(row=top, column=index, value=header).font = bold
    for row, column in enumerate(COLUMNS, start=top + 1):
        values = ", ".join(choices(column, rules))
        cells = (column.label, "oui" if column.required else "non", LEVELS[column.level],
                 column.description, KINDS[column.kind], values,
                 "" if column.example is None else str(column.example))
        for index, value in enumerate(cells, start=1):
            cell = sheet.cell(row=row, column=index, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFG", (34, 12, 34, 60, 30, 50, 30), strict=True):
        sheet.column_dimensions[letter].width = width
