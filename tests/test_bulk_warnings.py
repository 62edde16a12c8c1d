"""``drafter bulk`` shows, under each market written, what ``check`` would say of its input: the
warnings located at their row and column (spreadsheet) or line and field (profile), also when the
market was written by another process; the summary's « Avertissements » column has them per lot."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from drafter.cli.main import cli

from .conftest import EXAMPLES
from .sheet_helpers import lot, write_xlsx

NATURE = ("Secteur « restauration_collective » (Restauration collective) habituellement rattaché aux services, "
          "pour un marché de travaux : vérifiez le secteur ou la part de main-d'œuvre.")
STAFF = ("Nettoyage : aucun volume de personnel repris n'est indiqué. Dans la propreté, la reprise du personnel est "
         "la règle (convention collective nationale des entreprises de propreté, annexe 7) : indiquez "
         "« heures_mensuelles_personnel_repris » (0 s'il n'y en a pas), sans quoi le volume d'heures d'insertion "
         "peut être surévalué.")


def test_each_market_shows_its_input_warnings(runner: CliRunner, tmp_path: Path) -> None:
    sheet = write_xlsx(tmp_path / "lots.xlsx", [
        dict(lot(1, "Peinture", 480000, "peinture_revetements_muraux"), Nature="travaux"),
        dict(lot(2, "Cantine du chantier", 250000, "restauration_collective"), Nature="travaux")])
    mapa, cleaning = EXAMPLES / "mapa-petits-travaux.yaml", EXAMPLES / "nettoyage-accord-cadre-occitanie.yaml"
    out = tmp_path / "sortie"
    result = runner.invoke(cli, ["bulk", str(sheet), str(mapa), str(cleaning), "-o", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:-1] == [
        f"{sheet} (marché « 2027-TEST-01 ») → {out / '2027-TEST-01'}/ (7 pièce(s))",
        f"  attention : {sheet}:ligne 3, colonne « Secteur » — {NATURE}",
        f"{mapa} → {out / '2027-DDETS46-PEINT'}/ (1 pièce(s))",   # nothing to say: no line
        f"{cleaning} → {out / '2027-PFRA-NET-03'}/ (11 pièce(s))",
        f"  attention : {cleaning}:34:5 — lots[1].heures_mensuelles_personnel_repris : {STAFF}",
        f"  attention : {cleaning}:40:5 — lots[2].heures_mensuelles_personnel_repris : {STAFF}",
        f"  attention : {cleaning}:66:5 — lots[4].heures_mensuelles_personnel_repris : {STAFF}",
    ]
    book = openpyxl.load_workbook(out / "synthese.xlsx")["Synthèse"]
    header = [c.value for c in book[1]]
    warnings = {(r[0], r[2]): r[header.index("Avertissements")] for r in book.iter_rows(min_row=2, values_only=True)}
    assert warnings[("2027-TEST-01", 1)] is None and warnings[("2027-TEST-01", 2)] == NATURE
    assert [warnings[("2027-PFRA-NET-03", n)] for n in (1, 2, 3, 4)] == [STAFF, STAFF, None, STAFF]
    # the same lines in one process
    serial = runner.invoke(cli, ["bulk", str(sheet), str(mapa), str(cleaning), "-o", str(tmp_path / "un"), "-j", "1"])
    assert serial.exit_code == 0, serial.output
    assert serial.stdout.replace(str(tmp_path / "un"), str(out)).splitlines()[:-1] == result.stdout.splitlines()[:-1]
