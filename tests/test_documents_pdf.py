"""Every generated document opens in LibreOffice: one batched conversion per example (``--pdf``),
then the expected text is read back from each PDF. Skipped only when LibreOffice is missing."""

from __future__ import annotations

import re
import shutil

import pytest

from drafter.app.generate import generate
from drafter.documents.pdf import pdf_text
from drafter.documents.plan import piece_name

from .document_helpers import EXAMPLE_NAMES, analysis_of

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice (soffice) ou pdftotext absent : installez libreoffice-writer "
                                       "et poppler-utils pour vérifier l'ouverture des documents")

TITLES = {
    "note-de-calcul": "Note de calcul — dispositions sociales",
    "ccap-article-insertion": "Dispositions sociales",   # one article, no document title of its own
    "rc-article-insertion": "Dispositions sociales",
    "engagement-insertion": "Engagement d'insertion du candidat",
    "convention-facilitateur": "Convention de partenariat",
}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_document_opens_in_libreoffice(name, tmp_path):
    analysis = analysis_of(name)
    result = generate(analysis, tmp_path, revue=True, pdf=True)
    docx = [d for d in result.documents if d.format == "docx" and d.copie == "propre"]
    pdfs = {d.fichier: d for d in result.documents if d.format == "pdf"}
    assert sorted(pdfs) == sorted(d.fichier.replace(".docx", ".pdf") for d in docx)
    reference = analysis.profile.market.reference
    for document in docx:
        text = flat(pdf_text(result.folder / document.fichier.replace(".docx", ".pdf")))
        kind = next(k for k in TITLES if piece_name(document.fichier).startswith(k))
        assert TITLES[kind] in text, document.fichier
        assert reference in text, document.fichier
        if kind == "engagement-insertion":
            lot = analysis.decision.lots[document.lots[0] - 1]
            if lot.heures is not None:
                assert f"{lot.heures:,}".replace(",", " ") + " heures" in text, document.fichier
