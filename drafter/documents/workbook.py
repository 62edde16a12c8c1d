"""The summary spreadsheet (``synthese.xlsx``): a sheet a buyer can steer with.

- « Synthèse »: one row per lot, with the figures of the calculation (amount, maximum, labour
  share, rate, hourly cost, hours, penalty per hour and the penalty the holder would owe if no
  hour were done), real number formats (€, h, %), filters and a frozen header;
- « Totaux »: per market and overall (lots, lots with a clause, hours, amounts, exposure);
- « Points à confirmer »: each point once per market, with the lots it concerns (instead of a
  long text repeated on every row);
- « Erreurs » (bulk only): the inputs that failed, located.

:func:`lot_rows` gives the rows of one analysed market. :class:`Summary` writes a workbook
**market by market**: each market's rows, its totals line and its points go into the sheets as
it is added, so a caller holds nothing per market once it is added. The same class writes a
market's own workbook in memory (:func:`workbook_bytes`) and bulk's consolidated one streamed to
disk (``stream=True``: XlsxWriter's ``constant_memory`` mode, one temporary file per sheet,
flat memory at any number of markets).

Why XlsxWriter and not openpyxl: measured side by side on the same rows (``bench/workbooks.py``,
CPU, 28/11/2026): a 6-lot market's workbook takes ≈ 7.4 ms with openpyxl (the writer before),
≈ 7.2 ms with openpyxl's write-only mode, ≈ 2.0 ms with XlsxWriter in memory (≈ 4.8 ms in its
``constant_memory`` mode: temporary files, only worth it for the consolidated workbook); streaming
the rows of 1 000 such markets costs ≈ 0.21 ms a row with openpyxl write-only, ≈ 0.095 ms with
XlsxWriter ``constant_memory``. openpyxl stays the reader of spreadsheets (bulk inputs,
monitoring declarations).

Cells are always data: a text starting with ``= + - @`` is written as text (never a formula,
with Excel's quote prefix), characters XML cannot hold are dropped, sheet titles are made valid.
Bytes are reproducible: document dates are ``created``, zip entries at the zip epoch.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
from collections.abc import Iterable
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from drafter.documents.output import write_error
from drafter.engine.analysis import Analysis
from drafter.present.legal_fr import cite

EUROS = '#,##0 "€"'
EUROS_CENTS = '#,##0.00 "€"'
HOURS = '#,##0 "h"'
PERCENT = "0.0 %"
ONE_DECIMAL = "0.0"

Columns = tuple[tuple[str, int, str | None], ...]   # (title, width, number format)
COLUMNS: Columns = (
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
TOTALS: Columns = (
    ("Marché", 24, None), ("Objet du marché", 40, None), ("Lots", 8, None), ("Lots avec clause", 10, None),
    ("Heures d'insertion", 14, HOURS), ("Montant estimé HT", 16, EUROS), ("Montant maximum HT", 16, EUROS),
    ("Pénalité encourue si aucune heure (HT)", 18, EUROS), ("Points à confirmer", 12, None),
)
CONFIRM: Columns = (
    ("Marché", 24, None), ("Lots", 16, None), ("Point à confirmer", 110, None),
)
ERRORS: Columns = (
    ("Élément", 40, None), ("Fichier", 30, None), ("Ligne", 8, None), ("Colonne ou champ", 28, None),
    ("Message", 100, None),
)
SUMMED = ("Heures d'insertion", "Montant estimé HT", "Montant maximum HT", "Pénalité encourue si aucune heure (HT)")
CONFIRM_KEY = "_points"   # list of points of a row, for the « Points à confirmer » sheet
TOTAL_ALL = "Ensemble"
NO_CLAUSE = "Pas de clause sociale"
ERRORS_TITLE = "Erreurs"
EPOCH = dt.datetime(1980, 1, 1)
MAX_ROWS = 1_048_576   # rows of an Excel sheet, header included
_FORMULA_START = ("=", "+", "-", "@")
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")   # characters XML 1.0 cannot hold
_HEADER = {"bold": True, "bg_color": "#D9E2F3"}
_CELL = {"text_wrap": True, "valign": "top"}


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
    clean = re.sub(r"[\[\]:*?/\\]", "-", _ILLEGAL.sub("", title)).strip().strip("'").strip()
    clean = clean[:31].strip() or "Synthèse"
    existing = {t.casefold() for t in taken or []}
    base, n = clean, 2
    while clean.casefold() in existing or clean.casefold() == "history":
        suffix = f" ({n})"
        clean, n = base[:31 - len(suffix)] + suffix, n + 1
    return clean


class _Tally:
    """Running totals of some lots (one market, or every market)."""

    def __init__(self) -> None:
        self.lots = self.with_clause = self.points = 0
        self.sums: dict[str, Any] = dict.fromkeys(SUMMED)

    def add(self, row: dict[str, Any]) -> None:
        self.lots += 1
        self.with_clause += row["Dispositif"] != NO_CLAUSE
        self.points += len(row.get(CONFIRM_KEY) or [])
        for key in SUMMED:
            if row.get(key) is not None:
                self.sums[key] = (self.sums[key] or 0) + row[key]

    def line(self, name: str, subject: str | None) -> list[Any]:
        return [name, subject, self.lots, self.with_clause, *self.sums.values(), self.points or None]


class _Sheet:
    """One sheet written row after row: header (bold, shaded, frozen, filtered), widths, formats.
    Past Excel's last row, the rows go on in a new sheet of the same name, numbered (« Synthèse (2) »)."""

    def __init__(self, summary: Summary, title: str, columns: Columns):
        self.summary, self.columns, self.title = summary, columns, title
        self._open(title)

    def _open(self, title: str) -> None:
        self.summary.titles.append(sheet_title(title, self.summary.titles))
        self.sheet, self.row = self.summary.book.add_worksheet(self.summary.titles[-1]), 1
        header = self.summary.style(header=True)
        for index, (name, width, _) in enumerate(self.columns):
            self.sheet.set_column(index, index, width)
            self.sheet.write_string(0, index, name, header)
        self.sheet.freeze_panes(1, 0)

    def append(self, values: list[Any], *, bold: bool = False) -> None:
        """One row of data: never a formula, never a character XML cannot hold."""
        if self.row >= MAX_ROWS:
            self.close()
            try:
                self._open(self.title)
            except OSError as exc:
                raise write_error(self.summary.tmpdir, exc) from None
        style, sheet, row = self.summary.style, self.sheet, self.row
        for column, ((_, _, number_format), value) in enumerate(zip(self.columns, values, strict=True)):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(row, column, value, style(bold=bold))
                continue
            if not isinstance(value, int | float | str):
                value = str(value)
            if isinstance(value, str):
                value = _ILLEGAL.sub("", value)
                sheet.write_string(row, column, value, style(bold=bold, quoted=value.startswith(_FORMULA_START)))
            else:
                sheet.write_number(row, column, value, style(number_format, bold=bold))
        self.row += 1

    def close(self) -> None:
        self.sheet.autofilter(0, 0, max(0, self.row - 1), len(self.columns) - 1)


