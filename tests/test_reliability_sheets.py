"""Issue 11, bulk spreadsheets: one bad file or cell fails that item only, with a located French
message; reading is linear; uncompressed sizes are bounded."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from drafter.cli.main import cli
from drafter.inputs import sheet_files, spreadsheet
from drafter.inputs.spreadsheet import SheetError, read_markets
from drafter.law.rules import load_rules

from .conftest import EXAMPLES
from .sheet_helpers import MARKET, lot, write_csv, write_xlsx

SECTORS = tuple(load_rules().at(dt.date(2027, 1, 15)).sectors())


def messages(problems) -> list[str]:
    return [p.render() for p in problems]


def patch_member(path: Path, member: str, old: bytes, new: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    assert old in members[member]
    members[member] = members[member].replace(old, new, 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_nan_cell_fails_its_market_only(runner, tmp_path):
    sheet = write_xlsx(tmp_path / "lots.xlsx", [lot(1, "Nord", 480000), lot(2, "Sud", 250000)])
    patch_member(sheet, "xl/worksheets/sheet1.xml", b"<v>480000</v>", b"<v>NaN</v>")
    [market] = read_markets(sheet, SECTORS)
    assert messages(market.problems) == [
        f"{sheet}:ligne 2, colonne « Montant estimé HT » — doit être un montant en "
        "euros HT écrit en chiffres (ex. 480000 ou « 480 000 ») (valeur lue : « NaN »)"]
    out = tmp_path / "out"
    result = runner.invoke(cli, ["bulk", str(sheet), str(EXAMPLES / "mapa-petits-travaux.yaml"), "-o", str(out),
                                 "-j", "1"])
    assert result.exit_code == 1, result.output  # bulk: « code de sortie 1 si un marché a échoué »
    assert (out / "2027-DDETS46-PEINT").is_dir()
    assert (out / "erreurs.txt").read_text(encoding="utf-8").count("valeur lue : « NaN »") == 1


def test_utf16_csv(tmp_path):
    sheet = write_csv(tmp_path / "lots.csv", [lot(1, "Nord", 480000), lot(2, "Sud", 250000)], delimiter="\t",
                      encoding="utf-16")
    [market] = read_markets(sheet, SECTORS)
    assert market.problems == []
    assert market.loaded.profile.market.reference == "2027-TEST-01"
    assert market.loaded.profile.buyer.name == "Préfecture de la Haute-Garonne"


def test_comma_csv_with_a_title_line_above_the_headers(tmp_path):
    sheet = write_csv(tmp_path / "lots.csv", [lot(1, "Nord", 480000), lot(2, "Sud", 250000)], delimiter=",")
    sheet.write_text("Marchés de la préfecture 2027\n" + sheet.read_text(encoding="utf-8"), encoding="utf-8")
    [market] = read_markets(sheet, SECTORS)
    assert market.problems == []
    assert [lot.number for lot in market.loaded.profile.effective_lots()] == [1, 2]


def test_csv_duplicate_lot_numbers(tmp_path):
    sheet = write_csv(tmp_path / "lots.csv", [lot(1, "Nord", 480000), lot("01", "Sud", 250000)])
    [market] = read_markets(sheet, SECTORS)
    assert messages(market.problems) == [
        f"{sheet}:ligne 3, colonne « N° de lot » — numéro de lot en double (déjà utilisé par le "
        "lot en position 1) (valeur lue : « 01 »)"]


def test_xml_forbidden_character_in_a_cell(tmp_path):
    sheet = write_csv(tmp_path / "lots.csv", [lot(1, "Nord\x01", 480000)])
    [market] = read_markets(sheet, SECTORS)
    assert messages(market.problems) == [
        f"{sheet}:ligne 2, colonne « Intitulé du lot » — caractère interdit (U+0001) dans cette cellule : il ne "
        "peut pas figurer dans un document Word ou un tableur ; retirez-le."]


class CountedReference(str):
    """A market reference that counts its comparisons (a per-row search of the markets compares
    each row with every market seen: n² / 2; a lookup by key compares once, if at all)."""

    compared = 0
    limit = 0

    def __eq__(self, other: object) -> bool:
        CountedReference.compared += 1
        assert CountedReference.compared <= CountedReference.limit, "quadratic: rows compared with every market"
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_grouping_rows_into_markets_is_linear(tmp_path, monkeypatch):
    """20 000 rows of distinct markets, then 2 rows each: the per-row search for the market was
    quadratic (14.7 s); counted in comparisons, not timed."""
    monkeypatch.setattr(spreadsheet, "build_market", lambda *args: None)  # validation tested elsewhere
    convert = spreadsheet.convert
    monkeypatch.setattr(spreadsheet, "convert", lambda column, value, sectors: (
        CountedReference(convert(column, value, sectors)) if column.key == "marche.reference"
        else convert(column, value, sectors)))
    for count, per_market in ((20_000, 1), (10_000, 2)):
        rows = [dict(lot(n + 1, "Lot", 100000), **{"Référence du marché": f"REF-{i}"})
                for i in range(count) for n in range(per_market)]
        CountedReference.compared, CountedReference.limit = 0, 2 * len(rows) + 2
        markets = read_markets(write_csv(tmp_path / f"lots-{per_market}.csv", rows), SECTORS)
        assert [m.reference for m in markets[:2]] == ["REF-0", "REF-1"] and len(markets) == count


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_too_many_rows(tmp_path, monkeypatch, suffix):
    monkeypatch.setattr(sheet_files, "MAX_ROWS", 50)
    rows = [lot(i, "Lot", 1000) for i in range(1, 62)]
    sheet = (write_csv if suffix == ".csv" else write_xlsx)(tmp_path / f"lots{suffix}", rows)
    with pytest.raises(SheetError) as info:
        read_markets(sheet, SECTORS)
    assert messages(info.value.problems) == [f"{sheet} — trop de lignes (plus de 50) : découpez le tableur."]


def test_xlsx_decompression_bomb(tmp_path):
    sheet = write_xlsx(tmp_path / "lots.xlsx", [lot(1, "Nord", 480000)])
    with zipfile.ZipFile(sheet, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/bombe.bin", b"\0" * (160 * 1024 * 1024))
    assert sheet.stat().st_size < 1_000_000
    with pytest.raises(SheetError) as info:
        read_markets(sheet, SECTORS)
    assert messages(info.value.problems) == [
        f"{sheet} — classeur Excel (.xlsx) refusé : l'élément « xl/media/bombe.bin » occupe 160 Mo une fois "
        "décompressé (maximum 100 Mo)."]


@pytest.mark.parametrize("content, message", [
    (b"", "fichier vide : ce n'est pas un classeur Excel (.xlsx)."),
    (b"PK\x03\x04 tronque", "ce n'est pas un classeur Excel (.xlsx) (archive illisible, tronquée ou d'un autre "
                            "format)."),
])
def test_broken_xlsx(tmp_path, content, message):
    sheet = tmp_path / "lots.xlsx"
    sheet.write_bytes(content)
    with pytest.raises(SheetError) as info:
        read_markets(sheet, SECTORS)
    assert messages(info.value.problems) == [f"{sheet} — {message}"]


def test_market_columns_unchanged():
    assert MARKET["Référence du marché"] == "2027-TEST-01"
