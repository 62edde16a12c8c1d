"""The summary spreadsheet (``synthese.xlsx``): a sheet a buyer can steer with.

- « Synthèse »: one row per lot, with the figures of the calculation (amount, maximum, labour
  share, rate, hourly cost, hours, penalty per hour and the penalty the holder would owe if no
  hour were done), real number formats (€, h, %), filters and a frozen header;
- « Totaux »: per market and overall (lots, lots with a clause, hours, amounts, exposure);
- « Points à confirmer »: each point once per market, with the lots it concerns (instead of a
  long text repeated on every row).

:func:`lot_rows` gives the rows of one analysed market; :func:`synthese_workbook` writes any
rows, so bulk mode concatenates the rows of many markets into one consolidated summary.
Cells are always data: a text starting with ``= + - @`` is stored as text (never a formula, and
quoted for Excel), characters XML cannot hold are dropped, sheet titles are made valid.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from drafter.documents.docx_zip import reproducible
from drafter.engine.analysis import Analysis
from drafter.present.legal_fr import cite

EUROS = '#,##0 "€"'
EUROS_CENTS = '#,##0.00 "€"'
HOURS = '#,##0 "h"'
PERCENT = "0.0 %"
ONE_DECIMAL = "0.0"

# (title, width, number format)
COLUMNS: tuple[tuple[str, int, str | None], ...] = (
    ("Marché", 20, None), ("Objet du marché", 40, None), ("Lot", 6, None), ("Intitulé du lot", 30, None),
    ("Dispositif", 34, None), ("Heures d'insertion", 12, HOURS),
    ("Montant estimé HT", 14, EUROS), ("Montant maximum HT", 14, EUROS),
    ("Part de main-d'œuvre", 11, PERCENT), ("Taux d'insertion", 10, PERCENT), ("Coût horaire", 10, EUROS_CENTS),
    ("Ratio (h par 10 000 € HT)", 12, ONE_DECIMAL), ("Équivalent temps plein (mois)", 12, ONE_DECIMAL),
    ("Pénalité par heure non réalisée (HT)", 13, EUROS_CENTS),
    ("Pénalité encourue si aucune heure (HT)", 15, EUROS),
    ("Facilitateur", 22, None), ("Structure du facilitateur", 28, None), ("Avertissements", 60, None),
    ("Points à confirmer", 12, None),
)
TOTALS: tuple[tuple[str, int, str | None], ...] = (
    ("Marché", 24, None), ("Objet du marché", 40, None), ("Lots", 8, None), ("Lots avec clause", 10, None),
    ("Heures d'insertion", 14, HOURS), ("Montant estimé HT", 16, EUROS), ("Montant maximum HT", 16, EUROS),
    ("Pénalité encourue si aucune heure (HT)", 18, EUROS), ("Points à confirmer", 12, None),
)
CONFIRM: tuple[tuple[str, int, str | None], ...] = (
    ("Marché", 24, None), ("Lots", 16, None), ("Point à confirmer", 110, None),
)
CONFIRM_KEY = "_points"   # list of points of a row, for the « Points à confirmer » sheet
TOTAL_ALL = "Ensemble"
_FORMULA_START = ("=", "+", "-", "@")
_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
EPOCH = dt.datetime(1980, 1, 1)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def lot_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """One row per lot of one market, keyed by the column titles of :data:`COLUMNS`."""
    market = analysis.profile.market
    rows = []
    for lot in analysis.decision.lots:
        label = lot.dispositif.label
        f = lot.facilitateur if lot.dispositif.needs_facilitator else None
        sized = lot.calcul is not None
        penalty = lot.penalite_par_heure if lot.heures is not None else None
        points = [cite(c) for c in lot.a_confirmer]
        rows.append({
            "Marché": market.reference,
            "Objet du marché": market.subject,
            "Lot": lot.numero,
            "Intitulé du lot": lot.intitule,
            "Dispositif": label[0].upper() + label[1:],
            "Heures d'insertion": lot.heures,
            "Montant estimé HT": _float(lot.montant_estime_ht),
            "Montant maximum HT": _float(lot.montant_maximum_ht),
            "Part de main-d'œuvre": _float(lot.part_main_oeuvre) if sized else None,
            "Taux d'insertion": _float(lot.taux_insertion) if sized else None,
            "Coût horaire": _float(lot.cout_horaire) if sized else None,
            "Ratio (h par 10 000 € HT)": _float(lot.ratio_heures_10000_eur),
            "Équivalent temps plein (mois)": _float(lot.calcul.fte_months)
            if lot.calcul is not None and lot.heures is not None else None,
            "Pénalité par heure non réalisée (HT)": _float(penalty),
            "Pénalité encourue si aucune heure (HT)": _float(penalty * lot.heures)
            if penalty is not None and lot.heures is not None else None,
            "Facilitateur": f.name if f else None,
            "Structure du facilitateur": f.organisation if f else None,
            "Avertissements": "\n".join(cite(w) for w in lot.avertissements) or None,
            "Points à confirmer": len(points) or None,
            CONFIRM_KEY: points,
        })
    return rows


def sheet_title(title: str, taken: list[str] | None = None) -> str:
    """A valid, unique Excel sheet title: no ``[]:*?/\\``, no leading/trailing quote, ≤ 31 characters."""
    clean = re.sub(r"[\[\]:*?/\\]", "-", ILLEGAL_CHARACTERS_RE.sub("", title)).strip().strip("'").strip()
    clean = clean[:31].strip() or "Synthèse"
    existing = {t.casefold() for t in taken or []}
    base, n = clean, 2
    while clean.casefold() in existing or clean.casefold() == "history":
        suffix = f" ({n})"
        clean, n = base[:31 - len(suffix)] + suffix, n + 1
    return clean


def _put(sheet: Worksheet, row: int, column: int, value: Any, number_format: str | None = None) -> None:
    """Write one cell as data: never a formula, never a character XML cannot hold."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if value.startswith(_FORMULA_START):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
        if number_format and value is not None:
            cell.number_format = number_format