class Summary:
    """A summary workbook written market by market (see the module's doc); :meth:`close` ends it.

    ``target``: a path, or a binary buffer (then the workbook is built in memory). ``stream``
    (a path only): rows go to temporary files in ``tmpdir`` as they come (bulk's consolidated
    workbook). ``errors``: add the « Erreurs » sheet (:meth:`add_error`).
    """

    def __init__(self, target: str | Path | BinaryIO, *, title: str = "Synthèse", created: dt.datetime = EPOCH,
                 errors: bool = False, stream: bool = False, tmpdir: str | Path | None = None):
        self.path = Path(target) if isinstance(target, str | Path) else None
        options: dict[str, Any] = {"nan_inf_to_errors": True}
        if stream and self.path is not None:
            options.update(constant_memory=True, tmpdir=str(tmpdir) if tmpdir else None)
        else:
            options.update(in_memory=True)
        self.book = xlsxwriter.Workbook(str(target) if self.path else target, options)
        self.book.set_properties({"created": created})
        self._styles: dict[tuple, Any] = {}
        self.titles: list[str] = []
        self.tmpdir = Path(tmpdir or ".")
        try:   # streamed: each sheet opens its temporary file
            self.lots = _Sheet(self, title, COLUMNS)
            self.totals = _Sheet(self, "Totaux", TOTALS)
            self.points = _Sheet(self, "Points à confirmer", CONFIRM)
            self.errors = _Sheet(self, ERRORS_TITLE, ERRORS) if errors else None
        except OSError as exc:
            raise write_error(self.tmpdir, exc) from None
        self.overall = _Tally()
        self.markets = 0

    def style(self, number_format: str | None = None, *, bold: bool = False, quoted: bool = False,
              header: bool = False) -> Any:
        """One shared format per combination (XlsxWriter formats are workbook-wide)."""
        key = (number_format, bold, quoted, header)
        if key not in self._styles:
            spec: dict[str, Any] = dict(_CELL, **(_HEADER if header else {"bold": bold}))
            if number_format:
                spec["num_format"] = number_format
            if quoted:
                spec["quote_prefix"] = True
            self._styles[key] = self.book.add_format(spec)
        return self._styles[key]

    def add_market(self, rows: list[dict[str, Any]]) -> None:
        """One market's lots: its rows, its totals line, each of its points once with its lots."""
        if not rows:
            return
        tally = _Tally()
        points: dict[str, list[str]] = {}   # point → the lots it concerns
        for row in rows:
            self.lots.append([row.get(name) for name, _, _ in COLUMNS])
            tally.add(row)
            self.overall.add(row)
            for point in row.get(CONFIRM_KEY) or []:
                points.setdefault(point, []).append(str(row["Lot"]))
        market = str(rows[0]["Marché"])
        self.totals.append(tally.line(market, rows[0]["Objet du marché"]))
        for point, lots in points.items():
            self.points.append([market, ", ".join(lots), point])
        self.markets += 1

    def add_error(self, values: list[Any]) -> None:
        """One row of the « Erreurs » sheet: element, file, line, column or field, message."""
        assert self.errors is not None, "Summary(errors=True)"
        self.errors.append(values)

    def close(self) -> None:
        """The « Ensemble » line when there are several markets, filters, and the file itself."""
        if self.markets > 1:
            self.totals.append(self.overall.line(TOTAL_ALL, None), bold=True)
        for sheet in (self.lots, self.totals, self.points, self.errors):
            if sheet is not None:
                sheet.close()
        try:
            self.book.close()
            if self.path is not None:
                zip_epoch(self.path)
        except FileCreateError as exc:   # XlsxWriter's wrapper of an OSError
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
            raise write_error(self.path.parent if self.path else Path("."), cause) from None
        except OSError as exc:
            raise write_error(self.path.parent if self.path else Path("."), exc) from None


