"""End-of-contract report: golden text (expected figures computed by hand in scenario.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..document_helpers import ordinals
from . import scenario
from .conftest import suivi

GOLDEN = Path(__file__).with_name("golden") / "bilan-2027-SGCD11-TRX-01.txt"


@pytest.fixture(scope="module")
def built(django_db, generated, tmp_path_factory):
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    scenario.build(generated, tmp_path_factory.mktemp("bilan"))


def test_bilan_text_matches_golden(built, tmp_path, update_golden):
    from drafter.monitoring.drafted import docx_text

    target = tmp_path / "bilan.docx"
    out = suivi("bilan", scenario.TRX, "-o", target, "--date", "2027-09-15")
    assert out == f"Bilan écrit : {target}\n"
    # the profile's fingerprint changes with any edit of the example profile: compared apart
    text = re.sub(r"profil [0-9a-f]{12}", "profil <empreinte>", docx_text(target))
    if update_golden:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_bilan_typography(built, tmp_path):
    from docx import Document

    target = tmp_path / "bilan.docx"
    suivi("bilan", scenario.TRX, "-o", target, "--date", "2027-09-15")
    body = "\n".join(p.text for p in Document(target).paragraphs)
    # 371,67 + 301,67 + 200 = 873,34 h validated; penalties 6 939,90 + 44 919,90 + 18 150 = 70 009,80 €
    assert "873,34\u00a0h" in body
    assert "70\u00a0009,80\u00a0€ HT" in body
    assert "quinze" not in body and "15\u00a0jours" in body
    assert " :" not in body.replace("\u00a0:", "")
    assert ordinals(target) == (1, [])  # « règles au 1er février 2027 », a value, with a superscript « er »


def test_bilan_unknown_market(built, tmp_path):
    out = suivi("bilan", "INCONNU", "-o", tmp_path / "x.docx", code=2)
    assert "marché « INCONNU » inconnu" in out
    assert not (tmp_path / "x.docx").exists()
