"""Decision fields the YAML cases cannot name (issue 13: engine mutants killed by observable values).

Each test builds a lawyer-sized profile on tests/cases/_base.yaml and reads the lot decision that
explain, the CCAP and the workbook are drawn from.
"""

from __future__ import annotations

from decimal import Decimal

from drafter.domain.profile import Mechanism
from drafter.engine.decide import decide
from drafter.inputs.loading import validate_profile
from drafter.inputs.source import Source
from drafter.law.rules import load_rules
from tests.test_decision_cases import BASE, merge

CLEANING = {"montant_estime_ht": 200000, "secteur": "nettoyage_proprete", "heures_mensuelles_personnel_repris": 0}


def lot_of(extra: dict):
    profile = validate_profile(Source("cas.yaml", merge(BASE, extra))).profile
    decision = decide(profile, load_rules().at(profile.market.launch_date))
    assert len(decision.lots) == 1
    return decision.lots[0]


def test_training_condition_carries_its_hours_and_no_insertion_hours():
    lot = lot_of({"marche": CLEANING,
                  "insertion": {"dispositif": "condition_formation", "heures_formation_par_salarie": 14}})
    assert lot.dispositif is Mechanism.TRAINING
    assert lot.heures_formation_par_salarie == Decimal(14)
    assert (lot.heures, lot.penalite_par_heure, lot.ratio_heures_10000_eur) == (None, None, None)


def test_training_hours_ignored_outside_the_training_condition():
    lot = lot_of({"marche": CLEANING,
                  "insertion": {"dispositif": "condition_execution", "heures_formation_par_salarie": 14}})
    assert lot.heures == 267  # 200 000 × 80 % × 5 % ÷ 30 = 266,67 → 267
    assert lot.heures_formation_par_salarie is None


def test_insertion_market_carries_its_support_activity_and_volume():
    lot = lot_of({"marche": {"montant_estime_ht": 800000, "objet_insertion": True,
                             "activite_support": "le tri des déchets", "postes_insertion": 12,
                             "heures_activite_support": 20000}})
    assert lot.dispositif is Mechanism.INSERTION_MARKET
    assert (lot.activite_support, lot.postes_insertion, lot.heures_activite_support) == (
        "le tri des déchets", 12, 20000)
    assert lot.objet_insertion is True
    assert lot.heures is None and lot.calcul is None and lot.methode_accord_cadre is None


def test_framework_amounts_method_and_ratio():
    lot = lot_of({"marche": {**CLEANING, "forme": "accord_cadre_bons_de_commande", "montant_estime_ht": 600000,
                             "montant_minimum_ht": 100000, "montant_maximum_ht": 800000}})
    # 600 000 × 80 % × 5 % ÷ 30 = 800 h ; ratio 10 000 × 80 % × 5 % ÷ 30 = 13,3 h
    assert lot.heures == 800
    assert lot.methode_accord_cadre == "ratio"
    assert lot.ratio_heures_10000_eur == Decimal("13.3")
    assert (lot.montant_estime_ht, lot.montant_minimum_ht, lot.montant_maximum_ht) == (
        Decimal(600000), Decimal(100000), Decimal(800000))


def test_ordinary_market_has_no_method_nor_ratio():
    lot = lot_of({"marche": CLEANING})
    assert (lot.heures, lot.methode_accord_cadre, lot.ratio_heures_10000_eur) == (267, None, None)
    assert lot.facilitateur is not None and lot.facilitateur.name == "Sophie Laurent"
    assert lot.exception is None


def test_no_clause_keeps_the_exception_and_default_rate_and_cost():
    lot = lot_of({"marche": CLEANING,
                  "insertion": {"dispositif": "aucun", "exception": {
                      "motif": "lien_insuffisant_avec_objet",
                      "justification": "Prestation ponctuelle de deux jours sans main-d'oeuvre recrutable."}}})
    assert lot.dispositif is Mechanism.NONE
    assert lot.heures is None and lot.calcul is None and lot.penalite_par_heure is None
    assert (lot.taux_insertion, lot.cout_horaire) == (Decimal("0.05"), Decimal(30))
    assert lot.exception is not None and lot.exception.motive.value == "lien_insuffisant_avec_objet"


def test_training_volume_step_cites_its_basis():
    lot = lot_of({"marche": CLEANING,
                  "insertion": {"dispositif": "condition_formation", "heures_formation_par_salarie": 14}})
    step = next(s for s in lot.trace if s.regle == "formation.volume")
    assert step.reference.startswith("CCP, art. L2112-2 (considérations relatives au domaine social ou à l'emploi)")


def test_framework_method_replaced_warning_has_its_code():
    lot = lot_of({"marche": {**CLEANING, "forme": "accord_cadre_bons_de_commande", "duree_mois": 48,
                             "montant_estime_ht": 900000, "montant_maximum_ht": 1300000,
                             "heures_mensuelles_personnel_repris": 300},
                  "insertion": {"methode_accord_cadre": "minimum"}})
    assert [w.code for w in lot.avertissements] == ["methode.pact_affine"]
    assert lot.methode_accord_cadre == "ratio"


def test_warning_codes_presentation_selects_by():
    """explain, the review note and the CCAP pick warnings by their code, never by their wording."""
    def codes(extra: dict) -> list[str]:
        return [w.code for w in lot_of(extra).avertissements]

    assert codes({"marche": CLEANING, "facilitateur": {"convention": {"financement": "finance"}}}) == [
        "convention.financee"]
    assert codes({"marche": CLEANING, "facilitateur": {"convention": {"perimetre": "programme"}}}) == [
        "convention.programme"]
    assert codes({"marche": {"montant_estime_ht": 800000, "objet_insertion": True}}) == [
        "marche_insertion.activite_support"]
    assert codes({"marche": {**CLEANING, "montant_estime_ht": 20000},
                  "insertion": {"dispositif": "condition_execution"}}) == ["volume_faible"]
    assert codes({"marche": {"nature": "fournitures", "montant_estime_ht": 300000,
                             "secteur": "espaces_verts"}}) == ["secteur.nature"]
    assert codes({"marche": {**CLEANING, "date_lancement": "2028-01-01"}}) == ["seuils.perimes"]


def test_zero_hours_under_obligation_is_refused_without_a_low_volume_step():
    """0 h under the obligation is refused (the real options); it is not a « low volume kept because
    compulsory » clause: the trail and warnings say only that the staff taken over covers everything."""
    profile = validate_profile(Source("cas.yaml", merge(BASE, {"marche": {
        "duree_mois": 12, "montant_estime_ht": 240000, "secteur": "nettoyage_proprete",
        "heures_mensuelles_personnel_repris": 2000}}))).profile
    decision = decide(profile, load_rules().at(profile.market.launch_date))
    assert decision.erreurs
    lot = decision.lots[0]
    assert [w.code for w in lot.avertissements] == ["heures.pact_personnel_repris_couvre_tout"]
    assert "dispositif.auto.condition_obligatoire" not in [s.regle for s in lot.trace]
