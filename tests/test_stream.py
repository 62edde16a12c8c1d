"""The streamed body (:mod:`drafter.documents.docx_stream`) against plain docxtpl 0.20.2, with values
that exercise every rewriting the lxml parse would do: quotes, ``& < >``, tabs, newlines, ``\\r``,
characters XML cannot hold, docxtpl's ``{_{`` escapes, empty values, non-BMP emoji, « », very long
texts; and cut into small batches, so that every rewriting meets a batch boundary somewhere."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from lxml import etree

from drafter.documents import docx_stream, fastrender
from drafter.documents.plan import plan
from drafter.documents.render import ENV
from drafter.documents.templates_set import template_paths
from drafter.present.context import build_context
from drafter.present.explain import decision_json, dumps, dumps_bytes

from .document_helpers import analysis_of
from .test_parity import parts, plain

FRAMEWORK = "nettoyage-accord-cadre-occitanie.yaml"
# Each value of the context becomes one of these (in turn), so that every template variable meets all.
HOSTILE = [
    'Ville & Fils <consorts> "guillemets" \'apostrophes\' 🏗️ « ok »',
    "ligne 1\nligne 2\tcolonne\r\nfin\rretour",
    "saut de page \x0c et cloche \x07 (docxtpl en fait des paragraphes)",
    "{_{ pas une balise }_} et {_% non plus %_}",
    "_début et fin_",
    "",
    "fin par un saut\n",
    "\t",
    "x" * 20000 + " long",
    'le 1er lot & la 1re tranche "1ers" \'1res\'',  # exposants: Markup runs inside the value
    "1er",
]


def hostile(value, turn: list[int]):
    """``value`` with every string replaced by the next hostile text (containers kept)."""
    if isinstance(value, str):
        turn[0] += 1
        return value + HOSTILE[turn[0] % len(HOSTILE)] if turn[0] % 3 else HOSTILE[turn[0] % len(HOSTILE)]
    if isinstance(value, dict):
        return {k: hostile(v, turn) for k, v in value.items()}
    if isinstance(value, list):
        return [hostile(v, turn) for v in value]
    return value


def documents(example: str):
    ctx = build_context(analysis_of(example))
    templates = template_paths(None)
    for doc in plan(ctx):
        yield doc.fichier, templates[doc.template], ctx.for_document(**doc.extra)


def assert_same_as_docxtpl(template: Path, variables: dict, label: str) -> None:
    """Same parts; where docxtpl itself fails (a character XML cannot hold in a footer, which it parses
    without recovery), the same failure."""
    try:
        reference = plain(template, variables, None)
    except etree.XMLSyntaxError:
        with pytest.raises(etree.XMLSyntaxError):
            fastrender.render(template, variables, env=ENV)
        return
    assert parts(fastrender.render(template, variables, env=ENV)) == parts(reference), label


def test_every_bundled_template_is_streamed_and_a_buyer_copy_is_not(tmp_path):
    for name, path in template_paths(None).items():
        assert fastrender.get_template(path, ENV)._stream is not None, name
    copied = tmp_path / "ccap-article-insertion.docx"
    copied.write_bytes(template_paths(None)["ccap-article-insertion"].read_bytes())
    assert fastrender.get_template(copied, ENV)._stream is None
    assert fastrender.FastTemplate(copied, ENV, stream=True)._stream is not None


@pytest.mark.parametrize("example", ["travaux-cite-administrative.yaml", FRAMEWORK])
def test_hostile_values_give_the_same_parts_as_docxtpl(example):
    turn = [0]
    for label, template, variables in documents(example):
        assert_same_as_docxtpl(template, hostile(copy.deepcopy(variables), turn), label)


def test_small_batches_cut_anywhere_give_the_same_parts(monkeypatch):
    """Batches of 3 000 characters: cuts inside paragraphs carrying listings, empty elements, ``\\r\\n``."""
    monkeypatch.setattr(docx_stream, "BATCH", 3000)
    turn = [0]
    for label, template, variables in documents(FRAMEWORK):
        assert_same_as_docxtpl(template, hostile(copy.deepcopy(variables), turn), label)
        assert_same_as_docxtpl(template, variables, label)


def test_characters_xml_cannot_hold_are_dropped_as_lxml_drops_them():
    """The context builder removes them; a raw context could still carry some: lxml's recovering parse
    drops them from texts (and writes U+FFFD in attributes: a value in a tag goes to the lxml path),
    and so does the stream. Footers are parsed without recovery by docxtpl and by the fast path
    alike: there both fail (see assert_same_as_docxtpl)."""
    label, template, variables = next(d for d in documents(FRAMEWORK) if "ccap" in d[0])
    controls = marked(variables, " \x01\x0b fin")
    controls["acheteur"]["nom"], controls["marche"]["reference"] = "Acheteur", "Réf"  # the footer's values
    fast = parts(fastrender.render(template, controls, env=ENV))
    assert fast == parts(plain(template, controls, None)), label
    assert b"  fin</w:t>" in fast["word/document.xml"] and b"\x01" not in fast["word/document.xml"]
    assert etree.fromstring(fast["word/document.xml"]) is not None


def marked(value, suffix: str):
    """A copy of ``value`` with ``suffix`` after every string."""
    if isinstance(value, str):
        return value + suffix
    if isinstance(value, dict):
        return {k: marked(v, suffix) for k, v in value.items()}
    if isinstance(value, list):
        return [marked(v, suffix) for v in value]
    return value



def test_paragraph_regex_is_docxtpl_s():
    docxtpl = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
    text = ('<w:p a="1"/><w:p><w:r><w:t>x\ny</w:t></w:r></w:p><w:pPr/><w:p><w:txbxContent><w:p>in</w:p>'
            '</w:txbxContent>out</w:p><w:p >z</w:p><w:p>tail')
    assert [m.span() for m in docx_stream._PARAGRAPH.finditer(text)] == [m.span() for m in docxtpl.finditer(text)]


def test_cut_is_before_a_paragraph_not_yet_matched():
    text = '<w:body><w:p a="1"/><w:p>one</w:p><w:p>two</w:p><w:p>open'
    assert text[docx_stream.cut(text):] == "<w:p>open"
    assert docx_stream.cut("<w:p>never closed") == 0


def test_attribute_values_the_parser_would_normalise_go_to_the_lxml_path():
    assert docx_stream.attribute_value(3) == "3"
    assert docx_stream.attribute_value('a"&<b') == "a&quot;&amp;&lt;b"
    for value in ("a\tb", "x_y", "{", 1.5):
        with pytest.raises(docx_stream.Unstreamable):
            docx_stream.attribute_value(value)


def test_text_values_as_lxml_writes_them():
    docx_stream._STATE.dirty = False
    assert docx_stream.text_value('l\'a "b" & <c>') == 'l\'a "b" &amp; &lt;c&gt;'
    assert docx_stream._STATE.dirty is False
    assert docx_stream.text_value("a\x01b\x0b") == "ab" and docx_stream._STATE.dirty is False
    assert docx_stream.text_value("a\nb") == "a\nb" and docx_stream._STATE.dirty is True


def test_manifest_encoded_by_pieces_is_the_same_text():
    data = decision_json(analysis_of(FRAMEWORK).decision)
    assert dumps_bytes(data) == dumps(data).encode("utf-8")
    assert json.loads(dumps_bytes(data))["lots"]


def test_typical_documents_never_touch_the_lxml_path(monkeypatch):
    """Every document of an example, body and footers, rendered with the lxml path disabled."""
    from drafter.documents import docx_parts

    def forbidden(*args, **kwargs):
        raise AssertionError("lxml path taken")

    for label, template, variables in documents(FRAMEWORK):
        expected = parts(plain(template, variables, None))
        with monkeypatch.context() as patched:
            patched.setattr(fastrender.FastTemplate, "_main_xml", forbidden)
            patched.setattr(docx_parts.XmlPart, "render", forbidden)
            assert parts(fastrender.FastTemplate(template, ENV).render_bytes(variables)) == expected, label


def test_values_known_plain_are_remembered_within_bounds_and_never_skip_escaping(monkeypatch):
    monkeypatch.setattr(docx_stream, "_PLAIN_SEEN", set())
    monkeypatch.setattr(docx_stream, "_PLAIN_SEEN_MAX", 2)
    assert docx_stream.text_value("Lot n° 1") == "Lot n° 1"
    assert docx_stream.text_value("x" * 201) == "x" * 201       # too long to remember
    assert docx_stream.text_value("Dupont & fils <SA>") == "Dupont &amp; fils &lt;SA&gt;"
    assert docx_stream.text_value("Lot n° 2") == "Lot n° 2"
    assert docx_stream.text_value("Lot n° 3") == "Lot n° 3"       # the set is full: not remembered
    assert {"Lot n° 1", "Lot n° 2"} == docx_stream._PLAIN_SEEN


def _cut_by_scan(text: str) -> int:
    """docx_stream.cut as first written: the paragraph regex run over the whole batch."""
    end = 0
    for match in docx_stream._PARAGRAPH.finditer(text):
        end = match.end()
    found = docx_stream._PARAGRAPH_OPEN.search(text, end)
    if found is not None:
        return found.start()
    at = end
    for tag in docx_stream._OPEN_TAG.finditer(text, end):
        at = tag.start()
    return at


def test_batch_cuts_are_where_a_scan_of_docxtpl_s_paragraph_regex_puts_them():
    body = ('<w:body><w:p><w:r><w:t>a</w:t></w:r></w:p><w:p w:rsidR="1"><w:pPr/><w:r><w:t>b &amp; c</w:t></w:r>'
            '</w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>d</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/>'
            '<w:p><w:r><w:t>e</w:t></w:r></w:p></w:body>')
    boxed = ('<w:body><w:p><w:r><w:t>a</w:t></w:r><w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>in</w:t></w:r>'
             '</w:p></w:txbxContent></w:drawing></w:r><w:r><w:t>after</w:t></w:r></w:p><w:p><w:r><w:t>b</w:t>'
             '</w:r></w:p></w:body>')
    for text in (body, boxed):
        for stop in range(len(text) + 1):
            assert docx_stream.cut(text[:stop]) == _cut_by_scan(text[:stop]), (text, stop)
