"""The summary spreadsheet (``synthese.xlsx``): one row per lot.

:func:`lot_rows` gives the rows of one analysed market; :func:`write_synthese` writes any
rows, so bulk mode can concatenate the rows of many markets into one consolidated summary.
Numbers stay numbers (hours, ratio, months) so that the sheet can be summed and filtered.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from drafter.engine.analysis import Analysis
from drafter.present.legal_fr import cite

COLUMNS: tuple[tuple[str, int], ...] = (
    ("Marché", 20), ("Objet du marché", 40), ("Lot", 6), ("Intitulé du lot", 30), ("Dispositif", 40),
    ("Heures d'insertion", 12), ("Ratio (h par 10 000 € HT)", 14), ("Équivalent temps plein (mois)", 14),
    ("Facilitateur", 22), ("Structure du facilitateur", 28), ("Avertissements", 60), ("Points à confirmer", 60),
)


def _float(value) -> float | None:
    return None if value is None else float(value)


def lot_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """One row per lot of one market, keyed by the column titles of :data:`COLUMNS`."""
    market = analysis.profile.market
    rows = []
    for lot in analysis.decision.lots:
        label = lot.dispositif.label
        f = lot.facilitateur if lot.dispositif.needs_facilitator else None
        rows.append({
            "Marché": market.reference,
            "Objet du marché": market.subject,
            "Lot": lot.numero,
            "Intitulé du lot": lot.intitule,
            "Dispositif": label[0].upper() + label[1:],
            "Heures d'insertion": lot.heures,
            "Ratio (h par 10 000 € HT)": _float(lot.ratio_heures_10000_eur),
            "Équivalent temps plein (mois)": _float(lot.calcul.fte_months) if lot.calcul and lot.heures is not None else None,
            "Facilitateur": f.name if f else None,
            "Structure du facilitateur": f.organisation if f else None,
            "Avertissements": "\n".join(cite(w) for w in lot.avertissements) or None,
            "Points à confirmer": "\n".join(cite(c) for c in lot.a_confirmer) or None,
        })
    return rows


def workbook_bytes(rows: list[dict[str, Any]], *, title: str = "Synthèse") -> bytes:
    """The summary workbook of ``rows`` as .xlsx bytes."""
    buffer = io.BytesIO()
    synthese_workbook(rows, title=title).save(buffer)
    return buffer.getvalue()


def write_synthese(rows: list[dict[str, Any]], path: str | Path, *, title: str = "Synthèse") -> None:
    """Write ``rows`` as a formatted sheet: bold frozen header, filters, wrapped long texts."""
    synthese_workbook(rows, title=title).save(str(path))


def synthese_workbook(rows: list[dict[str, Any]], *, title: str = "Synthèse") -> Workbook:
    """The summary workbook, for callers that add sheets of their own (bulk: « Erreurs »)."""
    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\[\]:*?/\\']", "-", title).strip()[:31] or "Synthèse"  # Excel's forbidden characters
    sheet.append([name for name, _ in COLUMNS])
    for row in rows:
        sheet.append([row.get(name) for name, _ in COLUMNS])
    header_fill = PatternFill("solid", fgColor="D9E2F3")
    wrap = Alignment(wrap_text=True, vertical="top")  # one shared style object: much faster than one per cell
    for index, (_, width) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = wrap
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(rows) + 1)}"
    return book
