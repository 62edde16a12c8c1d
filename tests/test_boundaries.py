"""Every threshold the rules name, tested on both sides (SPEC §4, rule tables ``calcul`` and
``seuils``): criterion weight 20 %, inclusive structures 2 / 10 / 30, 150 hours, EU threshold,
start dates; and exact error sets: every expected error present and no other.

Hours here are ``montant × 50 % × 5 % ÷ 30 €`` = ``montant ÷ 1 200``, rounded half-up.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from drafter.domain.profile import FrameworkMethod, Mechanism

from .engine_helpers import analyse, errors, lot

ENV_REMINDER = (
    "Rappel : pour une consultation lancée à partir du 21 août 2026, un critère environnemental est "
    "aussi obligatoire (art. R2152-7) ; drafter ne le rédige pas."
)
SECTORS = (
    "batiment_tous_corps_etat, blanchisserie, charpente_metallique_serrurerie, collecte_dechets, "
    "couverture_charpente_bois, demenagement_manutention, demolition_desamiantage, electricite, "
    "espaces_verts, fournitures, gardiennage_securite, gros_oeuvre_maconnerie, maintenance_multitechnique, "
    "menuiseries, nettoyage_proprete, peinture_revetements_muraux, platrerie_isolation, plomberie_cvc, "
    "prestations_intellectuelles, restauration_collective, revetements_sols, services_numeriques, "
    "vrd_travaux_publics"
)
OBLIGATORY = (
    "le marché est soumis à la condition sociale obligatoire (art. L2112-2-1) : le dispositif {what} ne "
    "la satisfait pas. Choisissez une condition d'exécution, un marché réservé ou d'insertion, ou "
    "déclarez une exception (insertion.exception.motif et insertion.exception.justification)."
)
LOW_OPTIONAL = (
    "Volume faible (149 h, moins de 150 h) : clause peu opérante (repère de la branche propreté, PACT "
    "Propreté, appliqué ici par analogie) ; vérifiez le calibrage avec le facilitateur."
)
LOW_OBLIGATORY = (
    "Volume faible (149 h, moins de 150 h) : la clause est retenue parce qu'elle est obligatoire ; "
    "envisagez les solutions proposées."
)
HALF = {"part_main_oeuvre": 0.5}


# --- criterion weight: alert strictly above 20 % ------------------------------------------------


@pytest.mark.parametrize("weight, alert", [(20, False), (20.01, True), (19.99, False), (35, True)])
def test_criterion_weight_alert_above_20_percent(tmp_path, weight, alert):
    decision = lot(
        tmp_path,
        marche={"montant_estime_ht": 400000, **HALF},
        insertion={"dispositif": "condition_et_critere", "ponderation_critere": weight},
    )
    expected = []
    if alert:
        shown = str(weight).replace(".", ",")
        expected.insert(
            0,
            f"Pondération du critère « insertion » élevée ({shown} %, au-delà de 20 %) : "
            "justifiez-la par l'objet du marché.",
        )
    assert list(decision.avertissements) == expected
    assert decision.ponderation_critere == Decimal(str(weight))


def test_default_criterion_weight_is_10_percent_and_no_alert(tmp_path):
    decision = lot(tmp_path, marche={"montant_estime_ht": 400000, **HALF}, insertion={"critere": True})
    assert decision.dispositif is Mechanism.CONDITION_AND_CRITERION
    assert decision.ponderation_critere == Decimal(10)
    assert list(decision.avertissements) == []
    assert list(decision.base_legale) == ["L2112-2", "L2152-7", "R2152-7"]


def test_environmental_criterion_required_from_21_august_2026(tmp_path):
    for date, required in (("2026-08-20", False), ("2026-08-21", True)):
        decision = analyse(tmp_path, marche={"montant_estime_ht": 400000, "date_lancement": date, **HALF}).decision
        assert decision.critere_environnemental_obligatoire is required


@pytest.mark.parametrize("count, words", [(1, "lot unique"), (2, "somme des 2 lots"), (3, "somme des 3 lots")])
def test_market_value_sums_the_lots(tmp_path, count, words):
    lots = [
        {"numero": i + 1, "intitule": f"Lot {i + 1}", "montant_estime_ht": 100000 * (i + 1), **HALF}
        for i in range(count)
    ]
    decision = analyse(tmp_path, marche={"nature": "services"}, lots=lots).decision
    total = 100000 * count * (count + 1) // 2
    assert decision.valeur_estimee_ht == Decimal(total)
    grouped = f"{total:,}".replace(",", " ")
    assert decision.trace[0].texte == (
        f"Valeur estimée du besoin : {grouped} € HT ({words}, montants estimés), "
        "sur toute la durée du marché (12 mois)."
    )


# --- inclusive structures: 10 → reserved lot, 30 → reserved market; reservation needs ≥ 2 --------


@pytest.mark.parametrize(
    "count, expected",
    [
        (0, []),
        (9, []),
        (
            10,
            [
                (
                    "10 structures inclusives repérées (≥ 10) : un lot réservé (art. L2113-12 à L2113-14) mérite d'être "
                    "envisagé."
                )
            ],
        ),
        (
            29,
            [
                (
                    "29 structures inclusives repérées (≥ 10) : un lot réservé (art. L2113-12 à L2113-14) mérite d'être "
                    "envisagé."
                )
            ],
        ),
        (
            30,
            [
                (
                    "30 structures inclusives repérées (≥ 30) : un marché entièrement réservé (art. L2113-12 à L2113-14) "
                    "mérite d'être envisagé."
                )
            ],
        ),
    ],
)
def test_inclusive_structures_suggestions(tmp_path, count, expected):
    decision = lot(
        tmp_path, marche={"montant_estime_ht": 400000, **HALF}, insertion={"structures_inclusives_disponibles": count}
    )
    assert decision.dispositif is Mechanism.CONDITION
    assert list(decision.alternatives) == expected
    assert list(decision.avertissements) == []


@pytest.mark.parametrize("mechanism", ["reserve_siae", "marche_insertion"])
def test_no_reservation_suggested_when_already_reserved_or_insertion(tmp_path, mechanism):
    decision = lot(
        tmp_path,
        marche={"nature": "services", "montant_estime_ht": 96000, "objet_insertion": True, **HALF},
        insertion={"dispositif": mechanism, "structures_inclusives_disponibles": 40},
    )
    assert [a for a in decision.alternatives if "structures inclusives" in a] == []


@pytest.mark.parametrize("count, warned", [(0, True), (1, True), (2, False), (3, False)])
def test_reservation_with_fewer_than_2_structures(tmp_path, count, warned):
    decision = lot(
        tmp_path,
        marche={"montant_estime_ht": 96000, **HALF},
        insertion={"dispositif": "reserve_siae", "structures_inclusives_disponibles": count},
    )
    expected = (
        [
            (
                f"Seulement {count} structure(s) inclusive(s) repérée(s) : la réservation risque d'être "
                "infructueuse ; complétez le sourçage (le marché de l'inclusion, TME)."
            )
        ]
        if warned
        else []
    )
    assert list(decision.avertissements) == expected
    assert decision.heures is None


def test_reservation_without_a_count_has_no_warning(tmp_path):
    decision = lot(tmp_path, marche={"montant_estime_ht": 96000, **HALF}, insertion={"dispositif": "reserve_handicap"})
    assert list(decision.avertissements) == []
    assert list(decision.base_legale) == ["L2113-12", "R2113-7"]


# --- 150 hours: the volume below which a clause is weak ------------------------------------------


@pytest.mark.parametrize("amount, hours", [(178800, 149), (179399, 149), (179400, 150), (180000, 150)])
def test_150_hours_without_obligation(tmp_path, amount, hours):
    """Works below the EU threshold: under 150 h no clause is recommended (auto)."""
    decision = lot(tmp_path, marche={"montant_estime_ht": amount, **HALF})
    assert decision.calcul.hours == hours
    if hours < 150:
        assert decision.dispositif is Mechanism.NONE
        assert decision.heures is None
        assert list(decision.alternatives) == [
            (
                "Une clause d'insertion reste possible si l'acheteur le souhaite (choisir le dispositif « condition "
                "d'exécution » dans le profil) ; elle serait de faible portée."
            )
        ]
        assert decision.trace[-1].regle == "dispositif.auto.aucun"
        assert decision.trace[-1].texte == (
            "149 h < 150 h (volume minimum) et aucune obligation : une clause "
            "d'insertion serait peu opérante ; pas de clause sociale recommandée."
        )
    else:
        assert decision.dispositif is Mechanism.CONDITION
        assert decision.heures == 150
        assert list(decision.alternatives) == []
        rules = [s.regle for s in decision.trace]
        assert "dispositif.auto.condition" in rules
    assert list(decision.avertissements) == []


@pytest.mark.parametrize("amount, warned", [(179399, True), (179400, False)])
def test_150_hours_with_an_explicit_condition(tmp_path, amount, warned):
    decision = lot(
        tmp_path, marche={"montant_estime_ht": amount, **HALF}, insertion={"dispositif": "condition_execution"}
    )
    assert decision.dispositif is Mechanism.CONDITION
    assert list(decision.avertissements) == ([LOW_OPTIONAL] if warned else [])


@pytest.mark.parametrize("amount, warned", [(179399, True), (179400, False)])
def test_150_hours_under_the_obligation(tmp_path, amount, warned):
    decision = lot(tmp_path, marche={"nature": "services", "montant_estime_ht": amount, **HALF})
    assert decision.dispositif is Mechanism.CONDITION
    assert list(decision.avertissements) == ([LOW_OBLIGATORY] if warned else [])
    assert bool(decision.alternatives) is warned
    assert list(decision.base_legale) == ["L2112-2", "L2112-2-1"]


def test_weak_volume_with_a_requested_criterion_and_no_obligation(tmp_path):
    decision = lot(tmp_path, marche={"montant_estime_ht": 60000, **HALF}, insertion={"critere": True})
    assert decision.dispositif is Mechanism.NONE
    assert list(decision.avertissements) == [
        (
            "Le critère « insertion » demandé dans le profil n'est pas retenu faute de clause ; choisissez le "
            "dispositif « critère d'attribution » seul."
        )
    ]


# --- EU threshold and start dates ----------------------------------------------------------------


@pytest.mark.parametrize("amount, obligation", [("140000", True), ("139999.99", False)])
def test_eu_threshold_is_inclusive(tmp_path, amount, obligation):
    decision = analyse(tmp_path, marche={"nature": "services", "montant_estime_ht": amount, **HALF}).decision
    assert decision.seuil_europeen_ht == Decimal(140000)
    assert decision.valeur_estimee_ht == Decimal(amount)
    assert decision.obligation_sociale is obligation
    assert decision.trace[-1].regle == ("obligation.l2112-2-1" if obligation else "obligation.seuil")


@pytest.mark.parametrize("date, obligation", [("2026-08-22", True), ("2026-08-21", False)])
def test_obligation_from_22_august_2026(tmp_path, date, obligation):
    decision = analyse(
        tmp_path, marche={"nature": "services", "montant_estime_ht": 400000, "date_lancement": date, **HALF}
    ).decision
    assert decision.date_reference == dt.date.fromisoformat(date)
    assert decision.obligation_sociale is obligation
    assert decision.trace[-1].regle == ("obligation.l2112-2-1" if obligation else "obligation.date")


def test_defence_market_has_no_obligation(tmp_path):
    decision = analyse(
        tmp_path, marche={"nature": "services", "montant_estime_ht": 4000000, "defense_ou_securite": True, **HALF}
    ).decision
    assert decision.obligation_sociale is False
    assert decision.trace[-1].regle == "obligation.defense"


@pytest.mark.parametrize(
    "category, threshold", [("etat", 140000), ("autre_pouvoir_adjudicateur", 216000), ("entite_adjudicatrice", 432000)]
)
def test_threshold_by_buyer_category_and_works(tmp_path, category, threshold):
    services = analyse(
        tmp_path, acheteur={"categorie": category}, marche={"nature": "services", "montant_estime_ht": 100000, **HALF}
    ).decision
    works = analyse(
        tmp_path, acheteur={"categorie": category}, marche={"nature": "travaux", "montant_estime_ht": 100000, **HALF}
    ).decision
    assert services.seuil_europeen_ht == Decimal(threshold)
    assert works.seuil_europeen_ht == Decimal(5404000)


def test_framework_value_is_the_maximum_when_given(tmp_path):
    decision = analyse(
        tmp_path,
        marche={
            "nature": "services",
            "forme": "accord_cadre_bons_de_commande",
            "montant_estime_ht": 100000,
            "montant_maximum_ht": 150000,
            **HALF,
        },
    ).decision
    assert decision.valeur_estimee_ht == Decimal(150000)
    assert decision.obligation_sociale is True


# --- objet_insertion with an explicit mechanism --------------------------------------------------

OBJECT_WARNING = (
    "Le lot est déclaré « objet_insertion: true » mais le dispositif choisi n'est pas un marché "
    "d'insertion : vérifiez l'objet ou le dispositif."
)


@pytest.mark.parametrize(
    "mechanism, warned",
    [("condition_execution", True), ("reserve_siae", True), ("marche_insertion", False), ("auto", False)],
)
def test_insertion_object_with_an_explicit_mechanism(tmp_path, mechanism, warned):
    decision = lot(
        tmp_path,
        marche={"nature": "services", "montant_estime_ht": 300000, "objet_insertion": True, **HALF},
        insertion={"dispositif": mechanism},
    )
    assert (OBJECT_WARNING in decision.avertissements) is warned
    if mechanism == "auto":
        assert decision.dispositif is Mechanism.INSERTION_MARKET


def test_insertion_market_without_insertion_object_is_warned(tmp_path):
    decision = lot(
        tmp_path,
        marche={"nature": "services", "montant_estime_ht": 300000, **HALF},
        insertion={"dispositif": "marche_insertion"},
    )
    assert list(decision.avertissements) == [
        (
            "Marché d'insertion : décrivez l'activité support pour elle-même (« activite_support ») et fixez son volume "
            "(« postes_insertion » ou « heures_activite_support ») ; sans eux, le CCAP renvoie au cahier des clauses "
            "techniques particulières."
        ),
        (
            "Marché d'insertion : énoncez l'objet comme une prestation d'insertion et de qualification "
            "professionnelle (objet_insertion: true)."
        ),
    ]
    assert list(decision.mentions_avis) == [
        ("Publicité adaptée à la valeur du marché (procédure adaptée, art. R2123-1 3°).")
    ]


@pytest.mark.parametrize("amount, joue", [(750000, True), ("749999.99", False)])
def test_insertion_market_joue_notice_from_750000(tmp_path, amount, joue):
    decision = lot(
        tmp_path, marche={"nature": "services", "montant_estime_ht": amount, "objet_insertion": True, **HALF}
    )
    assert ("R2131-15" in decision.base_legale) is joue
    notice = (
        "Valeur ≥ 750 000 € HT : avis de marché publié au JOUE (art. R2131-15)."
        if joue
        else "Publicité adaptée à la valeur du marché (procédure adaptée, art. R2123-1 3°)."
    )
    assert list(decision.mentions_avis) == [notice]


# --- framework methods: the indicative total is computed on the estimate -------------------------


def framework(tmp_path, method, **extra):
    return lot(
        tmp_path,
        marche={
            "forme": "accord_cadre_bons_de_commande",
            "montant_estime_ht": 1200000,
            "montant_minimum_ht": 400000,
            "montant_maximum_ht": 1500000,
            **HALF,
            **extra,
        },
        insertion={"methode_accord_cadre": method},
    )


def test_minimum_method_hours_on_minimum_indicative_on_estimate(tmp_path):
    decision = framework(tmp_path, "minimum")
    assert decision.methode_accord_cadre is FrameworkMethod.MINIMUM
    assert decision.heures == 333  # 400 000 ÷ 1 200 = 333,33
    assert decision.calcul.indicative_hours == 1000  # 1 200 000 ÷ 1 200
    assert decision.calcul.base_label == "montant minimum"
    assert decision.calcul.base_amount == Decimal(400000)
    assert decision.ratio_heures_10000_eur == Decimal("8.3")
    texts = {s.regle: s.texte for s in decision.trace}
    assert texts["heures.methode_minimum"] == (
        "Méthode « minimum » : 333 h sont dues sur le montant minimum, puis 8,3 h par tranche de 10 000 € HT "
        "commandés au-delà (total indicatif sur le montant estimé : 1 000 h)."
    )


def test_ratio_and_estimate_methods_work_on_the_estimate(tmp_path):
    ratio = framework(tmp_path, "ratio")
    estimate = framework(tmp_path, "estime")
    for decision in (ratio, estimate):
        assert decision.heures == 1000
        assert decision.calcul.base_label == "montant estimé"
        assert decision.ratio_heures_10000_eur == Decimal("8.3")
    assert ratio.calcul.indicative_hours == 1000
    assert estimate.calcul.indicative_hours is None
    assert "heures.methode_ratio" in [s.regle for s in ratio.trace]
    assert "heures.methode_estime" in [s.regle for s in estimate.trace]


def test_ordinary_market_ignores_a_framework_method(tmp_path):
    decision = lot(
        tmp_path, marche={"montant_estime_ht": 1200000, **HALF}, insertion={"methode_accord_cadre": "minimum"}
    )
    assert decision.methode_accord_cadre is None
    assert decision.ratio_heures_10000_eur is None
    assert decision.calcul.ratio is None
    assert list(decision.avertissements) == [
        ("« methode_accord_cadre: minimum » ignorée : le marché n'est pas un accord-cadre.")
    ]


def test_subsequent_contracts_always_use_the_ratio(tmp_path):
    decision = lot(
        tmp_path,
        marche={
            "forme": "accord_cadre_marches_subsequents",
            "montant_estime_ht": 1200000,
            "montant_maximum_ht": 1500000,
            **HALF,
        },
        insertion={"methode_accord_cadre": "estime"},
    )
    assert decision.methode_accord_cadre is FrameworkMethod.RATIO
    assert decision.heures == 1000
    assert decision.avertissements[0].startswith(
        "« methode_accord_cadre: estime » ignorée : pour un accord-cadre à marchés subséquents"
    )
    assert [c.regle for c in decision.a_confirmer].count("heures.marches_subsequents") == 1


# --- exact error sets ----------------------------------------------------------------------------

ERROR_CASES = {
    "minimum method without a minimum": (
        {
            "marche": {
                "forme": "accord_cadre_bons_de_commande",
                "montant_estime_ht": 1200000,
                "montant_maximum_ht": 1500000,
                **HALF,
            },
            "insertion": {"methode_accord_cadre": "minimum"},
        },
        [
            (
                "P:16:22 — marche.montant_estime_ht : la méthode « minimum » exige un montant minimum : ajoutez "
                "« montant_minimum_ht » à ce lot ou choisissez la méthode « ratio »."
            )
        ],
    ),
    "unknown sector": (
        {"marche": {"montant_estime_ht": 1200000, "secteur": "boulangerie"}},
        [f"P:17:12 — marche.secteur : secteur inconnu (valeur lue : « boulangerie ») ; secteurs admis : {SECTORS}."],
    ),
    "unknown sector with a labour share": (
        {"marche": {"montant_estime_ht": 1200000, "secteur": "boulangerie", **HALF}},
        [f"P:17:12 — marche.secteur : secteur inconnu (valeur lue : « boulangerie ») ; secteurs admis : {SECTORS}."],
    ),
    "unknown sector with a labour share, minimum method without a minimum": (
        {
            "marche": {
                "forme": "accord_cadre_bons_de_commande",
                "montant_estime_ht": 1200000,
                "secteur": "boulangerie",
                "montant_maximum_ht": 1500000,
                **HALF,
            },
            "insertion": {"methode_accord_cadre": "minimum"},
        },
        [
            (
                "P:16:22 — marche.montant_estime_ht : la méthode « minimum » exige un montant minimum : ajoutez "
                "« montant_minimum_ht » à ce lot ou choisissez la méthode « ratio »."
            ),
            f"P:17:12 — marche.secteur : secteur inconnu (valeur lue : « boulangerie ») ; secteurs admis : {SECTORS}.",
        ],
    ),
    "no sector and no labour share": (
        {"marche": {"montant_estime_ht": 1200000}},
        [
            (
                "P:8:3 — marche.secteur : part de main-d'œuvre inconnue : indiquez « secteur » (liste : drafter regles) "
                "ou « part_main_oeuvre » (ex. 0.50) pour calculer les heures d'insertion."
            )
        ],
    ),
    "staff taken over outside cleaning": (
        {
            "marche": {
                "montant_estime_ht": 1200000,
                "secteur": "espaces_verts",
                "heures_mensuelles_personnel_repris": 100,
            }
        },
        [
            (
                "P:18:39 — marche.heures_mensuelles_personnel_repris : la pondération du personnel repris (PACT Propreté) "
                "ne s'applique qu'au secteur « nettoyage_proprete » : retirez ce champ ou corrigez le secteur."
            )
        ],
    ),
    "exception without motive nor justification": (
        {
            "marche": {"nature": "services", "montant_estime_ht": 1200000, **HALF},
            "insertion": {"dispositif": "aucun", "exception": {}},
        },
        [
            (
                "P:26:14 — insertion.exception : motif d'exception manquant ; motifs admis : "
                "solution_immediatement_disponible, lien_insuffisant_avec_objet, "
                "restriction_concurrence_ou_execution_difficile."
            ),
            (
                "P:26:14 — insertion.exception.justification : justification manquante : rédigez les raisons de "
                "l'exception, qui seront conservées au dossier du marché (art. L2112-2-1)."
            ),
        ],
    ),
    "exception with a blank justification": (
        {
            "marche": {"nature": "services", "montant_estime_ht": 1200000, **HALF},
            "insertion": {
                "dispositif": "aucun",
                "exception": {"motif": "lien_insuffisant_avec_objet", "justification": "   "},
            },
        },
        [
            (
                "P:28:20 — insertion.exception.justification : justification manquante : rédigez les raisons de "
                "l'exception, qui seront conservées au dossier du marché (art. L2112-2-1)."
            )
        ],
    ),
    "no clause under the obligation": (
        {"marche": {"nature": "services", "montant_estime_ht": 1200000, **HALF}, "insertion": {"dispositif": "aucun"}},
        ["P:25:15 — insertion.dispositif : " + OBLIGATORY.format(what="« aucun »")],
    ),
    "criterion alone under the obligation": (
        {
            "marche": {"nature": "services", "montant_estime_ht": 1200000, **HALF},
            "insertion": {"dispositif": "critere_attribution"},
        },
        ["P:25:15 — insertion.dispositif : " + OBLIGATORY.format(what="« critère d'attribution » seul")],
    ),
    "insertion market for works": (
        {"marche": {"montant_estime_ht": 1200000, **HALF}, "insertion": {"dispositif": "marche_insertion"}},
        [
            (
                "P:10:11 — marche.nature : un marché d'insertion (art. R2123-1 3°) est un marché de services : la nature "
                "« travaux » ne convient pas. Choisissez un autre dispositif ou corrigez la nature."
            )
        ],
    ),
    "errors of several lots, the valid lot silent": (
        {
            "marche": {"nature": "services", "montant_estime_ht": None},
            "lots": [
                {"numero": 1, "intitule": "A", "montant_estime_ht": 500000, "secteur": "inconnu"},
                {
                    "numero": 2,
                    "intitule": "B",
                    "montant_estime_ht": 500000,
                    **HALF,
                    "insertion": {"dispositif": "aucun"},
                },
                {"numero": 3, "intitule": "C", "montant_estime_ht": 500000, **HALF},
            ],
        },
        [
            f"P:26:12 — lots[1].secteur : secteur inconnu (valeur lue : « inconnu ») ; secteurs admis : {SECTORS}.",
            "P:32:17 — lots[2].insertion.dispositif : " + OBLIGATORY.format(what="« aucun »"),
        ],
    ),
}


@pytest.mark.parametrize("name", list(ERROR_CASES))
def test_exact_error_set(tmp_path, name):
    parts, expected = ERROR_CASES[name]
    assert errors(tmp_path, **parts) == expected


def test_exception_used_under_the_obligation(tmp_path):
    decision = lot(
        tmp_path,
        marche={"nature": "services", "montant_estime_ht": 1200000, **HALF},
        insertion={
            "dispositif": "aucun",
            "exception": {"motif": "lien_insuffisant_avec_objet", "justification": "  Achat sur catalogue.  "},
        },
    )
    assert decision.dispositif is Mechanism.NONE
    assert decision.exception.justification == "Achat sur catalogue."
    assert decision.exception.wording == (
        "une telle prise en compte n'est pas susceptible de présenter un lien suffisant avec l'objet du marché"
    )
    assert list(decision.base_legale) == ["L2112-2-1"]
    assert [c.regle for c in decision.a_confirmer] == ["exception.lien_insuffisant_avec_objet"]
    assert list(decision.avertissements) == []


@pytest.mark.parametrize(
    "nature, mechanism, warning",
    [
        (
            "travaux",
            "auto",
            (
                "Exception à la condition sociale déclarée alors que le marché n'est pas soumis à "
                "l'obligation de l'art. L2112-2-1 : elle est sans objet et n'est pas reprise."
            ),
        ),
        (
            "services",
            "condition_execution",
            (
                "Exception déclarée mais non utilisée : le dispositif retenu satisfait déjà "
                "l'obligation de l'art. L2112-2-1."
            ),
        ),
    ],
)
def test_unused_exception_is_warned(tmp_path, nature, mechanism, warning):
    decision = lot(
        tmp_path,
        marche={"nature": nature, "montant_estime_ht": 1200000, **HALF},
        insertion={
            "dispositif": mechanism,
            "exception": {"motif": "lien_insuffisant_avec_objet", "justification": "x"},
        },
    )
    assert decision.dispositif is Mechanism.CONDITION
    assert decision.exception is None
    assert list(decision.avertissements) == [warning]


def test_declared_exception_under_the_obligation_means_no_clause_in_auto(tmp_path):
    decision = lot(
        tmp_path,
        marche={"nature": "services", "montant_estime_ht": 1200000, **HALF},
        insertion={"exception": {"motif": "solution_immediatement_disponible", "justification": "x"}},
    )
    assert decision.dispositif is Mechanism.NONE
    assert decision.heures is None
    assert "dispositif.auto.exception" in [s.regle for s in decision.trace]
    assert decision.exception.motive.value == "solution_immediatement_disponible"


# --- what the trail shows: amounts with cents, the rule of each point to confirm ------------------


def test_an_hourly_cost_with_cents_is_shown_with_its_cents(tmp_path):
    """23,47 € must not read « 23 € » in the formula a lawyer checks."""
    decision = lot(
        tmp_path,
        marche={"montant_estime_ht": 1200000, **HALF},
        insertion={"cout_horaire": 23.47, "penalite_par_heure": 40.5},
    )
    texts = {s.regle: s.texte for s in decision.trace}
    assert texts["profil.cout_horaire"] == (
        "Coût horaire chargé de calibrage : 23,47 € HT (choix du marché dans le profil)."
    )
    assert texts["heures.calcul"] == (
        "Heures d'insertion sur le montant estimé : 1 200 000 € × 50 % × 5 % ÷ 23,47 € = 1 278,23 h, arrondi à "
        "l'heure la plus proche (0,5 vers le haut) : 1 278 h."
    )
    assert texts["profil.penalite_par_heure"] == (
        "Pénalité par heure d'insertion non réalisée : 40,50 € HT (choix du marché dans le profil)."
    )
    assert decision.heures == 1278  # 1 200 000 × 0,025 ÷ 23,47 = 1 278,227…
    assert decision.penalite_par_heure == Decimal("40.5")


def test_default_penalty_equals_the_hourly_cost(tmp_path):
    decision = lot(tmp_path, marche={"montant_estime_ht": 1200000, **HALF}, insertion={"cout_horaire": 32.5})
    texts = {s.regle: s.texte for s in decision.trace}
    assert texts["penalite_par_heure"] == (
        "Pénalité par heure d'insertion non réalisée : égale au coût horaire, soit "
        "32,50 € HT (valeur par défaut de la table de règles)."
    )
    assert decision.penalite_par_heure == Decimal("32.5")


def test_points_to_confirm_carry_their_rule(tmp_path):
    decision = lot(tmp_path, marche={"montant_estime_ht": 1200000, "secteur": "electricite"})
    assert [c.regle for c in decision.a_confirmer] == ["part_main_oeuvre.electricite", "penalite_par_heure"]
    assert decision.a_confirmer[0] == (
        "Électricité, courants faibles : valeur indicative non sourcée, à confirmer avec le facilitateur."
    )


@pytest.mark.parametrize("mechanism", ["reserve_siae", "reserve_handicap", "marche_insertion"])
def test_no_calculation_for_a_lot_without_hours(tmp_path, mechanism):
    decision = lot(
        tmp_path,
        marche={"nature": "services", "montant_estime_ht": 96000, "objet_insertion": True, **HALF},
        insertion={"dispositif": mechanism},
    )
    assert decision.calcul is None
    assert decision.heures is None and decision.penalite_par_heure is None
    assert decision.part_main_oeuvre == Decimal("0.5")
    assert decision.taux_insertion == Decimal("0.05") and decision.cout_horaire == Decimal(30)


def test_reservation_under_the_obligation_is_a_point_to_confirm(tmp_path):
    decision = lot(
        tmp_path,
        marche={"nature": "services", "montant_estime_ht": 400000, **HALF},
        insertion={"dispositif": "reserve_siae"},
    )
    assert [c.regle for c in decision.a_confirmer] == ["marche_reserve.obligation_sociale"]


def test_the_lot_decision_carries_the_lot_facts(tmp_path):
    decision = lot(
        tmp_path,
        marche={
            "forme": "accord_cadre_bons_de_commande",
            "montant_estime_ht": 1200000,
            "montant_minimum_ht": 400000,
            "montant_maximum_ht": 1500000,
            "secteur": "espaces_verts",
        },
    )
    assert decision.secteur == "espaces_verts"
    assert decision.montant_estime_ht == Decimal(1200000)
    assert decision.montant_minimum_ht == Decimal(400000)
    assert decision.montant_maximum_ht == Decimal(1500000)
    assert decision.facilitateur.name == "Sophie Laurent"
    assert decision.objet_insertion is False
    assert decision.methode_accord_cadre is FrameworkMethod.RATIO
    insertion = lot(
        tmp_path, marche={"nature": "services", "montant_estime_ht": 300000, "objet_insertion": True, **HALF}
    )
    assert insertion.objet_insertion is True


# --- PACT Propreté: P exactly 0 ------------------------------------------------------------------

PACT_PROFILE = {
    "marche": {"nature": "services", "montant_estime_ht": 120000, "secteur": "nettoyage_proprete"},
    "insertion": {"cout_horaire": 20, "dispositif": "condition_execution"},
}


def pact(staff: str) -> dict:
    return {**PACT_PROFILE, "marche": {**PACT_PROFILE["marche"], "heures_mensuelles_personnel_repris": staff}}


def test_pact_weight_just_above_zero(tmp_path):
    decision = lot(tmp_path, **pact("399"))  # P = 1 − 399 × (20 ÷ 80 %) ÷ (120 000 ÷ 12) = 0,0025
    assert decision.calcul.pact_weight == Decimal("0.0025")
    assert decision.calcul.pact_coefficient == Decimal(25)
    assert decision.calcul.staff_hours == Decimal(399)
    assert decision.calcul.estimate == Decimal(120000)
    assert decision.heures == 1  # 0,0025 × 120 000 × 80 % × 5 % ÷ 20 = 0,6 → 1 h
    assert not any("(P ≤ 0)" in w for w in decision.avertissements)


@pytest.mark.parametrize("staff", ["400", "500"])  # P exactly 0, and below 0
def test_pact_weight_at_or_below_zero_refuses_a_condition_of_0_hours(tmp_path, staff):
    found = errors(tmp_path, **pact(staff))
    assert len(found) == 1
    assert found[0].startswith(
        "P:27:15 — insertion.dispositif : aucune heure d'insertion ne peut être exigée pour ce "
        "lot (volume calculé : 0 heure, par exemple parce que le personnel repris couvre tout "
        "le potentiel)"
    )
