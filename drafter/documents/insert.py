"""``drafter inserer``: put a generated piece (CCAP or RC article) into the buyer's own Word file.

Where: at a marker paragraph (a line ``[clauses sociales]``, which the piece replaces), or
at the end of the section of a heading the buyer names (``apres``: before the next heading of
the same or a higher level). How: with docxcompose, so that styles, numbering and tables
carry over; our heading levels are then mapped to the buyer's heading styles (their fonts
and, when their headings are numbered automatically, their numbering; otherwise ours, which
already carries the buyer's article number). A level deeper than the buyer's template goes
(no « Heading 3 », or a list that numbers two levels) continues their look and their list
(« 3.1.1 »: :mod:`drafter.documents.heading_numbering`). Run again on its own output, it replaces what it
inserted the first time (the piece is bounded by two bookmarks), never duplicates it.

tech-notes §4: comment anchors are stripped before composing (docxcompose drops comments but
keeps their anchors, which LibreOffice refuses), and docxcompose's random numbering ids are
drawn from a seeded generator so that the same inputs give the same file.
"""

from __future__ import annotations

import copy
import io
import random
import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docxcompose.composer import Composer

from drafter.documents.heading_numbering import ensure_level
from drafter.errors import DrafterError

PIECES = {"ccap": "ccap-article-insertion.docx", "rc": "rc-article-insertion.docx"}
PIECE_FR = {"ccap": "l'article du CCAP", "rc": "l'article du RC"}
MARKER_TEXT = "clauses sociales"
_MARKER = re.compile(r"^\s*[\[{]+\s*clauses\s+sociales\s*[\]}]+\s*$", re.IGNORECASE)
_HEADING_NAME = re.compile(r"^heading (\d)$", re.IGNORECASE)
_COMMENT_TAGS = ("w:commentRangeStart", "w:commentRangeEnd", "w:commentReference")
_BOOKMARK_ID = 9000


class InsertError(DrafterError):
    """The buyer's document, the folder or the place to insert is not usable (exit 2)."""


@dataclass(frozen=True)
class Place:
    """Where the piece goes: body index, heading level of our « Article », blocks to replace."""

    index: int
    level: int
    replaced: int = 0


def bookmark(kind: str) -> str:
    return f"drafter_clauses_{kind}"


# --- reading the documents ---------------------------------------------------------------

def open_docx(path: Path, what: str) -> DocxDocument:
    if not path.is_file():
        raise InsertError(f"{what} « {path} » est introuvable.")
    try:
        return Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a file that is not a .docx
        raise InsertError(f"{what} « {path} » n'est pas un document Word .docx lisible ({type(exc).__name__}).") \
            from None


def piece_path(folder: Path, kind: str) -> Path:
    """The generated piece of ``kind`` in the market folder (``<référence>_ccap-article-insertion.docx``)."""
    if not folder.is_dir():
        raise InsertError(f"Le dossier « {folder} » est introuvable : donnez le dossier d'un marché écrit par "
                          "drafter generate (p. ex. output/2027-SGCD11-TRX-01).")
    found = sorted(folder.glob(f"*{PIECES[kind]}"))
    if not found:
        seen = ", ".join(sorted(p.name for p in folder.glob("*.docx"))) or "aucun document Word"
        raise InsertError(f"Le dossier « {folder} » ne contient pas {PIECE_FR[kind]} ({PIECES[kind]}) ; "
                          f"il contient : {seen}. Aucun dispositif social n'a peut-être été retenu.")
    return found[0]


def detect_kind(doc: DocxDocument) -> str | None:
    """``ccap`` or ``rc`` from the buyer's document title: the first of its opening paragraphs
    that names one or the other (a CCAP cites the RC further down, and « RC » may be an insurance)."""
    opening = [p.text.casefold().strip() for p in doc.paragraphs if p.text.strip()][:15]
    for text in opening:
        if "clauses administratives particulières" in text or re.match(r"ccap\b", text):
            return "ccap"
        if "règlement de la consultation" in text or re.match(r"rc\b", text):
            return "rc"
    return None


def heading_styles(doc: DocxDocument) -> dict[str, int]:
    """Style id → heading level (``Heading N`` by name, or an outline level), based-on chains followed."""
    levels: dict[str, int] = {}
    by_id = {s.style_id: s for s in doc.styles if s.type == 1}
    for style_id, style in by_id.items():
        seen: set[str] = set()
        current = style
        while current is not None and current.style_id not in seen:
            seen.add(current.style_id)
            match = _HEADING_NAME.match(current.name or "")
            outline = current.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
            if match or outline is not None:
                levels[style_id] = int(match.group(1)) if match else int(outline.get(qn("w:val"))) + 1
                break
            current = current.base_style
    return {k: v for k, v in levels.items() if 1 <= v <= 9}


def _style_id(paragraph) -> str:
    ppr = paragraph.pPr
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return style.get(qn("w:val")) if style is not None else ""


