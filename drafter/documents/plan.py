"""Which documents a market gets (SPEC §5), from its context (pure).

- ``note-de-calcul.docx``: always;
- ``ccap-article-insertion.docx``, ``rc-article-insertion.docx``: when a lot has a social mechanism;
- ``engagement-insertion.docx`` (single lot) or ``engagement-insertion-lot-N.docx``: one per lot
  with a social mechanism;
- ``convention-facilitateur-<structure>.docx``: one per facilitator structure, for its lots whose
  mechanism a facilitator follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drafter.present.context import Context


@dataclass(frozen=True)
class Planned:
    """One document to render: manifest type, template, file name, lots covered, own variables."""

    type: str
    template: str
    fichier: str
    lots: tuple[int, ...]
    extra: dict[str, Any] = field(default_factory=dict)


def _numbers(lots: list[dict[str, Any]]) -> tuple[int, ...]:
    return tuple(int(lot["numero"]) for lot in lots)


def plan(ctx: Context) -> list[Planned]:
    v = ctx.variables
    out = [Planned("note_de_calcul", "note-de-calcul", "note-de-calcul.docx", _numbers(v["lots"]))]
    with_clause = v["lots_avec_clause"]
    if not with_clause:
        return out
    covered = _numbers(with_clause)
    out.append(Planned("ccap", "ccap-article-insertion", "ccap-article-insertion.docx", covered))
    out.append(Planned("rc", "rc-article-insertion", "rc-article-insertion.docx", covered))
    single = v["marche"]["lot_unique"]
    for lot in with_clause:
        name = "engagement-insertion.docx" if single else f"engagement-insertion-lot-{lot['numero']}.docx"
        out.append(Planned("engagement", "engagement-insertion", name, (int(lot["numero"]),), {"lot": lot}))
    for convention in ctx.conventions:
        out.append(Planned("convention_facilitateur", "convention-facilitateur",
                           f"convention-facilitateur-{convention['fichier']}.docx",
                           _numbers(convention["lots"]), {"convention": convention}))
    return out
