"""« 1er » of a value as a superscript with no filter in the template: the sandbox environment
rewrites the value tags of each run at compile time, with the run's own properties (issue 10)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Pt, RGBColor
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError

from drafter.documents import fastrender
from drafter.documents.render import ENV, render_document
from drafter.documents.sandbox import make_env

RED_ARIAL_BOLD = ('<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/><w:b/><w:color w:val="C00000"/>'
                  '<w:sz w:val="22"/><w:lang w:val="fr-FR"/></w:rPr>')


def compile_source(source: str) -> str:
    return make_env().preprocess(source)


def test_a_value_tag_takes_its_run_properties_verbatim():
    source = f'<w:p><w:r w:rsidR="00A1">{RED_ARIAL_BOLD}<w:t xml:space="preserve">Le {{{{ d }}}}.</w:t></w:r></w:p>'
    assert compile_source(source) == (
        f'<w:p><w:r w:rsidR="00A1">{RED_ARIAL_BOLD}<w:t xml:space="preserve">Le '
        f"{{{{ ( d )|exposants_run('{RED_ARIAL_BOLD}') }}}}.</w:t></w:r></w:p>")
    out = make_env().from_string(source).render(d="1er mars 2027")
    sup_props = RED_ARIAL_BOLD.replace("<w:lang", '<w:vertAlign w:val="superscript"/><w:lang')  # schema order
    assert out == (f'<w:p><w:r w:rsidR="00A1">{RED_ARIAL_BOLD}<w:t xml:space="preserve">Le 1</w:t></w:r>'
                   f'<w:r>{sup_props}<w:t>er</w:t></w:r><w:r>{RED_ARIAL_BOLD}<w:t xml:space="preserve"> mars 2027.'
                   "</w:t></w:r></w:p>")


def test_quotes_and_backslashes_of_the_properties_survive_the_jinja_literal():
    rpr = """<w:rPr><w:rFonts w:ascii="L'Atelier \\ Sans"/><w:vertAlign w:val="subscript"/></w:rPr>"""
    source = f"<w:r>{rpr}<w:t>{{{{ v }}}}</w:t></w:r>"
    out = make_env().from_string(source).render(v="1re")
    assert out == (f"<w:r>{rpr}<w:t>1</w:t></w:r>"
                   """<w:r><w:rPr><w:rFonts w:ascii="L'Atelier \\ Sans"/><w:vertAlign w:val="superscript"/>"""
                   f'</w:rPr><w:t>re</w:t></w:r><w:r>{rpr}<w:t xml:space="preserve"></w:t></w:r>')


def test_plain_run_expressions_and_whitespace_control():
    out = make_env().from_string("<w:r><w:t>{{- a ~ b -}} / {{ n + 1 }}</w:t></w:r>").render(a="1er", b=" lot", n=1)
    assert out == ('<w:r><w:t>1</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>er</w:t>'
                   '</w:r><w:r><w:t xml:space="preserve"> lot/ 2</w:t></w:r>')  # « -}} » ate the space


def test_what_is_not_a_value_in_a_run_text_is_left_as_written():
    untouched = [
        '<w:tc><w:tcPr><w:shd w:fill="{{ couleur }}"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>',
        "<w:r><w:t>{% if a %}oui{% endif %}</w:t></w:r>",
        '<w:r><w:t>{{ v|exposants("gras") }} {{ w | exposants }}</w:t></w:r>',
        '<w:r><w:rPr><w:color w:val="{{ c }}"/></w:rPr><w:t>{{ v }}</w:t></w:r>',   # templated properties
        "<w:r><w:instrText>{{ champ }}</w:instrText></w:r>",
        "<w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>a</w:t></w:r></w:p></w:txbxContent></w:drawing>"
        "<w:t>{{ dans_la_boite }}</w:t></w:r>",  # a run holding runs (text box)
        "{{ marche.objet }} — {{ marche.reference }}",  # core properties: no run at all
        "<w:r><w:t>{% raw %}{{ litteral }}{% endraw %}</w:t></w:r>",
    ]
    for source in untouched:
        assert compile_source(source) == source, source


def test_docxtpl_run_and_paragraph_tags_are_left_to_docxtpl():
    patched = DocxTemplate.patch_xml(None, '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>A {{r riche }} {{ v }}</w:t></w:r></w:p>'
                                     '<w:p><w:r><w:t>{{p para }}</w:t></w:r></w:p>')
    compiled = compile_source(patched)
    assert "{{ riche }}" in compiled and "{{ para }}" in compiled  # docxtpl's, outside any run: as they were
    assert "( v )|exposants_run(" in compiled
    assert compiled.count("exposants_run") == 1


def test_a_faulty_tag_is_left_as_written_so_its_error_is_jinjas_own():
    source = '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{{ lot.heures| }} {{ "}}" }}</w:t></w:r></w:p>'
    assert compile_source(source) == source
    with pytest.raises(TemplateSyntaxError) as error:
        make_env().from_string(source)
    assert error.value.message == "expected token 'name', got 'end of print statement'"


def test_lines_are_kept_so_errors_are_located_as_before():
    source = "<w:p><w:r><w:t>{{ a }}</w:t></w:r>\n<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{{ b\n}}</w:t></w:r>\n<w:p>"
    assert compile_source(source).count("\n") == source.count("\n")


def lawyer_template(path: Path) -> Path:
    """A template as a lawyer writes it in Word: plain tags in a red Arial bold run, a tag in a
    plain run, a condition."""
    document = docx.Document()
    paragraph = document.add_paragraph("Date de lancement : ")
    run = paragraph.add_run("{{ marche.date }}")
    run.bold, run.font.name, run.font.size = True, "Arial", Pt(11)
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    document.add_paragraph("{% if marche.tranche %}Tranche : {{ marche.tranche }}{% endif %}")
    document.core_properties.title = "{{ marche.reference }}"
    document.save(str(path))
    return path


def plain_docxtpl(template: Path, context: dict) -> bytes:
    reference = fastrender.DocxTemplate(str(template))
    reference.render(context, jinja_env=ENV, autoescape=True)
    buffer = io.BytesIO()
    reference.save(buffer)
    return buffer.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_lawyer_template_gets_superscripts_in_its_own_formatting_on_both_paths(tmp_path):
    template = lawyer_template(tmp_path / "modele.docx")
    context = {"marche": {"date": "1er février 2027", "tranche": "1re tranche ferme", "reference": "2027-1er"}}
    fast = render_document(template, context)
    assert parts(fast) == parts(plain_docxtpl(template, context))  # parity, every part byte for byte
    xml = parts(fast)["word/document.xml"].decode()
    runs = re.findall(r"<w:r>(?:<w:rPr>(.*?)</w:rPr>)?<w:t[^>]*>([^<]*)</w:t></w:r>", xml)
    red = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial"/><w:b/><w:color w:val="C00000"/><w:sz w:val="22"/>'
    assert runs[:4] == [("", "Date de lancement : "), (red, "1"),
                        (red + '<w:vertAlign w:val="superscript"/>', "er"), (red, " février 2027")]
    assert ('<w:vertAlign w:val="superscript"/>', "re") in runs  # the {% if %} branch, a plain run
    document = docx.Document(io.BytesIO(fast))
    assert [p.text for p in document.paragraphs] == ["Date de lancement : 1er février 2027",
                                                      "Tranche : 1re tranche ferme"]
    assert document.core_properties.title == "2027-1er"  # core properties: text, as written


def test_fast_path_compiles_each_template_once(tmp_path, monkeypatch):
    template = lawyer_template(tmp_path / "modele.docx")
    context = {"marche": {"date": "1er mai", "tranche": "", "reference": "R"}}
    calls = []
    extension = next(iter(ENV.extensions.values()))
    original = extension.preprocess
    monkeypatch.setattr(extension, "preprocess", lambda *a, **k: calls.append(1) or original(*a, **k))
    fastrender.clear_cache()
    render_document(template, context)
    first = len(calls)
    for _ in range(3):
        render_document(template, context)
    assert first >= 1 and len(calls) == first


def test_templates_check_reports_a_broken_value_tag_in_french(runner, tmp_path):
    from .test_cli_generate import BUNDLED, edit_template, invoke

    folder = tmp_path / "modeles"
    folder.mkdir()
    edit_template(BUNDLED / "note-de-calcul.docx", folder / "note-de-calcul.docx",
                  "{{ marche.reference }}", "{{ marche.reference| }}")
    result = invoke(runner, "templates", "check", folder)
    assert result.exit_code == 2
    assert (f"{folder / 'note-de-calcul.docx'} — balise incorrecte : expected token 'name', got 'end of print "
            "statement', dans le texte « {{ marche.reference| }} ».") in result.output
