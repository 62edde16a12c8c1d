"""Issue 9: what a TME lawyer refuses to sign, checked on every document of the examples and of the
markets of ``tests/cases/regimes-et-marches.yaml`` (CHU marchés subséquents, works under the threshold,
EA/ESAT supplies, mixed lots, defence guarding, utility…)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from drafter.app.analyse import analyse
from drafter.app.generate import generate
from drafter.documents.docx_text import docx_text
from drafter.documents.plan import piece_name

from .conftest import EXAMPLES, TODAY
from .test_decision_cases import BASE, CASES_DIR, merge

MARKETS = [
    case
    for case in yaml.safe_load((CASES_DIR / "regimes-et-marches.yaml").read_text(encoding="utf-8"))
    if "attendu" in case
]
ZERO_HOURS = re.compile(r"(?<![\d,])0\s?(?:heure|h\b)")
BIDDER_PIECES = ("ccap-article-insertion", "rc-article-insertion", "engagement-insertion")


def documents(tmp_path: Path, data: dict) -> dict[str, str]:
    path = tmp_path / "profil.yaml"
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False), encoding="utf-8"
    )
    folder = generate(analyse(path, today=TODAY), tmp_path / "out").folder
    return {
        piece_name(p.stem): docx_text(p).replace("\u00a0", " ").replace("\u202f", " ") for p in folder.glob("*.docx")
    }


def profiles() -> list:
    out = [
        pytest.param(yaml.safe_load(p.read_text(encoding="utf-8")), id=p.stem) for p in sorted(EXAMPLES.glob("*.yaml"))
    ]
    out += [pytest.param(merge(BASE, case["profil"]), id=case["nom"][:60]) for case in MARKETS]
    return out


def bidder_texts(docs: dict[str, str]) -> dict[str, str]:
    return {name: text for name, text in docs.items() if name.startswith(BIDDER_PIECES)}


@pytest.mark.parametrize("data", profiles())
def test_what_a_lawyer_refuses_is_never_written(tmp_path, data):
    docs = documents(tmp_path, data)
    framework_ms = data["marche"]["forme"] == "accord_cadre_marches_subsequents"
    for name, text in bidder_texts(docs).items():
        assert not ZERO_HOURS.search(text), (name, ZERO_HOURS.search(text))
        assert "(dispositif:" not in text and "dispositif: " not in text, name
        assert "cachet de l'entreprise" not in text and "complété et signé" not in text, name
        assert "aide à préparer leur engagement" not in text, name
        assert not re.search(r"\[[USV]\]|à confirmer", text), (
            name,
            re.search(r".{60}(\[[USV]\]|à confirmer).{20}", text),
        )
        if framework_ms:
            assert "bons de commande" not in text, name
    ccap = docs.get("ccap-article-insertion", "")
    body = ccap.split("Publics éligibles")[0]
    if ccap and "Condition d'exécution" not in ccap:  # reserved or insertion market only
        assert "L. 2112-2-1" not in body and "impose des conditions" not in body
    if data["marche"].get("defense_ou_securite"):
        note = docs["note-de-calcul"]
        assert "140 000 €" not in note and "L. 2312-1-1" in note
        assert (
            "(seuil des marchés de défense ou de sécurité, sans incidence sur les dispositions sociales ; valeur "
            "à confirmer)" in note
        )
        if ccap:
            assert "L. 2112-2 " not in ccap and "L. 2312-1-1" in ccap


def test_chu_subsequent_contracts_explain_the_staff_taken_over(tmp_path):
    docs = documents(tmp_path, merge(BASE, MARKETS[0]["profil"]))
    ccap, rc = docs["ccap-article-insertion"], docs["rc-article-insertion"]
    assert (
        "20 heures par tranche de 10 000 € HT du montant cumulé des marchés subséquents, diminuées de 3 600 heures "
        "au titre du personnel repris (total indicatif sur le montant estimé de 3 000 000 € HT : 2 400 heures)"
    ) in ccap
    assert (
        "Le ratio d'heures par tranche de 10 000 € HT s'applique au montant hors taxes de chaque marché subséquent."
        in ccap
    )
    assert (
        "le potentiel d'heures d'insertion est égal au montant divisé par 25 puis multiplié par le taux d'insertion"
        in ccap
    )
    assert "C'est pourquoi le volume exigé est inférieur à celui qui résulterait du seul montant." in ccap
    assert "le titulaire reprend le personnel du prestataire sortant" in rc
    assert "le ratio s'applique au montant de chaque marché subséquent" in rc


def test_training_condition_has_its_own_article(tmp_path):
    case = next(c for c in MARKETS if c["profil"].get("insertion", {}).get("dispositif") == "condition_formation")
    docs = documents(tmp_path, merge(BASE, case["profil"]))
    ccap = docs["ccap-article-insertion"]
    assert "Condition d'exécution : formation et qualification du personnel" in ccap
    assert "| Lot unique | 14 heures |" in ccap
    assert "fixée en application des articles L. 2112-2 et L. 2112-2-1 du code de la commande publique" in ccap
    assert "Volume d'heures d'insertion" not in ccap and "Publics éligibles" not in ccap
    assert "plan de progrès prévoyant au moins 14 heures de formation par salarié" in docs["engagement-insertion"]
    assert (
        "Une condition d'exécution de formation et de qualification du personnel affecté aux prestations (articles "
        "L. 2112-2 et L. 2112-2-1 du code de la commande publique) s'applique au marché : le titulaire remet"
    ) in docs["rc-article-insertion"]


def test_reserved_to_ea_esat_says_disabled_workers_only(tmp_path):
    case = next(c for c in MARKETS if c["profil"].get("insertion", {}).get("dispositif") == "reserve_handicap")
    docs = documents(tmp_path, merge(BASE, case["profil"]))
    for name in ("ccap-article-insertion", "rc-article-insertion", "engagement-insertion"):
        assert "handicapés ou défavorisés" not in docs[name], name
        assert "travailleurs handicapés" in docs[name], name
    assert (
        "L'offre présentée par un opérateur économique qui ne relève pas de ces catégories est irrecevable."
        in docs["rc-article-insertion"]
    )
    assert "prévues par le cahier des clauses administratives générales" not in docs["ccap-article-insertion"]
    assert "convention-facilitateur-toulouse-metropole-emploi" in docs  # the named facilitator stays
    assert "Sophie Laurent" in docs["ccap-article-insertion"] and "Sophie Laurent" in docs["rc-article-insertion"]


def test_facilitator_agreement_is_the_network_model(tmp_path):
    data = yaml.safe_load((EXAMPLES / "mapa-petits-travaux.yaml").read_text(encoding="utf-8"))
    data["insertion"] = {"dispositif": "condition_execution"}
    data["facilitateur"] = {
        "nom": "Sophie Laurent",
        "structure": "Toulouse Métropole Emploi",
        "adresse": "1 place Saint-Sernin, 31000 Toulouse",
        "courriel": "c@tme.exemple.fr",
        "telephone": "05 61 00 00 00",
        "convention": {
            "perimetre": "programme",
            "programme": "achats de l'État en Occitanie, année 2027",
            "financement": "finance",
            "montant_ht": 12000,
        },
    }
    docs = documents(tmp_path, data)
    convention = docs["convention-facilitateur-toulouse-metropole-emploi"]
    assert (
        "Sous l'impulsion de la direction régionale de l'économie, de l'emploi, du travail et des solidarités "
        "(DREETS) d'Occitanie, Toulouse Métropole Emploi est l'entrée unique des services de l'État" in convention
    )
    assert "au titre du programme suivant : achats de l'État en Occitanie, année 2027." in convention
    assert "l'acheteur verse à la structure la somme de 12 000 € HT" in convention
    assert "obligation de discrétion" in convention and "sont tenus au secret professionnel" not in convention
    assert "article 6, paragraphe 1, e) du règlement général sur la protection des données" in convention
    assert "dans les conditions de l'article 9 du règlement général" in convention
    assert "analyse d'impact relative à la protection des données est requise (article 35" in convention
    assert "Aucun indicateur n'est communiqué pour un effectif de moins de cinq personnes" in convention
    assert "Responsabilité" in convention and "Communication" in convention
    assert "bons de commande" not in convention  # an ordinary market
    note = docs["note-de-calcul"]
    assert (
        "Convention de facilitation rémunérée : une prestation rendue à l'acheteur contre un prix peut constituer "
        "un marché public" in note
    )


def test_review_comments_do_not_repeat_and_cover_the_clause_choices(tmp_path):
    from .document_helpers import analysis_of, comments_by_paragraph

    folder = generate(analysis_of("travaux-cite-administrative.yaml"), tmp_path, revue=True).folder
    ccap = next((folder / "relecture").glob("*ccap-article-insertion.docx"))
    comments = [text for _, text, _ in comments_by_paragraph(ccap)]
    assert sum("5 735 000 € HT ≥ 5 404 000 € HT" in c for c in comments) == 1  # the obligation trail, once
    assert sum(len(c) for c in comments) < 10000  # was 13 700 characters
    assert len(comments) == len(set(comments))
    assert any(c.startswith("Copie de relecture : ces commentaires sont destinés au juriste") for c in comments)
    assert any(c.startswith("Rôles au sens du RGPD") for c in comments)
    assert any(c.startswith("Heures des CDI décomptées jusqu'à la fin du marché") for c in comments)
    nettoyage = generate(analysis_of("nettoyage-accord-cadre-occitanie.yaml"), tmp_path / "n", revue=True).folder
    rc = [t for _, t, _ in comments_by_paragraph(next((nettoyage / "relecture").glob("*rc-article-insertion.docx")))]
    assert any(t.startswith("Échelle de notation du mémoire social") for t in rc)
    ccap2 = [
        t for _, t, _ in comments_by_paragraph(next((nettoyage / "relecture").glob("*ccap-article-insertion.docx")))
    ]
    assert any(
        t.startswith("Règle de décompte : le ratio s'applique au montant cumulé des bons de commande") for t in ccap2
    )
    convention = [
        t
        for _, t, _ in comments_by_paragraph(
            next((nettoyage / "relecture").glob("*convention-facilitateur-toulouse-metropole-emploi.docx"))
        )
    ]
    assert any(t.startswith("Obligation de discrétion : une convention ne peut pas créer") for t in convention)
    assert any(t.startswith("Gratuité :") for t in convention)
