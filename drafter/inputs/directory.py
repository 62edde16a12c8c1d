"""The facilitators' directory (« annuaire »): structures, the départements they cover, their
facilitators — one file that monitoring imports (``drafter suivi annuaire``) and drafting uses to
fill a profile's facilitator (``drafter new --annuaire``).

YAML::

    structures:
      - nom: Toulouse Métropole Emploi
        type: mde                        # or its label, « Maison de l'emploi »
        adresse: 1 place Saint-Sernin, 31000 Toulouse
        departements: ["31"]
        facilitateurs:
          - {nom: Sophie Laurent, courriel: …, telephone: …}

or an .xlsx whose first sheet has the columns Structure, Type, Adresse, Départements, Facilitateur,
Courriel, Téléphone (one row per facilitator).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.errors import ProfileError
from drafter.inputs.archive import SPREADSHEET, archive_problem
from drafter.inputs.source import read_yaml

COLUMNS = ("structure", "type", "adresse", "départements", "facilitateur", "courriel", "téléphone")


@dataclass(frozen=True)
class Entry:
    """One facilitator of the directory with its structure, as a profile's ``facilitateur`` needs it."""

    name: str
    structure: str
    address: str
    email: str
    phone: str
    departements: tuple[str, ...]

    def as_profile(self) -> dict[str, str]:
        """The ``facilitateur`` block of a profile (French keys)."""
        fields = {"nom": self.name, "structure": self.structure, "adresse": self.address,
                  "courriel": self.email, "telephone": self.phone}
        return {key: value for key, value in fields.items() if value}


def departements(value: Any) -> list[str]:
    """« 31 ; 81 » or ``[31, "81"]`` → ``["31", "81"]``."""
    if isinstance(value, list):
        return [str(v).strip().zfill(2) for v in value if str(v).strip()]
    return [p.strip().zfill(2) for p in str(value or "").replace(",", ";").split(";") if p.strip()]


def read_structures(path: str | Path) -> list[dict[str, Any]]:
    """The structures of a directory file (YAML or .xlsx), as dicts with French keys."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    data = read_yaml(path, what="annuaire").data
    if not isinstance(data, dict) or not isinstance(data.get("structures"), list):
        raise ProfileError(f"{path} : une liste « structures: » est attendue "
                           "(format : README, « Annuaire des facilitateurs »).")
    return [item for item in data["structures"] if isinstance(item, dict)]


def _read_xlsx(path: Path) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    problem = archive_problem(path, SPREADSHEET, what="classeur Excel (.xlsx)")
    if problem:
        raise ProfileError(f"{path} : {problem}.")
    sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip().lower() for h in next(rows, ())]
    missing = [c for c in COLUMNS[:2] if c not in header]
    if missing:
        raise ProfileError(f"{path} : colonnes manquantes : {', '.join(missing)}.")
    by_name: dict[str, dict[str, Any]] = {}
    for row in rows:
        item = dict(zip(header, row, strict=False))
        if not item.get("structure"):
            continue
        entry = by_name.setdefault(str(item["structure"]).strip(), {
            "nom": str(item["structure"]).strip(), "type": item.get("type"), "adresse": item.get("adresse") or "",
            "departements": departements(item.get("départements")), "facilitateurs": []})
        if item.get("facilitateur"):
            entry["facilitateurs"].append({"nom": item["facilitateur"], "courriel": item.get("courriel") or "",
                                           "telephone": item.get("téléphone") or ""})
    return list(by_name.values())


def entries(path: str | Path) -> list[Entry]:
    """Every facilitator of the directory, structure by structure."""
    found = []
    for item in read_structures(path):
        covered = tuple(departements(item.get("departements")))
        for person in item.get("facilitateurs") or []:
            if isinstance(person, dict) and person.get("nom"):
                found.append(Entry(str(person["nom"]).strip(), str(item.get("nom") or "").strip(),
                                   str(item.get("adresse") or "").strip(), str(person.get("courriel") or "").strip(),
                                   str(person.get("telephone") or "").strip(), covered))
    return found


def for_departements(found: list[Entry], codes: list[str]) -> list[Entry]:
    """The facilitators covering one of ``codes`` first, then the others."""
    wanted = set(codes)
    return sorted(found, key=lambda e: not (wanted & set(e.departements)))
