"""Shared helpers for the document tests: analyse an example, open comments, hostile profiles."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from docx import Document
from docx.oxml.ns import qn

from drafter.app.analyse import Analysis, analyse

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
