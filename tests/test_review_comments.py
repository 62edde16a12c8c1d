"""``--revue``: native Word comments (author « drafter ») anchored on the paragraphs that carry a
choice, with the legal basis, the formula and its sources, and the points « à confirmer »."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document

from drafter.app.generate import generate

from .conftest import piece
from .document_helpers import analysis_of, comments_by_paragraph


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    out = tmp_path_factory.mktemp("revue")
    names = (
        "travaux-cite-administrative.yaml",
        "nettoyage-accord-cadre-occitanie.yaml",
        "espaces-verts-reserve-siae.yaml",
        "fournitures-informatique-exception.yaml",
    )
    return {name: generate(analysis_of(name), out, revue=True).folder / "relecture" for name in names}


def test_no_marker_left_and_every_comment_by_drafter(reviewed):
    for folder in reviewed.values():
        for path in folder.glob("*.docx"):
            with zipfile.ZipFile(path) as archive:
                body = archive.read("word/document.xml").decode("utf-8")
            assert "⟦" not in body and "⟧" not in body, path.name
            comments = comments_by_paragraph(path)
            assert comments, path.name  # every document carries at least one choice
            assert {author for author, _, _ in comments} == {"drafter"}


def test_ccap_comments_are_on_the_choices(reviewed):
    comments = comments_by_paragraph(
        reviewed["travaux-cite-administrative.yaml"] / piece("ccap-article-insertion.docx")
    )
    on = {}
    for _, text, paragraph in comments:
        on.setdefault(text.splitlines()[0], []).append(paragraph)
    basis = on["Dispositif retenu : condition d'exécution sociale (clause d'insertion)."]
    # the comment sits on the « Dispositif » cell of each lot; the shared basis is one merged cell
    assert basis == ["Condition d'exécution sociale (clause d'insertion)"] * 6
    hours = on[
        "Calcul des heures d'insertion (montant × part de main-d'œuvre × taux ÷ coût horaire, arrondi à "
        "l'heure la plus proche)."
    ]
    assert sorted(hours) == sorted(
        ["533 heures", "1 792 heures", "805 heures", "880 heures", "490 heures", "77 heures"]
    )
    obligation = next(p for first, ps in on.items() if first.startswith("Obligation d'une condition") for p in ps)
    assert "atteignant le seuil européen applicable (5 404 000 € HT)" in obligation
    penalty = next(p for first, ps in on.items() if first.startswith("Pénalité par heure") for p in ps)
    assert penalty.startswith("Lorsque le bilan de fin de marché") and "30 € HT par heure" in penalty
    report = next(p for first, ps in on.items() if first.startswith("Pénalité pour rapport") for p in ps)
    assert "100 € HT par document non transmis" in report
    ccag = next((t, p) for _, t, p in comments if t.startswith("CCAG-Travaux"))
    assert "16.1" not in ccag[0] and "aucun numéro n'est donc cité" in ccag[0]


def test_comments_carry_formula_sources_and_points_to_confirm(reviewed):
    comments = comments_by_paragraph(reviewed["travaux-cite-administrative.yaml"] / piece("note-de-calcul.docx"))
    lot1 = next(t for _, t, p in comments if p == "533 heures" or "640 000 € × 50 % × 5 % ÷ 30 €" in p)
    assert "640 000 € × 50 % × 5 % ÷ 30 € = 533,33 h" in lot1
    assert "valeur indicative non sourcée, à confirmer avec le facilitateur" in lot1
    assert "À confirmer :" in lot1
    services = comments_by_paragraph(
        reviewed["nettoyage-accord-cadre-occitanie.yaml"] / piece("ccap-article-insertion.docx")
    )
    ccag = next(t for _, t, _ in services if t.startswith("CCAG-FCS"))
    assert "article 16.1 [source secondaire" in ccag
    pact = next(t for _, t, p in services if "diminuées de 1 344 heures" in p and t.startswith("Calcul"))
    assert "Pondération PACT Propreté" in pact and "P = 1 − (S × C) ÷ (A ÷ N)" in pact
    assert "où C = 25 est le coefficient fixé par la branche" in pact


def test_reserved_and_exception_comments(reviewed):
    ccap = comments_by_paragraph(reviewed["espaces-verts-reserve-siae.yaml"] / piece("ccap-article-insertion.docx"))
    reserve = [(t, p) for _, t, p in ccap if t.startswith("Réservation")]
    assert reserve and reserve[0][1].startswith("Le marché est réservé, en application de l'article L. 2113-13")
    assert "R. 2113-7" in reserve[0][0] and "à confirmer" in reserve[0][0]
    note = comments_by_paragraph(reviewed["fournitures-informatique-exception.yaml"] / piece("note-de-calcul.docx"))
    choice = next(t for _, t, p in note if t.startswith("Dispositif retenu"))
    assert "Exception : le besoin peut être satisfait par une solution immédiatement disponible" in choice
    assert "[U] — à confirmer" in choice


def test_without_review_no_comment(tmp_path):
    folder = generate(analysis_of("travaux-cite-administrative.yaml"), tmp_path).folder
    for path in folder.glob("*.docx"):
        assert len(Document(str(path)).comments) == 0
