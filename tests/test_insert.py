"""``drafter inserer``: the generated article in the buyer's own CCAP, in their styles and
numbering, at their marker or after their heading; run twice, never duplicated."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from drafter.app.generate import generate
from drafter.cli.main import cli
from drafter.documents.docx_text import docx_text
from drafter.documents.heading_numbering import ensure_level, sub_level_text

from .buyer_docs import buyer_ccap
from .document_helpers import analysis_of, ordinals


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
    # their list numbers two levels: ours follow it, and continue it one level deeper
    assert text[first + 1:first + 4] == ["3.1 Dispositions sociales : objet et fondement juridique",
                                         "3.1.1 Objet", text[first + 3]]
    assert text[first + 3].startswith("Le présent article définit les dispositions sociales")
    assert "3.1.2 Dispositif retenu et fondement juridique" in text
    assert "3.2 Publics éligibles" in text and "3.3.1 Nature de l'obligation" in text
    assert text[-2].startswith("ARTICLE ") and text[-2].endswith(" - Pénalités")
    assert text[-1] == "Les pénalités de retard sont fixées à 1/3000 du montant par jour."
    doc = Document(str(out))
    ours = [p for p in doc.paragraphs if p.text.startswith(("Dispositions sociales", "Condition d'exécution"))]
    assert ours and {p.style.name for p in ours} <= {"Heading 1", "Heading 2"}
    assert all(p._p.pPr.find(qn("w:numPr")) is None for p in ours)   # numbered by the buyer's style
    assert [b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))] == ["drafter_clauses_ccap"]
    assert not list(doc.element.body.iter(qn("w:commentRangeStart")))
    assert "[clauses sociales]" in docx_text(buyer)
    good, bad = ordinals(out)  # « depuis le 1er janvier 2024 » keeps its superscript in the buyer's file
    assert good >= 1 and bad == []


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


def _level_text(doc, num_id: str, ilvl: int) -> tuple[str, str, str]:
    """(lvlText, numFmt, left indent) of level ``ilvl`` of the list ``num_id``, read from numbering.xml."""
    numbering = doc.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    lvl = next(lv for lv in abstract.findall(qn("w:lvl")) if lv.get(qn("w:ilvl")) == str(ilvl))
    return (lvl.find(qn("w:lvlText")).get(qn("w:val")), lvl.find(qn("w:numFmt")).get(qn("w:val")),
            lvl.find(f"{qn('w:pPr')}/{qn('w:ind')}").get(qn("w:left")))


def _third_levels(path: Path) -> tuple[list, list]:
    """Our third-level headings (« Objet », « Facilitateur »…) and their (numId, ilvl)."""
    doc = Document(str(path))
    ours = [p for p in doc.paragraphs if p.text in ("Objet", "Nature de l'obligation", "Facilitateur")]
    return ours, [(p._p.pPr.numPr.numId.val, p._p.pPr.numPr.ilvl.val) if p._p.pPr.numPr is not None else None
                  for p in ours]


@pytest.mark.parametrize("heading3", [True, False], ids=["heading3-unnumbered", "no-heading3-style"])
def test_third_level_continues_the_buyers_two_level_list(runner, market, tmp_path, heading3):
    buyer = buyer_ccap(tmp_path / "MON-CCAP.docx", heading3=heading3, own_third=heading3)
    before = Document(str(buyer))
    assert [lv.get(qn("w:ilvl")) for lv in before.part.numbering_part.element.iter(qn("w:lvl"))
            if lv.getparent().get(qn("w:abstractNumId")) == "50"] == ["0", "1"]   # their list: two levels
    out = tmp_path / "sortie.docx"
    assert run(runner, buyer, market, "-o", out).exit_code == 0
    ours, numbers = _third_levels(out)
    assert len(ours) == 3 and numbers == [(50, 2)] * 3            # the buyer's list, one level deeper
    doc = Document(str(out))
    # modelled on their levels: same format, « %1.%2 » extended, indent stepped by their 284 twips
    assert _level_text(doc, "50", 2) == ("%1.%2.%3", "decimal", str(2 * 284 + 567))
    assert _level_text(doc, "50", 0)[0] == "ARTICLE %1 -" and _level_text(doc, "50", 1)[0] == "%1.%2"
    text = lines(out)
    numbered = [line for line in text if re.match(r"3\.\d(\.\d)? ", line)]
    assert numbered[:6] == ["3.1 Dispositions sociales : objet et fondement juridique", "3.1.1 Objet",
                            "3.1.2 Dispositif retenu et fondement juridique", "3.2 Publics éligibles",
                            "3.3 Condition d'exécution : clause d'insertion", "3.3.1 Nature de l'obligation"]
    third = [p.style for p in Document(str(out)).paragraphs if p.text in ("Objet", "Facilitateur")]
    assert [style.name for style in third] == ["Heading 3"] * 2
    if heading3:   # their own Heading 3 stays unnumbered, as in their template
        own = next(p for p in doc.paragraphs if p.text == "Précisions sur l'objet")
        assert own.style.name == "Heading 3" and own._p.pPr.numPr is None
        assert "Précisions sur l'objet" in text
    else:          # a Heading 3 in their look: based on their Heading 2, not numbered by its list
        style = third[0]
        assert style.base_style.name == "Heading 2" and style.element.pPr.numPr.numId.val == 0
    # run twice: the level is not added twice, the article is replaced
    again = tmp_path / "encore.docx"
    assert run(runner, out, market, "-o", again).exit_code == 0
    assert lines(again) == text and _third_levels(again)[1] == numbers
    assert sum(lv.get(qn("w:ilvl")) == "2" for lv in Document(str(again)).part.numbering_part.element.iter(qn("w:lvl"))
               if lv.getparent().get(qn("w:abstractNumId")) == "50") == 1


def test_a_blank_level_the_buyer_uses_is_left_as_it_is(runner, market, tmp_path):
    buyer = buyer_ccap(tmp_path / "MON-CCAP.docx", third="blank", own_third=True)
    doc = Document(str(buyer))   # their Heading 3 paragraph sits in their list at its blank level
    own = next(p for p in doc.paragraphs if p.text == "Précisions sur l'objet")
    own._p.pPr.get_or_add_numPr().get_or_add_ilvl().val = 2
    own._p.pPr.numPr.get_or_add_numId().val = 50
    doc.save(str(buyer))
    out = tmp_path / "sortie.docx"
    assert run(runner, buyer, market, "-o", out).exit_code == 0
    assert _level_text(Document(str(out)), "50", 2)[:2] == ("", "none")
    assert _third_levels(out)[1] == [None] * 3 and "Objet" in lines(out)   # unnumbered, as their own
    # unused, the same blank level is redefined
    unused = buyer_ccap(tmp_path / "AUTRE.docx", third="blank")
    assert run(runner, unused, market, "-o", tmp_path / "autre.docx").exit_code == 0
    assert _level_text(Document(str(tmp_path / "autre.docx")), "50", 2)[:2] == ("%1.%2.%3", "decimal")


@pytest.mark.parametrize(("above", "ilvl", "expected"), [
    ("%1.%2", 2, "%1.%2.%3"), ("%1-%2)", 2, "%1-%2-%3)"), ("Article %1.%2 :", 2, "Article %1.%2.%3 :"),
    ("ARTICLE %1 -", 1, "%1.%2"), ("%1.%2.%3.", 3, "%1.%2.%3.%4."),
])
def test_sub_level_text(above, ilvl, expected):
    assert sub_level_text(above, ilvl) == expected


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_libreoffice_opens_the_result_and_numbers_our_third_level(runner, market, tmp_path):
    buyer = buyer_ccap(tmp_path / "MON-CCAP.docx")
    plain = buyer_ccap(tmp_path / "SANS-TITRE-3.docx", heading3=False)
    assert run(runner, buyer, market).exit_code == 0
    assert run(runner, plain, market).exit_code == 0
    outs = [tmp_path / "MON-CCAP-clauses-sociales.docx", tmp_path / "SANS-TITRE-3-clauses-sociales.docx"]
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, outs)],
                   check=True, capture_output=True, timeout=180)
    for out in outs:
        text = subprocess.run(["pdftotext", str(out.with_suffix(".pdf")), "-"], check=True, capture_output=True,
                              text=True).stdout
        assert "Publics éligibles" in text and text.index("Variation des prix") < text.index("Pénalités")
        rendered = [" ".join(line.split()) for line in text.splitlines()]
        for heading in ("2.1 Variation des prix", "3.1 Dispositions sociales : objet et fondement juridique",
                        "3.1.1 Objet", "3.1.2 Dispositif retenu et fondement juridique", "3.2 Publics éligibles",
                        "3.3.1 Nature de l'obligation", "3.4.1 Facilitateur"):
            assert heading in rendered, (out.name, heading)


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


def test_a_list_style_link_is_followed_to_the_list_that_defines_the_levels():
    """Word's « list style » headings: the instance's abstractNum only links to the one that holds the levels."""
    doc = Document()
    numbering = doc.part.numbering_part.element
    levels = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
                     f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
                     for i, text in enumerate(("%1.", "%1-%2.")))
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="61"><w:styleLink w:val="Titres"/>'
                               f'{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="62">'
                               '<w:numStyleLink w:val="Titres"/></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="60"><w:abstractNumId w:val="62"/></w:num>'))
    assert ensure_level(doc, "60", 2, []) and ensure_level(doc, "60", 2, [])   # idempotent
    defining = numbering.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='61']")
    assert [(lv.get(qn("w:ilvl")), lv.find(qn("w:lvlText")).get(qn("w:val")), lv.find(qn("w:numFmt")).get(qn("w:val")))
            for lv in defining.findall(qn("w:lvl"))] == [("0", "%1.", "upperRoman"), ("1", "%1-%2.", "upperRoman"),
                                                         ("2", "%1-%2-%3.", "upperRoman")]
    assert not numbering.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='62']").findall(qn("w:lvl"))
    assert not ensure_level(doc, "99", 2, [])   # no such list
