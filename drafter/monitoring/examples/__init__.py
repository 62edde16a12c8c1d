"""Example monthly statements of the README's walk-through (``python -m drafter.monitoring.examples``).

Two months of the works market 2027-SGCD11-TRX-01 (lots 1 to 3), as a contractor would fill
the model workbook; rebuilt from the rows below, so the .xlsx files never drift from them.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
TRX = "2027-SGCD11-TRX-01"
JUNE = [
    [TRX, 1, "P-01", "Femme", "Moins de 26 ans", "Oui", "jeune;qpv", "Sans diplôme (infra niveau 3)", "Mission locale",
     "Embauche directe", "CDD", "01/06/2027", "30/11/2027", "11111111100011", "2027-06", 140, 10],
    [TRX, 2, "P-02", "Homme", "26 à 49 ans", "Non", "dld", "Niveau 3 (CAP, BEP)", "France Travail",
     "Mise à disposition (ETTI, AI, GEIQ, EATT)", "Travail temporaire", "07/06/2027", None, "55555555500055",
     "2027-06", 120, 0],
    [TRX, 2, "P-03", "Homme", "50 ans et plus", "Non", "senior;minima", "Sans diplôme (infra niveau 3)", "PLIE",
     "Embauche directe", "CDI", "14/06/2027", None, "22222222200022", "2027-06", 100, None],
    [TRX, 3, "P-04", "Femme", "26 à 49 ans", "Oui", "iae", "Niveau 4 (baccalauréat)", "Structure d'insertion (SIAE)",
     "Sous-traitance ou cotraitance (SIAE, EA, ESAT)", "CDDI", "01/06/2027", "31/12/2027", "33333333300033",
     "2027-06", 80, 20],
]


def july() -> list[list]:
    rows = [list(r) for r in JUNE]
    for row, (worked, training) in zip(rows, [(151.67, 0), (150, 0), (151.67, 0), (100, 0)], strict=True):
        row[14], row[15], row[16] = "2027-07", worked, training
    return rows


def fill(target: Path, rows: list[list]) -> Path:
    """The model workbook with ``rows`` typed in (values only, as a contractor would)."""
    from openpyxl import load_workbook

    from ..workbook import build_model, put

    build_model(target, [], rows=20)
    wb = load_workbook(target)
    ws = wb["Déclarations"]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if value is not None:
                put(ws, r, c, value)
    wb.save(target)
    return target


def build() -> list[Path]:
    return [fill(HERE / "declaration-2027-06.xlsx", JUNE), fill(HERE / "declaration-2027-07.xlsx", july())]