def headings(doc: DocxDocument) -> list[tuple[int, int, str]]:
    """(body index, level, text) of every heading of the buyer's document."""
    levels = heading_styles(doc)
    out = []
    for index, block in enumerate(doc.element.body):
        if block.tag == qn("w:p") and _style_id(block) in levels:
            text = "".join(t.text or "" for t in block.iter(qn("w:t"))).strip()
            if text:
                out.append((index, levels[_style_id(block)], text))
    return out


# --- where --------------------------------------------------------------------------------

def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip().casefold()


def _previous_range(doc: DocxDocument, kind: str) -> tuple[int, int] | None:
    """Body indexes (first, last) of what an earlier run inserted, from its bookmarks."""
    body = list(doc.element.body)
    name = bookmark(kind)
    start = next((s for s in doc.element.body.iter(qn("w:bookmarkStart")) if s.get(qn("w:name")) == name), None)
    if start is None:
        return None
    ident = start.get(qn("w:id"))
    end = next((e for e in doc.element.body.iter(qn("w:bookmarkEnd")) if e.get(qn("w:id")) == ident), start)

    def block_of(element) -> int:
        while element.getparent() is not doc.element.body:
            element = element.getparent()
        return body.index(element)

    return block_of(start), block_of(end)


def find_place(doc: DocxDocument, kind: str, after: str | None) -> Place:
    """An earlier insertion (replaced), else the heading named by ``after``, else the marker line."""
    found = headings(doc)
    top = min((level for _, level, _ in found), default=1)
    previous = _previous_range(doc, kind)
    if previous is not None:
        level = next((lv for i, lv, _ in found if i == previous[0]), top)
        return Place(previous[0], level, previous[1] - previous[0] + 1)
    body = list(doc.element.body)
    if after:
        wanted = _norm(after)
        match = next(((i, lv) for i, lv, text in found if wanted in _norm(text)), None)
        if match is None:
            raise InsertError(_not_found(f"aucun titre ne contient « {after} »", found))
        index, level = match
        end = next((i for i, lv, _ in found if i > index and lv <= level), None)
        if end is None:  # last section: before the final section properties
            end = len(body) - (1 if body and body[-1].tag == qn("w:sectPr") else 0)
        return Place(end, level)
    for index, block in enumerate(body):
        if block.tag == qn("w:p") and _MARKER.match("".join(t.text or "" for t in block.iter(qn("w:t")))):
            return Place(index, top, replaced=1)
    raise InsertError(_not_found(f"aucune ligne « [{MARKER_TEXT}] » n'indique où insérer", found))


def _not_found(what: str, found: list[tuple[int, int, str]]) -> str:
    listed = "\n".join(f"  {'  ' * (level - 1)}{text}" for _, level, text in found[:60])
    hint = (f"Ajoutez une ligne « [{MARKER_TEXT}] » à l'endroit voulu dans votre document, ou nommez un titre "
            "avec --apres « début du titre ».")
    return f"Document de l'acheteur : {what}. {hint}\nTitres trouvés :\n{listed or '  (aucun titre)'}"


# --- inserting ----------------------------------------------------------------------------

def _prepare_piece(piece: DocxDocument) -> None:
    """No comments, no title of its own, heading numbering written on each heading paragraph."""
    body = piece.element.body
    for tag in _COMMENT_TAGS:
        for element in list(body.iter(qn(tag))):
            parent = element.getparent()
            if tag == "w:commentReference" and parent.tag == qn("w:r"):
                parent.getparent().remove(parent)
            else:
                parent.remove(element)
    for block in list(body):
        if block.tag == qn("w:p") and _style_id(block) in ("Title", "Subtitle"):
            body.remove(block)
    levels = heading_styles(piece)
    styles = {s.style_id: s for s in piece.styles}
    for block in body.iter(qn("w:p")):
        sid = _style_id(block)
        if sid in levels and block.pPr.find(qn("w:numPr")) is None:
            num = styles[sid].element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num is not None:
                block.pPr.insert(1, copy.deepcopy(num))


def _mark(blocks: list, kind: str) -> None:
    """Bookmarks around the inserted blocks (first and last paragraphs)."""
    paragraphs = [b for b in blocks if b.tag == qn("w:p")]
    if not paragraphs:
        return
    name = bookmark(kind)
    start = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{_BOOKMARK_ID}" w:name="{name}"/>')
    end = parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{_BOOKMARK_ID}"/>')
    first, last = paragraphs[0], paragraphs[-1]
    ppr = first.find(qn("w:pPr"))
    (ppr.addnext(start) if ppr is not None else first.insert(0, start))
    last.append(end)


