"""Profile values are data: Jinja, XML and path characters come out literally, documents stay
whole, nothing is written outside the output folder, names are safe."""

from __future__ import annotations

import os
import string
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafter.app.analyse import analyse
from drafter.app.generate import generate
from drafter.documents.docx_text import docx_text
from drafter.documents.plan import piece_name
from drafter.domain.naming import safe_name, unique
from drafter.errors import ProfileError

from .conftest import TODAY, piece
from .document_helpers import HOSTILE, hostile_profile


@pytest.fixture(scope="module")
def hostile_output(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    analysis = analyse(hostile_profile(base), today=TODAY)
    out = base / "sortie"
    result = generate(analysis, out, revue=True)
    return base, out, result


def test_values_come_out_literally(hostile_output):
    _, _, result = hostile_output
    texts = {
        piece_name(d.fichier): docx_text(result.folder / d.fichier) for d in result.documents if d.format == "docx"
    }
    assert sorted(texts) == sorted(
        [
            "note-de-calcul.docx",
            "ccap-article-insertion.docx",
            "rc-article-insertion.docx",
            "engagement-insertion-lot-1.docx",
            "engagement-insertion-lot-2.docx",
            "convention-facilitateur-structure-evil-b.docx",
        ]
    )
    literal = [HOSTILE[k] for k in ("subject", "reference", "facilitator", "lot")]
    literal += ["Service {{ service }}", "Lieu {% for x in y %}"]
    for name, text in texts.items():
        assert HOSTILE["buyer"] in text, name
        rest = text
        for value in literal:
            rest = rest.replace(value, "")
        assert "{{" not in rest and "{%" not in rest and "⟦" not in rest, name  # only the data's own tags
    note = texts["note-de-calcul.docx"]
    for value in literal + [HOSTILE["structure"], "Lot réservé 😀", "Le préfet « & »"]:
        assert value in note, value
    convention = texts["convention-facilitateur-structure-evil-b.docx"]
    assert HOSTILE["structure"] in convention and "1 rue <x> & y" in convention
    assert 'a&b@exemple.fr — 05 "61" 00' in texts["engagement-insertion-lot-1.docx"]


def test_documents_stay_whole(hostile_output):
    """Autoescape on: a stray « < » or « & » would otherwise silently truncate the document."""
    _, _, result = hostile_output
    note = docx_text(result.folder / piece("note-de-calcul.docx"))
    assert note.rstrip().splitlines()[-1].startswith("[pied de page]")
    assert "| Observations |  |" in note and "FIN-OBJET" in note
    ccap = docx_text(result.folder / piece("ccap-article-insertion.docx"))
    assert "Bilan de fin de marché" in ccap and "Maintien du statut pendant l'exécution" in ccap
    for path in result.folder.glob("*.docx"):
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None


def test_nothing_written_outside_the_output_folder(hostile_output):
    base, out, result = hostile_output
    assert result.folder.parent == out
    written = [Path(root) / f for root, _, files in os.walk(base) for f in files]
    outside = [p for p in written if not p.is_relative_to(result.folder) and p.name != "hostile.yaml"]
    assert outside == []
    assert [p.name for p in out.iterdir()] == [result.folder.name]  # no temporary folder left


def test_folder_and_file_names_are_safe(hostile_output):
    _, _, result = hostile_output
    assert result.folder.name == "etc-passwd-2027-x-.-lot"
    for path in result.folder.iterdir():
        assert set(path.name) <= set(string.ascii_letters + string.digits + "._-"), path.name


@given(st.text(max_size=300))
def test_safe_name_is_one_safe_component(text):
    name = safe_name(text)
    assert name and len(name) <= 80
    assert set(name) <= set(string.ascii_letters + string.digits + "._-")
    assert ".." not in name and name not in {".", ".."} and not name.startswith(".")


def test_safe_name_examples():
    assert safe_name("2027-PREF31-004") == "2027-PREF31-004"
    assert safe_name("../../etc") == "etc"
    assert safe_name("Maison de l'emploi — Nîmes", lower=True) == "maison-de-l-emploi-nimes"
    assert safe_name("CON") == "CON-marche"
    assert safe_name("😀/..") == "marche"
    assert len(safe_name("x" * 5000)) == 80
    taken: set[str] = set()
    assert [unique("a", taken), unique("a", taken), unique("A", taken)] == ["a", "a-2", "A-3"]


def test_xml_illegal_characters_are_refused_at_the_input(tmp_path):
    """\x0b, \x01 or \ufffe cannot be written in a .docx or .xlsx: refused where they are written."""
    source = hostile_profile(tmp_path).read_text(encoding="utf-8")
    path = tmp_path / "controle.yaml"
    path.write_text(source.replace("Adresse & <rue>", '"Adresse\\x0b & \\x01<rue> fin"'), encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        analyse(path, today=TODAY)
    assert info.value.render() == (
        f"{path}:5:12 — caractère interdit (U+000B) dans cette valeur : il ne peut pas figurer dans un "
        "document Word ou un tableur ; retirez-le."
    )
