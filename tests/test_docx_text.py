"""docx → plain text: document order, tables as rows, automatic numbering written out."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from drafter.documents.docx_text import docx_text
from drafter.documents.templates_set import BUNDLED


def test_text_in_document_order_with_tables_and_spaces(tmp_path):
    doc = Document()
    doc.add_paragraph("Premier\u00a0paragraphe   ")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "a", "b"
    table.cell(1, 0).text = "c"
    table.cell(1, 1).paragraphs[0].add_run("d1")
    table.cell(1, 1).add_paragraph("d2")
    doc.add_paragraph("")
    doc.add_paragraph("")
    doc.add_paragraph("Fin")
    path = tmp_path / "t.docx"
    doc.save(str(path))
    assert docx_text(path) == "Premier paragraphe\n| a | b |\n| c | d1 // d2 |\n\nFin\n"


def piece_with_article(number: int, folder: Path) -> Path:
    """The bundled CCAP template with its headings on the numbering instance of article ``number``."""
    doc = Document(str(BUNDLED / "ccap-article-insertion.docx"))
    for num_id in doc.element.body.iter(qn("w:numId")):
        if num_id.get(qn("w:val")).startswith("{{"):
            num_id.set(qn("w:val"), str(1000 + number))
    doc.save(str(folder / "ccap.docx"))
    return folder / "ccap.docx"


def test_automatic_numbering_is_written_out(tmp_path):
    lines = docx_text(piece_with_article(9, tmp_path)).splitlines()
    assert lines[0] == "Article 9 – Dispositions sociales"
    assert "9.1 Dispositions sociales : objet et fondement juridique" in lines
    assert "9.1.1 Objet" in lines and "9.1.2 Dispositif retenu et fondement juridique" in lines
    assert "9.2 Publics éligibles" in lines
    assert any(
        line.startswith("– les demandeurs d'emploi de longue durée, inscrits à France Travail") for line in lines
    )
    note = docx_text(BUNDLED / "note-de-calcul.docx").splitlines()
    assert "1. Identification du marché" in note and "4. Décision par lot" in note
