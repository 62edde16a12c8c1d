"""A buyer's own CCAP, built in the tests: numbered headings of their own, a marker line."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn


def _number_headings(doc) -> None:
    """The buyer's Heading 1/2 numbered automatically: « ARTICLE 1 », « 1.1 »."""
    numbering = doc.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading{i + 1}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, text in enumerate(("ARTICLE %1 -", "%1.%2")))
    first = numbering.find(qn("w:num"))
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="50"><w:nsid w:val="0A0B0C0D"/>'
                         f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>')
    (first.addprevious(abstract) if first is not None else numbering.append(abstract))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="50"><w:abstractNumId w:val="50"/></w:num>'))
    for i in range(2):
        ppr = doc.styles[f"Heading {i + 1}"].element.get_or_add_pPr()
        ppr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{i}"/><w:numId w:val="50"/></w:numPr>'))


def buyer_ccap(path: Path, *, marker: bool = True, numbered: bool = True) -> Path:
    doc = Document()
    if numbered:
        _number_headings(doc)
    doc.add_paragraph("Cahier des clauses administratives particulières", style="Title")
    doc.add_heading("Objet du marché", 1)
    doc.add_paragraph("Le présent marché porte sur la réhabilitation de la cité administrative.")
    doc.add_heading("Prix et règlement", 1)
    doc.add_heading("Variation des prix", 2)
    doc.add_paragraph("Les prix sont révisables.")
    if marker:
        doc.add_paragraph("[clauses sociales]")
    doc.add_heading("Pénalités", 1)
    doc.add_paragraph("Les pénalités de retard sont fixées à 1/3000 du montant par jour.")
    doc.save(str(path))
    return path
