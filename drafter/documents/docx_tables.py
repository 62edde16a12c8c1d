"""Table grids of rendered documents, as docxtpl's ``fix_tables`` leaves them (for :mod:`fastrender`).

docxtpl parses every rendered body and widens or narrows a table's grid when ``{%tc %}`` tags
changed the number of cells of its rows. :func:`tables_may_change` tells once per template
whether that can happen at all; :func:`fix_tables` does docxtpl's work per document, with its
per-row Python loops replaced by two XPath checks per table.
"""

from __future__ import annotations

import re
from typing import Any

from docxtpl import DocxTemplate
from lxml import etree

# docxtpl's helpers are pure functions of their argument; one instance lends them.
_DOCXTPL = DocxTemplate(None)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = W
_TABLE_CHECKS = {
    "columns": etree.XPath("count(w:tblGrid/w:gridCol)", namespaces={"w": _W}),
    # docxtpl adds grid columns when some row has more cells than the grid...
    "wider_row": etree.XPath(".//w:tr[count(w:tc) > $n]", namespaces={"w": _W}, smart_strings=False),
    # ...and removes some when no row spans the whole grid.
    "full_row": etree.XPath(".//w:tr[count(w:tc[not(w:tcPr[1]/w:gridSpan)]) + sum(w:tc/w:tcPr[1]/w:gridSpan[1]/@w:val)"
                            " >= $n]", namespaces={"w": _W}, smart_strings=False),
}
RECOVER = etree.XMLParser(recover=True)
_ROW_TAG = re.compile(r"(?:\{%|\{\{)-?\s*(tr|tc)\s+(\w+)")


def tables_may_change(body: Any) -> bool:
    """Whether rendering can leave a table whose grid docxtpl's ``fix_tables`` would adjust.

    It cannot when the template has no ``{%tc %}`` tag (only those change the number of cells
    of a row), no table inside a table, and every table has the same span in every row and
    at least one such row outside any ``{%tr %}`` loop or condition (always rendered, so a full
    row is always there). Decided once per template; otherwise each document is checked.
    """
    row, cell, grid, span = (f"{{{_W}}}{name}" for name in ("tr", "tc", "gridCol", "gridSpan"))
    for table in body.iter(f"{{{_W}}}tbl"):
        if next(table.iterancestors(f"{{{_W}}}tbl"), None) is not None:
            return True
        columns = len(table.findall(f"{{{_W}}}tblGrid/{grid}"))
        depth, static = 0, False
        for line in table.iter(row):
            tags = _ROW_TAG.findall("".join(line.itertext()))
            if any(kind == "tc" for kind, _ in tags):
                return True
            width = sum(int(c.find(f"{{{_W}}}tcPr/{span}").get(f"{{{_W}}}val"))
                        if c.find(f"{{{_W}}}tcPr/{span}") is not None else 1 for c in line.findall(cell))
            if width != columns:
                return True
            for _kind, word in tags:
                depth += word in ("for", "if") or -(word in ("endfor", "endif"))
            static = static or (not tags and depth == 0)
        if not static:
            return True
    return False


def fix_tables(xml: str) -> Any:
    """docxtpl's ``fix_tables`` (parse with recovery, adjust table grids), with its per-row Python
    loops replaced by two XPath checks per table; when a grid does need fixing, docxtpl's own
    function does it."""
    tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
    if tree is None or tree.nsmap.get("w") != _W:
        return _DOCXTPL.fix_tables(xml)
    for table in tree.iter(f"{{{_W}}}tbl"):
        columns = _TABLE_CHECKS["columns"](table)
        if _TABLE_CHECKS["wider_row"](table, n=columns) or not _TABLE_CHECKS["full_row"](table, n=columns):
            return _DOCXTPL.fix_tables(xml)
    return tree
