"""Which documents a market gets (SPEC §5), from its context (pure).

Every file name starts with the market reference made safe (``2027-SGCD11-TRX-01_``), so the
pieces of two markets never collide in one mail or folder:

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

from drafter.domain.naming import safe_name
from drafter.present.context import Context

SEPARATOR = "_"   # between the market reference and the piece: « 2027-SGCD11-TRX-01_note-de-calcul.docx »


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


def file_prefix(reference: str) -> str:
    """The start of every file name of a market: its reference as a safe name, then ``_``."""
    return safe_name(reference) + SEPARATOR


def piece_name(file_name: str) -> str:
    """``2027-SGCD11-TRX-01_note-de-calcul.docx`` → ``note-de-calcul.docx`` (piece names hold no ``_``)."""
    return file_name.rsplit(SEPARATOR, 1)[-1]


def plan(ctx: Context) -> list[Planned]:
    """The documents of one market, named ``<référence>_<pièce>.docx``."""
    v = ctx.variables
    prefix = file_prefix(v["marche"]["reference"])
    return [Planned(d.type, d.template, prefix + d.fichier, d.lots, d.extra) for d in _pieces(ctx)]


def _pieces(ctx: Context) -> list[Planned]:
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
