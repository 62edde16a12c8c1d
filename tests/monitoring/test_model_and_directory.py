"""Database constraints (on SQLite and PostgreSQL), the directory import, lazy start-up."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from . import scenario
from .conftest import TRAVAUX, suivi


@pytest.fixture
def declared(fresh_db, generated, tmp_path):
    from .conftest import statement

    suivi("importer", generated["travaux"], "--profil", TRAVAUX)
    suivi("attribuer", scenario.TRX, "--lot", 1, "--siret", scenario.DEMOLITION, "--nom", "Démolition Sud",
          "--notification", "2027-06-01")
    suivi("declarer", statement(tmp_path / "juin.xlsx", [scenario.JUNE[0]]), "--date", "2027-07-08")


def violates(**changes) -> bool:
    from django.db import IntegrityError, transaction

    from drafter.monitoring.models import MonthlyDeclaration

    row = MonthlyDeclaration.objects.get()
    for name, value in changes.items():
        setattr(row, name, value)
    try:
        with transaction.atomic():
            if changes.get("pk") is None and "pk" in changes:
                row.save(force_insert=True)
            else:
                row.save()
    except IntegrityError:
        return True
    return False


def test_database_constraints(declared):
    assert violates(pk=None)  # one declaration per contract and month
    assert violates(hours_worked=Decimal(-1))
    assert violates(training_hours=Decimal(800))
    assert violates(status="refusee", refusal_reason="")
    assert not violates(status="refusee", refusal_reason="pièce manquante")


def test_lot_and_decision_constraints(declared):
    from django.db import IntegrityError, transaction

    from drafter.monitoring.models import Decision, Lot

    lot = Lot.objects.get(market__reference=scenario.TRX, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Lot.objects.filter(pk=lot.pk).update(end_date=dt.date(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(lot=lot, kind="mutualisation", hours_delta=10, decided_on=dt.date(2027, 9, 1),
                                author="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(lot=lot, kind="reduction", hours_delta=10, decided_on=dt.date(2027, 9, 1), author="x")


def test_command_errors_are_french(declared):
    assert "lot 9 du marché « 2027-SGCD11-TRX-01 » inconnu" in suivi(
        "attribuer", scenario.TRX, "--lot", 9, "--siret", scenario.BTP, "--nom", "X", "--notification", "2027-06-01",
        code=2)
    assert "SIRET de 14 chiffres attendu (valeur lue : « 123 »)" in suivi(
        "attribuer", scenario.TRX, "--lot", 2, "--siret", "123", "--nom", "X", "--notification", "2027-06-01", code=2)
    assert "une mutualisation indique le lot d'origine des heures (--depuis-lot)" in suivi(
        "decision", scenario.TRX, "--lot", 2, "--type", "mutualisation", "--heures", 5, "--date", "2027-09-01",
        "--auteur", "x", code=2)
    assert "participant(s) sans déclaration ce mois-ci : P-99" in suivi(
        "valider", scenario.TRX, "--mois", "2027-06", "--par", "x", "--refus", "P-99=non", code=2)


def test_import_checks_profile_against_folder(fresh_db, generated):
    from .conftest import NETTOYAGE

    out = suivi("importer", generated["travaux"], "--profil", NETTOYAGE, code=2)
    assert "ne décrit le marché « 2027-SGCD11-TRX-01 »" in out or "décrit le marché « 2027-PFRA-NET-03 »" in out


def test_import_refuses_a_profile_edited_since_generation(fresh_db, generated, tmp_path):
    edited = tmp_path / "travaux.yaml"
    edited.write_text(TRAVAUX.read_text(encoding="utf-8").replace("montant_estime_ht: 2150000",
                                                                  "montant_estime_ht: 2250000"), encoding="utf-8")
    out = suivi("importer", generated["travaux"], "--profil", edited, code=2)
    # 2 250 000 × 50 % × 5 % ÷ 30 = 1 875 h instead of the 1 792 h drafted
    assert "(lot 2 : 1 875 h selon le profil, 1 792 h dans le dossier) : il a changé depuis la génération" in out


DIRECTORY = """
structures:
  - nom: Toulouse Métropole Emploi
    type: Maison de l'emploi
    departements: ["31", "9"]
    facilitateurs:
      - {nom: Sophie Laurent, courriel: s@tme.exemple.fr}
      - {nom: Paul Martin}
  - nom: PLIE de Nîmes
    type: plie
    departements: "30"
    facilitateurs: [{nom: Marc Roux}]
"""


def test_directory_yaml_and_xlsx(fresh_db, tmp_path):
    from openpyxl import Workbook

    from drafter.monitoring.models import Facilitator, Structure

    path = tmp_path / "reseau.yaml"
    path.write_text(DIRECTORY, encoding="utf-8")
    assert suivi("annuaire", path) == "2 structure(s) et 3 facilitateur(s) enregistrés.\n"
    suivi("annuaire", path)  # idempotent
    tme = Structure.objects.get(name="Toulouse Métropole Emploi")
    assert (tme.kind, sorted(tme.departments.values_list("code", flat=True))) == ("mde", ["09", "31"])
    assert Facilitator.objects.count() == 3
    wb = Workbook()
    wb.active.append(["Structure", "Type", "Départements", "Facilitateur", "Courriel", "Téléphone"])
    wb.active.append(["Département du Gers", "departement", "32", "Anne Roy", "a@gers.exemple.fr", ""])
    wb.active.append(["Département du Gers", "departement", "32", "Luc Bon", "", ""])
    wb.save(tmp_path / "reseau.xlsx")
    assert suivi("annuaire", tmp_path / "reseau.xlsx") == "1 structure(s) et 2 facilitateur(s) enregistrés.\n"
    path.write_text("structures:\n  - {nom: X, type: club}\n", encoding="utf-8")
    assert "type de structure inconnu (valeur lue : « club »)" in suivi("annuaire", path, code=2)


def test_check_does_not_load_django():
    code = ("import sys\nfrom click.testing import CliRunner\nfrom tests.monitoring.conftest import drafter_cli\n"
            "cli = drafter_cli()\n"
            f"r = CliRunner().invoke(cli, ['check', {str(TRAVAUX)!r}])\n"
            "assert r.exit_code == 0, r.output\nassert 'django' not in sys.modules\n"
            "r = CliRunner().invoke(cli, ['--help'])\nassert 'suivi' in r.output\nassert 'django' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


def test_migrations_match_the_models(django_db):
    from django.core.management import call_command

    call_command("makemigrations", "suivi", "--check", "--dry-run", verbosity=0)  # SystemExit(1) if stale
