"""The model spreadsheet: headers, drop-down lists, help sheet, and it reads back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from drafter.inputs.sheet_columns import COLUMNS
from drafter.inputs.sheet_model import write_model
from drafter.inputs.spreadsheet import read_markets
from drafter.law.rules import load_rules

RULES = load_rules().at(dt.date(2027, 1, 15))
SECTORS = tuple(RULES.sectors())


def model(tmp_path: Path) -> Path:
    path = tmp_path / "modele.xlsx"
    write_model(path, RULES)
    return path


def test_headers_and_example_row(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(model(tmp_path))["Lots"]
    assert [c.value for c in sheet[1]] == [c.label for c in COLUMNS]
    assert sheet.cell(2, 1).value == "2027-PREF31-004"
    assert sheet.max_row == 2
    montant = next(c for c in sheet[1] if c.value == "Montant estimé HT")
    assert montant.comment.text.startswith("Montant estimé HT, en euros, sur toute la durée")


def test_drop_down_lists_point_at_enum_and_rule_values(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(model(tmp_path))
    sheet, lists = book["Lots"], book["Listes"]
    letter = {c.value: c.column_letter for c in sheet[1]}
    by_range = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}

    def values(label: str) -> list[str]:
        formula = by_range[f"{letter[label]}2:{letter[label]}1001"]
        cells = lists[formula.split("!")[1].replace("$", "")]
        return [row[0].value for row in cells]

    assert values("Nature") == ["travaux", "services", "fournitures"]
    assert values("Forme") == ["marche_ordinaire", "accord_cadre_bons_de_commande",
                               "accord_cadre_marches_subsequents"]
    assert "procedure_adaptee" in values("Procédure")
    assert values("Catégorie d'acheteur") == ["etat", "autre_pouvoir_adjudicateur", "entite_adjudicatrice"]
    assert values("Secteur") == sorted(SECTORS) and "espaces_verts" in values("Secteur")
    assert "reserve_siae" in values("Dispositif") and "auto" in values("Dispositif")
    assert values("Méthode accord-cadre") == ["ratio", "minimum", "estime"]
    assert values("Motif d'exception") == sorted(RULES.exception_motives())
    assert values("Défense ou sécurité") == ["oui", "non"]
    assert len(by_range) == len([c for c in COLUMNS if c.kind in {"choice", "sector", "bool"}])


def test_help_sheet_describes_every_column_in_french(tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(model(tmp_path))["Aide"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Mode d'emploi du tableur de drafter bulk"
    header = rows.index(["Colonne", "Obligatoire", "Niveau", "Description", "Format", "Valeurs possibles",
                         "Exemple"])
    described = {r[0]: r for r in rows[header + 1:]}
    assert set(described) == {c.label for c in COLUMNS}
    assert described["Montant estimé HT"][1:5] == [
        "oui", "lot (propre à chaque ligne)",
        "Montant estimé HT, en euros, sur toute la durée (reconductions comprises)",
        "montant en euros HT (480000 ou « 480 000 »)"]
    assert described["Nature"][5] == "travaux, services, fournitures"


def test_filled_in_copy_reads_back(tmp_path: Path) -> None:
    path = model(tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["Lots"]
    example = [c.value for c in sheet[2]]
    column = {c.value: c.column - 1 for c in sheet[1]}
    for number, (title, amount) in enumerate([("Secteur sud", 250000), ("Secteur est", 90000)], start=2):
        row = list(example)
        row[column["N° de lot"]], row[column["Intitulé du lot"]] = number, title
        row[column["Montant estimé HT"]] = amount
        sheet.append(row)
    book.save(path)
    [market] = read_markets(path, SECTORS)
    assert market.problems == []
    lots = market.loaded.profile.lots
    assert [(lt.number, lt.title, int(lt.estimate)) for lt in lots] == [
        (1, "Secteur nord", 480000), (2, "Secteur sud", 250000), (3, "Secteur est", 90000)]
    assert market.loaded.profile.facilitator.organisation == "Toulouse Métropole Emploi"
