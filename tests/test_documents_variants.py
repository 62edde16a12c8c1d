"""Template variants the six examples do not reach: each renders, with the wording it needs."""

from __future__ import annotations

import copy

import pytest
import yaml

from drafter.app.analyse import analyse
from drafter.app.generate import generate
from drafter.documents.docx_text import docx_text
from drafter.documents.plan import piece_name

from .conftest import EXAMPLES, TODAY, piece


def profile(tmp_path, example: str, **changes):
    data = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split("__")
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
        node[last] = copy.deepcopy(value)
    path = tmp_path / "profil.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return generate(analyse(path, today=TODAY), tmp_path / "out").folder


def texts(folder):
    return {piece_name(p.stem): docx_text(p) for p in folder.glob("*.docx")}


def test_single_lot_condition(tmp_path):
    docs = texts(profile(tmp_path, "mapa-petits-travaux.yaml", insertion__dispositif="condition_execution"))
    assert "Volume d'heures d'insertion exigé : 44 heures, soit environ 0,3 mois de travail à temps plein." \
        in docs["ccap-article-insertion"]
    assert "Elle s'applique au marché." in docs["ccap-article-insertion"]
    assert "Le facilitateur chargé du suivi de la clause applicable au marché est désigné par l'acheteur" \
        in docs["ccap-article-insertion"]
    assert "Pour le marché, le candidat joint à son offre l'engagement d'insertion" in docs["rc-article-insertion"]
    assert "44 heures\nsoit environ 0,3 mois" in docs["engagement-insertion"]
    assert "Volume faible (44 h, moins de 150 h)" in docs["note-de-calcul"]


def test_criterion_only(tmp_path):
    docs = texts(profile(tmp_path, "mapa-petits-travaux.yaml", insertion__dispositif="critere_attribution"))
    ccap = docs["ccap-article-insertion"]
    assert ccap.startswith("Dispositions sociales\n")   # no article number in this profile: unnumbered
    assert "\nPublics éligibles\n" in ccap
    assert "\nEngagements pris dans l'offre au titre du critère « insertion »\n" in ccap
    assert "Condition d'exécution : clause d'insertion" not in ccap
    assert "Les heures d'insertion que le titulaire s'est engagé à réaliser au-delà" not in ccap
    assert "Engagements au titre du critère « insertion »" in docs["engagement-insertion"]
    assert "Mémoire social" in docs["rc-article-insertion"]


@pytest.mark.parametrize("mechanism, article, proofs", [
    ("reserve_handicap", "en application de l'article L. 2113-12 du code de la commande publique, à des "
                         "entreprises adaptées", ["contrat pluriannuel d'objectifs et de moyens", "agence régionale"]),
    ("reserve_siae_handicap", "en application des articles L. 2113-12, L. 2113-13 et L. 2113-14 du code de la "
                              "commande publique, à la fois", ["la convention conclue avec l'État",
                                                               "contrat pluriannuel d'objectifs et de moyens"]),
])
def test_reserved_variants(tmp_path, mechanism, article, proofs):
    docs = texts(profile(tmp_path, "mapa-petits-travaux.yaml", insertion__dispositif=mechanism))
    assert article in docs["ccap-article-insertion"]
    for proof in proofs:
        assert proof in docs["ccap-article-insertion"] and proof in docs["rc-article-insertion"]
    assert "Publics éligibles" not in docs["ccap-article-insertion"]
    assert "Entreprise adaptée, y compris de travail temporaire" in docs["engagement-insertion"]


def test_framework_minimum_method(tmp_path):
    lots = yaml.safe_load((EXAMPLES / "nettoyage-accord-cadre-occitanie.yaml").read_text(encoding="utf-8"))["lots"][:2]
    docs = texts(profile(tmp_path, "nettoyage-accord-cadre-occitanie.yaml", lots=lots,
                         insertion__methode_accord_cadre="minimum"))
    assert ("1 792 heures au titre du montant minimum de 800 000 € HT, puis 22,4 heures par tranche de 10 000 € HT "
            "commandés au-delà de ce minimum") in docs["ccap-article-insertion"]
    assert "Application sur le montant minimum (800 000 € HT)" in docs["note-de-calcul"]


def test_subsequent_contracts(tmp_path):
    docs = texts(profile(tmp_path, "nettoyage-accord-cadre-occitanie.yaml",
                         marche__forme="accord_cadre_marches_subsequents"))
    ccap = docs["ccap-article-insertion"]
    assert "22,4 heures par tranche de 10 000 € HT du montant de chaque marché subséquent" in ccap
    assert ("Le ratio d'heures par tranche de 10 000 € HT s'applique au montant hors taxes de chaque marché "
            "subséquent. Chaque marché subséquent fixe le volume d'heures qui en résulte") in ccap
    assert "bons de commande" not in ccap            # marchés subséquents are not « bons de commande »
    assert "bons de commande" not in docs["rc-article-insertion"]
    assert "Méthode des marchés subséquents (ratio fixé au niveau de l'accord-cadre) : aucune source trouvée, " \
           "à confirmer avec TME." in docs["note-de-calcul"]


def test_different_penalties_per_lot(tmp_path):
    folder = profile(tmp_path, "travaux-cite-administrative.yaml", lots__0__insertion={"penalite_par_heure": 45})
    ccap = docx_text(folder / piece("ccap-article-insertion.docx"))
    assert "| Lot n° 1 – Désamiantage, curage, démolition | 45 € HT |" in ccap
    assert "| Lot n° 2 – Gros œuvre, maçonnerie | 30 € HT |" in ccap