def _map_headings(doc: DocxDocument, blocks: list, piece_levels: dict[str, int], base: int) -> None:
    """Our heading level k becomes the buyer's heading style of level ``base + k - 1``. When the
    buyer numbers their article headings, their numbering replaces ours at every level: a level
    their styles do not number continues their article list one level deeper (« 9.1.1 »), that
    level being added to their list when it lacks it (``heading_numbering``)."""
    styles = {s.style_id: s for s in doc.styles}
    theirs: dict[int, str] = {}
    for style_id, level in sorted(heading_styles(doc).items(), key=lambda kv: kv[0]):
        if _HEADING_NAME.match(styles[style_id].name or ""):   # the built-in « Heading N » first
            theirs[level] = style_id
        theirs.setdefault(level, style_id)
    article_num = _style_num(styles.get(theirs.get(base, "")))
    for block in blocks:
        for paragraph in ([block] if block.tag == qn("w:p") else []):
            ours = piece_levels.get(_style_id(paragraph))
            target = theirs.get(base + ours - 1) if ours is not None else None
            if ours is None or target is None:
                continue
            paragraph.pPr.find(qn("w:pStyle")).set(qn("w:val"), target)
            if article_num is None and _style_num(styles.get(target)) is None:
                continue   # the buyer numbers nothing here: ours (their article number) stays
            num = paragraph.pPr.find(qn("w:numPr"))
            if num is not None:
                paragraph.pPr.remove(num)
            ilvl = base + ours - 2
            if _style_num(styles.get(target)) is None and article_num is not None \
                    and ensure_level(doc, article_num, ilvl, blocks):
                num = paragraph.pPr.get_or_add_numPr()   # in its place among the paragraph properties
                num.get_or_add_ilvl().val = ilvl
                num.get_or_add_numId().val = int(article_num)


def _style_num(style) -> str | None:
    """The numbering instance a style (or a style it is based on) gives its paragraphs (numId 0: none)."""
    while style is not None:
        num = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num is not None:
            return num.get(qn("w:val")) if num.get(qn("w:val")) != "0" else None
        style = style.base_style
    return None


def _add_missing_headings(doc: DocxDocument, piece_levels: dict[str, int], base: int) -> None:
    """A heading style of the buyer's look for each of our levels their template lacks (« Heading 3 »
    in a template that stops at 2): based on their level above, unnumbered (numId 0, so that their
    list is not inherited from it), so that docxcompose uses it instead of copying ours."""
    theirs = {level: sid for sid, level in sorted(heading_styles(doc).items(), reverse=True)}
    present = {s.style_id for s in doc.styles}
    for style_id, ours in sorted(piece_levels.items(), key=lambda kv: kv[1]):
        level = base + ours - 1
        if level in theirs or level - 1 not in theirs or style_id in present or not 2 <= level <= 9:
            continue
        doc.styles.element.append(parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{style_id}"><w:name w:val="heading {level}"/>'
            f'<w:basedOn w:val="{theirs[level - 1]}"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/>'
            f'<w:unhideWhenUsed/><w:qFormat/><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
            f'<w:outlineLvl w:val="{level - 1}"/></w:pPr></w:style>'))
        theirs[level] = style_id
        present.add(style_id)


def insert(buyer: Path, folder: Path, *, kind: str | None = None, after: str | None = None) -> tuple[bytes, str]:
    """The buyer's document with the piece inserted, as .docx bytes, and the piece kind used."""
    doc = open_docx(buyer, "Le document")
    kind = kind or detect_kind(doc)
    if kind is None:
        raise InsertError(f"« {buyer.name} » : impossible de savoir s'il s'agit d'un CCAP ou d'un RC ; "
                          "précisez --piece ccap ou --piece rc.")
    piece = open_docx(piece_path(folder, kind), "La pièce")
    place = find_place(doc, kind, after)
    piece_levels = heading_styles(piece)
    piece_by_name = {s.style_id: s.name for s in piece.styles}
    _prepare_piece(piece)
    _add_missing_headings(doc, piece_levels, place.level)
    body = doc.element.body
    for _ in range(place.replaced):
        body.remove(body[place.index])
    count = sum(1 for b in piece.element.body if b.tag != qn("w:sectPr"))
    state = random.getstate()
    random.seed(f"{buyer.name}:{kind}")
    try:
        Composer(doc).insert(place.index, piece)
    finally:
        random.setstate(state)
    blocks = list(body)[place.index:place.index + count]
    name_levels = {name: piece_levels[sid] for sid, name in piece_by_name.items() if sid in piece_levels}
    mapped = {s.style_id: name_levels[s.name] for s in doc.styles if s.name in name_levels}
    _map_headings(doc, blocks, {**piece_levels, **mapped}, place.level)
    _mark(blocks, kind)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue(), kind


def default_output(buyer: Path) -> Path:
    """``MON-CCAP.docx`` → ``MON-CCAP-clauses-sociales.docx`` beside it (never the same file)."""
    stem = buyer.stem if not buyer.stem.endswith("-clauses-sociales") else buyer.stem[: -len("-clauses-sociales")]
    return buyer.with_name(f"{stem}-clauses-sociales.docx")
