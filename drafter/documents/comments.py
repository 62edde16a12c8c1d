"""``--revue``: native Word comments on each paragraph that carries a choice.

Templates place a review marker at the end of such paragraphs — ``{{ l.revue.heures }}``,
``{{ marche.revue.obligation }}``… (see :mod:`drafter.variables`). Without ``--revue`` the
markers are empty strings. With it, each renders as a short token ``⟦…⟧``; after
rendering, :func:`annotate` removes every token and anchors a comment (author « drafter »)
carrying the token's note on the whole paragraph, wherever it is (body or table cell).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from drafter.present.marks import MARKER_CLOSE, MARKER_OPEN

AUTHOR, INITIALS = "drafter", "DR"
TOKEN = re.compile(re.escape(MARKER_OPEN) + r"[0-9a-f]+:\d+" + re.escape(MARKER_CLOSE))


def annotator(notes: dict[str, str]) -> Callable[[DocxDocument], None] | None:
    """The ``annotate`` callback for :func:`drafter.documents.render.render_document` (``None``: no review)."""
    if not notes:
        return None

    def comment(doc: DocxDocument) -> None:
        annotate(doc, notes)

    return comment


def annotate(doc: DocxDocument, notes: dict[str, str]) -> int:
    """Replace the markers of ``doc`` by comments; return the number of comments added."""
    added = 0
    body = doc.element.body
    for p in list(body.iter(qn("w:p"))):
        texts = [t for t in p.iter(qn("w:t")) if t.text and MARKER_OPEN in t.text]
        if not texts:
            continue
        found: list[str] = []
        for t in texts:
            found += TOKEN.findall(t.text)
            t.text = TOKEN.sub("", t.text)
        paragraph = Paragraph(p, None)  # type: ignore[arg-type]  # detached: only its runs are read
        runs = [Run(r, paragraph) for r in p.findall(qn("w:r")) if "".join(x.text or "" for x in r.iter(qn("w:t")))]
        for token in dict.fromkeys(found):
            note = notes.get(token)
            if note is None or not runs:
                continue
            doc.add_comment(runs, text=note, author=AUTHOR, initials=INITIALS)
            added += 1
    return added
