"""A .docx as normalised plain text, in document order (golden tests, quick reading).

Paragraphs become lines, tables become ``| a | b |`` rows (paragraphs of a cell joined by
`` // ``, a cell merged with the one above shown as ``↑``), automatic numbering is written out
(``Article 3 – …``, ``3.2 …``, ``– item``), no-break spaces become spaces (unless ``exact``: golden
texts keep U+00A0 and U+202F, so that a test can see a breakable space where French typography
forbids one), trailing spaces and repeated blank lines are dropped.
Footers follow the body, prefixed with ``[pied de page]``.
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u200b": ""}


def _norm(text: str) -> str:
    for char, repl in _SPACES.items():
        text = text.replace(char, repl)
    return text


def _roman(value: int) -> str:
    out = ""
    for number, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while value >= number:
            out += letters
            value -= number
    return out


class Numbering:
    """Replays Word's automatic numbering (decimal, letters, roman, bullets) in document order."""

    def __init__(self, doc: DocxDocument):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        self.styles = {s.get(qn("w:styleId")): s for s in doc.styles.element.findall(qn("w:style"))}
        try:
            numbering = doc.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        abstracts = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}
        for num in numbering.findall(qn("w:num")):
            abstract = abstracts.get(num.find(qn("w:abstractNumId")).get(qn("w:val")))
            if abstract is None:
                continue
            overrides = {
                int(o.get(qn("w:ilvl"))): int(o.find(qn("w:startOverride")).get(qn("w:val")))
                for o in num.findall(qn("w:lvlOverride"))
                if o.find(qn("w:startOverride")) is not None
            }
            for lvl in abstract.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                ilvl = int(lvl.get(qn("w:ilvl")))
                self.levels[(num.get(qn("w:numId")), ilvl)] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    overrides.get(ilvl, int(start.get(qn("w:val"))) if start is not None else 1),
                )

    def _num_pr(self, paragraph: Paragraph) -> tuple[str, int] | None:
        ppr = paragraph._p.pPr
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        style_id = (
            ppr.find(qn("w:pStyle")).get(qn("w:val"))
            if ppr is not None and ppr.find(qn("w:pStyle")) is not None
            else "Normal"
        )
        seen: set[str] = set()
        while num_pr is None and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            sppr = style.find(qn("w:pPr"))
            num_pr = sppr.find(qn("w:numPr")) if sppr is not None else None
            based = style.find(qn("w:basedOn"))
            if num_pr is None:
                if based is None:
                    return None
                style_id = based.get(qn("w:val"))
        if num_pr is None or num_pr.find(qn("w:numId")) is None:
            return None
        ilvl = num_pr.find(qn("w:ilvl"))
        return num_pr.find(qn("w:numId")).get(qn("w:val")), int(ilvl.get(qn("w:val"))) if ilvl is not None else 0

    def prefix(self, paragraph: Paragraph) -> str:
        found = self._num_pr(paragraph)
        if found is None or found not in self.levels:
            return ""
        num_id, ilvl = found
        fmt, text, _ = self.levels[found]
        if fmt == "bullet":
            return (
                text if text.strip() and text.isprintable() and len(text) == 1 and ord(text) < 0xF000 else "•"
            ) + " "
        counters = self.counters.setdefault(num_id, [0] * 9)
        start = self.levels[found][2]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0

        def value(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            level_fmt = self.levels.get((num_id, level), ("decimal", "", 1))[0]
            n = counters[level] or self.levels.get((num_id, level), ("", "", 1))[2]
            if level_fmt == "lowerLetter":
                return chr(ord("a") + n - 1)
            if level_fmt == "upperLetter":
                return chr(ord("A") + n - 1)
            if level_fmt in ("lowerRoman", "upperRoman"):
                return _roman(n) if level_fmt == "lowerRoman" else _roman(n).upper()
            return str(n)

        return re.sub(r"%(\d)", value, text) + " "


def _paragraph_text(paragraph: Paragraph, exact: bool = False) -> str:
    return paragraph.text if exact else _norm(paragraph.text)


MERGED = "↑"  # a cell merged with the one above (vertical merge)


def _table_lines(table: Table, exact: bool = False) -> list[str]:
    lines = []
    for row in table.rows:
        cells = []
        for tc in row._tr.tc_lst:
            merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            if merge is not None and merge.get(qn("w:val"), "continue") == "continue":
                cells.append(MERGED)
                continue
            cell = _Cell(tc, table)
            cells.append(" // ".join(t for t in (_paragraph_text(p, exact).strip() for p in cell.paragraphs) if t))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def document_text(doc: DocxDocument, exact: bool = False) -> str:
    """The text of an open python-docx document (see the module docstring)."""
    numbering = Numbering(doc)
    lines: list[str] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(numbering.prefix(block) + _paragraph_text(block, exact))
        else:
            lines.extend(_table_lines(block, exact))
    for section in doc.sections:
        for paragraph in section.footer.paragraphs:
            if paragraph.text.strip():
                lines.append("[pied de page] " + _paragraph_text(paragraph, exact))
    out: list[str] = []
    for line in (ln.rstrip() for ln in "\n".join(lines).split("\n")):
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"


def docx_text(path: str | Path, exact: bool = False) -> str:
    """The text of a .docx file (``exact``: no-break spaces kept)."""
    return document_text(Document(str(path)), exact)
