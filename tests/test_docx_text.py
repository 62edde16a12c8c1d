"""docx → plain text: document order, tables as rows, automatic numbering written out."""

from __future__ import annotations

from docx import Document

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


def test_automatic_numbering_is_written_out():
    text = docx_text(BUNDLED / "ccap-article-insertion.docx")
    lines = text.splitlines()
    assert "Article 1 – Dispositions sociales : objet et fondement juridique" in lines
    assert "1.1 Objet" in lines and "1.2 Dispositif retenu et fondement juridique" in lines
    assert "Article 2 – Publics éligibles" in lines
    assert any(line.startswith("– les demandeurs d'emploi de longue durée, inscrits à France Travail") for line in lines)
    note = docx_text(BUNDLED / "note-de-calcul.docx").splitlines()
    assert "1. Identification du marché" in note and "4. Décision par lot" in note
