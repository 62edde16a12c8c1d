"""Profiles for engine tests, judged through the public entry point (``drafter.analyse``).

``market(**marche)`` gives a one-lot market (the lot is the market itself); ``lots=[…]`` adds lots.
Errors come back as the exact French lines a buyer reads.
"""

from __future__ import annotations

import copy
import itertools
from pathlib import Path

import yaml

import drafter
from drafter.errors import ProfileError

from .conftest import TODAY

BASE = {
    "version": 1,
    "acheteur": {"nom": "Préfecture de la Haute-Garonne", "categorie": "etat",
                 "adresse": "1 place Saint-Étienne, 31038 Toulouse Cedex 9",
                 "representant": "Le préfet de la Haute-Garonne"},
    "marche": {"objet": "Marché de test", "reference": "TEST-0001", "nature": "travaux",
               "forme": "marche_ordinaire", "procedure": "appel_offres_ouvert", "date_lancement": "2027-01-15",
               "duree_mois": 12, "lieu_execution": "Toulouse (31)"},
    "facilitateur": {"nom": "Sophie Laurent", "structure": "Toulouse Métropole Emploi",
                     "adresse": "1 place Saint-Sernin, 31000 Toulouse",
                     "courriel": "clauses.sociales@tme.exemple.fr", "telephone": "05 61 00 00 00"},
}
_counter = itertools.count()


def merge(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        elif value is None:
            out.pop(key, None)
        else:
            out[key] = copy.deepcopy(value)
    return out


def write_profile(folder: Path, data: dict) -> Path:
    path = folder / f"profil-{next(_counter)}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def profile_data(*, marche: dict | None = None, insertion: dict | None = None, lots: list | None = None,
                 **top) -> dict:
    extra: dict = {"marche": marche or {}, **top}
    if insertion is not None:
        extra["insertion"] = insertion
    if lots is not None:
        extra["lots"] = lots
    return merge(BASE, extra)


def analyse(folder: Path, **parts) -> drafter.Analysis:
    return drafter.analyse(write_profile(folder, profile_data(**parts)), today=TODAY)


def lot(folder: Path, **parts):
    """The decision of the only lot."""
    decision = analyse(folder, **parts).decision
    assert len(decision.lots) == 1
    return decision.lots[0]


def errors(folder: Path, **parts) -> list[str]:
    """Every error line for the profile (the file name replaced by ``P``); fails if it is valid."""
    path = write_profile(folder, profile_data(**parts))
    try:
        drafter.analyse(path, today=TODAY)
    except ProfileError as exc:
        return [p.render().replace(str(path), "P") for p in exc.problems]
    raise AssertionError("the profile was expected to be refused")
