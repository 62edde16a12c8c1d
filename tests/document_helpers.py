"""Shared helpers for the document tests: analyse an example, open comments, hostile profiles."""

from __future__ import annotations

import re
import zipfile
from functools import cache
from pathlib import Path

import yaml
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from drafter.app.analyse import Analysis, analyse
from drafter.present.typography import ORDINAL

from .conftest import EXAMPLES, TODAY, example_names

EXAMPLE_NAMES = example_names()


@cache
def analysis_of(name: str) -> Analysis:
    return analyse(EXAMPLES / name, today=TODAY)


def _spaces(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def comments_by_paragraph(path: Path) -> list[tuple[str, str, str]]:
    """(author, comment text, text of the paragraph the comment is anchored on) for every comment,
    no-break spaces as spaces."""
    doc = Document(str(path))
    comments = {str(c.comment_id): c for c in doc.comments}
    out = []
    for start in doc.element.body.iter(qn("w:commentRangeStart")):
        paragraph = start.getparent()
        while paragraph.tag != qn("w:p"):
            paragraph = paragraph.getparent()
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        comment = comments[start.get(qn("w:id"))]
        out.append((comment.author, _spaces(comment.text), _spaces(text)))
    return out


HOSTILE = {
    "buyer": 'Ville & Fils <consorts> "guillemets" \'apostrophes\' 🏗️',
    "subject": "Objet {{ 7*7 }} et {% if true %}bloc{% endif %} / ../ " + "é" * 4900 + " FIN-OBJET",
    "reference": "../../etc/passwd/2027 {{ x }}..\\lot",
    "facilitator": "Facilitateur {{ 7*7 }} & <Cie>",
    "structure": "../Structure/Évil ✨ & <b>",
    "lot": "Lot « & » </w:t> {% raw %}",
}


def hostile_profile(tmp_path: Path) -> Path:
    """A valid two-lot profile whose every text is data that could break a template or a path."""
    facilitator = {"nom": HOSTILE["facilitator"], "structure": HOSTILE["structure"], "adresse": "1 rue <x> & y",
                   "courriel": "a&b@exemple.fr", "telephone": "05 \"61\" 00"}
    data = {
        "version": 1,
        "acheteur": {"nom": HOSTILE["buyer"], "categorie": "etat", "adresse": "Adresse & <rue>",
                     "representant": "Le préfet « & »", "service": "Service {{ service }}"},
        "marche": {"objet": HOSTILE["subject"], "reference": HOSTILE["reference"], "nature": "services",
                   "forme": "marche_ordinaire", "procedure": "appel_offres_ouvert", "date_lancement": "2027-03-01",
                   "duree_mois": 24, "lieu_execution": "Lieu {% for x in y %}", "cpv": ["90919200-4"]},
        "facilitateur": facilitator,
        "insertion": {"dispositif": "condition_et_critere"},
        "lots": [
            {"numero": 1, "intitule": HOSTILE["lot"], "montant_estime_ht": 900000, "secteur": "nettoyage_proprete"},
            {"numero": 2, "intitule": "Lot réservé 😀", "montant_estime_ht": 100000, "secteur": "espaces_verts",
             "insertion": {"dispositif": "reserve_siae_handicap"}},
        ],
    }
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def paragraphs_with_superscript(path: Path):
    """(text, superscript flag of each character) of every paragraph of the body and footers."""
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if re.fullmatch(r"word/(document|footer\d*|header\d*)\.xml", n)]
        roots = [etree.fromstring(archive.read(n)) for n in names]
    for root in roots:
        for p in root.iter(qn("w:p")):
            text, sup = "", []
            for run in p.iter(qn("w:r")):
                align = run.find(f"{qn('w:rPr')}/{qn('w:vertAlign')}")
                up = align is not None and align.get(qn("w:val")) == "superscript"
                for t in run.iter(qn("w:t")):
                    text += t.text or ""
                    sup += [up] * len(t.text or "")
            yield text, sup


def ordinals(path: Path) -> tuple[int, list[str]]:
    """(ordinals of one written « 1 » + superscript suffix, the others with the text around them)."""
    good, bad = 0, []
    for text, sup in paragraphs_with_superscript(path):
        for m in ORDINAL.finditer(text):
            if not sup[m.start(1)] and all(sup[m.start(2):m.end(2)]):
                good += 1
            else:
                bad.append(text[max(0, m.start() - 30):m.end() + 20])
    return good, bad
