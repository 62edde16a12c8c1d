"""Benchmark workloads of SPEC §8, generated on demand (no large committed files).

* ``framework(n)``: one framework agreement (bons de commande, cleaning and upkeep of
  State sites in Occitanie) with ``n`` lots, several facilitator structures;
* ``programme(n)``: ``n`` profiles derived from ``profiles/examples`` (references,
  amounts, durations, titles and dates varied), as a year of purchases would be.

Usage: ``python bench/workloads.py DOSSIER [--lots 500] [--profils 100]``.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "profiles" / "examples"
DEPARTMENTS = ["Ariège", "Aude", "Aveyron", "Gard", "Haute-Garonne", "Gers", "Hérault", "Lot", "Lozère",
               "Hautes-Pyrénées", "Pyrénées-Orientales", "Tarn", "Tarn-et-Garonne"]
SECTORS = ["nettoyage_proprete", "espaces_verts", "maintenance_multitechnique", "gardiennage_securite",
           "collecte_dechets"]
STRUCTURES = [
    ("Sophie Laurent", "Toulouse Métropole Emploi", "1 place Saint-Sernin, 31000 Toulouse", "05 61 00 00 00"),
    ("Nadia Benali", "Maison de l'emploi de Montpellier", "10 rue de la République, 34000 Montpellier",
     "04 67 00 00 00"),
    ("Marc Roux", "PLIE de Nîmes", "3 rue du Cirque romain, 30000 Nîmes", "04 66 00 00 00"),
    ("Élodie Cazals", "Maison de l'emploi du Tarn", "2 place du Vigan, 81000 Albi", "05 63 00 00 00"),
    ("Paul Garcia", "PLIE de Perpignan", "11 quai Vauban, 66000 Perpignan", "04 68 00 00 00"),
]


def facilitator(index: int) -> dict[str, str]:
    name, structure, address, phone = STRUCTURES[index % len(STRUCTURES)]
    return {"nom": name, "structure": structure, "adresse": address,
            "courriel": f"clauses{index % len(STRUCTURES)}@facilitateur.exemple.fr", "telephone": phone}


def framework(lots: int, seed: int = 5) -> dict[str, Any]:
    """One framework agreement with ``lots`` lots (deterministic)."""
    rng = random.Random(seed)
    items = []
    for number in range(1, lots + 1):
        department = DEPARTMENTS[(number - 1) % len(DEPARTMENTS)]
        estimate = rng.randrange(60, 900) * 1000
        lot: dict[str, Any] = {
            "numero": number,
            "intitule": f"{department} — site n° {number} & annexes",
            "montant_estime_ht": estimate,
            "montant_minimum_ht": estimate // 4,
            "montant_maximum_ht": estimate * 3 // 2,
            "secteur": SECTORS[number % len(SECTORS)],
        }
        if number % 7 == 0:
            lot["facilitateur"] = facilitator(number)
        items.append(lot)
    return {
        "version": 1,
        "acheteur": {"nom": "Plateforme régionale des achats de l'État en Occitanie", "categorie": "etat",
                     "adresse": "5 esplanade Compans Caffarelli, 31000 Toulouse",
                     "representant": "Le préfet de la région Occitanie"},
        "marche": {"objet": "Entretien, propreté et maintenance des sites de l'État en Occitanie",
                   "reference": f"2027-PFRA-AC-{lots}", "nature": "services",
                   "forme": "accord_cadre_bons_de_commande", "procedure": "appel_offres_ouvert",
                   "date_lancement": dt.date(2027, 3, 15), "duree_mois": 48,
                   "lieu_execution": "Région Occitanie"},
        "facilitateur": facilitator(0),
        "insertion": {"dispositif": "condition_execution", "taux_insertion": 0.05, "cout_horaire": 30,
                      "methode_accord_cadre": "ratio"},
        "lots": items,
    }


def programme(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` varied profiles derived from the examples (deterministic)."""
    rng = random.Random(seed)
    examples = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.yaml"))]
    profiles = []
    for index in range(count):
        profile = copy.deepcopy(examples[index % len(examples)])
        market = profile["marche"]
        market["reference"] = f"{market['reference']}-P{index:03d}"
        market["objet"] = f"{market['objet']} — opération {index + 1}"
        factor = rng.choice([0.8, 1, 1.2, 1.5, 2])  # 0.5 left a cleaning lot with no hour (refused)
        for fields in [market, *profile.get("lots", [])]:
            for key in ("montant_estime_ht", "montant_minimum_ht", "montant_maximum_ht"):
                if key in fields:
                    fields[key] = int(fields[key] * factor)
        if isinstance(market.get("date_lancement"), dt.date):
            market["date_lancement"] += dt.timedelta(days=rng.randrange(0, 120))
        profiles.append(profile)
    return profiles


def write_yaml(data: dict[str, Any], path: Path) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_framework(folder: Path, lots: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_yaml(framework(lots), folder / f"accord-cadre-{lots}-lots.yaml")


def write_programme(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_yaml(p, folder / f"profil-{i:03d}.yaml") for i, p in enumerate(programme(count))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dossier", type=Path)
    parser.add_argument("--lots", type=int, default=500)
    parser.add_argument("--profils", type=int, default=100)
    args = parser.parse_args()
    print(write_framework(args.dossier / "accord-cadre", args.lots))
    print(f"{len(write_programme(args.dossier / 'programme', args.profils))} profils dans {args.dossier / 'programme'}")


if __name__ == "__main__":
    main()
