"""``synthese.xlsx``: figures a buyer steers with, real formats, totals, points once, cells as data."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from drafter.documents.workbook import lot_rows, sheet_title, workbook_bytes

from .document_helpers import analysis_of


def _book(rows, title="Synthèse"):
    return load_workbook(io.BytesIO(workbook_bytes(rows, title=title)))


def _as_dicts(sheet):
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_lot_figures_formats_and_exposure():
    book = _book(lot_rows(analysis_of("travaux-cite-administrative.yaml")))
    assert book.sheetnames == ["Synthèse", "Totaux", "Points à confirmer"]
    lot1 = _as_dicts(book["Synthèse"])[0]
    # 640 000 € × 50 % × 5 % ÷ 30 € = 533,3 → 533 h; 533 h × 30 € = 15 990 €
    assert (lot1["Montant estimé HT"], lot1["Part de main-d'œuvre"], lot1["Taux d'insertion"],
            lot1["Coût horaire"], lot1["Heures d'insertion"]) == (640000, 0.5, 0.05, 30, 533)
    assert lot1["Pénalité par heure non réalisée (HT)"] == 30
    assert lot1["Pénalité encourue si aucune heure (HT)"] == 15990
    sheet = book["Synthèse"]
    formats = {sheet.cell(row=1, column=c).value: sheet.cell(row=2, column=c).number_format
               for c in range(1, sheet.max_column + 1)}
    assert formats["Montant estimé HT"] == '#,##0 "€"'
    assert formats["Heures d'insertion"] == '#,##0 "h"'
    assert formats["Part de main-d'œuvre"] == "0.0 %"


def test_totals_per_market_and_overall():
    rows = lot_rows(analysis_of("travaux-cite-administrative.yaml")) + lot_rows(
        analysis_of("nettoyage-accord-cadre-occitanie.yaml"))
    totals = _as_dicts(_book(rows)["Totaux"])
    works = totals[0]
    assert works["Marché"] == "2027-SGCD11-TRX-01"
    assert (works["Lots"], works["Heures d'insertion"], works["Montant estimé HT"]) == (6, 4577, 5735000)
    assert works["Pénalité encourue si aucune heure (HT)"] == 4577 * 30
    assert totals[-1]["Marché"] == "Ensemble"
    assert totals[-1]["Heures d'insertion"] == 4577 + totals[1]["Heures d'insertion"]
    assert totals[-1]["Lots"] == 10


def test_points_to_confirm_once_with_their_lots():
    book = _book(lot_rows(analysis_of("travaux-cite-administrative.yaml")))
    points = _as_dicts(book["Points à confirmer"])
    assert len(points) == len({p["Point à confirmer"] for p in points})
    assert points[0]["Lots"] == "1" and "à confirmer" in points[0]["Point à confirmer"]
    counts = [r["Points à confirmer"] for r in _as_dicts(book["Synthèse"])]
    assert counts == [1, None, 1, 1, None, None]   # a count per lot; the texts live in their own sheet


def test_cells_are_data_and_titles_valid():
    rows = lot_rows(analysis_of("travaux-cite-administrative.yaml"))
    rows[0]["Intitulé du lot"] = '=HYPERLINK("http://x","clic")'
    rows[1]["Intitulé du lot"] = "@SUM(A1)\x01\x0b fin"
    book = _book(rows, title="2027/TRX:[1]*?'")
    sheet = book.worksheets[0]
    assert sheet.title == "2027-TRX--1---"
    assert sheet["D2"].data_type == "s" and sheet["D2"].value == '=HYPERLINK("http://x","clic")'
    assert sheet["D2"].quotePrefix and not sheet["D4"].quotePrefix
    assert sheet["D3"].value == "@SUM(A1) fin"
    assert sheet_title("", []) == "Synthèse"
    assert sheet_title("Totaux", ["Totaux"]) == "Totaux (2)"
    assert len(sheet_title("x" * 80)) == 31


def test_error_rows_are_data_too_and_the_sheet_is_a_table():
    from drafter.documents.workbook import Summary

    buffer = io.BytesIO()
    summary = Summary(buffer, errors=True)
    summary.add_error(["=1+1", "profil.yaml", 3, None, "-5\x00 refusé"])
    summary.close()
    book = load_workbook(buffer)
    sheet = book["Erreurs"]
    assert book.sheetnames == ["Synthèse", "Totaux", "Points à confirmer", "Erreurs"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Élément", "Fichier", "Ligne", "Colonne ou champ", "Message"], ["=1+1", "profil.yaml", 3, None, "-5 refusé"]]
    assert sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:E2")
    assert sheet["A1"].font.bold and sheet.column_dimensions["E"].width > 99


def test_the_overall_line_is_bold_with_formats_and_the_file_is_reproducible():
    rows = lot_rows(analysis_of("travaux-cite-administrative.yaml")) + lot_rows(
        analysis_of("nettoyage-accord-cadre-occitanie.yaml"))
    data = workbook_bytes(rows)
    assert data == workbook_bytes(rows)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"<dcterms:created xsi:type=\"dcterms:W3CDTF\">1980-01-01T00:00:00Z" in archive.read("docProps/core.xml")
    sheet = load_workbook(io.BytesIO(data))["Totaux"]
    last = sheet.max_row
    assert sheet.cell(row=last, column=1).value == "Ensemble" and sheet.cell(row=last, column=1).font.bold
    assert sheet.cell(row=last, column=5).number_format == '#,##0 "h"' and sheet.cell(row=last, column=5).font.bold
    assert sheet.cell(row=last, column=6).number_format == '#,##0 "€"'
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", f"A1:I{last}")


def test_rows_past_excels_last_row_go_on_in_a_numbered_sheet(monkeypatch):
    """Excel holds 1 048 576 rows a sheet; XlsxWriter would drop the others without a word."""
    from drafter.documents import workbook

    monkeypatch.setattr(workbook, "MAX_ROWS", 4)   # a header and three rows a sheet
    rows = lot_rows(analysis_of("travaux-cite-administrative.yaml"))
    book = _book(rows)
    assert book.sheetnames == ["Synthèse", "Totaux", "Points à confirmer", "Synthèse (2)"]
    first, second = _as_dicts(book["Synthèse"]), _as_dicts(book["Synthèse (2)"])
    assert [r["Lot"] for r in first] + [r["Lot"] for r in second] == [1, 2, 3, 4, 5, 6]
    assert book["Synthèse (2)"].freeze_panes == "A2" and book["Synthèse (2)"].auto_filter.ref == "A1:S4"
    assert book["Synthèse"].auto_filter.ref == "A1:S4"
