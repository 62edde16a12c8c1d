"""The context says everything in French, already formatted; templates only display it."""

from __future__ import annotations

import pytest

from drafter.present.context import build_context, lots_list
from drafter.present.legal_fr import article, cite, in_application, legal_basis

from .document_helpers import EXAMPLE_NAMES, analysis_of

NB = "\u00a0"
TH = "\u202f"   # narrow no-break space: thousands and before ; : ! ? %


def test_legal_citations_as_numbered_in_the_code():
    assert article("L2112-2") == f"L.{NB}2112-2"
    assert article("R2123-1 3°") == f"R.{NB}2123-1 (3°)"
    assert legal_basis(("L2112-2",)) == f"article L.{NB}2112-2 du code de la commande publique"
    assert legal_basis(("R2152-7", "L2112-2-1", "L2152-7", "L2112-2")) == (
        f"articles L.{NB}2112-2, L.{NB}2112-2-1, L.{NB}2152-7 et R.{NB}2152-7 du code de la commande publique")
    assert in_application(("L2113-13",)).startswith("en application de l'article L.")
    assert in_application(("L2112-2", "L2112-2-1")).startswith("en application des articles L.")
    assert cite("art. L2112-2-1 et R2113-7 ; CPV 90919200-4") == f"art. L.{NB}2112-2-1 et R.{NB}2113-7 ; CPV 90919200-4"


def test_lot_lists():
    assert lots_list(["3"]) == f"lot n°{NB}3"
    assert lots_list(["1", "2"]) == f"lots n°{NB}1 et 2"
    assert lots_list(["1", "2", "3", "5", "7", "8", "9", "10"]) == f"lots n°{NB}1 à 3, 5 et 7 à 10"


def test_figures_are_french_formatted():
    v = build_context(analysis_of("nettoyage-accord-cadre-occitanie.yaml")).variables
    assert v["marche"]["valeur_estimee"] == f"6{TH}880{TH}000{NB}€{NB}HT"
    assert v["marche"]["date_lancement"] == "15 mars 2027"
    lot3 = v["lots"][2]
    # PACT Propreté as the branch does it: C = 25, P = 1 − 400 × 25 ÷ (900 000 ÷ 48) = 0,4667;
    # 900 000 ÷ 25 × 7 % = 2 520 h, minus 400 h × 48 months × 7 % = 1 344 h → 1 176 h (7,8 months).
    assert lot3["heures"] == f"1{TH}176{NB}heures"
    assert lot3["equivalent_temps_plein"] == f"7,8{NB}mois"
    assert lot3["ratio"] == f"28{NB}heures par tranche de 10{TH}000{NB}€{NB}HT commandés"
    assert lot3["obligation"].startswith(f"28{NB}heures par tranche de 10{TH}000{NB}€{NB}HT commandés, diminuées de "
                                         f"1{TH}344{NB}heures au titre du personnel repris")
    assert lot3["calcul"]["formule"].startswith(f"P × A ÷ C × T = 0,4667 × 900{TH}000{NB}€ ÷ 25 × 7{TH}% = 1{TH}176")
    assert v["facilitateurs"][0]["lots_liste"] == f"lots n°{NB}1 et 4"
    assert v["condition"]["champ"] == f"aux lots n°{NB}1 à 4"
    works = build_context(analysis_of("travaux-cite-administrative.yaml")).variables
    assert works["marche"]["date_lancement"] == "1er février 2027"
    assert works["acheteur"]["represente_par"] == "représenté par le préfet de l'Aude"
    assert works["acheteur"]["partie"] == "L'État (Préfecture de l'Aude)"


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_point_to_confirm_says_so(name):
    analysis = analysis_of(name)
    v = build_context(analysis).variables
    flagged = [c for lot in analysis.decision.lots for c in lot.a_confirmer]
    assert len(v["points_a_confirmer"]) >= len(set(flagged))
    for item in v["points_a_confirmer"] + [c for lot in v["lots"] for c in lot["a_confirmer"]]:
        assert "à confirmer" in item, item


def test_review_markers_only_with_review():
    analysis = analysis_of("travaux-cite-administrative.yaml")
    plain = build_context(analysis)
    assert plain.notes == {} and plain.variables["lots"][0]["revue"]["heures"] == ""
    reviewed = build_context(analysis, revue=True)
    token = reviewed.variables["lots"][0]["revue"]["heures"]
    assert token.startswith("⟦") and "640 000 € × 50 % × 5 % ÷ 30 €" in reviewed.notes[token]


def test_context_is_pure():
    analysis = analysis_of("nettoyage-accord-cadre-occitanie.yaml")
    first, second = build_context(analysis, revue=True), build_context(analysis, revue=True)
    assert first.variables == second.variables and first.notes == second.notes


def test_departements_read_as_buyers_write_them():
    from drafter.domain.places import departement, departements

    assert departements("Bassin de la Garonne (31, 82)") == ["31", "82"]
    assert departement("Carcassonne (11)") == "11"
    assert departement("1 place Saint-Étienne, 31038 Toulouse Cedex 9") == "31"
    assert departement("Région Occitanie") == ""


@pytest.mark.parametrize(("place", "territory", "expected"), [
    ("Carcassonne (11)", None, True),            # a département of the network
    ("Bassin de la Garonne (31, 82)", None, True),
    ("Région Occitanie", None, True),            # the region named
    ("Lyon (69)", None, False),                  # a State market elsewhere: no TME preamble
    ("Lyon", "Rhône", False),
])
def test_the_tme_network_preamble_only_where_tme_animates_the_network(place, territory, expected):
    from drafter.law.rules import load_rules
    from drafter.present.context import in_tme_network

    analysis = analysis_of("travaux-cite-administrative.yaml")
    market = analysis.profile.market.model_copy(update={"place": place})
    facilitator = analysis.profile.facilitator.model_copy(update={"territory": territory})
    profile = analysis.profile.model_copy(update={"market": market, "facilitator": facilitator})
    assert in_tme_network(profile, load_rules().at(analysis.rules.date)) is expected
