"""Golden text of every document of every example (``pytest --update-golden`` rewrites them).

The text is what a buyer reads (``drafter.docx_text``): a failing comparison shows the diff
and saves the actual .docx in ``tests/_debug/<example>/`` to open in Word or LibreOffice.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from drafter.app.generate import generate
from drafter.documents.docx_text import docx_text
from drafter.documents.plan import piece_name
from drafter.present.sources_fr import buyer_words

from .conftest import piece
from .document_helpers import EXAMPLE_NAMES, analysis_of

GOLDEN = Path(__file__).resolve().parent / "golden"
DEBUG = Path(__file__).resolve().parent / "_debug"

EXPECTED_FILES = {
    "espaces-verts-reserve-siae": [
        "ccap-article-insertion",
        "convention-facilitateur-maison-de-l-emploi-du-tarn",
        "engagement-insertion",
        "note-de-calcul",
        "rc-article-insertion",
    ],
    "fournitures-informatique-exception": ["note-de-calcul"],
    "mapa-petits-travaux": ["note-de-calcul"],
    "marche-insertion-berges": [
        "ccap-article-insertion",
        "convention-facilitateur-toulouse-metropole-emploi",
        "engagement-insertion",
        "note-de-calcul",
        "rc-article-insertion",
    ],
    "nettoyage-accord-cadre-occitanie": [
        "ccap-article-insertion",
        "convention-facilitateur-maison-de-l-emploi-de-montpellier",
        "convention-facilitateur-plie-de-nimes",
        "convention-facilitateur-toulouse-metropole-emploi",
        *(f"engagement-insertion-lot-{n}" for n in range(1, 5)),
        "note-de-calcul",
        "rc-article-insertion",
    ],
    "travaux-cite-administrative": [
        "ccap-article-insertion",
        "convention-facilitateur-maison-de-l-emploi-du-carcassonnais",
        *(f"engagement-insertion-lot-{n}" for n in range(1, 7)),
        "note-de-calcul",
        "rc-article-insertion",
    ],
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("golden")
    return {name: generate(analysis_of(name), out / Path(name).stem).folder for name in EXAMPLE_NAMES}


def test_every_example_has_its_expectations():
    assert sorted(EXPECTED_FILES) == sorted(Path(n).stem for n in EXAMPLE_NAMES)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_documents_match_golden_text(name, generated, update_golden):
    stem = Path(name).stem
    folder = generated[name]
    actual = {piece_name(p.stem): docx_text(p, exact=True) for p in sorted(folder.glob("*.docx"))}
    assert all(p.name.startswith(folder.name + "_") for p in folder.glob("*.docx"))
    assert sorted(actual) == EXPECTED_FILES[stem]
    golden_dir = GOLDEN / stem
    if update_golden:
        golden_dir.mkdir(parents=True, exist_ok=True)
        for stale in golden_dir.glob("*.txt"):
            stale.unlink()
        for doc, text in actual.items():
            (golden_dir / f"{doc}.txt").write_text(text, encoding="utf-8")
        return
    assert sorted(p.stem for p in golden_dir.glob("*.txt")) == sorted(actual), "golden files missing or stale"
    failures = []
    for doc, text in actual.items():
        expected = (golden_dir / f"{doc}.txt").read_text(encoding="utf-8")
        if text != expected:
            debug = DEBUG / stem
            debug.mkdir(parents=True, exist_ok=True)
            shutil.copy(folder / piece(f"{doc}.docx"), debug / f"{doc}.docx")
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(True), text.splitlines(True), f"golden/{stem}/{doc}.txt", "actual", n=1
                )
            )
            failures.append(diff[:4000])
    assert not failures, "\n".join(failures) + f"\n(documents réels copiés dans {DEBUG / stem})"


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_documents_are_whole_and_clean(name, generated):
    """No Jinja left over, no review marker without --revue, each document ends where it should."""
    endings = {
        "note-de-calcul": "| Observations |  |",
        "ccap-article-insertion": "Bilan de fin de marché",
        "rc-article-insertion": "Dispositions sociales du marché",
        "engagement-insertion": "l'attributaire signe le marché",
        "convention-facilitateur": "Pour l'acheteur",
    }
    for path in generated[name].glob("*.docx"):
        text = docx_text(path)
        assert "{{" not in text and "{%" not in text and "⟦" not in text, path.name
        kind = next(k for k in endings if piece_name(path.stem).startswith(k))
        assert endings[kind] in text, (path.name, endings[kind])


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_note_says_a_confirmer_for_every_flag(name, generated):
    from drafter.present.context_lot import confirm

    note = docx_text(generated[name] / piece("note-de-calcul.docx"))
    for lot in analysis_of(name).decision.lots:
        for item in lot.a_confirmer:
            assert buyer_words(confirm(item)).replace("\u00a0", " ") in note
            assert "à confirmer" in confirm(item)
