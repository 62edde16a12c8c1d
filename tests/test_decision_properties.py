"""Properties of the decision engine (hypothesis): SPEC §4 and the §6 JSON shape."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.domain.profile import Profile
from drafter.engine.decide import decide
from drafter.law.rules import load_rules
from drafter.present.explain import decision_json

BOOK = load_rules()
amounts = st.decimals(min_value=Decimal("1000"), max_value=Decimal("50000000"), places=2)
rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.3"), places=3)
shares = st.decimals(min_value=Decimal("0.05"), max_value=Decimal("1"), places=2)
costs = st.decimals(min_value=Decimal("10"), max_value=Decimal("80"), places=2)
dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 12, 31))
mechanisms = st.sampled_from(["auto", "condition_execution", "condition_et_critere", "reserve_siae",
                              "reserve_handicap", "reserve_siae_handicap", "critere_attribution"])


def profile(amount, rate, share, cost, *, date=dt.date(2027, 1, 15), nature="services",
            form="marche_ordinaire", category="etat", mechanism="condition_execution", lots=1,
            defence=False) -> Profile:
    lot_list = [{"numero": i + 1, "intitule": f"Lot {i + 1}", "montant_estime_ht": amount,
                 "part_main_oeuvre": share} for i in range(lots)]
    return Profile.model_validate({
        "version": 1,
        "acheteur": {"nom": "A", "categorie": category, "adresse": "x", "representant": "y"},
        "marche": {"objet": "o", "reference": "R", "nature": nature, "forme": form,
                   "procedure": "appel_offres_ouvert", "date_lancement": date, "duree_mois": 24,
                   "lieu_execution": "Toulouse", "defense_ou_securite": defence},
        "insertion": {"dispositif": mechanism, "taux_insertion": rate, "cout_horaire": cost},
        "lots": lot_list,
    })


def hours(p: Profile) -> int:
    d = decide(p, BOOK.at(p.market.launch_date))
    return d.lots[0].heures


@given(amounts, rates, shares, costs)
def test_hours_never_negative(amount, rate, share, cost):
    assert hours(profile(amount, rate, share, cost)) >= 0


@given(amounts, amounts, rates, shares, costs)
def test_hours_monotone_in_amount(a, b, rate, share, cost):
    low, high = sorted((a, b))
    assert hours(profile(low, rate, share, cost)) <= hours(profile(high, rate, share, cost))


@given(amounts, rates, rates, shares, costs)
def test_hours_monotone_in_rate(amount, r1, r2, share, cost):
    low, high = sorted((r1, r2))
    assert hours(profile(amount, low, share, cost)) <= hours(profile(amount, high, share, cost))


@given(amounts, rates, shares, shares, costs)
def test_hours_monotone_in_labour_share(amount, rate, s1, s2, cost):
    low, high = sorted((s1, s2))
    assert hours(profile(amount, rate, low, cost)) <= hours(profile(amount, rate, high, cost))


@settings(max_examples=60)
@given(amounts, rates, shares, costs, dates, st.sampled_from(["services", "travaux", "fournitures"]),
       st.sampled_from(["marche_ordinaire", "accord_cadre_bons_de_commande",
                        "accord_cadre_marches_subsequents"]),
       st.sampled_from(["etat", "autre_pouvoir_adjudicateur", "entite_adjudicatrice"]),
       mechanisms, st.integers(min_value=1, max_value=4), st.booleans())
def test_trail_never_empty_and_json_shape(amount, rate, share, cost, date, nature, form, category,
                                          mechanism, lots, defence):
    p = profile(amount, rate, share, cost, date=date, nature=nature, form=form, category=category,
                mechanism=mechanism, lots=lots, defence=defence)
    d = decide(p, BOOK.at(date))
    data = json.loads(json.dumps(decision_json(d, p)))
    assert set(data) == {"drafter_version", "date_reference", "regles", "marche", "lots"}
    assert set(data["marche"]) == {"reference", "valeur_estimee_ht", "seuil_europeen_ht", "obligation_sociale"}
    assert isinstance(data["marche"]["valeur_estimee_ht"], int | float)
    assert isinstance(data["marche"]["obligation_sociale"], bool)
    assert len(data["lots"]) == lots
    for lot in data["lots"]:
        assert set(lot) == {"numero", "intitule", "dispositif", "base_legale", "heures",
                            "ratio_heures_10000_eur", "part_main_oeuvre", "taux_insertion",
                            "cout_horaire", "avertissements", "trace"}
        assert lot["heures"] is None or (isinstance(lot["heures"], int) and lot["heures"] >= 0)
        assert lot["trace"], "the trail is never empty"
        assert all(set(step) == {"regle", "texte", "reference"} and step["texte"] for step in lot["trace"])
        if lot["dispositif"] in {"reserve_siae", "reserve_handicap", "reserve_siae_handicap", "aucun"}:
            assert lot["heures"] is None
