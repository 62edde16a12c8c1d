"""Yearly figures and the national export, against the scripted year (scenario.py)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from . import scenario
from .conftest import suivi


@pytest.fixture(scope="module")
def built(django_db, generated, tmp_path_factory):
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    scenario.build(generated, tmp_path_factory.mktemp("yearly"))


def test_yearly_key_figures(built):
    from drafter.monitoring.yearly import Perimeter, yearly

    data = yearly(Perimeter(2027))
    # Works: 873,34 h counted (P-02's refused 150 h excluded); cleaning: 70 h → 943,34 h.
    # FTE 943,34 ÷ 1 607 = 0,587 → 0,6. People: P-01..P-04 and P-10 = 5 (not suppressed: ≥ 5).
    assert data.key["heures"] == Decimal("943.34")
    assert data.key["etp"] == Decimal("0.6")
    assert data.key["personnes"] == 5
    # Firms: Démolition Sud, BTP Aude, Menuiserie Solidaire, Propreté Garonne (lot 6 has no declaration).
    # Inclusive: Menuiserie Solidaire (SIAE holder, also subcontracting employer) + the ETTI = 2.
    assert (data.key["entreprises"], data.key["entreprises_inclusives"]) == (4, 2)
    assert (data.key["acheteurs"], data.key["marches"], data.key["facilitateurs"]) == (2, 2, 2)
    assert data.key["departements_couverts"] == 1  # Aude, from « territoire : Aude » (TME: « Occitanie »)
    # 5 people: 3 women (P-01, P-04, P-10), 2 men → both cells below 5 are suppressed.
    assert data.tables["Sexe"] == [("Femme", "< 5"), ("Homme", "< 5")]
    assert data.tables["Marchés par tranche de montant"][-1] == ("5 000 000 € et plus", 2)


def test_yearly_territory_perimeter(built):
    from drafter.monitoring.yearly import Perimeter, yearly

    aude = yearly(Perimeter(2027, department="11"))
    assert (aude.key["heures"], aude.key["personnes"], aude.key["marches"]) == (Decimal("873.34"), "< 5", 1)


def test_yearly_files(built, tmp_path):
    from openpyxl import load_workbook

    from drafter.monitoring.drafted import docx_text

    out = suivi("bilan-annuel", "--annee", 2027, "-o", tmp_path / "bilan-2027")
    assert out == f"Bilan annuel écrit : {tmp_path / 'bilan-2027.docx'} et {tmp_path / 'bilan-2027.xlsx'}\n"
    text = docx_text(tmp_path / "bilan-2027.docx")
    assert "| Heures d'insertion réalisées | 943,34 |" in text
    assert "| Femme | < 5 |" in text
    pytest.importorskip("matplotlib")
    from docx import Document

    assert (
        len(Document(str(tmp_path / "bilan-2027.docx")).inline_shapes) == 3
    )  # contract types, routes, amount bands (outcomes: suppressed)
    wb = load_workbook(tmp_path / "bilan-2027.xlsx")
    assert wb["Chiffres clés"]["B3"].value == pytest.approx(943.34)
    assert len(wb["Type de contrat"]._charts) == 1


def test_national_export(built):
    data = json.loads(suivi("export-national", "--annee", 2027))
    assert data["indicateurs"]["heures"] == "943.34"
    assert data["heures_par_etp"]["a_confirmer"] is True
    assert data["marches_decp"] == [
        {"reference": scenario.NET, "considerationsSociales": ["Clause sociale", "Critère social"]},
        {"reference": scenario.TRX, "considerationsSociales": ["Clause sociale"]},
    ]
    assert data["repartitions"]["Tranche d'âge à l'entrée"] == {
        "Moins de 26 ans": "< 5",
        "26 à 49 ans": "< 5",
        "50 ans et plus": "< 5",
    }
