"""Sectors and market natures: the table says which natures each sector belongs to; the wizard
offers only the sectors of the market's nature; ``check`` warns of a sector of another nature."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from drafter.cli.main import cli
from drafter.inputs.loading import load_profile
from drafter.law.rules import Table, load_rules
from drafter.wizard import command as cli_wizard

from .wizard_answers import auto_insertion, buyer, facilitator, market, script

RULES = load_rules().at(dt.date(2027, 1, 1))
WORKS = {
    "gros_oeuvre_maconnerie", "peinture_revetements_muraux", "charpente_metallique_serrurerie",
    "batiment_tous_corps_etat", "couverture_charpente_bois", "vrd_travaux_publics", "platrerie_isolation",
    "menuiseries", "electricite", "plomberie_cvc", "revetements_sols", "demolition_desamiantage",
    "espaces_verts", "maintenance_multitechnique",
}
SERVICES = {
    "nettoyage_proprete", "gardiennage_securite", "restauration_collective", "espaces_verts", "collecte_dechets",
    "demenagement_manutention", "blanchisserie", "maintenance_multitechnique", "prestations_intellectuelles",
    "services_numeriques",
}


# --- the table ------------------------------------------------------------------------------

def plain(text: str) -> str:
    """Terminal text with its French no-break spaces as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_every_sector_declares_its_natures():
    assert all(rv.natures for rv in RULES.sectors().values())


@pytest.mark.parametrize(("nature", "expected"), [
    ("travaux", WORKS), ("services", SERVICES), ("fournitures", {"fournitures"}),
])
def test_sectors_of_a_nature(nature, expected):
    assert set(RULES.sectors(nature)) == expected


def test_sectors_without_nature_are_all_of_them():
    assert len(RULES.sectors()) == 23


def _table(natures: object) -> dict:
    spec = {"libelle": "Test", "unite": "taux", "periodes": [{"depuis": "2022-01-01", "valeur": 0.5}]}
    if natures is not None:
        spec["natures"] = natures
    return {"table": "t", "version": "1", "description": "d", "regles": {"part_main_oeuvre.test": spec}}


@pytest.mark.parametrize("natures", [["batiment"], [], "travaux"])
def test_a_wrong_nature_list_is_refused(natures):
    with pytest.raises(ValidationError):
        Table.model_validate(_table(natures))


def test_a_sector_without_natures_fits_every_market():
    table = Table.model_validate(_table(None))
    assert table.regles["part_main_oeuvre.test"].natures is None
    two = Table.model_validate(_table(["travaux", "services"]))
    assert [n.value for n in two.regles["part_main_oeuvre.test"].natures] == ["travaux", "services"]


# --- check ----------------------------------------------------------------------------------

def _works_with(tmp_path, examples, sector: str):
    path = tmp_path / "travaux.yaml"
    source = (examples / "mapa-petits-travaux.yaml").read_text(encoding="utf-8")
    assert "secteur: peinture_revetements_muraux" in source
    path.write_text(source.replace("secteur: peinture_revetements_muraux", f"secteur: {sector}"), encoding="utf-8")
    return path


def test_check_warns_of_a_services_sector_in_a_works_market(runner, tmp_path, examples):
    path = _works_with(tmp_path, examples, "restauration_collective")
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{path} : profil valide (1 lot, condition sociale non obligatoire).\n"
        f"  attention : {path}:18:12 — marche.secteur : Secteur « restauration_collective » (Restauration "
        "collective) habituellement rattaché aux services, pour un marché de travaux : vérifiez le secteur ou "
        "la part de main-d'œuvre.\n"
    )
    explain = runner.invoke(cli, ["explain", str(path)])
    assert ("    - Secteur « restauration_collective » (Restauration collective) habituellement rattaché aux "
            "services, pour un marché de travaux : vérifiez le secteur ou la part de main-d'œuvre.\n") in plain(explain.output)


