"""Build the bundled Word templates (``drafter/templates/*.docx``) from their wording.

The wording of each template lives in ``clause_templates/sources/<name>.txt``, a small
line-based markup a lawyer can read in a diff; this script turns it into a real Word
document: built-in heading styles with automatic article numbering, bulleted lists,
``Table Grid`` tables with repeated header rows, a footer with the page number, French
as the proofing language, and only the styles the document uses (tech-notes §2: slim
templates render faster). Saved with fixed dates, so the same wording gives the same bytes.

Markup, one paragraph per line::

    @numbering article|decimal|none   heading numbers: « Article 1 – », « 1.1 » / « 1. », « 1.1 »
    @numbering piece {{ VAR }}        an insertable piece: every heading carries the Word numbering
                                      instance VAR (1000 + N starts at « Article N – », 0 = unnumbered)
    @article TEXT                     the piece's one article (Heading 1); then « # » is Heading 2…
    @title TEXT / @subtitle TEXT      document title and subtitle
    @footer TEXT                      footer text (the page number is appended)
    # / ## / ### TEXT                 Heading 1 / 2 / 3 (numbered per @numbering)
    - TEXT                            bulleted item
    [] TEXT                           check box line (☐)
    > TEXT                            italic note
    @widths 3,5,4                     relative column widths of the next table
    @right 2,3                        right-aligned columns (figures) of the next table
    |# a | b |                        table header row (bold, shaded, repeated on each page)
                                      (« \\| » inside a cell is a literal « | », for Jinja filters)
    | a | b |                         table row; « <br> » separates paragraphs in a cell
    @pagebreak                        page break
    anything else                     body paragraph (``{%p … %}`` lines included)

``**bold**`` marks bold text. Jinja tags must not be split by ``**``. Table rows never split
across pages, a header row stays with the next row, and a small space follows every table.
« 1er » (``1re``, ``1ers``, ``1res``) of the wording gets a superscript run. Value tags stay
plain ``{{ x }}``: the sandbox environment gives an ordinal of one in a value its superscript
when it compiles the template (:mod:`drafter.documents.superscript`).

Usage: ``python tools/build_templates.py [--check]`` (``--check`` fails if a committed
template differs from its source).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # template_styles, beside this script
from template_styles import setup_numbering, setup_styles  # noqa: E402

from drafter.present.typography import ORDINAL, french  # noqa: E402

SOURCES = ROOT / "clause_templates" / "sources"
TARGET = ROOT / "drafter" / "documents" / "templates"
FIXED_DATE = dt.datetime(2026, 11, 25, 0, 0, 0)
TEXT_WIDTH_CM = 17.0


# --- body -----------------------------------------------------------------------------

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def french_static(text: str) -> str:
    """French typography on the fixed wording of a line, Jinja tags left as they are."""
    tags: list[str] = []

    def hide(match: re.Match) -> str:
        tags.append(match.group(0))
        return f"\ue000{len(tags) - 1}\ue001"

    fixed = french(_TAG.sub(hide, text))
    return re.sub("\ue000(\\d+)\ue001", lambda m: tags[int(m.group(1))], fixed)


def add_runs(paragraph, text: str) -> None:
    """Runs of ``text``: ``**bold**``, French typography, « 1er » with a superscript « er »."""
    text = text if text.lstrip().startswith("{%") else french_static(text)
    for index, chunk in enumerate(text.split("**")):
        bold = bool(index % 2) or None
        pieces = ORDINAL.split(chunk)  # text, « 1 », suffix, text…
        for number, piece in enumerate(pieces):
            if number % 3 == 2:
                sup = paragraph.add_run(piece)
                sup.bold = bold
                sup.font.superscript = True
            elif piece:
                paragraph.add_run(piece).bold = bold


def add_paragraph(doc_or_cell, text: str, style: str | None = None):
    paragraph = doc_or_cell.add_paragraph(style=style)
    add_runs(paragraph, text)
    return paragraph


def split_row(line: str) -> list[str]:
    """Cells of a table line; ``\\|`` is a literal ``|`` (a Jinja filter: ``{{ x\\|capitalize }}``)."""
    cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
    return [cell.strip().replace("\\|", "|") for cell in cells]


def add_table(
    doc, rows: list[tuple[bool, list[str]]], widths: list[float] | None, right: set[int] | None = None
) -> None:
    """A ``Table Grid`` table; rows never split across pages, the header stays with the next row,
    ``right`` columns (1-based) right-aligned, a small space after the table."""
    columns = max(len(cells) for _, cells in rows)
    table = doc.add_table(rows=0, cols=columns)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    weights = widths or [1.0] * columns
    sizes = [Cm(TEXT_WIDTH_CM * w / sum(weights)) for w in weights]
    for header, cells in rows:
        row = table.add_row()
        trpr = row._tr.get_or_add_trPr()
        trpr.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        if header:
            trpr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
        for index, cell in enumerate(row.cells):
            cell.width = sizes[index]
            text = cells[index] if index < len(cells) else ""
            parts = text.split("<br>")
            align = (
                WD_ALIGN_PARAGRAPH.RIGHT
                if not header and index + 1 in (right or set()) and not text.startswith("{%")
                else WD_ALIGN_PARAGRAPH.LEFT
            )
            first = cell.paragraphs[0]
            first.alignment = align
            add_runs(first, parts[0])
            for part in parts[1:]:
                add_paragraph(cell, part).alignment = align
            if header:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
            if header:
                for run in (r for p in cell.paragraphs for r in p.runs):
                    run.bold = True
                tcpr = cell._tc.get_or_add_tcPr()
                tcpr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="D9E2F3"/>'))
    for index, column in enumerate(table.columns):
        column.width = sizes[index]
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = Pt(8)


def add_footer(doc, text: str) -> None:
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(french_static(text) + " — page\u00a0")
    run.font.size = Pt(8)
    field = parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:rPr><w:sz w:val="16"/></w:rPr>'
        "<w:t>1</w:t></w:r></w:fldSimple>"
    )
    paragraph._p.append(field)


def build(source: Path) -> bytes:
    """The .docx bytes of one template source."""
    lines = source.read_text(encoding="utf-8").splitlines()
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    setup_styles(doc)
    scheme, piece_num = "none", None
    for line in lines:
        if line.startswith("@numbering "):
            scheme = line.split()[1]
            piece_num = line.split(None, 2)[2] if scheme == "piece" else None
    setup_numbering(doc, scheme)
    table_rows: list[tuple[bool, list[str]]] = []
    widths: list[float] | None = None
    right: set[int] = set()
    shift = 0

    def flush() -> None:
        nonlocal table_rows, widths, right
        if table_rows:
            add_table(doc, table_rows, widths, right)
        table_rows, widths, right = [], None, set()

    def heading(text: str, level: int) -> None:
        level = min(level + shift, 3)
        paragraph = add_paragraph(doc, text, f"Heading {level}")
        if piece_num is not None:
            paragraph._p.get_or_add_pPr().insert(
                1,
                parse_xml(
                    f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level - 1}"/><w:numId w:val="{piece_num}"/></w:numPr>'
                ),
            )

    for raw in lines:
        line = raw.rstrip()
        if line.startswith("|"):
            header = line.startswith("|#")
            table_rows.append((header, split_row(line[2:] if header else line)))
            continue
        flush()
        if not line.strip() or line.startswith("@numbering ") or line.startswith("//"):
            continue
        if line.startswith("@widths "):
            widths = [float(w) for w in line.split()[1].split(",")]
        elif line.startswith("@right "):
            right = {int(c) for c in line.split()[1].split(",")}
        elif line.startswith("@article "):
            heading(line[9:], 1)
            shift = 1
        elif line.startswith("@title "):
            add_paragraph(doc, line[7:], "Title")
        elif line.startswith("@subtitle "):
            add_paragraph(doc, line[10:], "Subtitle")
        elif line.startswith("@footer "):
            add_footer(doc, line[8:])
        elif line == "@pagebreak":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif line.startswith("### "):
            heading(line[4:], 3)
        elif line.startswith("## "):
            heading(line[3:], 2)
        elif line.startswith("# "):
            heading(line[2:], 1)
        elif line.startswith("- "):
            add_paragraph(doc, line[2:], "List Bullet")
        elif line.startswith("[] "):
            paragraph = add_paragraph(doc, "☐ " + line[3:])
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        elif line.startswith("> "):
            paragraph = add_paragraph(doc, line[2:])
            for run in paragraph.runs:
                run.italic = True
        else:
            add_paragraph(doc, line)
    flush()
    first = doc.paragraphs[0]
    if not first.text:  # python-docx's template starts with an empty paragraph: none here
        first._p.getparent().remove(first._p)
    slim(doc)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = source.stem, "drafter", "drafter"
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    props.comments = ""
    return reproducible_zip(doc)


# --- slimming and saving ----------------------------------------------------------------


def slim(doc) -> None:
    """Keep only reachable styles; drop latent styles, stylesWithEffects, thumbnail, customXml."""
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    parts = [doc.element, doc.part.numbering_part.element]
    parts += [s.footer._element for s in doc.sections]
    used: set[str] = set()
    for element in parts:
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            used.update(e.get(qn("w:val")) for e in element.iter(qn(tag)))
    used.update(sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1")
    pending = list(used)
    while pending:
        style = by_id.get(pending.pop())
        if style is None:
            continue
        for tag in ("w:basedOn", "w:next", "w:link"):
            ref = style.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in used:
                used.add(ref.get(qn("w:val")))
                pending.append(ref.get(qn("w:val")))
    for sid, style in by_id.items():
        if sid not in used:
            styles.remove(style)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            doc.part.drop_rel(rel_id)
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[rel_id]


def reproducible_zip(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":  # forget the dropped parts' overrides
                data = re.sub(
                    rb'<Override PartName="/(?:customXml|docProps/thumbnail|word/stylesWithEffects)[^>]*/>', b"", data
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    return out.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a committed template is out of date")
    args = parser.parse_args(argv)
    TARGET.mkdir(parents=True, exist_ok=True)
    stale = []
    for source in sorted(SOURCES.glob("*.txt")):
        target = TARGET / f"{source.stem}.docx"
        data = build(source)
        if args.check:
            if not target.exists() or parts(target.read_bytes()) != parts(data):
                stale.append(target.name)
            continue
        target.write_bytes(data)
        print(f"{target.relative_to(ROOT)} ({len(data) // 1024} Kio)")
    if stale:
        print("Modèles à régénérer (python tools/build_templates.py) : " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
