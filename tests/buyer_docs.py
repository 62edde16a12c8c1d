"""A buyer's own CCAP, built in the tests: numbered headings of their own, a marker line."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn


def _number_headings(doc, third: str) -> None:
    """The buyer's Heading 1/2 numbered automatically: « ARTICLE 1 », « 1.1 », indented by 284 twips
    a level. Their list's level 2: ``absent``, or ``blank`` (defined with no number)."""
    numbering = doc.part.numbering_part.element
    texts = ("ARTICLE %1 -", "%1.%2") + (("",) if third == "blank" else ())
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{"none" if i == 2 else "decimal"}"/>'
        f'<w:pStyle w:val="Heading{i + 1}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{i * 284 + 567}"/></w:tabs>'
        f'<w:ind w:left="{i * 284 + 567}" w:hanging="567"/></w:pPr></w:lvl>'
        for i, text in enumerate(texts))
    first = numbering.find(qn("w:num"))
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="50"><w:nsid w:val="0A0B0C0D"/>'
                         f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>')
    (first.addprevious(abstract) if first is not None else numbering.append(abstract))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="50"><w:abstractNumId w:val="50"/></w:num>'))
    for i in range(2):
        ppr = doc.styles[f"Heading {i + 1}"].element.get_or_add_pPr()
        ppr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{i}"/><w:numId w:val="50"/></w:numPr>'))


def _drop_heading3(doc) -> None:
    """A buyer's template with no « Heading 3 » style at all."""
    style = doc.styles["Heading 3"].element
    style.getparent().remove(style)


def buyer_ccap(path: Path, *, marker: bool = True, numbered: bool = True, third: str = "absent",
               heading3: bool = True, own_third: bool = False) -> Path:
    """``third``: the buyer's list at level 2 (see ``_number_headings``); ``heading3``: whether their
    template has a Heading 3 style; ``own_third``: a Heading 3 of their own (unnumbered) in Article 1."""
    doc = Document()
    if numbered:
        _number_headings(doc, third)
    if not heading3:
        _drop_heading3(doc)
    doc.add_paragraph("Cahier des clauses administratives particulières", style="Title")
    doc.add_heading("Objet du marché", 1)
    doc.add_paragraph("Le présent marché porte sur la réhabilitation de la cité administrative.")
    if own_third:
        doc.add_heading("Précisions sur l'objet", 3)
        doc.add_paragraph("Le marché est passé en lots séparés.")
    doc.add_heading("Prix et règlement", 1)
    doc.add_heading("Variation des prix", 2)
    doc.add_paragraph("Les prix sont révisables.")
    if marker:
        doc.add_paragraph("[clauses sociales]")
    doc.add_heading("Pénalités", 1)
    doc.add_paragraph("Les pénalités de retard sont fixées à 1/3000 du montant par jour.")
    doc.save(str(path))
    return path
