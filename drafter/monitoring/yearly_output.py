"""Writing the yearly report (Word + .xlsx with native Excel charts) and the national export (JSON)."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from . import parameters
from .drafted import fmt, render_docx
from .final_report import TEMPLATES, typo
from .workbook import put
from .yearly import Perimeter, Yearly, decp_values

KEY_LABELS = {
    "heures": "Heures d'insertion réalisées", "heures_validees": "dont heures validées",
    "heures_formation": "dont heures de formation", "etp": "Équivalents temps plein",
    "personnes": "Personnes mises à l'emploi", "contrats": "Contrats", "entreprises": "Entreprises titulaires",
    "entreprises_inclusives": "Entreprises inclusives", "acheteurs": "Donneurs d'ordres", "marches": "Marchés",
    "facilitateurs": "Facilitateurs", "departements_couverts": "Départements couverts",
}


def shown(value: Any) -> str:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return fmt.smart(value, 2, fmt.NBSP)
    return str(value).replace(" ", fmt.NBSP)


def write_xlsx(data: Yearly, target: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Chiffres clés"
    put(ws, 1, 1, f"Clauses sociales — {data.perimeter.label()}")
    ws["A1"].font = Font(bold=True, size=13)
    for row, (key, value) in enumerate(data.key.items(), start=3):
        put(ws, row, 1, KEY_LABELS[key])
        put(ws, row, 2, float(value) if isinstance(value, Decimal) else value)
    ws.column_dimensions["A"].width = 40
    for title, pairs in data.tables.items():
        sheet = wb.create_sheet(title[:31].replace("'", " "))
        put(sheet, 1, 1, title)
        put(sheet, 1, 2, "Nombre")
        for row, (label, count) in enumerate(pairs, start=2):
            put(sheet, row, 1, label)
            put(sheet, row, 2, count)
        sheet.column_dimensions["A"].width = 60
        if all(isinstance(c, int) for _, c in pairs) and len(pairs) > 1:
            chart = BarChart()
            chart.type, chart.title, chart.legend = "bar", title, None
            chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=len(pairs) + 1), titles_from_data=True)
            chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(pairs) + 1))
            sheet.add_chart(chart, "D2")
    wb.save(target)
    return target


def write_docx(data: Yearly, target: Path) -> Path:
    fte = parameters.entry("heures_etp_annuelles", dt.date(data.perimeter.year, 12, 31))
    context = {
        "perimetre": typo(data.perimeter.label()),
        "chiffres": [{"libelle": KEY_LABELS[k], "valeur": shown(v)} for k, v in data.key.items()],
        "tableaux": [{"titre": typo(t), "lignes": [{"libelle": typo(lab), "nombre": shown(n)} for lab, n in pairs]}
                     for t, pairs in data.tables.items()],
        "etp": typo(f"{fmt.smart(fte.value, 0, fmt.NBSP)} heures par an ({fte.source})"
                    + (" [à confirmer]" if fte.to_confirm else "")),
    }
    render_docx(TEMPLATES / "bilan-annuel.docx", context, target)
    return target


def write_yearly(data: Yearly, stem: str | Path) -> tuple[Path, Path]:
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    docx = write_docx(data, stem.with_suffix(".docx"))
    add_charts(docx, data)
    return docx, write_xlsx(data, stem.with_suffix(".xlsx"))


def national_json(data: Yearly, perimeter: Perimeter) -> str:
    fte = parameters.entry("heures_etp_annuelles", dt.date(perimeter.year, 12, 31))
    document = {
        "annee": perimeter.year,
        "indicateurs": {k: (str(v) if isinstance(v, Decimal) else v) for k, v in data.key.items()},
        "heures_par_etp": {"valeur": int(fte.value), "source": fte.source, "a_confirmer": fte.to_confirm},
        "repartitions": {t: dict(pairs) for t, pairs in data.tables.items()},
        "secret_statistique": "cases de moins de 5 personnes masquées (« < 5 »)",
        "marches_decp": decp_values(perimeter),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def add_charts(docx: Path, data: Yearly) -> bool:
    """Append bar charts (matplotlib, if installed) to the Word report; False when unavailable."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator
    except ImportError:
        return False
    from docx import Document
    from docx.shared import Cm

    document = Document(str(docx))
    document.add_paragraph("Graphiques", style="Heading 1")
    with tempfile.TemporaryDirectory() as work:
        for index, (title, pairs) in enumerate(data.tables.items()):
            if not all(isinstance(n, int) for _, n in pairs) or len(pairs) < 2 or not any(n for _, n in pairs):
                continue  # suppressed cells are not drawn, nor empty tables
            figure, axis = plt.subplots(figsize=(7, 0.45 * len(pairs) + 0.8), dpi=150)
            axis.barh([label[:45] for label, _ in pairs][::-1], [n for _, n in pairs][::-1], color="#1F3864")
            axis.set_title(title, fontsize=10)
            axis.xaxis.set_major_locator(MaxNLocator(integer=True))
            axis.tick_params(labelsize=8)
            figure.tight_layout()
            png = Path(work) / f"{index}.png"
            figure.savefig(png, metadata={"Software": None})
            plt.close(figure)
            document.add_picture(str(png), width=Cm(16))
    document.save(str(docx))
    return True
