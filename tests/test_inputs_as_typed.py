"""Inputs as buyers type them: French names for codes, JJ/MM/AAAA dates, « 1,2 M€ », CPV codes
without their check digit, sectors by their name; every error of a file reported in one pass."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from drafter.app.analyse import analyse
from drafter.cli.main import cli
from drafter.domain.parsing import (
    ParseError,
    cpv_check_digit,
    parse_amount,
    parse_choice,
    parse_cpv,
    parse_date,
)

from .conftest import EXAMPLES, TODAY

MAPA = (EXAMPLES / "mapa-petits-travaux.yaml").read_text(encoding="utf-8")


def write(tmp_path, text):
    path = tmp_path / "profil.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_parsing_buyers_forms():
    assert parse_amount("1,2 M€") == Decimal(1200000)
    assert parse_amount("480 k€ HT") == 480000
    assert parse_date("15/03/2027") == dt.date(2027, 3, 15)
    with pytest.raises(ParseError, match="n'est pas une date du calendrier"):
        parse_date("31/02/2027")
    assert parse_choice("procedure", "MAPA") == "procedure_adaptee"
    assert parse_choice("procedure", "Appel d'offres ouvert") == "appel_offres_ouvert"
    assert parse_choice("forme", "Accord-cadre à bons de commande") == "accord_cadre_bons_de_commande"
    assert parse_choice("nature", "Travaux") == "travaux"
    assert parse_choice("categorie", "État") == "etat"
    assert parse_choice("procedure", "au hasard") == "au hasard"   # the model says what is allowed


def test_cpv_check_digit_known_codes():
    for code in ("45000000-7", "90919200-4", "77310000-6", "30213000-5", "45210000-2", "03000000-1"):
        assert cpv_check_digit(code[:8]) == int(code[-1])
    assert parse_cpv("45000000") == "45000000-7"
    with pytest.raises(ParseError, match="45000000-7 attendu"):
        parse_cpv("45000000-3")


def test_profile_as_a_buyer_types_it(tmp_path):
    text = (MAPA.replace("procedure: procedure_adaptee", "procedure: MAPA")
            .replace("date_lancement: 2027-06-01", 'date_lancement: "01/06/2027"')
            .replace("montant_estime_ht: 38000", 'montant_estime_ht: "0,038 M€"')
            .replace("nature: travaux", "nature: Travaux\n  cpv: [\"45442100\"]")
            .replace("secteur: peinture_revetements_muraux", 'secteur: "Peinture, revêtements muraux"'))
    analysis = analyse(write(tmp_path, text), today=TODAY)
    market = analysis.profile.market
    assert (market.procedure.value, market.launch_date, market.estimate, market.cpv) == (
        "procedure_adaptee", dt.date(2027, 6, 1), Decimal("38000.000"), [f"45442100-{cpv_check_digit('45442100')}"])
    assert analysis.decision.lots[0].secteur == "peinture_revetements_muraux"
    assert analysis.notices == (
        f"code CPV « 45442100 » complété par son chiffre de contrôle : 45442100-{cpv_check_digit('45442100')}.",
        "secteur « Peinture, revêtements muraux » lu comme « peinture_revetements_muraux ».")


def test_check_reports_every_error_of_a_lot_at_once(runner, tmp_path):
    text = (MAPA.replace("montant_estime_ht: 38000", "montant_estime_ht: -5")
            .replace("secteur: peinture_revetements_muraux", "secteur: boulangerie")
            .replace("duree_mois: 2", "duree_mois: 0"))
    result = runner.invoke(cli, ["check", str(write(tmp_path, text))])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 3, result.output
    assert "marche.duree_mois" in lines[0]
    assert "marche.montant_estime_ht : doit être un montant positif en euros HT" in lines[1]
    assert "marche.secteur : secteur inconnu (valeur lue : « boulangerie ») ; secteurs admis :" in lines[2]


def test_generate_on_a_spreadsheet_points_to_bulk(runner, tmp_path):
    sheet = tmp_path / "lots.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not really")
    result = runner.invoke(cli, ["generate", str(sheet), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output == (f"« {sheet} » est un tableur, pas un profil YAML : pour les marchés d'un tableur (une "
                             f"ligne par lot), utilisez drafter bulk {sheet}\n")


def test_bulk_reports_every_error_of_a_profile_at_once(runner, tmp_path):
    text = (MAPA.replace("montant_estime_ht: 38000", "montant_estime_ht: -5")
            .replace("secteur: peinture_revetements_muraux", "secteur: boulangerie"))
    profile = write(tmp_path, text)
    out = tmp_path / "sortie"
    result = runner.invoke(cli, ["bulk", str(profile), "-o", str(out)])
    assert result.exit_code == 1
    report = (out / "erreurs.txt").read_text(encoding="utf-8")
    assert "marche.montant_estime_ht : doit être un montant positif en euros HT" in report
    assert "marche.secteur : secteur inconnu (valeur lue : « boulangerie »)" in report


def test_check_says_what_it_completed(runner, tmp_path):
    text = MAPA.replace("nature: travaux", 'nature: travaux\n  cpv: ["45442100"]').replace(
        "procedure: procedure_adaptee", "procedure: MAPA")
    path = write(tmp_path, text)
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == (
        f"  à noter : {path}:12:9 — marche.cpv[1] : code CPV « 45442100 » complété par son chiffre de contrôle : "
        f"45442100-{cpv_check_digit('45442100')}.")
