"""`drafter explain` on the six bundled examples: what SPEC §4 says, in text and in JSON (§6)."""

from __future__ import annotations

import json

import pytest

from drafter.cli.main import cli

from .conftest import EXAMPLES

EXPECTED = {
    "espaces-verts-reserve-siae.yaml": (96000, 140000, False, [("reserve_siae", None, None)]),
    "fournitures-informatique-exception.yaml": (450000, 140000, True, [("aucun", None, None)]),
    "mapa-petits-travaux.yaml": (38000, 5404000, False, [("aucun", None, None)]),
    # insertion market (R2123-1 3°): the threshold of social and specific services, 750 000 € (R2131-15)
    "marche-insertion-berges.yaml": (310000, 750000, False, [("marche_insertion", None, None)]),
    "nettoyage-accord-cadre-occitanie.yaml": (6880000, 140000, True, [
        ("condition_et_critere", 5376, 22.4), ("condition_et_critere", 3584, 22.4),
        ("condition_et_critere", 1176, 28), ("condition_et_critere", 269, 22.4)]),
    "travaux-cite-administrative.yaml": (5735000, 5404000, True, [
        ("condition_execution", 533, None), ("condition_execution", 1792, None),
        ("condition_execution", 805, None), ("condition_execution", 880, None),
        ("condition_execution", 490, None), ("condition_execution", 77, None)]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_explain_json(runner, name):
    result = runner.invoke(cli, ["explain", str(EXAMPLES / name), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    value, threshold, obligation, lots = EXPECTED[name]
    assert data["marche"]["valeur_estimee_ht"] == value
    assert data["marche"]["seuil_europeen_ht"] == threshold
    assert data["marche"]["obligation_sociale"] is obligation
    assert [(lot["dispositif"], lot["heures"], lot["ratio_heures_10000_eur"]) for lot in data["lots"]] == lots
    assert set(data["regles"]) == {"seuils", "calcul", "parts_main_oeuvre", "exceptions", "references", "reseau"}


def plain(text: str) -> str:
    """Terminal text with its French no-break spaces as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_explain_text_cleaning_framework(runner):
    result = runner.invoke(cli, ["explain", str(EXAMPLES / "nettoyage-accord-cadre-occitanie.yaml")])
    assert result.exit_code == 0
    text = plain(result.output)
    assert "Valeur estimée : 6 880 000 € HT · seuil européen : 140 000 € HT → condition sociale obligatoire" in text
    assert ("Heures d'insertion : 28 h par tranche de 10 000 € HT commandés, diminuées de 1 344 h au titre du "
            "personnel repris ; total indicatif sur le montant estimé : 1 176 h (≈ 7,8 mois à temps plein)") in text
    assert "Calcul (PACT Propreté) : P 0,4667 × 900 000 € ÷ 25 × 7 % = 1 176 h → 1 176 h" in text
    assert ("Pondération PACT Propreté pour le personnel repris : P = 1 − (S × C) ÷ (A ÷ N) = 1 − (400 h × 25) "
            "÷ (900 000 € ÷ 48 mois) = 0,4667") in text


def test_explain_text_works_low_volume_lot(runner):
    result = runner.invoke(cli, ["explain", str(EXAMPLES / "travaux-cite-administrative.yaml")])
    text = plain(result.output)
    block = text[text.index("Lot 6 — Ascenseur"):]
    assert "Dispositif : condition d'exécution sociale (clause d'insertion)" in block
    assert "Base légale : art. L2112-2 et L2112-2-1 du code de la commande publique" in block
    assert "Heures d'insertion : 77 h (≈ 0,5 mois de travail à temps plein)" in block
    assert "Volume faible (77 h, moins de 150 h) : la clause est retenue parce qu'elle est obligatoire" in block
    assert "La réservation du lot à des SIAE, entreprises adaptées ou ESAT" in block
    lot3 = text[text.index("Lot 3 — Menuiseries"):text.index("Lot 4 —")]
    assert "valeur indicative non sourcée, à confirmer avec le facilitateur" in lot3


def test_explain_exception_and_reserved(runner):
    text = plain(runner.invoke(cli, ["explain", str(EXAMPLES / "fournitures-informatique-exception.yaml")]).output)
    assert "Exception : le besoin peut être satisfait par une solution immédiatement disponible" in text
    assert "à confirmer" in text
    text = plain(runner.invoke(cli, ["explain", str(EXAMPLES / "espaces-verts-reserve-siae.yaml")]).output)
    assert "Dispositif : marché réservé aux structures d'insertion par l'activité économique (SIAE)" in text
    assert "L'avis de marché (ou, à défaut, les documents de la consultation) mentionne la réservation" in text


def test_date_option_changes_the_rules(runner):
    path = str(EXAMPLES / "fournitures-informatique-exception.yaml")
    data = json.loads(runner.invoke(cli, ["explain", path, "--json", "--date", "2026-08-21"]).output)
    assert data["date_reference"] == "2026-08-21"
    assert data["marche"]["obligation_sociale"] is False
    assert "exception sans objet" not in json.dumps(data)  # the warning says « sans objet » in French
    assert any("sans objet" in w for w in data["lots"][0]["avertissements"])
