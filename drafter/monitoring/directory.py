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

from django.db import transaction

from .choices import StructureKind
from .drafted import departements, read_structures
from .models import Department, Facilitator, Structure
from .services import MonitoringError

KINDS = {**{k.value: k.value for k in StructureKind}, **{k.label.lower(): k.value for k in StructureKind}}


def _kind(value: Any, where: str) -> str:
    kind = KINDS.get(str(value or "").strip().lower())
    if kind is None:
        allowed = ", ".join(k.value for k in StructureKind)
        raise MonitoringError(f"{where} : type de structure inconnu (valeur lue : « {value} ») ; valeurs possibles : "
                              f"{allowed}.")
    return kind


@transaction.atomic
def import_directory(path: str | Path) -> tuple[int, int]:
    """Create or update every structure and facilitator of the file; returns their counts."""
    path = Path(path)
    items = read_structures(path)
    facilitators = 0
    for index, item in enumerate(items, start=1):
        where = f"{path}, structure n° {index}"
        if not item.get("nom"):
            raise MonitoringError(f"{where} : le nom de la structure manque.")
        structure, _ = Structure.objects.update_or_create(name=str(item["nom"]).strip(),
                                                          defaults={"kind": _kind(item.get("type"), where)})
        structure.departments.set(_department_rows(departements(item.get("departements"))))
        for person in item.get("facilitateurs") or []:
            Facilitator.objects.update_or_create(structure=structure, name=str(person["nom"]).strip(), defaults={
                "email": str(person.get("courriel") or ""), "phone": str(person.get("telephone") or "")})
            facilitators += 1
    return len(items), facilitators


def _department_rows(codes: Iterable[str]) -> list[Department]:
    return [Department.objects.get_or_create(code=code)[0] for code in codes]
