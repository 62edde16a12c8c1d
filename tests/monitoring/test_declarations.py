"""Statement import: all errors at once, located, in French; nothing half-imported; replace, not duplicate."""

from __future__ import annotations

import pytest

from . import scenario
from .conftest import HEADERS, TRAVAUX, statement, suivi


@pytest.fixture
def market(fresh_db, generated):
    suivi("importer", generated["travaux"], "--profil", TRAVAUX)
    suivi("attribuer", scenario.TRX, "--lot", 1, "--siret", scenario.DEMOLITION, "--nom", "Démolition Sud",
          "--notification", "2027-06-01")


def count() -> int:
    from drafter.monitoring.models import MonthlyDeclaration, Participant

    return MonthlyDeclaration.objects.count() + Participant.objects.count()


def test_every_error_located_and_nothing_imported(market, tmp_path):
    good = list(scenario.JUNE[0])
    bad_hours = list(good)
    bad_hours[2], bad_hours[15] = "P-05", "beaucoup"
    bad_lot = list(good)
    bad_lot[1], bad_lot[2] = 9, "P-06"
    bad_sex = list(good)
    bad_sex[2], bad_sex[3], bad_sex[6] = "P-07", "X", "vip"
    path = statement(tmp_path / "juin.xlsx", [good, good, bad_hours, bad_lot, bad_sex])
    out = suivi("declarer", path, "--date", "2027-07-08", code=2)
    where = f"{path}:feuille « Déclarations »"
    assert out.splitlines() == [
        f"{where}, ligne 3, colonne « Mois » — même contrat et même mois que la ligne 2 (valeur lue : « 2027-06 »)",
        (f"{where}, ligne 4, colonne « Heures travaillées » — nombre d'heures attendu (par exemple 151,67) "
        "(valeur lue : « beaucoup »)"),
        (f"{where}, ligne 5, colonne « Lot » — lot inconnu du marché « 2027-SGCD11-TRX-01 » : importez d'abord le "
        "marché (drafter suivi importer) (valeur lue : « 9 »)"),
        (f"{where}, ligne 6, colonne « Sexe » — valeur non prévue ; choisissez dans la liste déroulante : Femme, Homme "
        "(valeur lue : « X »)"),
        (f"{where}, ligne 6, colonne « Catégories d'éligibilité » — codes de catégorie attendus, séparés par « ; » : "
        "dld, minima, th, jeune, senior, iae, ea_esat, geiq, qpv, autre (valeur lue : « vip »)"),
        "Aucune ligne n'a été importée : corrigez le fichier puis relancez.",
    ]
    assert count() == 0


def test_personal_data_column_refused(market, tmp_path):
    headers = [*HEADERS, "Nom de naissance", "Date de naissance"]
    path = statement(tmp_path / "juin.xlsx", [[*scenario.JUNE[0], "Durand", "01/01/1990"]], headers=headers)
    out = suivi("declarer", path, "--date", "2027-07-08", code=2)
    assert (f"{path}:feuille « Déclarations », ligne 1, colonne « Nom de naissance » — colonne refusée : le suivi "
            "ne reçoit ni nom, ni NIR, ni adresse, ni date de naissance, ni coordonnées des personnes (protection "
            "des données, RGPD art. 5-1-c). Supprimez cette colonne et identifiez chaque personne par son code "
            "pseudonyme") in out
    assert "colonne « Date de naissance » — colonne refusée" in out
    assert count() == 0


def test_nir_as_code_and_formula_refused(market, tmp_path):
    row = list(scenario.JUNE[0])
    row[2] = "185057800608436"
    other = list(scenario.JUNE[0])
    other[15] = "=SUM(1,2)"
    path = statement(tmp_path / "juin.xlsx", [row, other])
    out = suivi("declarer", path, "--date", "2027-07-08", code=2)
    assert ("ligne 2, colonne « Code participant » — ce code ressemble à un numéro de sécurité sociale : utilisez "
            "le code pseudonyme attribué par le facilitateur (valeur lue : « 185057800608436 »)") in out
    assert ("ligne 3, colonne « Heures travaillées » — formule refusée : saisissez la valeur elle-même "
            "(valeur lue : « =SUM(1,2) »)") in out
    assert count() == 0


def test_future_month_and_missing_value(market, tmp_path):
    row = list(scenario.JUNE[0])
    row[14], row[13] = "2027-09", None
    out = suivi("declarer", statement(tmp_path / "x.xlsx", [row]), "--date", "2027-07-08", code=2)
    assert "colonne « SIRET de l'employeur » — valeur obligatoire manquante" in out
    assert ("colonne « Mois » — mois à venir : on ne déclare que des mois commencés (valeur lue : « 2027-09 »)") in out


def test_redeclaring_a_month_replaces_it(market, tmp_path):
    from drafter.monitoring.models import MonthlyDeclaration

    first = statement(tmp_path / "a.xlsx", [scenario.JUNE[0]])
    assert suivi("declarer", first, "--date", "2027-07-08") == f"{first} : 1 ligne(s) importée(s) pour 06/2027.\n"
    row = list(scenario.JUNE[0])
    row[15] = 120
    again = statement(tmp_path / "b.xlsx", [row])
    out = suivi("declarer", again, "--date", "2027-07-09")
    assert out == f"{again} : 1 ligne(s) importée(s) pour 06/2027 ; 1 ligne(s) précédente(s) remplacée(s).\n"
    assert list(MonthlyDeclaration.objects.values_list("hours_worked", flat=True)) == [120]


def test_model_workbook_has_lists_help_and_no_formula(market, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "modele.xlsx"
    suivi("modele-declaration", "-o", target, "--marche", scenario.TRX)
    wb = load_workbook(target)
    assert wb.sheetnames == ["Déclarations", "Listes", "Aide"]
    ws = wb["Déclarations"]
    assert [c.value for c in ws[1]] == HEADERS
    assert len(ws.data_validations.dataValidation) == 7
    assert all(c.data_type != "f" for sheet in wb for row in sheet.iter_rows() for c in row)
    aide = [r[0] for r in wb["Aide"].iter_rows(values_only=True)]
    assert "2027-SGCD11-TRX-01" in aide


def test_put_never_writes_a_formula(tmp_path):
    from openpyxl import Workbook, load_workbook

    from drafter.monitoring.workbook import put

    wb = Workbook()
    for i, text in enumerate(["=1+1", "+33 6", "-5", "@cmd"], start=1):
        put(wb.active, i, 1, text)
    wb.save(tmp_path / "x.xlsx")
    cells = [c for (c,) in load_workbook(tmp_path / "x.xlsx").active.iter_rows()]
    assert [(c.value, c.data_type) for c in cells] == [("=1+1", "s"), ("+33 6", "s"), ("-5", "s"), ("@cmd", "s")]
