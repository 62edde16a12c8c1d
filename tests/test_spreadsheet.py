"""Reading bulk spreadsheets: tolerant headers, located French errors, markets from rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from drafter.inputs.spreadsheet import SheetError, read_markets
from drafter.law.rules import load_rules

from .sheet_helpers import MARKET, lot, write_csv, write_xlsx

SECTORS = tuple(load_rules().at(dt.date(2027, 1, 15)).sectors())


def markets(path: Path):
    return read_markets(path, SECTORS)


def messages(problems) -> list[str]:
    return [p.render() for p in problems]


@pytest.mark.parametrize("header", ["Montant estimé HT", "montant_estime_ht", "MONTANT ESTIME HT (€)",
                                    "  Montant  estimé  HT en euros ", "lots.montant_estime_ht"])
def test_tolerant_headers(tmp_path: Path, header: str) -> None:
    path = write_xlsx(tmp_path / "lots.xlsx", [lot(1, "Nord", 480000), lot(2, "Sud", "250 000")],
                      rename={"Montant estimé HT": header, "Catégorie d'acheteur": "CATEGORIE_D_ACHETEUR",
                              "Durée en mois": "duree_mois"})
    [market] = markets(path)
    assert market.problems == []
    lots = market.loaded.profile.effective_lots()
    assert [(lot.number, lot.title, int(lot.estimate)) for lot in lots] == [(1, "Nord", 480000), (2, "Sud", 250000)]


def test_missing_column_is_reported_with_what_is_expected(tmp_path: Path) -> None:
    rows = [{k: v for k, v in lot(1, "Nord", 480000).items() if k != "Montant estimé HT"}]
    path = write_xlsx(tmp_path / "lots.xlsx", rows)
    with pytest.raises(SheetError) as info:
        markets(path)
    assert messages(info.value.problems) == [
        (f"{path} — colonne « Montant estimé HT » introuvable. Attendu : Montant estimé HT, en euros, sur toute "
        "la durée (reconductions comprises). Ajoutez cette colonne (modèle : drafter bulk --modele-tableur "
        "modele.xlsx).")]


def test_ambiguous_columns(tmp_path: Path) -> None:
    rows = [dict(lot(1, "Nord", 480000), montant_estime_ht=1, Nom="x")]
    path = write_xlsx(tmp_path / "lots.xlsx", rows, rename={"Nom": "Nom"})
    with pytest.raises(SheetError) as info:
        markets(path)
    assert messages(info.value.problems) == [
        (f"{path}:ligne 1, colonne « montant_estime_ht » — colonne ambiguë : « Montant estimé HT » et "
        "« montant_estime_ht » désignent toutes deux « Montant estimé HT ». Gardez-en une seule."),
        (f"{path}:ligne 1, colonne « Nom » — colonne ambiguë : « Nom » peut désigner « Acheteur », "
        "« Contact acheteur nom » ou « Facilitateur nom ». Renommez-la avec l'un de ces intitulés."),
    ]


def test_unknown_column_suggests_the_closest(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "lots.xlsx", [lot(1, "Nord", 480000)], rename={"Secteur": "Secteurs"})
    with pytest.raises(SheetError) as info:
        markets(path)
    assert messages(info.value.problems) == [
        (f"{path}:ligne 1, colonne « Secteurs » — colonne inconnue. Vouliez-vous dire « Secteur » ? Les intitulés "
        "admis sont décrits dans la feuille « Aide » du modèle (drafter bulk --modele-tableur modele.xlsx).")]


def test_rows_grouped_by_reference_and_errors_located_by_row_and_column(tmp_path: Path) -> None:
    other = {"Référence du marché": "2027-TEST-02"}
    rows = [lot(1, "Nord", 480000), dict(lot(1, "Seul", 90000), **other), lot(2, "Sud", -5),
            lot(3, "Est", 100000, sector="jardinage")]
    path = write_xlsx(tmp_path / "lots.xlsx", rows)
    first, second = markets(path)
    assert (first.reference, first.rows, first.loaded) == ("2027-TEST-01", [2, 4, 5], None)
    assert messages(first.problems) == [
        (f"{path}:ligne 4, colonne « Montant estimé HT » — doit être un montant positif en euros HT "
        "(valeur lue : « -5 »)")]
    assert second.problems == [] and second.loaded.profile.market.reference == "2027-TEST-02"


def test_decision_errors_are_located_in_the_row(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "lots.xlsx", [lot(1, "Nord", 480000), lot(2, "Sud", 100000, sector="jardinage")])
    [market] = markets(path)
    from drafter.app.analyse import analyse_loaded
    from drafter.errors import ProfileError

    with pytest.raises(ProfileError) as info:
        analyse_loaded(market.loaded, today=dt.date(2026, 11, 25))
    [problem] = info.value.problems
    assert problem.render().startswith(f"{path}:ligne 3, colonne « Secteur » — ")
    assert "jardinage" in problem.render()


def test_market_columns_must_agree_and_both_rows_are_named(tmp_path: Path) -> None:
    rows = [lot(1, "Nord", 480000), lot(2, "Sud", 100000, Nature="travaux")]
    [market] = markets(write_xlsx(tmp_path / "lots.xlsx", rows))
    assert messages(market.problems) == [
        (f"{tmp_path / 'lots.xlsx'}:ligne 3, colonne « Nature » — valeur différente de celle de la ligne 2 pour le "
        "même marché « 2027-TEST-01 » (« travaux » ligne 3, « services » ligne 2) : les colonnes du marché "
        "doivent être identiques sur toutes ses lignes.")]


def test_shared_columns_go_to_lots_when_rows_differ(tmp_path: Path) -> None:
    rows = [lot(1, "Nord", 480000, **{"Taux d'insertion": "5 %"}),
            lot(2, "Sud", 300000, **{"Taux d'insertion": "7 %", "Facilitateur nom": "Marc Roux"})]
    [market] = markets(write_xlsx(tmp_path / "lots.xlsx", rows))
    profile = market.loaded.profile
    assert profile.facilitator is None and profile.insertion.rate is None
    assert [lt.facilitator.name for lt in profile.lots] == ["Sophie Laurent", "Marc Roux"]
    assert [str(lt.insertion.rate) for lt in profile.lots] == ["0.05", "0.07"]
    assert profile.insertion.mechanism.value == "auto"


def test_single_row_without_lot_number_is_a_single_lot_market(tmp_path: Path) -> None:
    [market] = markets(write_xlsx(tmp_path / "lots.xlsx", [lot(None, None, 38000)]))
    assert market.loaded.profile.is_single_lot
    assert int(market.loaded.profile.market.estimate) == 38000


@pytest.mark.parametrize(("delimiter", "encoding"), [(";", "utf-8"), (",", "utf-8-sig"), (";", "cp1252")])
def test_csv_inputs(tmp_path: Path, delimiter: str, encoding: str) -> None:
    rows = [lot(1, "Nord", "480 000", **{"Taux d'insertion": "5 %", "Date de lancement": "15/01/2027",
                                         "Forme": "Marché ordinaire", "Secteur": "Espaces verts"}),
            lot(2, "Sud", "250000,50", **{"Taux d'insertion": "5 %", "Date de lancement": "15/01/2027",
                                          "Forme": "Marché ordinaire", "Secteur": "Espaces verts"})]
    path = write_csv(tmp_path / "lots.csv", rows, delimiter=delimiter, encoding=encoding)
    [market] = markets(path)
    assert market.problems == []
    profile = market.loaded.profile
    assert profile.market.launch_date == dt.date(2027, 1, 15)
    assert profile.market.form.value == "marche_ordinaire"
    assert [str(lt.estimate) for lt in profile.lots] == ["480000", "250000.50"]
    assert profile.lots[0].sector == "espaces_verts"


def test_bad_boolean_and_missing_reference(tmp_path: Path) -> None:
    rows = [lot(1, "Nord", 480000, **{"Objet insertion": "peut-être"}),
            dict(lot(1, "Orphelin", 1000), **{"Référence du marché": None})]
    path = write_csv(tmp_path / "lots.csv", rows)
    first, orphan = markets(path)
    assert messages(first.problems) == [
        f"{path}:ligne 2, colonne « Objet insertion » — doit valoir « oui » ou « non » (valeur lue : « peut-être »)"]
    assert messages(orphan.problems) == [
        (f"{path}:ligne 3, colonne « Référence du marché » — champ obligatoire manquant : la référence du marché "
        "regroupe les lignes (lots) d'un même marché et nomme son dossier de sortie.")]
    assert orphan.label == f"{path} (ligne 3)"


def test_empty_sheet(tmp_path: Path) -> None:
    path = tmp_path / "vide.csv"
    path.write_text("\n;;\n", encoding="utf-8")
    with pytest.raises(SheetError) as info:
        markets(path)
    assert messages(info.value.problems) == [f"{path} — le tableur est vide : aucune ligne d'en-tête ni de lot."]


def test_market_fields_listed_in_helper_are_complete() -> None:
    from drafter.inputs.sheet_columns import COLUMNS

    labels = {c.label for c in COLUMNS}
    assert set(MARKET) <= labels


def test_title_lines_above_the_headers_are_skipped(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "lots.xlsx", [lot(1, "Nord", 480000)])
    book = load_workbook(path)
    book["Lots"].insert_rows(1, 2)
    book["Lots"]["A1"] = "Programme d'achats 2027 — préfecture"
    book.save(path)
    [market] = markets(path)
    assert market.problems == [] and market.rows == [4]


def test_insertion_market_and_training_columns(tmp_path: Path) -> None:
    rows = [lot(1, "Berges", 310000, **{"Activité support": "Entretien des berges", "Postes d'insertion": 6,
                                        "Heures sur l'activité support": 9000, "Objet insertion": "oui"}),
            lot(2, "Locaux", 300000, "nettoyage_proprete",
                **{"Dispositif": "condition_formation", "Heures de formation par salarié": 14})]
    (market,) = markets(write_xlsx(tmp_path / "lots.xlsx", rows))
    profile = market.loaded.profile
    first, second = profile.lots
    assert (first.support_activity, first.insertion_positions, first.support_hours) == ("Entretien des berges", 6, 9000)
    assert second.insertion is not None and second.insertion.training_hours == 14
