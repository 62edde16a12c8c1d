"""The buyer's heading list, made to number one level deeper when our article needs it.

A buyer's CCAP often numbers its Heading 1 and 2 from one multi-level list (« ARTICLE 3 », « 3.1 »)
and leaves Heading 3 unnumbered, or has no level 2 in the list at all. Our « 9.1.1 » headings then
continue that list at ``ilvl`` 2: when the list has no numbered definition of that level, one is
added, modelled on the level above it (same number format, its text extended by one number —
« %1.%2 » → « %1.%2.%3 » —, its indent stepped as the buyer's levels step). A level the buyer
already uses (a paragraph or a style of theirs numbered at it) is never redefined, so the buyer's
own headings keep their numbers.
"""

from __future__ import annotations

import copy
import re

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

_PLACEHOLDER = re.compile(r"%(\d)")
_UNNUMBERED = ("none", "bullet")


def _abstract(numbering, num_id: str):
    """The abstractNum of a numbering instance, following a list style's ``numStyleLink``."""
    num = next((n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id), None)
    if num is None or num.find(qn("w:abstractNumId")) is None:
        return None
    abstracts = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}
    abstract = abstracts.get(num.find(qn("w:abstractNumId")).get(qn("w:val")))
    link = abstract.find(qn("w:numStyleLink")) if abstract is not None else None
    if link is not None:
        name = link.get(qn("w:val"))
        abstract = next((a for a in abstracts.values() if a.find(qn("w:styleLink")) is not None
                         and a.find(qn("w:styleLink")).get(qn("w:val")) == name), abstract)
    return abstract


def _level(abstract, ilvl: int):
    return next((lvl for lvl in abstract.findall(qn("w:lvl")) if lvl.get(qn("w:ilvl")) == str(ilvl)), None)


def _val(element, tag: str, default: str = "") -> str:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val"), default) if child is not None else default


def numbered(lvl, ilvl: int) -> bool:
    """Whether a level definition shows a number of its own (not a bullet, not blank)."""
    return lvl is not None and _val(lvl, "w:numFmt", "decimal") not in _UNNUMBERED \
        and f"%{ilvl + 1}" in _val(lvl, "w:lvlText")


def sub_level_text(above: str, ilvl: int) -> str:
    """The text of level ``ilvl`` from the level above's: its numbers extended by one, with the
    same separator (« %1.%2 » → « %1.%2.%3 », « %1-%2) » → « %1-%2-%3) »); a title word of the top
    level (« ARTICLE %1 - ») is not carried down (« %1.%2 »)."""
    marks = list(_PLACEHOLDER.finditer(above))
    new = f"%{ilvl + 1}"
    if len(marks) < 2:
        return ".".join(f"%{i + 1}" for i in range(ilvl + 1))
    separator = above[marks[-2].end():marks[-1].start()] or "."
    return above[:marks[-1].end()] + separator + new + above[marks[-1].end():]


def _twips(element, tag: str, *names: str) -> int | None:
    child = element.find(f"{qn('w:pPr')}/{qn(tag)}") if element is not None else None
    for name in names:
        if child is not None and child.get(qn(name)) is not None:
            try:
                return int(child.get(qn(name)))
            except ValueError:
                return None
    return None


def _step_indent(new, above, higher) -> None:
    """Indent and number tab of the new level: the level above's, moved on by the step between
    the two levels above it (no step when they share an indent, as outline headings often do)."""
    left, left_higher = _twips(above, "w:ind", "w:left", "w:start"), _twips(higher, "w:ind", "w:left", "w:start")
    step = left - left_higher if left is not None and left_higher is not None and left > left_higher else 0
    if not step:
        return
    ind = new.find(f"{qn('w:pPr')}/{qn('w:ind')}")
    for name in ("w:left", "w:start"):
        if ind is not None and ind.get(qn(name)) is not None:
            ind.set(qn(name), str(int(ind.get(qn(name))) + step))
    for tab in new.iterfind(f"{qn('w:pPr')}/{qn('w:tabs')}/{qn('w:tab')}"):
        if tab.get(qn("w:val")) == "num" and tab.get(qn("w:pos"), "").lstrip("-").isdigit():
            tab.set(qn("w:pos"), str(int(tab.get(qn("w:pos"))) + step))


def _new_level(abstract, ilvl: int):
    """A definition of level ``ilvl`` modelled on level ``ilvl - 1`` (and the step from ``ilvl - 2``)."""
    above = _level(abstract, ilvl - 1)
    new = copy.deepcopy(above)
    new.set(qn("w:ilvl"), str(ilvl))
    for tag in ("w:pStyle", "w:lvlRestart", "w:legacy"):   # not tied to a style of the buyer's
        for child in new.findall(qn(tag)):
            new.remove(child)
    start = new.find(qn("w:start"))
    if start is not None:
        start.set(qn("w:val"), "1")
    new.find(qn("w:lvlText")).set(qn("w:val"), sub_level_text(_val(above, "w:lvlText"), ilvl))
    _step_indent(new, above, _level(abstract, ilvl - 2))
    return new


def _used_levels(doc: DocxDocument, numbering, skip: list) -> set[tuple[str, int]]:
    """(abstractNumId, ilvl) the buyer numbers with: their paragraphs and styles (``skip``: ours)."""
    used = set()
    skipped = {p for block in skip for p in ([block] if block.tag == qn("w:p") else block.iter(qn("w:p")))}
    sources = [s.element for s in doc.styles if s.type == 1]
    sources += [p for p in doc.element.body.iter(qn("w:p")) if p not in skipped]
    for element in sources:
        num_pr = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        num_id = _val(num_pr, "w:numId")
        abstract = _abstract(numbering, num_id) if num_id else None
        if abstract is not None:
            used.add((abstract.get(qn("w:abstractNumId")), int(_val(num_pr, "w:ilvl", "0") or 0)))
    return used


def ensure_level(doc: DocxDocument, num_id: str, ilvl: int, skip: list) -> bool:
    """Whether the buyer's list ``num_id`` numbers level ``ilvl``, after adding that level's
    definition when it lacks one it can take (``skip``: our inserted blocks, not the buyer's)."""
    numbering = doc.part.numbering_part.element
    abstract = _abstract(numbering, num_id)
    if abstract is None or ilvl > 8:
        return False
    current = _level(abstract, ilvl)
    if numbered(current, ilvl):
        return True
    if ilvl == 0 or not ensure_level(doc, num_id, ilvl - 1, skip):
        return False
    if current is not None and (abstract.get(qn("w:abstractNumId")), ilvl) in _used_levels(doc, numbering, skip):
        return False   # the buyer deliberately leaves this level unnumbered and uses it
    new = _new_level(abstract, ilvl)
    if current is not None:
        current.addprevious(new)
        abstract.remove(current)
    else:
        _level(abstract, ilvl - 1).addnext(new)
    kind = abstract.find(qn("w:multiLevelType"))
    if kind is not None and kind.get(qn("w:val")) == "singleLevel":
        kind.set(qn("w:val"), "multilevel")
    return True
