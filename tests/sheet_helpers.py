"""Helpers to write small bulk spreadsheets in tests (xlsx with openpyxl, csv)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from openpyxl import Workbook

MARKET = {
    "Référence du marché": "2027-TEST-01",
    "Objet du marché": "Entretien des espaces verts",
    "Nature": "services",
    "Forme": "marche_ordinaire",
    "Procédure": "appel_offres_ouvert",
    "Date de lancement": "2027-01-15",
    "Durée en mois": 48,
    "Lieu d'exécution": "Haute-Garonne (31)",
    "Acheteur": "Préfecture de la Haute-Garonne",
    "Catégorie d'acheteur": "etat",
    "Adresse de l'acheteur": "1 place Saint-Étienne, 31038 Toulouse Cedex 9",
    "Représentant de l'acheteur": "Le préfet de la Haute-Garonne",
    "Facilitateur nom": "Sophie Laurent",
    "Facilitateur structure": "Toulouse Métropole Emploi",
    "Facilitateur adresse": "1 place Saint-Sernin, 31000 Toulouse",
    "Facilitateur courriel": "clauses.sociales@tme.exemple.fr",
    "Facilitateur téléphone": "05 61 00 00 00",
    "Dispositif": "auto",
}


def lot(number: int | None, title: str | None, amount: Any, sector: str = "espaces_verts",
        **extra: Any) -> dict[str, Any]:
    """One row: the market columns plus a lot."""
    row = dict(MARKET)
    row.update({"N° de lot": number, "Intitulé du lot": title, "Montant estimé HT": amount, "Secteur": sector})
    row.update(extra)
    return row


def headers_of(rows: list[dict[str, Any]]) -> list[str]:
    headers: list[str] = []
    for row in rows:
        headers += [h for h in row if h not in headers]
    return headers


def write_xlsx(path: Path, rows: list[dict[str, Any]], headers: list[str] | None = None,
               rename: dict[str, str] | None = None) -> Path:
    headers = headers or headers_of(rows)
    book = Workbook()
    sheet = book.active
    sheet.title = "Lots"
    sheet.append([(rename or {}).get(h, h) for h in headers])
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    book.save(path)
    return path


def write_csv(path: Path, rows: list[dict[str, Any]], *, delimiter: str = ";", encoding: str = "utf-8",
              rename: dict[str, str] | None = None) -> Path:
    headers = headers_of(rows)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([(rename or {}).get(h, h) for h in headers])
        for row in rows:
            writer.writerow(["" if row.get(h) is None else row.get(h) for h in headers])
    return path
