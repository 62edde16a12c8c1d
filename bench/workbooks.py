"""Summary workbook writers side by side, same rows, one run (issue 14): CPU per workbook.

- a market's own ``synthese.xlsx`` (the rows of a 6-lot works market): openpyxl normal (cells
  and styles, then the zip rewritten at fixed dates as drafter did), openpyxl write-only
  (``WriteOnlyCell``), XlsxWriter in memory (drafter's :func:`workbook_bytes`), XlsxWriter
  ``constant_memory`` (drafter's streamed :class:`Summary`, to a file);
- the consolidated workbook of ``--marches`` such markets, streamed: openpyxl write-only against
  XlsxWriter ``constant_memory``;
- the manifest of the same market (``decision_json`` + ``dumps``).

Usage: ``python bench/workbooks.py [--repetitions 200] [--marches 1000]``. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from drafter.app.analyse import analyse
from drafter.documents import workbook as W
from drafter.documents.docx_zip import reproducible
from drafter.present.explain import decision_json, dumps

ROOT = Path(__file__).resolve().parent.parent
CREATED = dt.datetime(2027, 1, 1)
FILL = PatternFill("solid", fgColor="D9E2F3")


def sheets(rows: list[dict[str, Any]]) -> list[tuple[str, W.Columns, list[list[Any]]]]:
    """The three sheets' values (the same for every writer)."""
    tally, points = W._Tally(), {}
    for row in rows:
        tally.add(row)
        for point in row.get(W.CONFIRM_KEY) or []:
            points.setdefault(point, []).append(str(row["Lot"]))
    market = str(rows[0]["Marché"])
    return [("Synthèse", W.COLUMNS, [[row.get(name) for name, _, _ in W.COLUMNS] for row in rows]),
            ("Totaux", W.TOTALS, [tally.line(market, rows[0]["Objet du marché"])]),
            ("Points à confirmer", W.CONFIRM, [[market, ", ".join(lots), p] for p, lots in points.items()])]


def openpyxl_normal(rows: list[dict[str, Any]], write_only: bool = False) -> bytes:
    book = Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    wrap, bold = Alignment(wrap_text=True, vertical="top"), Font(bold=True)
    for title, columns, data in sheets(rows):
        sheet = book.create_sheet(title)
        for index, (_, width, _) in enumerate(columns, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        for r, values in enumerate([[name for name, _, _ in columns], *data], 1):
            cells = []
            for c, ((_, _, number_format), value) in enumerate(zip(columns, values, strict=True), 1):
                cell = WriteOnlyCell(sheet, value) if write_only else sheet.cell(row=r, column=c, value=value)
                cell.alignment = wrap
                if r == 1:
                    cell.font, cell.fill = bold, FILL
                elif number_format and isinstance(value, int | float):
                    cell.number_format = number_format
                cells.append(cell)
            if write_only:
                sheet.append(cells)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(data) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return reproducible(buffer.getvalue())


def xlsxwriter_stream(rows: list[dict[str, Any]], markets: int = 1) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthese.xlsx"
        summary = W.Summary(path, created=CREATED, stream=True, tmpdir=folder)
        for _ in range(markets):
            summary.add_market(rows)
        summary.close()
        return path.read_bytes()


def openpyxl_stream(rows: list[dict[str, Any]], markets: int) -> bytes:
    return openpyxl_normal(rows * markets, write_only=True)


def cpu_ms(function, repetitions: int) -> float:
    start = time.process_time()
    for _ in range(repetitions):
        function()
    return (time.process_time() - start) * 1000 / repetitions


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=200)
    parser.add_argument("--marches", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    analysis = analyse(ROOT / "profiles" / "examples" / "travaux-cite-administrative.yaml", today=dt.date(2026, 11, 25))
    rows = W.lot_rows(analysis)
    small = {
        "openpyxl normal": lambda: openpyxl_normal(rows),
        "openpyxl write-only": lambda: openpyxl_normal(rows, write_only=True),
        "XlsxWriter en mémoire (drafter, par marché)": lambda: W.workbook_bytes(rows, created=CREATED),
        "XlsxWriter constant_memory": lambda: xlsxwriter_stream(rows),
        "manifeste (decision_json + dumps)": lambda: dumps(decision_json(analysis.decision, analysis.profile)),
    }
    big = {
        "openpyxl write-only": lambda: openpyxl_stream(rows, args.marches),
        "XlsxWriter constant_memory (drafter, consolidée)": lambda: xlsxwriter_stream(rows, args.marches),
    }
    times: dict[str, list[float]] = {name: [] for name in [*small, *(f"big {n}" for n in big)]}
    for _ in range(args.rounds):   # interleaved rounds: the machine's load hits every writer alike
        for name, function in small.items():
            times[name].append(cpu_ms(function, args.repetitions))
        for name, function in big.items():
            times[f"big {name}"].append(cpu_ms(function, 1))
    lines = [f"Classeur d'un marché de {len(rows)} lots (ms CPU, médiane de {args.rounds} tours) :"]
    lines += [f"  {name:48s} {statistics.median(times[name]):7.2f}  ({len(function())} octets)"
              for name, function in small.items()]
    lines.append(f"Synthèse consolidée de {args.marches} marchés ({args.marches * len(rows)} lignes), ms CPU par ligne :")
    lines += [f"  {name:48s} {statistics.median(times[f'big {name}']) / (args.marches * len(rows)):7.3f}"
              for name in big]
    result = "\n".join(lines)
    print(result)
    return result


if __name__ == "__main__":
    main()
