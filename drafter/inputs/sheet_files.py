"""Reading a bulk spreadsheet file (.xlsx, .csv) into rows, within bounds.

Bounded before and while reading: file size (20 Mo), uncompressed size of the .xlsx members,
rows (100 000) and columns (200). A damaged file is one French problem for that file only.
CSV: UTF-8, Windows-1252 or UTF-16 (with its BOM); separator « ; », « , » or tabulation, guessed
from the first ten lines (a title line may sit above the headers).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.domain import fmt
from drafter.domain.parsing import normalise
from drafter.errors import DrafterError, Problem, ProfileError
from drafter.inputs.archive import SPREADSHEET, archive_problem
from drafter.inputs.source import MAX_BYTES

SHEET_SUFFIXES = {".xlsx", ".xlsm", ".csv"}
HELP_SHEET = "Aide"
DATA_SHEET = "Lots"
LISTS_SHEET = "Listes"


@dataclass(frozen=True)
class CellProblem(Problem):
    """A problem located in a spreadsheet: row number and column header."""

    column_label: str | None = None

    def render(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where += f":ligne {self.line}"
            if self.column_label:
                where += f", colonne « {self.column_label} »"
        elif self.column_label:
            where += f", colonne « {self.column_label} »"
        return f"{where} — {self.message}" if where else self.message


class SheetError(ProfileError):
    """A whole spreadsheet cannot be read (file, header row)."""


# --- reading files -------------------------------------------------------------------

def read_table(path: Path) -> tuple[list[tuple[int, list[Any]]], str]:
    """(row number, values) of every row of the data sheet, and the file name for messages."""
    name = str(path)
    if path.stat().st_size > 4 * MAX_BYTES:
        raise SheetError(CellProblem("fichier trop volumineux (maximum 20 Mo) : découpez-le.", name))
    if path.suffix.lower() == ".csv":
        return _read_csv(path, name), name
    return _read_xlsx(path, name), name


MAX_ROWS = 100_000
MAX_COLUMNS = 200


def _too_many_rows(name: str) -> SheetError:
    return SheetError(CellProblem(f"trop de lignes (plus de {fmt.number(MAX_ROWS)}) : découpez le tableur.", name))


def _tolerate_bad_numbers() -> None:
    """openpyxl raises on a numeric cell it cannot cast (``<v>NaN</v>``) and the whole sheet is lost:
    keep such a value as text instead, so that only its cell is reported."""
    from openpyxl.worksheet import _reader

    cast = getattr(_reader, "_cast_number", None)
    if cast is None or getattr(cast, "tolerant", False):
        return

    def tolerant(value: str) -> Any:
        try:
            return cast(value)
        except ValueError:
            return value

    tolerant.tolerant = True  # type: ignore[attr-defined]
    _reader._cast_number = tolerant


def _read_xlsx(path: Path, name: str) -> list[tuple[int, list[Any]]]:
    import openpyxl

    _tolerate_bad_numbers()

    problem = archive_problem(path, SPREADSHEET, what="classeur Excel (.xlsx)")
    if problem:
        raise SheetError(CellProblem(problem + ".", name))
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise _unreadable(name, exc) from None
    try:
        ignored = {normalise(HELP_SHEET), normalise(LISTS_SHEET)}
        sheets = [ws for ws in book.worksheets if normalise(ws.title) not in ignored]
        named = [ws for ws in sheets if normalise(ws.title) == normalise(DATA_SHEET)]
        if not sheets:
            raise SheetError(CellProblem("aucune feuille de données (seule la feuille « Aide » est présente).", name))
        sheet = (named or sheets)[0]
        rows = []
        for i, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            if i > MAX_ROWS + 10:
                raise _too_many_rows(name)
            rows.append((i, list(values)))
        return rows
    except DrafterError:
        raise
    except Exception as exc:  # noqa: BLE001 - read-only mode parses while iterating
        raise _unreadable(name, exc) from None
    finally:
        book.close()


def _unreadable(name: str, exc: Exception) -> SheetError:
    return SheetError(CellProblem(
        f"classeur illisible ({type(exc).__name__}) : enregistrez-le au format Excel .xlsx.", name))


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # « Texte Unicode » of Excel: UTF-16
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # Excel's « CSV (séparateur : point-virgule) » on Windows
        return raw.decode("cp1252", errors="replace")


def _read_csv(path: Path, name: str) -> list[tuple[int, list[Any]]]:
    text = _decode(path.read_bytes())
    head = text.split("\n", 10)[:10]  # a title line may sit above the headers
    delimiter = max(";,\t", key=lambda d: max(line.count(d) for line in head))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    start = 1
    try:
        for values in reader:
            if len(rows) > MAX_ROWS + 10:
                raise _too_many_rows(name)
            rows.append((start, values[:MAX_COLUMNS]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise SheetError(CellProblem(f"fichier CSV illisible à la ligne {start} ({exc}).", name)) from None
    return rows


