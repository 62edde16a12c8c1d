"""``drafter suivi annuaire``: the network's directory (structures, facilitators, départements).

YAML::

    structures:
      - nom: Toulouse Métropole Emploi
        type: mde                 # or its label, « Maison de l'emploi »
        departements: ["31"]
        facilitateurs:
          - {nom: Sophie Laurent, courriel: …, telephone: …}

or an .xlsx whose first sheet has the columns Structure, Type, Départements, Facilitateur,
Courriel, Téléphone (one row per facilitator).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from .choices import StructureKind
from .models import Department, Facilitator, Structure
from .services import MonitoringError

KINDS = {**{k.value: k.value for k in StructureKind}, **{k.label.lower(): k.value for k in StructureKind}}
COLUMNS = ("structure", "type", "départements", "facilitateur", "courriel", "téléphone")


def _kind(value: Any, where: str) -> str:
    kind = KINDS.get(str(value or "").strip().lower())
    if kind is None:
        allowed = ", ".join(k.value for k in StructureKind)
        raise MonitoringError(f"{where} : type de structure inconnu (valeur lue : « {value} ») ; valeurs possibles : "
                              f"{allowed}.")
    return kind


def _departments(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip().zfill(2) for v in value if str(v).strip()]
    return [p.strip().zfill(2) for p in str(value or "").replace(",", ";").split(";") if p.strip()]


def read_yaml(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not isinstance(data.get("structures"), list):
        raise MonitoringError(f"{path} : une liste « structures: » est attendue (voir drafter suivi annuaire --help).")
    return data["structures"]


def read_xlsx(path: Path) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip().lower() for h in next(rows, ())]
    missing = [c for c in COLUMNS[:2] if c not in header]
    if missing:
        raise MonitoringError(f"{path} : colonnes manquantes : {', '.join(missing)}.")
    by_name: dict[str, dict[str, Any]] = {}
    for row in rows:
        item = dict(zip(header, row, strict=False))
        if not item.get("structure"):
            continue
        entry = by_name.setdefault(str(item["structure"]).strip(), {
            "nom": str(item["structure"]).strip(), "type": item.get("type"),
            "departements": _departments(item.get("départements")), "facilitateurs": []})
        if item.get("facilitateur"):
            entry["facilitateurs"].append({"nom": item["facilitateur"], "courriel": item.get("courriel") or "",
                                           "telephone": item.get("téléphone") or ""})
    return list(by_name.values())


@transaction.atomic
def import_directory(path: str | Path) -> tuple[int, int]:
    """Create or update every structure and facilitator of the file; returns their counts."""
    path = Path(path)
    items = read_xlsx(path) if path.suffix.lower() == ".xlsx" else read_yaml(path)
    facilitators = 0
    for index, item in enumerate(items, start=1):
        where = f"{path}, structure n° {index}"
        if not item.get("nom"):
            raise MonitoringError(f"{where} : le nom de la structure manque.")
        structure, _ = Structure.objects.update_or_create(name=str(item["nom"]).strip(),
                                                          defaults={"kind": _kind(item.get("type"), where)})
        structure.departments.set(_department_rows(_departments(item.get("departements"))))
        for person in item.get("facilitateurs") or []:
            Facilitator.objects.update_or_create(structure=structure, name=str(person["nom"]).strip(), defaults={
                "email": str(person.get("courriel") or ""), "phone": str(person.get("telephone") or "")})
            facilitators += 1
    return len(items), facilitators


def _department_rows(codes: Iterable[str]) -> list[Department]:
    return [Department.objects.get_or_create(code=code)[0] for code in codes]
