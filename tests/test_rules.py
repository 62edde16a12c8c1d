"""Rule tables: every value dated and sourced (or flagged), SPEC §4 sector keys, --parametres, `regles`."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from drafter.cli.main import cli
from drafter.errors import ProfileError
from drafter.inputs.parameters import load_parameters
from drafter.law.rules import UNSOURCED, load_rules

from .conftest import EXAMPLES

SPEC_SECTORS = {
    "gros_oeuvre_maconnerie", "peinture_revetements_muraux", "charpente_metallique_serrurerie",
    "nettoyage_proprete", "batiment_tous_corps_etat", "vrd_travaux_publics", "platrerie_isolation",
    "menuiseries", "couverture_charpente_bois", "electricite", "plomberie_cvc", "revetements_sols",
    "demolition_desamiantage", "espaces_verts", "collecte_dechets", "restauration_collective",
    "gardiennage_securite", "demenagement_manutention", "blanchisserie", "maintenance_multitechnique",
    "prestations_intellectuelles", "services_numeriques", "fournitures",
}
SOURCED = {"peinture_revetements_muraux": "0.70", "gros_oeuvre_maconnerie": "0.50",
           "charpente_metallique_serrurerie": "0.20", "couverture_charpente_bois": "0.35",
           "nettoyage_proprete": "0.80", "gardiennage_securite": "0.70", "restauration_collective": "0.50",
           "batiment_tous_corps_etat": "0.50"}


def test_sector_keys_are_the_spec_keys():
    assert set(load_rules().at(dt.date(2027, 1, 1)).sectors()) == SPEC_SECTORS


def test_sourced_sectors_and_indicative_ones():
    sectors = load_rules().at(dt.date(2027, 1, 1)).sectors()
    for key, value in sectors.items():
        if key in SOURCED:
            assert value.valeur == Decimal(SOURCED[key]), key
            assert value.source and not value.a_confirmer, key
        else:
            assert value.source is None and value.a_confirmer, key
            assert value.provenance == UNSOURCED


def test_every_period_has_a_source_or_is_flagged_and_dates_are_sorted():
    for table in load_rules().tables:
        for rule_id, spec in table.regles.items():
            dates = [p.depuis for p in spec.periodes]
            assert dates == sorted(dates), rule_id
            for period in spec.periodes:
                assert period.source or period.a_confirmer, rule_id
                if period.source and "[U]" in period.source:
                    assert period.a_confirmer, f"{rule_id}: an [U] value must be flagged a_confirmer"


def test_thresholds_by_period():
    book = load_rules()
    old, new = book.at(dt.date(2025, 12, 31)), book.at(dt.date(2026, 1, 1))
    assert old.value("seuil_europeen.travaux") == 5538000 and new.value("seuil_europeen.travaux") == 5404000
    assert old.value("seuil_europeen.fournitures_services.etat") == 143000
    assert new.value("seuil_europeen.fournitures_services.etat") == 140000
    assert new.value("seuil_europeen.fournitures_services.autre_pouvoir_adjudicateur") == 216000
    assert new.value("seuil_europeen.fournitures_services.entite_adjudicatrice") == 432000
    assert new.value("seuil_services_sociaux") == 750000
    assert new.value("obligation_sociale.date_debut") == dt.date(2026, 8, 22)
    assert set(new.exception_motives()) == {"solution_immediatement_disponible", "lien_insuffisant_avec_objet",
                                            "restriction_concurrence_ou_execution_difficile"}
    assert all(v.a_confirmer for v in new.exception_motives().values())


def test_local_parameters_override_and_are_recorded(tmp_path, runner):
    params = tmp_path / "tme.yaml"
    params.write_text('version: 1\nsource: "Table locale TME 2027"\nvaleurs:\n  cout_horaire: 25\n'
                      '  part_main_oeuvre:\n    menuiseries: {valeur: "40 %", source: "Relevé TME 2026"}\n',
                      encoding="utf-8")
    book = load_parameters(params)
    rules = book.at(dt.date(2027, 2, 1))
    assert rules.value("cout_horaire") == 25
    assert rules.get("part_main_oeuvre.menuiseries").provenance == "Paramètres locaux — Relevé TME 2026"
    result = runner.invoke(cli, ["--parametres", str(params), "explain", "--json",
                                 str(EXAMPLES / "travaux-cite-administrative.yaml")])
    data = json.loads(result.output)
    assert data["regles"]["parametres_locaux"].startswith("tme.yaml (sha256 ")
    # the example sets cout_horaire 30 itself: the profile wins; menuiseries share now 40 %
    lot3 = data["lots"][2]
    assert lot3["part_main_oeuvre"] == 0.4 and lot3["heures"] == 920


def test_local_parameters_errors(tmp_path, runner):
    params = tmp_path / "mauvais.yaml"
    params.write_text("version: 1\nvaleurs:\n  cout_horair: 25\n  taux_insertion: 5\n", encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_parameters(params)
    assert [p.render() for p in info.value.problems] == [
        f"{params}:1:1 — source : indiquez la source de ces paramètres (texte non vide), elle sera citée dans "
        "les notes de calcul.",
        f"{params}:3:3 — valeurs.cout_horair : paramètre inconnu « cout_horair ». Listez les paramètres existants "
        "avec : drafter regles",
        f"{params}:4:19 — valeurs.taux_insertion : doit être un taux entre 0 et 1 : écrivez 0.05 ou « 5 % » "
        "(valeur lue : « 5 »)",
    ]
    result = runner.invoke(cli, ["--parametres", str(params), "check", str(EXAMPLES / "mapa-petits-travaux.yaml")])
    assert result.exit_code == 2


def test_regles_command(runner):
    result = runner.invoke(cli, ["regles", "--date", "2027-01-15"])
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("Règles en vigueur au 15 janvier 2027\n")
    assert "  seuil_europeen.fournitures_services.etat = 140 000 € HT\n" in out
    assert "  part_main_oeuvre.espaces_verts = 60 % [à confirmer]\n" in out
    assert f"      Source : {UNSOURCED}\n" in out
    assert "  penalite_par_heure = (égale au coût horaire retenu) [à confirmer]\n" in out
    assert "  exception.solution_immediatement_disponible = « le besoin peut être satisfait par une solution " \
           "immédiatement disponible » [à confirmer]\n" in out
    old = runner.invoke(cli, ["regles", "--date", "2025-03-01"]).output
    assert "  seuil_europeen.travaux = 5 538 000 € HT\n" in old


def test_rules_in_force_are_computed_once_per_date():
    """bulk asks for the rules of every market's date: computed once per date (≈ 1 ms each), the
    same read-only object after, and a date on either side of a change still gets its own values."""
    book = load_rules()
    before, after = book.at(dt.date(2025, 12, 31)), book.at(dt.date(2026, 1, 2))
    assert book.at(dt.date(2025, 12, 31)) is before and book.at(dt.date(2026, 1, 2)) is after
    assert [before.date, after.date] == [dt.date(2025, 12, 31), dt.date(2026, 1, 2)]
    assert load_rules().at(dt.date(2025, 12, 31)).values == before.values   # a fresh book: same values
    changed = [rule for rule in after.values if rule not in before.values
               or after.values[rule].depuis != before.values[rule].depuis]
    assert len(changed) == 6   # the EU thresholds of 1 January 2026: both dates must not share values
