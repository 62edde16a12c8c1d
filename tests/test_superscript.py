"""The explicit ``exposants`` filter of earlier templates, still accepted (issue 10: « 1er » of a value)."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from jinja2.exceptions import FilterArgumentError

from drafter.documents.sandbox import make_env
from drafter.documents.superscript import exposants
from drafter.documents.templates_set import BUNDLED

ROOT = Path(__file__).resolve().parent.parent
SUP = '</w:t></w:r><w:r><w:rPr>{p}<w:vertAlign w:val="superscript"/></w:rPr><w:t>{s}</w:t></w:r><w:r>{back}<w:t xml:space="preserve">'


def render(template: str, **values) -> str:
    return make_env().from_string(template).render(values)


def test_a_date_splits_its_run_with_the_run_properties():
    out = render('<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Le {{ d|exposants("gras") }}.</w:t></w:r>',
                 d="1er mars 2027")
    assert out == ('<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Le 1'
                   + SUP.format(p="<w:b/>", s="er", back="<w:rPr><w:b/></w:rPr>") + " mars 2027.</w:t></w:r>")


def test_plain_run_and_every_ordinal_of_one():
    out = render("{{ v|exposants }}", v="1re tranche, 1ers lots, 1res heures")
    assert out == ("1" + SUP.format(p="", s="re", back="") + " tranche, 1" + SUP.format(p="", s="ers", back="")
                   + " lots, 1" + SUP.format(p="", s="res", back="") + " heures")


def test_values_stay_escaped_around_the_inserted_runs():
    out = render("{{ v|exposants }}", v="R&D <b> 1er lot")
    assert out.startswith("R&amp;D &lt;b&gt; 1</w:t>") and out.endswith(" lot")
    assert render("{{ v|exposants }}", v="<w:t>") == "&lt;w:t&gt;"


@pytest.mark.parametrize("value", ["jean.1er@exemple.fr", "regle.1er_palier", "11er", "1ere", "10 000 €", "1ère",
                                   "https://x.fr/1er/page", "lot 1 et 2"])
def test_not_an_ordinal_left_as_it_is(value):
    assert exposants(value) == value


def test_non_text_values_and_sizes():
    assert exposants(12) == 12 and exposants(None) is None
    assert render('{{ v|exposants("italique 8pt") }}', v="1er") == "1" + SUP.format(
        p='<w:i/><w:sz w:val="16"/>', s="er", back='<w:rPr><w:i/><w:sz w:val="16"/></w:rPr>')


def test_unknown_property_is_a_french_error():
    with pytest.raises(FilterArgumentError, match="propriété « souligné » inconnue"):
        render('{{ v|exposants("souligné") }}', v="1er")
    with pytest.raises(FilterArgumentError, match="s'écrit entre guillemets"):
        render("{{ v|exposants(8) }}", v="sans ordinal")


def test_bundled_templates_hold_plain_tags_only():
    """No filter for the lawyer to read or keep: the superscript is the environment's business."""
    monitoring = ROOT / "drafter" / "monitoring" / "templates"
    for path in sorted(BUNDLED.glob("*.docx")) + sorted(monitoring.glob("*.docx")):
        with zipfile.ZipFile(path) as archive:
            xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))
        assert re.search(r"<w:t[^>]*>[^<]*\{\{ [\w.]+ \}\}", xml), path.name
        assert "exposants" not in xml, path.name


def test_monitoring_templates_are_built_from_their_sources():
    done = subprocess.run([sys.executable, "-m", "drafter.monitoring.build_templates", "--check"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_a_lawyer_misnaming_the_formatting_gets_a_located_french_finding(runner, tmp_path):
    from .test_cli_generate import edit_template, invoke

    folder = tmp_path / "modeles"
    folder.mkdir()
    edit_template(BUNDLED / "note-de-calcul.docx", folder / "note-de-calcul.docx",
                  "{{ marche.reference }}", '{{ marche.reference|exposants("souligné") }}')
    result = invoke(runner, "templates", "check", folder)
    assert result.exit_code == 2
    assert (f"{folder / 'note-de-calcul.docx'} — filtre exposants : propriété « souligné » inconnue (admises : "
            "gras, italique, une taille comme 8pt)") in result.output