def workbook_bytes(rows: Iterable[dict[str, Any]], *, title: str = "Synthèse", created: dt.datetime = EPOCH) -> bytes:
    """The summary workbook of ``rows`` (markets one after the other) as .xlsx bytes (same rows and
    date → same bytes)."""
    buffer = io.BytesIO()
    summary = Summary(buffer, title=title, created=created)
    for _market, market_rows in groupby(rows, key=lambda row: str(row["Marché"])):
        summary.add_market(list(market_rows))
    summary.close()
    return buffer.getvalue()


_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1   # 1980-01-01 00:00, the zip epoch


def zip_epoch(path: Path) -> None:
    """Set every entry of the zip file at ``path`` to the zip epoch, in place (XlsxWriter dates the
    entries it writes from temporary files 1980-01-31): a few bytes per entry, the data untouched.
    A zip64 archive (over 4 GB) is left as it is."""
    with open(path, "r+b") as handle:
        handle.seek(-22, io.SEEK_END)   # XlsxWriter writes no archive comment
        signature, _disk, _start, _here, count, size, offset, _comment = struct.unpack("<4s4H2LH", handle.read(22))
        if signature != b"PK\x05\x06" or offset == 0xFFFFFFFF:
            return
        handle.seek(offset)
        central = bytearray(handle.read(size))
        position, headers = 0, []
        for _ in range(count):
            names = sum(struct.unpack_from("<3H", central, position + 28))
            headers.append(struct.unpack_from("<L", central, position + 42)[0])
            struct.pack_into("<2H", central, position + 12, _DOS_TIME, _DOS_DATE)
            position += 46 + names
        if 0xFFFFFFFF in headers:
            return
        for header in headers:
            handle.seek(header + 10)
            handle.write(struct.pack("<2H", _DOS_TIME, _DOS_DATE))
        handle.seek(offset)
        handle.write(central)
