"""Reading a statement workbook: every cell checked, every error located, nothing trusted.

Errors read ``fichier.xlsx:feuille « Déclarations », ligne 7, colonne « Heures travaillées » —
message (valeur lue : « … »)``. Cell values are data: a formula is refused, never evaluated.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .choices import ELIGIBILITY_BY_CODE, AgeBand, ContractType, Prescriber, Qualification, Route, Sex
from .services import parse_month
from .workbook import COLUMNS, HEADERS, SHEET

ORDER = {c.header: i for i, c in enumerate(COLUMNS)}

MAX_MONTH_HOURS = Decimal(744)  # 31 days × 24 h: a physical bound, not a rule
PERSONAL_HEADER = re.compile(
    r"\b(nom|pr[ée]nom|nir|s[ée]curit[ée] sociale|num[ée]ro de s[ée]cu|adresse|domicile|naissance|n[ée]e? le|"
    r"t[ée]l[ée]phone|courriel|e-?mail|ssn)\b", re.IGNORECASE)
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
LOOKS_LIKE_NIR = re.compile(r"[12]\s?\d{2}\s?\d{2}\s?(\d{2}|2A|2B)\s?\d{3}\s?\d{3}(\s?\d{2})?", re.IGNORECASE)
CHOICES = {"sex": Sex, "age_band": AgeBand, "qualification": Qualification, "prescriber": Prescriber,
           "route": Route, "contract_type": ContractType}


@dataclass
class Row:
    line: int
    values: dict[str, Any] = field(default_factory=dict)


class CellError(ValueError):
    """A French message about one cell."""


def shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    text = "" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _choice(key: str, value: Any) -> str:
    text = _text(value)
    enum = CHOICES[key]
    for member in enum:
        if text.lower() in {member.value.lower(), member.label.lower()}:
            return member.value
    raise CellError("valeur non prévue ; choisissez dans la liste déroulante : " + ", ".join(enum.labels))


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError("date attendue au format JJ/MM/AAAA")


def _hours(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError("nombre d'heures attendu")
    try:
        number = Decimal(str(value).strip().replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except InvalidOperation:
        raise CellError("nombre d'heures attendu (par exemple 151,67)") from None
    if not number.is_finite() or number < 0 or number > MAX_MONTH_HOURS:
        raise CellError("nombre d'heures compris entre 0 et 744 attendu")
    return number.quantize(Decimal("0.01"))


def _categories(value: Any) -> list[str]:
    codes = [c.strip().lower() for c in re.split(r"[;,]", _text(value)) if c.strip()]
    unknown = [c for c in codes if c not in ELIGIBILITY_BY_CODE]
    if not codes or unknown:
        raise CellError("codes de catégorie attendus, séparés par « ; » : " + ", ".join(ELIGIBILITY_BY_CODE))
    return [ELIGIBILITY_BY_CODE[c][0] for c in codes]


def _code(value: Any) -> str:
    text = _text(value)
    if LOOKS_LIKE_NIR.fullmatch(text):
        raise CellError("ce code ressemble à un numéro de sécurité sociale : utilisez le code pseudonyme "
                        "attribué par le facilitateur")
    if not CODE.fullmatch(text):
        raise CellError("code pseudonyme attendu (lettres, chiffres, « - », « _ » ou « . », 40 caractères au plus)")
    return text


def _siret(value: Any) -> str:
    text = re.sub(r"\s", "", _text(value))
    if not re.fullmatch(r"\d{14}", text):
        raise CellError("SIRET de 14 chiffres attendu")
    return text


def _month(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).replace(day=1)
    try:
        return parse_month(_text(value))
    except ValueError:
        raise CellError("mois attendu au format AAAA-MM (par exemple 2027-05)") from None


def _lot(value: Any) -> int:
    text = _text(value)
    if not re.fullmatch(r"\d{1,6}(\.0)?", text):
        raise CellError("numéro de lot attendu (nombre entier)")
    return int(float(text))


PARSERS = {"market": _text, "lot": _lot, "code": _code, "sex": lambda v: _choice("sex", v),
           "age_band": lambda v: _choice("age_band", v), "categories": _categories,
           "qualification": lambda v: _choice("qualification", v), "prescriber": lambda v: _choice("prescriber", v),
           "route": lambda v: _choice("route", v), "contract_type": lambda v: _choice("contract_type", v),
           "start": _date, "end": _date, "employer": _siret, "month": _month, "hours": _hours, "training": _hours}


def _qpv(value: Any) -> bool:
    text = _text(value).lower()
    if text not in {"oui", "non"}:
        raise CellError("Oui ou Non attendu")
    return text == "oui"


PARSERS["qpv"] = _qpv


class SheetReader:
    """Collects the rows of the statement sheet and every located error."""

    def __init__(self, path: Path, label: str | None = None):
        self.path = path
        self.label = label or str(path)
        self._errors: list[tuple[int, int, str]] = []

    def error(self, line: int | None, header: str | None, message: str, value: Any = None) -> None:
        where = f"{self.label}:feuille « {SHEET} »"
        if line is not None:
            where += f", ligne {line}"
        if header is not None:
            where += f", colonne « {header} »"
        tail = f" (valeur lue : « {shown(value)} »)" if value is not None else ""
        position = ORDER.get(header or "", len(ORDER))
        self._errors.append((line or 0, position, f"{where} — {message}{tail}"))

    def fail(self, message: str) -> None:
        self._errors.append((0, 0, message))

    @property
    def errors(self) -> list[str]:
        """Every error, by line then by column."""
        return [text for _, _, text in sorted(self._errors, key=lambda e: (e[0], e[1]))]

    def read(self) -> list[Row]:
        from openpyxl import load_workbook

        try:
            wb = load_workbook(self.path, read_only=True, data_only=False)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a non-workbook
            self.fail(f"{self.label} : classeur .xlsx illisible ({type(exc).__name__}).")
            return []
        if SHEET not in wb.sheetnames:
            self.fail(f"{self.label} : feuille « {SHEET} » introuvable ; partez du modèle "
                      "(drafter suivi modele-declaration).")
            return []
        lines = wb[SHEET].iter_rows(values_only=True)
        columns = self._columns(list(next(lines, ())))
        if columns is None:
            return []
        return [row for line, cells in enumerate(lines, start=2)
                if (row := self._row(line, cells, columns)) is not None]

    def _columns(self, header: list[Any]) -> dict[int, str] | None:
        columns: dict[int, str] = {}
        for index, title in enumerate(header):
            text = _text(title)
            if text in HEADERS:
                columns[index] = text
            elif PERSONAL_HEADER.search(text):
                self.error(1, text, "colonne refusée : le suivi ne reçoit ni nom, ni NIR, ni adresse, ni date de "
                           "naissance, ni coordonnées des personnes (protection des données, RGPD art. 5-1-c). "
                           "Supprimez cette colonne et identifiez chaque personne par son code pseudonyme")
        missing = [c.header for c in COLUMNS if c.header not in columns.values()]
        if missing:
            self.error(1, None, "colonnes manquantes : " + ", ".join(f"« {m} »" for m in missing)
                       + " ; partez du modèle (drafter suivi modele-declaration)")
        return None if self.errors else columns

    def _row(self, line: int, cells: tuple[Any, ...], columns: dict[int, str]) -> Row | None:
        raw = {columns[i]: v for i, v in enumerate(cells) if i in columns}
        if all(_text(v) == "" for v in raw.values()):
            return None
        row = Row(line)
        for header, value in raw.items():
            column = HEADERS[header]
            if _text(value) == "":
                if column.required:
                    self.error(line, header, "valeur obligatoire manquante")
                continue
            if isinstance(value, str) and value.lstrip().startswith("="):
                self.error(line, header, "formule refusée : saisissez la valeur elle-même", value)
                continue
            try:
                row.values[column.key] = PARSERS[column.key](value)
            except CellError as exc:
                self.error(line, header, str(exc), value)
        return row