def append_data(sheet: Worksheet, values: list[Any]) -> None:
    """Append a row whose cells are data (for sheets callers add, e.g. bulk's « Erreurs »)."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(row=1, column=1).value is not None else 1
    for column, value in enumerate(values, 1):
        _put(sheet, row, column, value)


def _table(sheet: Worksheet, columns: tuple[tuple[str, int, str | None], ...], rows: list[list[Any]]) -> None:
    """Header (bold, shaded, frozen, filtered) and rows, each column with its width and format."""
    wrap = Alignment(wrap_text=True, vertical="top")  # one shared style object: much faster than one per cell
    for index, (name, width, _) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        _put(sheet, 1, index, name)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = wrap
    for r, values in enumerate(rows, 2):
        for c, ((_, _, number_format), value) in enumerate(zip(columns, values, strict=True), 1):
            _put(sheet, r, c, value, number_format)
            sheet.cell(row=r, column=c).alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"


def _totals(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """One line per market, then « Ensemble » when there are several markets."""
    by_market: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_market.setdefault(str(row["Marché"]), []).append(row)

    def line(name: str, subject: str | None, members: list[dict[str, Any]]) -> list[Any]:
        def total(key: str) -> float | None:
            values = [m[key] for m in members if m.get(key) is not None]
            return sum(values) if values else None
        with_clause = sum(1 for m in members if m["Dispositif"] != "Pas de clause sociale")
        points = sum(len(m.get(CONFIRM_KEY) or []) for m in members)
        return [name, subject, len(members), with_clause, total("Heures d'insertion"), total("Montant estimé HT"),
                total("Montant maximum HT"), total("Pénalité encourue si aucune heure (HT)"), points or None]

    out = [line(name, members[0]["Objet du marché"], members) for name, members in by_market.items()]
    if len(by_market) > 1:
        out.append(line(TOTAL_ALL, None, rows))
    return out


def _points(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """Each point to confirm once per market, with the lots it concerns."""
    seen: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        for point in row.get(CONFIRM_KEY) or []:
            seen.setdefault((str(row["Marché"]), point), []).append(str(row["Lot"]))
    return [[market, ", ".join(lots), point] for (market, point), lots in seen.items()]


def synthese_workbook(rows: list[dict[str, Any]], *, title: str = "Synthèse") -> Workbook:
    """The summary workbook, for callers that add sheets of their own (bulk: « Erreurs »)."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(title)
    _table(sheet, COLUMNS, [[row.get(name) for name, _, _ in COLUMNS] for row in rows])
    totals = book.create_sheet(sheet_title("Totaux", book.sheetnames))
    _table(totals, TOTALS, _totals(rows))
    if totals.cell(row=totals.max_row, column=1).value == TOTAL_ALL:
        for cell in totals[totals.max_row]:
            cell.font = Font(bold=True)
    points = book.create_sheet(sheet_title("Points à confirmer", book.sheetnames))
    _table(points, CONFIRM, _points(rows))
    return book


def workbook_bytes(rows: list[dict[str, Any]], *, title: str = "Synthèse", created: dt.datetime = EPOCH) -> bytes:
    """The summary workbook of ``rows`` as .xlsx bytes (same rows and date → same bytes)."""
    return book_bytes(synthese_workbook(rows, title=title), created)


def book_bytes(book: Workbook, created: dt.datetime = EPOCH) -> bytes:
    """``book`` as .xlsx bytes, reproducible: document dates set to ``created``, zip entries at the
    zip epoch (openpyxl stamps both with the current time)."""
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def dated(name: str, part: bytes) -> bytes:
        if name != "docProps/core.xml":
            return part
        return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", lambda m: m.group(1) + stamp, part)

    return reproducible(buffer.getvalue(), dated)


def write_synthese(rows: list[dict[str, Any]], path: str | Path, *, title: str = "Synthèse") -> None:
    """Write ``rows`` as the summary workbook at ``path``."""
    synthese_workbook(rows, title=title).save(str(path))
