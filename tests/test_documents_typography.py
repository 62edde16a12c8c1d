"""French typography and buyer's words in every document of every example (issue 10).

Every piece a buyer pastes into a DCE is read with its no-break spaces kept
(``docx_text(exact=True)``): no breakable space may sit inside a number, between a number and
its unit, inside « », after n° or before ; : ! ? and %.
"""

from __future__ import annotations

import json
import os
import re
import stat
import zipfile
from itertools import pairwise
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from drafter.app.generate import generate
from drafter.documents.docx_text import docx_text
from drafter.present.typography import forbidden_spaces, french

from .conftest import piece
from .document_helpers import EXAMPLE_NAMES, analysis_of, ordinals, paragraphs_with_superscript


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("typo")
    return {name: generate(analysis_of(name), out / Path(name).stem).folder for name in EXAMPLE_NAMES}


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_no_breakable_space_where_french_typography_forbids_it(name, folders):
    found = {}
    for path in sorted(folders[name].rglob("*.docx")):
        bad = forbidden_spaces(docx_text(path, exact=True))
        if bad:
            found[path.name] = bad[:5]
    assert found == {}


def test_french_rules_one_by_one():
    assert french("5 404 000 € HT") == "5\u202f404\u202f000\u00a0€\u00a0HT"
    assert french("Objet : texte ; suite ! fin ?") == "Objet\u202f: texte\u202f; suite\u202f! fin\u202f?"
    assert french("« à confirmer »") == "«\u00a0à confirmer\u00a0»"
    assert french("marché n° 2027-01, article L. 2112-2") == "marché n°\u00a02027-01, article L.\u00a02112-2"
    assert french("5 % ; 7,5% ; 8,3 heures ; 12 mois ; 35 h") == \
        "5\u202f%\u202f; 7,5\u202f%\u202f; 8,3\u00a0heures\u202f; 12\u00a0mois\u202f; 35\u00a0h"
    # a phone number never breaks: no-break spaces between its groups
    assert french("Tél. 04 68 11 22 33") == "Tél. 04\u00a068\u00a011\u00a022\u00a033"
    assert french("+33 5 61 00 00 00") == "+33\u00a05\u00a061\u00a000\u00a000\u00a000"
    # untouched: addresses, postal codes, a number that is not a phone number, already fixed text
    for text in ("https://exemple.fr/a?b=c", "11000 Carcassonne", "2027 05 61 00 00", french("1 234 €")):
        assert french(text) == text


def test_first_of_the_month_is_a_superscript_run(folders):
    ccap = Document(str(folders["travaux-cite-administrative.yaml"] / piece("ccap-article-insertion.docx")))
    runs = [r for p in ccap.paragraphs for r in p.runs]
    sup = [(a.text, b.text) for a, b in pairwise(runs) if b.font.superscript]
    assert ("1", "er") in sup


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_first_is_a_superscript_in_every_document(name, folders):
    """« 1er » of the wording and of the values (dates of the note de calcul, rule tables…)."""
    counts = {}
    for path in sorted(folders[name].rglob("*.docx")):
        good, bad = ordinals(path)
        assert bad == [], path.name
        counts[path.name.split("_", 1)[1]] = good
    if name == "travaux-cite-administrative.yaml":
        assert counts["ccap-article-insertion.docx"] >= 1  # « depuis le 1er janvier 2024 » of the wording
        note = next(folders[name].glob("*_note-de-calcul.docx"))
        lines = [t for t, _ in paragraphs_with_superscript(note)]
        # the launch date, a value (« 1er février 2027 »), is among them
        assert any(t.startswith("Les règles ont été appliquées dans leur version en vigueur au 1er février 2027")
                   for t in lines)
        assert counts["note-de-calcul.docx"] >= 3


INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_no_invisible_character_in_any_document(name, folders):
    """An address copied out of Word or the PDF reaches its recipient: nothing invisible in it."""
    found = {}
    for path in sorted(folders[name].rglob("*.docx")):
        with zipfile.ZipFile(path) as archive:
            xml = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))
        found[path.name] = INVISIBLE.findall(xml)
    for path in sorted(folders[name].rglob("*.xlsx")):
        cells = [c.value for ws in load_workbook(path) for row in ws.iter_rows() for c in row]
        found[path.name] = [x for v in cells if isinstance(v, str) for x in INVISIBLE.findall(v)]
    assert {k: v for k, v in found.items() if v} == {}


def test_addresses_are_written_as_typed(folders):
    """The facilitators' addresses of the framework example, whole, in the CCAP, RC and conventions."""
    folder = folders["nettoyage-accord-cadre-occitanie.yaml"]
    text = {p.name.split("_", 1)[1]: docx_text(p, exact=True) for p in folder.glob("*.docx")}
    for address in ("clauses.sociales@tme.exemple.fr", "clauses@mde-montpellier.exemple.fr", "plie@nimes.exemple.fr"):
        assert address in text["ccap-article-insertion.docx"]
        assert address in text["rc-article-insertion.docx"]
    assert "plie@nimes.exemple.fr" in text["convention-facilitateur-plie-de-nimes.docx"]
    assert french("écrire à clauses.sociales@tme.exemple.fr") == "écrire à clauses.sociales@tme.exemple.fr"


JARGON = re.compile(r"\[[USV]\]|\[[a-z_]+\.[a-z_.]+\]|\b(?:parts_main_oeuvre|calcul|exceptions|seuils) \||"
                    r"Spécification drafter|Souvenir non vérifié|drafter \d|drafter ne |⟦")


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_no_internal_jargon_in_any_piece(name, folders):
    found = {path.name: JARGON.findall(docx_text(path)) for path in sorted(folders[name].rglob("*.docx"))}
    assert {k: v for k, v in found.items() if v} == {}


def test_review_copies_apart_clean_copies_clean(tmp_path):
    result = generate(analysis_of("travaux-cite-administrative.yaml"), tmp_path, revue=True)
    copies = {d.fichier: d.copie for d in result.documents if d.format == "docx"}
    ccap = "2027-SGCD11-TRX-01_ccap-article-insertion.docx"
    assert copies[ccap] == "propre" and copies[f"relecture/{ccap}"] == "relecture"
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    assert {d["fichier"]: d["copie"] for d in manifest["documents"] if d["format"] == "docx"} == copies
    for name, copie in copies.items():
        comments = len(Document(str(result.folder / name)).comments)
        assert (comments > 0) == (copie == "relecture"), name
        assert not JARGON.findall(docx_text(result.folder / name).replace("⟦", "")) or copie == "relecture"
        assert ordinals(result.folder / name)[1] == [], name  # comments anchored on the split runs too


def test_output_follows_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        result = generate(analysis_of("mapa-petits-travaux.yaml"), tmp_path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(result.folder.stat().st_mode) == 0o755
    assert {stat.S_IMODE(p.stat().st_mode) for p in result.folder.iterdir()} == {0o644}