def test_check_locates_the_warning_at_the_lot(runner, tmp_path, examples):
    path = tmp_path / "cite.yaml"
    source = (examples / "travaux-cite-administrative.yaml").read_text(encoding="utf-8")
    path.write_text(source.replace("secteur: menuiseries", "secteur: gardiennage_securite"), encoding="utf-8")
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith(f"  attention : {path}:48:")]
    assert warnings == [
        f"  attention : {path}:48:14 — lots[3].secteur : Gardiennage : carte professionnelle délivrée par le CNAPS : "
        "les agents de surveillance doivent détenir une carte professionnelle délivrée par le CNAPS après une "
        "formation qualifiante : les heures d'insertion supposent des parcours de formation préalables ou des postes "
        "qui n'exigent pas cette carte.",
        f"  attention : {path}:48:14 — lots[3].secteur : Secteur « gardiennage_securite » (Gardiennage, sécurité) "
        "habituellement rattaché aux services, pour un marché de travaux : vérifiez le secteur ou la part de "
        "main-d'œuvre.",
    ]


@pytest.mark.parametrize("sector", ["espaces_verts", "maintenance_multitechnique", "peinture_revetements_muraux"])
def test_no_warning_for_a_sector_of_the_nature(runner, tmp_path, examples, sector):
    result = runner.invoke(cli, ["check", str(_works_with(tmp_path, examples, sector))])
    assert result.exit_code == 0, result.output
    assert "attention" not in result.output


def test_the_examples_have_no_nature_warning(runner, examples):
    result = runner.invoke(cli, ["check", *map(str, sorted(examples.glob("*.yaml")))])
    assert result.exit_code == 0, result.output
    assert "rattaché" not in result.output


# --- wizard ---------------------------------------------------------------------------------

def test_the_wizard_offers_only_works_sectors_for_a_works_market(runner, tmp_path):
    target = tmp_path / "profil.yaml"
    lot = ["n", "300000", "restauration_collective", "1", ""]  # refused (a services sector), then 1
    text = script(buyer(), market("Réfection de la toiture", "2027-PREF81-TX", nature="1"), facilitator(),
                  lot, auto_insertion(), ["1"], ["n"])
    result = runner.invoke(cli, ["new", "-o", str(target)], input=text)
    assert result.exit_code == 0, result.output
    out = result.output
    menu = out[out.index("Secteur d'activité d'un marché de travaux (part de main-d'œuvre de la table) :"):]
    menu = menu[:menu.index("Votre choix")]
    assert "   1. Gros œuvre, maçonnerie — 50 %\n" in menu
    assert "  14. Maintenance multitechnique des bâtiments — 50 % [à confirmer]\n" in menu
    assert "   0. Autre activité : je saisis la part de main-d'œuvre\n" in menu
    for label in ("Restauration collective", "Services numériques", "Nettoyage", "Fournitures"):
        assert label not in menu
    assert "choix invalide : tapez un numéro de 0 à 14" in out
    assert load_profile(target).profile.market.sector == "gros_oeuvre_maconnerie"


def test_a_sector_of_another_nature_is_kept_as_current(runner, tmp_path, examples, monkeypatch):
    monkeypatch.setattr(cli_wizard, "offer_generate", lambda ctx, io, path, analysis: None)
    source = _works_with(tmp_path, examples, "restauration_collective")
    target = tmp_path / "again.yaml"
    result = runner.invoke(cli, ["new", "--depuis", str(source), "-o", str(target)], input="\n" * 400)
    assert result.exit_code == 0, result.output
    assert "Restauration collective — 50 % [habituellement : services]  ← proposé" in result.output
    assert load_profile(target).profile == load_profile(source).profile


def test_regles_shows_the_natures_of_a_sector(runner):
    out = runner.invoke(cli, ["regles", "--date", "2027-01-15"]).output
    block = out[out.index("  part_main_oeuvre.espaces_verts = 60 % [à confirmer]"):]
    assert block.splitlines()[1:3] == ["      Espaces verts, paysage — en vigueur depuis le 1er janvier 2022",
                                       "      Marchés de : travaux, services"]
