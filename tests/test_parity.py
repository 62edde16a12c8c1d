"""The fast renderer against plain docxtpl (pinned 0.20.2) on EVERY planned document of every
example (conventions included), with and without --revue, on the hostile profile and on a
template holding images; and every zip entry of every generated file dated 1980-01-01.

Without --revue the parts are byte-identical. With --revue the comments carry the time they were
written (``w:date``), so that attribute is blanked before comparing; everything else is equal.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Cm

from drafter.app.generate import generate
from drafter.documents import fastrender
from drafter.documents.comments import annotator
from drafter.documents.plan import plan
from drafter.documents.render import ENV, render_document
from drafter.documents.templates_set import template_paths
from drafter.present.context import build_context

from .document_helpers import EXAMPLE_NAMES, analysis_of, hostile_profile

EPOCH = (1980, 1, 1, 0, 0, 0)
COMMENT_DATE = re.compile(rb' w:date="[^"]*"')
EMPTY_ELEMENT = re.compile(rb"<([\w:]+)([^<>]*)></\1>")


def parts(data: bytes, *, canonical: bool = False) -> dict[str, bytes]:
    """Every part, comment dates blanked; ``canonical``: ``<a></a>`` written ``<a/>`` (the same XML:
    with --revue the fast path re-reads its own output, and lxml writes empty elements that way)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        out = {name: COMMENT_DATE.sub(b"", archive.read(name)) for name in archive.namelist()}
    return {k: EMPTY_ELEMENT.sub(rb"<\1\2/>", v) for k, v in out.items()} if canonical else out


def plain(template: Path, variables: dict, annotate) -> bytes:
    reference = fastrender.DocxTemplate(str(template))
    reference.render(variables, jinja_env=ENV, autoescape=True)
    if annotate is not None:
        annotate(reference.docx)
    buffer = io.BytesIO()
    reference.save(buffer)
    return buffer.getvalue()


def dates(data: bytes) -> set[tuple[int, ...]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.date_time for info in archive.infolist()}


def raw_dates(data: bytes) -> set[tuple[int, int]]:
    """(time, date) fields of every local header and central-directory entry, read from the bytes."""
    found = set()
    for match in re.finditer(rb"PK\x03\x04", data):
        found.add(struct.unpack_from("<2H", data, match.start() + 10))
    for match in re.finditer(rb"PK\x01\x02", data):
        found.add(struct.unpack_from("<2H", data, match.start() + 12))
    return found


def compare_every_document(analysis, revue: bool) -> list[str]:
    ctx = build_context(analysis, revue=revue)
    templates = template_paths(None)
    compared = []
    for doc in plan(ctx):
        variables = ctx.for_document(**doc.extra)
        fast = render_document(templates[doc.template], variables,
                               annotate=annotator(ctx.notes) if revue else None)
        reference = plain(templates[doc.template], variables, annotator(ctx.notes) if revue else None)
        fast_parts, reference_parts = parts(fast, canonical=revue), parts(reference, canonical=revue)
        assert list(fast_parts) == list(reference_parts), doc.fichier
        for name in reference_parts:
            assert fast_parts[name] == reference_parts[name], (doc.fichier, name)
        assert dates(fast) == {EPOCH}, doc.fichier
        compared.append(doc.fichier)
    return compared


@pytest.mark.parametrize("revue", [False, True], ids=["sans-revue", "revue"])
@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_every_planned_document_matches_docxtpl(example, revue):
    analysis = analysis_of(example)
    compared = compare_every_document(analysis, revue)
    expected = [doc.fichier for doc in plan(build_context(analysis, revue=revue))]
    assert compared == expected and compared


def test_the_conventions_are_compared():
    compared = compare_every_document(analysis_of("nettoyage-accord-cadre-occitanie.yaml"), revue=True)
    assert [name.removeprefix("2027-PFRA-NET-03_") for name in compared] == [
        "note-de-calcul.docx", "ccap-article-insertion.docx", "rc-article-insertion.docx",
        "engagement-insertion-lot-1.docx", "engagement-insertion-lot-2.docx", "engagement-insertion-lot-3.docx",
        "engagement-insertion-lot-4.docx", "convention-facilitateur-toulouse-metropole-emploi.docx",
        "convention-facilitateur-maison-de-l-emploi-de-montpellier.docx", "convention-facilitateur-plie-de-nimes.docx"]


@pytest.mark.parametrize("revue", [False, True], ids=["sans-revue", "revue"])
def test_hostile_profile_matches_docxtpl(tmp_path, revue):
    from drafter.app.analyse import analyse

    from .conftest import TODAY

    analysis = analyse(hostile_profile(tmp_path), today=TODAY)
    assert len(compare_every_document(analysis, revue)) >= 5


# --- a template with images: docPr ids renumbered as docxtpl does --------------------------------

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e2b8f3e5"
    "0000000049454e44ae426082")


def image_template(path: Path) -> Path:
    image = path.parent / "logo.png"
    image.write_bytes(PNG)
    document = docx.Document()
    document.add_paragraph("Logo de l'acheteur :")
    document.add_picture(str(image), width=Cm(2))
    document.add_paragraph("{%p for lot in lots %}")
    document.add_paragraph("Lot {{ lot }} :")
    document.add_picture(str(image), width=Cm(1))
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("Fin {{ fin }}")
    document.save(str(path))
    return path


def docpr_ids(data: bytes) -> list[int]:
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    return [int(i) for i in re.findall(rb"<wp:docPr id=\"(\d+)\"", xml)]


def test_template_with_images_renumbers_docpr_ids_like_docxtpl(tmp_path):
    template = image_template(tmp_path / "images.docx")
    fastrender.clear_cache()
    assert fastrender.get_template(template, ENV)._splice is not None, "the fast path, not the fallback"
    for count in (1, 3):
        variables = {"lots": list(range(1, count + 1)), "fin": "& <fin>"}
        fast = render_document(template, variables)
        reference = plain(template, variables, None)
        assert parts(fast) == parts(reference)
        ids = docpr_ids(fast)
        assert len(ids) == 1 + count
        assert len(set(ids)) == len(ids), f"duplicate docPr ids: {ids}"
        assert dates(fast) == {EPOCH}


# --- every zip entry of every generated file is dated 1980-01-01 ---------------------------------

@pytest.mark.parametrize("revue", [False, True], ids=["sans-revue", "revue"])
def test_every_zip_entry_of_a_generation_is_dated_1980(tmp_path, revue):
    result = generate(analysis_of("nettoyage-accord-cadre-occitanie.yaml"), tmp_path, revue=revue)
    packages = sorted(p for p in result.folder.iterdir() if p.suffix in {".docx", ".xlsx"})
    assert [p.name for p in packages][-1] == "synthese.xlsx" and len(packages) == 11
    for package in packages:
        data = package.read_bytes()
        assert dates(data) == {EPOCH}, package.name
        assert raw_dates(data) == {(0, (0 << 9) | (1 << 5) | 1)}, package.name
        assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


def test_generation_is_reproducible_byte_for_byte(tmp_path):
    analysis = analysis_of("travaux-cite-administrative.yaml")
    first = generate(analysis, tmp_path / "a")
    second = generate(analysis, tmp_path / "b")
    names = sorted(p.name for p in first.folder.iterdir())
    assert names == sorted(p.name for p in second.folder.iterdir())
    for name in names:
        if name == "synthese.xlsx":  # openpyxl writes the creation time inside docProps/core.xml
            continue
        assert (first.folder / name).read_bytes() == (second.folder / name).read_bytes(), name
