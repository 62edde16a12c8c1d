"""``drafter inserer``: the generated article in the buyer's own CCAP, in their styles and
numbering, at their marker or after their heading; run twice, never duplicated."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from drafter.app.generate import generate
from drafter.cli.main import cli
from drafter.documents.docx_text import docx_text

from .buyer_docs import buyer_ccap
from .document_helpers import analysis_of


@pytest.fixture(scope="module")
def market(tmp_path_factory) -> Path:
    return generate(analysis_of("travaux-cite-administrative.yaml"), tmp_path_factory.mktemp("marche")).folder


def run(runner, *args):
    result = runner.invoke(cli, ["inserer", *map(str, args)])
    assert "Traceback" not in result.output
    return result


def lines(path: Path) -> list[str]:
    return docx_text(path).splitlines()


def test_marker_replaced_in_the_buyers_styles_and_numbering(runner, market, tmp_path):
    buyer = buyer_ccap(tmp_path / "MON-CCAP.docx")
    result = run(runner, buyer, market)
    assert result.exit_code == 0, result.output
    out = tmp_path / "MON-CCAP-clauses-sociales.docx"
    assert result.output == f"Article du CCAP inséré : {out}\n"
    text = lines(out)
    assert "[clauses sociales]" not in text
    # the buyer's text, then the article, then the buyer's next article, in their numbering
    assert text.index("ARTICLE 2 - Prix et règlement") < text.index("2.1 Variation des prix")
    first = text.index("ARTICLE 3 - Dispositions sociales")
    assert first > text.index("Les prix sont révisables.")
    # their list numbers two levels: ours follow it, the third level stays unnumbered (no « 1.1.1 »)
    assert text[first + 1:first + 3] == ["3.1 Dispositions sociales : objet et fondement juridique", "Objet"]
    assert "3.2 Publics éligibles" in text
    assert text[-2].startswith("ARTICLE ") and text[-2].endswith(" - Pénalités")
    assert text[-1] == "Les pénalités de retard sont fixées à 1/3000 du montant par jour."
    doc = Document(str(out))
    ours = [p for p in doc.paragraphs if p.text.startswith(("Dispositions sociales", "Condition d'exécution"))]
    assert ours and {p.style.name for p in ours} <= {"Heading 1", "Heading 2"}
    assert all(p._p.pPr.find(qn("w:numPr")) is None for p in ours)   # numbered by the buyer's style
    assert [b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))] == ["drafter_clauses_ccap"]
    assert not list(doc.element.body.iter(qn("w:commentRangeStart")))
    assert "[clauses sociales]" in docx_text(buyer)


def test_run_twice_replaces_never_duplicates(runner, market, tmp_path):
    buyer = buyer_ccap(tmp_path / "MON-CCAP.docx")
    first = tmp_path / "un.docx"
    second = tmp_path / "deux.docx"
    assert run(runner, buyer, market, "-o", first).exit_code == 0
    assert run(runner, first, market, "--sortie", second).exit_code == 0
    assert lines(second) == lines(first)
    assert sum("Publics éligibles" in line for line in lines(second)) == 1
    refused = run(runner, buyer, market, "-o", first)
    assert refused.exit_code == 2
    assert refused.output == f"Le fichier « {first} » existe déjà : ajoutez --force pour le remplacer. " \
                             "Rien n'a été écrit.\n"


def test_after_a_named_heading_at_the_end_of_its_section(runner, market, tmp_path):
    buyer = buyer_ccap(tmp_path / "MON-CCAP.docx", marker=False)
    out = tmp_path / "sortie.docx"
    assert run(runner, buyer, market, "--apres", "objet du", "-o", out).exit_code == 0
    text = lines(out)
    start = text.index("Le présent marché porte sur la réhabilitation de la cité administrative.")
    assert next(line for line in text[start:] if line.startswith("ARTICLE")).startswith(
        "ARTICLE 2 - Dispositions sociales")
    assert text.index("Les prix sont révisables.") > start + 10
    assert text[-2] == "ARTICLE " + text[-2].split()[1] + " - Pénalités"


def test_heading_or_marker_not_found_lists_the_headings(runner, market, tmp_path):
    buyer = buyer_ccap(tmp_path / "MON-CCAP.docx", marker=False)
    result = run(runner, buyer, market)
    assert result.exit_code == 2
    assert result.output == (
        "Document de l'acheteur : aucune ligne « [clauses sociales] » n'indique où insérer. Ajoutez une ligne "
        "« [clauses sociales] » à l'endroit voulu dans votre document, ou nommez un titre avec --apres "
        "« début du titre ».\nTitres trouvés :\n  Objet du marché\n  Prix et règlement\n    Variation des prix\n"
        "  Pénalités\n")
    assert not (tmp_path / "MON-CCAP-clauses-sociales.docx").exists()
    missing = run(runner, buyer, tmp_path / "absent")
    assert missing.exit_code == 2 and "est introuvable" in missing.output


def test_unnumbered_buyer_headings_keep_our_numbering(runner, market, tmp_path):
    buyer = buyer_ccap(tmp_path / "MON-CCAP.docx", numbered=False)
    out = tmp_path / "sortie.docx"
    assert run(runner, buyer, market, "-o", out).exit_code == 0
    doc = Document(str(out))
    ours = [p for p in doc.paragraphs if "Publics éligibles" in p.text]
    assert ours[0]._p.pPr.find(qn("w:numPr")) is not None


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_libreoffice_opens_the_result(runner, market, tmp_path):
    buyer = buyer_ccap(tmp_path / "MON-CCAP.docx")
    assert run(runner, buyer, market).exit_code == 0
    out = tmp_path / "MON-CCAP-clauses-sociales.docx"
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=120)
    text = subprocess.run(["pdftotext", str(out.with_suffix(".pdf")), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "Publics éligibles" in text and text.index("Variation des prix") < text.index("Pénalités")


def test_piece_chosen_by_the_title_or_the_option(runner, market, tmp_path):
    rc = Document()
    rc.add_paragraph("Règlement de la consultation", style="Title")
    rc.add_paragraph("Les candidats produisent une attestation d'assurance RC et lisent le CCAP.")
    rc.add_heading("Jugement des offres", 1)
    rc.add_paragraph("[clauses sociales]")
    rc.save(str(tmp_path / "MON-RC.docx"))
    assert run(runner, tmp_path / "MON-RC.docx", market).output.startswith("Article du RC inséré : ")
    text = lines(tmp_path / "MON-RC-clauses-sociales.docx")
    # their headings are not numbered: ours keep the article number of the profile (pieces.article_rc: 6)
    assert text[text.index("Jugement des offres") + 1:][:2] == ["Article 6 – Dispositions sociales",
                                                               "6.1 Dispositions sociales du marché"]
    blank = Document()
    blank.add_paragraph("[clauses sociales]")
    blank.save(str(tmp_path / "document.docx"))
    unclear = run(runner, tmp_path / "document.docx", market)
    assert unclear.exit_code == 2
    assert unclear.output == ("« document.docx » : impossible de savoir s'il s'agit d'un CCAP ou d'un RC ; "
                              "précisez --piece ccap ou --piece rc.\n")
    assert run(runner, tmp_path / "document.docx", market, "--piece", "ccap").exit_code == 0
