"""Bulk spreadsheets (.xlsx, .csv): one row per lot → one validated profile per market.

Rows are grouped into markets by « Référence du marché ». Each market becomes a profile
dict with the French YAML keys and goes through the very same validation as a YAML
file (:func:`drafter.loading.validate_profile`), so the messages are those of
``drafter check``, located as ``fichier.xlsx:ligne 7, colonne « Montant estimé HT »``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.domain.parsing import significant
from drafter.errors import Problem, ProfileError, shown
from drafter.inputs.loading import LoadedProfile, validate_profile
from drafter.inputs.sheet_columns import (
    BY_KEY,
    COLUMNS,
    EXCEPTION,
    FACILITATOR,
    INSERTION,
    LOT,
    MARKET,
    Column,
    blank,
    convert,
    header_key,
    names,
)
from drafter.inputs.sheet_files import (
    DATA_SHEET,
    HELP_SHEET,
    LISTS_SHEET,
    SHEET_SUFFIXES,
    CellProblem,
    SheetError,
    read_table,
)
from drafter.inputs.source import PathKey
from drafter.inputs.yaml_text import XML_FORBIDDEN, codepoint

__all__ = ["DATA_SHEET", "HELP_SHEET", "LISTS_SHEET", "SHEET_SUFFIXES", "CellProblem", "SheetError",
           "SheetMarket", "read_markets"]


@dataclass
class Row:
    number: int
    cells: dict[str, Any]          # column key → raw value (non-empty cells only)


@dataclass
class SheetSource:
    """Duck-typed :class:`drafter.source.Source` for a market built from rows."""

    path: str
    data: dict[str, Any]
    headers: dict[str, str]                            # column key → header as written in the file
    rows: list[int]                                    # row number of each lot (market order)
    cells: dict[PathKey, int] = field(default_factory=dict)   # data path → row it came from

    def problem(self, loc: PathKey, message: str, *, key: bool = False) -> Problem:
        """A CellProblem at the row and column that produced ``loc`` (or its nearest parent)."""
        loc = tuple(loc)
        row = self._row(loc)
        return CellProblem(message, self.path, row, None, None, self._label(loc))

    def _row(self, loc: PathKey) -> int:
        probe = loc
        while probe:
            if probe in self.cells:
                return self.cells[probe]
            if len(probe) >= 2 and probe[0] == "lots" and isinstance(probe[1], int) and probe[1] < len(self.rows):
                return self.rows[probe[1]]
            probe = probe[:-1]
        return self.rows[0]

    def _label(self, loc: PathKey) -> str | None:
        keys = [str(p) for p in loc if not isinstance(p, int)]
        if keys[:1] == ["lots"] or keys[:1] == ["marche"] and len(keys) > 1 and f"lot.{keys[1]}" in BY_KEY:
            keys[0] = "lot"
        while keys:
            for dotted in (".".join(keys), ".".join(keys[1:]) if keys[0] == "lot" else None):
                column = BY_KEY.get(dotted) if dotted else None
                if column:
                    return self.headers.get(column.key, column.label)
            keys = keys[:-1]
        return None


# --- headers ---------------------------------------------------------------------------

def match_headers(header: list[Any], name: str, row_number: int) -> tuple[dict[int, Column], list[Problem]]:
    """Map each column index to a Column; report unknown, ambiguous, duplicated, missing columns."""
    exact = {n: c for c in COLUMNS for n in names(c)}
    found: dict[int, Column] = {}
    problems: list[Problem] = []
    for index, value in enumerate(header):
        if value is None or not str(value).strip():
            continue
        label, key = str(value).strip(), header_key(value)
        column = exact.get(key)
        if column is None:
            words = significant(key)
            candidates = [c for c in COLUMNS if words and any(words <= significant(n) for n in names(c))]
            if len(candidates) == 1:
                column = candidates[0]
            elif candidates:
                quoted = [f"« {c.label} »" for c in candidates]
                listed = ", ".join(quoted[:-1]) + " ou " + quoted[-1]
                problems.append(CellProblem(
                    f"colonne ambiguë : « {label} » peut désigner {listed}. Renommez-la avec l'un de ces "
                    "intitulés.", name, row_number, None, None, label))
                continue
            else:
                close = difflib.get_close_matches(key, list(exact), n=1, cutoff=0.7)
                hint = f" Vouliez-vous dire « {exact[close[0]].label} » ?" if close else ""
                problems.append(CellProblem(
                    f"colonne inconnue.{hint} Les intitulés admis sont décrits dans la feuille « Aide » du "
                    "modèle (drafter bulk --modele-tableur modele.xlsx).", name, row_number, None, None, label))
                continue
        twin = next((i for i, c in found.items() if c is column), None)
        if twin is not None:
            problems.append(CellProblem(
                f"colonne ambiguë : « {header[twin]} » et « {label} » désignent toutes deux « {column.label} ». "
                "Gardez-en une seule.", name, row_number, None, None, label))
            continue
        found[index] = column
    present = set(found.values())
    for column in COLUMNS:
        if column.required and column not in present:
            problems.append(CellProblem(
                f"colonne « {column.label} » introuvable. Attendu : {column.description}. Ajoutez cette "
                "colonne (modèle : drafter bulk --modele-tableur modele.xlsx).", name))
    return found, problems


# --- markets ---------------------------------------------------------------------------

@dataclass
class SheetMarket:
    """The rows of one market: a validated profile, or the problems found."""

    file: str
    reference: str | None
    rows: list[int]
    loaded: LoadedProfile | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def label(self) -> str:
        ref = f" (marché « {self.reference} »)" if self.reference else f" (ligne {self.rows[0]})"
        return self.file + ref


def read_markets(path: str | Path, sectors: tuple[str, ...]) -> list[SheetMarket]:
    """Every market of a spreadsheet. Raises SheetError when the file or its headers are unusable."""
    table, name = read_table(Path(path))
    table = [(n, values) for n, values in table if any(not blank(v) for v in values)]
    if not table:
        raise SheetError(CellProblem("le tableur est vide : aucune ligne d'en-tête ni de lot.", name))
    start = _header_index(table)
    header_row, header = table[start]
    columns, problems = match_headers(header, name, header_row)
    if problems:
        raise SheetError(problems)
    headers = {c.key: str(header[i]).strip() for i, c in columns.items()}
    groups: dict[str, list[Row]] = {}
    markets: list[SheetMarket] = []
    by_reference: dict[str, SheetMarket] = {}
    for number, values in table[start + 1:]:
        row = Row(number, {})
        cell_problems = []
        for index, column in columns.items():
            value = values[index] if index < len(values) else None
            if blank(value):
                continue
            forbidden = XML_FORBIDDEN.search(value) if isinstance(value, str) else None
            if forbidden:
                cell_problems.append(CellProblem(
                    f"caractère interdit ({codepoint(forbidden.group())}) dans cette cellule : il ne peut pas "
                    "figurer dans un document Word ou un tableur ; retirez-le.", name, number, None, None,
                    headers[column.key]))
                continue
            try:
                row.cells[column.key] = convert(column, value, sectors)
            except ValueError as exc:
                cell_problems.append(CellProblem(f"{exc} (valeur lue : « {shown(value)} »)", name, number,
                                                 None, None, headers[column.key]))
        reference = row.cells.get("marche.reference")
        if reference is None:
            markets.append(SheetMarket(name, None, [number], problems=[CellProblem(
                "champ obligatoire manquant : la référence du marché regroupe les lignes (lots) d'un même "
                "marché et nomme son dossier de sortie.", name, number, None, None, headers["marche.reference"])]))
            continue
        market = by_reference.get(reference)
        if market is None:
            groups[reference] = []
            market = by_reference[reference] = SheetMarket(name, reference, [])
            markets.append(market)
        groups[reference].append(row)
        market.rows.append(number)
        market.problems.extend(cell_problems)
    for market in markets:
        if market.reference is not None:
            build_market(market, groups[market.reference], headers)
    return markets


def _header_index(table: list[tuple[int, list[Any]]]) -> int:
    """The header row: the first of the first ten rows naming at least three known columns (a title
    line above the headers is tolerated), else the first row."""
    known = {n for c in COLUMNS for n in names(c)}
    for index, (_, values) in enumerate(table[:10]):
        if sum(1 for v in values if not blank(v) and header_key(v) in known) >= 3:
            return index
    return 0


def build_market(market: SheetMarket, rows: list[Row], headers: dict[str, str]) -> None:
    """Assemble the profile dict of a market and validate it like a YAML profile."""
    first = rows[0]
    source = SheetSource(market.file, {"version": 1}, headers, [r.number for r in rows])
    data = source.data
    for column in COLUMNS:
        if column.level != MARKET:
            continue
        values = [(r.number, r.cells.get(column.key)) for r in rows]
        reference_value = first.cells.get(column.key)
        for number, value in values[1:]:
            if value != reference_value:
                market.problems.append(CellProblem(
                    f"valeur différente de celle de la ligne {first.number} pour le même marché « "
                    f"{market.reference} » (« {_show(value)} » ligne {number}, « {_show(reference_value)} » "
                    f"ligne {first.number}) : les colonnes du marché doivent être identiques sur toutes ses "
                    "lignes.", market.file, number, None, None, headers.get(column.key, column.label)))
        if reference_value is not None:
            _put(data, column.path, reference_value)
            source.cells[column.path] = first.number
    single = len(rows) == 1 and not {"lot.numero", "lot.intitule"} & set(first.cells)
    lots: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        lot: dict[str, Any] = {}
        target, prefix = (data.setdefault("marche", {}), ("marche",)) if single else (lot, ("lots", index))
        for column in COLUMNS:
            if column.level == LOT and column.key in row.cells:
                target[column.field] = row.cells[column.key]
                source.cells[(*prefix, column.field)] = row.number
        lots.append(lot)
    _shared(data, lots, rows, source, single)
    if not single:
        data["lots"] = lots
    try:
        loaded = validate_profile(source)
    except ProfileError as exc:
        seen = {(p.line, getattr(p, "column_label", None)) for p in market.problems}
        market.problems.extend(p for p in exc.problems if (p.line, getattr(p, "column_label", None)) not in seen)
        loaded = None
    if market.problems:
        market.problems.sort(key=lambda p: (p.line or 0, str(getattr(p, "column_label", ""))))
    else:
        market.loaded = loaded


def _shared(data: dict, lots: list[dict], rows: list[Row], source: SheetSource, single: bool) -> None:
    """Facilitator, insertion and exception: on the market when all rows agree, else on each lot."""
    groups = {FACILITATOR: ("facilitateur",), EXCEPTION: ("insertion", "exception")}
    for level, path in groups.items():
        cols = [c for c in COLUMNS if c.level == level]
        per_row = [{c.field: r.cells[c.key] for c in cols if c.key in r.cells} for r in rows]
        if all(p == per_row[0] for p in per_row) or single:
            if per_row[0]:
                _put(data, path, per_row[0])
                for c in per_row[0]:
                    source.cells[(*path, c)] = rows[0].number
        else:
            for index, own in enumerate(per_row):
                if own:
                    _put(lots[index], path, own)
                    for c in own:
                        source.cells[("lots", index, *path, c)] = rows[index].number
    _shared_settings(data, lots, rows, source, single)


def _shared_settings(data: dict, lots: list[dict], rows: list[Row], source: SheetSource, single: bool) -> None:
    """Each insertion setting: on the market when all rows agree, else on each lot."""
    for column in (c for c in COLUMNS if c.level == INSERTION):
        values = [r.cells.get(column.key) for r in rows]
        if all(v == values[0] for v in values) or single:
            if values[0] is not None:
                _put(data, column.path, values[0])
                source.cells[column.path] = rows[0].number
        else:
            for index, value in enumerate(values):
                if value is not None:
                    _put(lots[index], column.path, value)
                    source.cells[("lots", index, *column.path)] = rows[index].number


def _put(data: dict, path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


def _show(value: Any) -> str:
    if isinstance(value, list):
        return " ; ".join(map(str, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    return shown(value)
