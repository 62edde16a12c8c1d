"""``drafter new`` around the questions: interruptions, saving, ``--depuis`` round trips, generate."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drafter.app.generate import GenerationResult
from drafter.cli.main import cli
from drafter.inputs.loading import load_profile
from drafter.wizard import command as cli_wizard

from .conftest import EXAMPLES, example_names, piece
from .wizard_answers import (
    MONTPELLIER,
    InterruptedInput,
    auto_insertion,
    buyer,
    facilitator,
    market,
    script,
    single_lot,
)

SAVE = ["1"]
NO_DOCUMENTS = ["n"]
SINGLE = [
    buyer(),
    market("Espaces verts", "2027-PREF81-EV", nature="2"),
    facilitator(),
    single_lot("300000", "espaces_verts"),
    auto_insertion(),
]
FRAMEWORK = [
    buyer(),
    market("Nettoyage", "2027-PFRA-NET", nature="2", form="2", date="2027-03-15", months="48"),
    facilitator(),
    [
        "o",
        "",
        "Haute-Garonne",
        "800000",
        "3200000",
        "2400000",
        "nettoyage_proprete",
        "",
        "n",
        "400",
        "1",
        "o",
        "",
        "Hérault",
        "",
        "2200000",
        "1600000",
        "nettoyage_proprete",
        "65 %",
        "n",
        "",
        "2",
        *MONTPELLIER,
        "o",
        "",
        "Gard",
        "",
        "1300000",
        "900000",
        "1",  # nettoyage_proprete: first of the services sectors
        "",
        "n",
        "",
        "2",
        "n",
    ],
    ["condition_et_critere", "7 %", "25", "15", "", "estime", "12", "o", "3", "reserve_siae", "n"],
]


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def assert_no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output


@pytest.fixture
def no_generate(monkeypatch):
    """Accepting every default would also accept the offer to generate: keep these runs to the profile."""
    monkeypatch.setattr(cli_wizard, "offer_generate", lambda ctx, io, path, analysis: None)


# --- interruptions ------------------------------------------------------------------------


@pytest.mark.parametrize("cut", [0, 3, len(buyer()) + 5, sum(len(p) for p in SINGLE)])
def test_end_of_input_leaves_no_file(runner, tmp_path, cut):
    lines = [line for part in SINGLE for line in part][:cut]
    target = tmp_path / "profil.yaml"
    result = runner.invoke(cli, ["new", "-o", str(target)], input="".join(f"{line}\n" for line in lines))
    assert_no_traceback(result)
    assert result.exit_code == 2
    assert "Fin de la saisie avant la dernière question : aucun profil n'a été enregistré." in result.stderr
    assert files_in(tmp_path) == []


@pytest.mark.parametrize("cut", [0, 4, len(buyer()) + 8, sum(len(p) for p in SINGLE)])
def test_ctrl_c_leaves_no_file(runner, tmp_path, cut):
    lines = [line for part in SINGLE for line in part][:cut]
    target = tmp_path / "profil.yaml"
    stream = InterruptedInput("".join(f"{line}\n" for line in lines).encode("utf-8"))
    result = runner.invoke(cli, ["new", "-o", str(target)], input=stream)
    assert_no_traceback(result)
    assert result.exit_code == 130
    assert "Interrompu (Ctrl-C) : aucun profil n'a été enregistré." in result.stderr
    assert files_in(tmp_path) == []


def test_ctrl_c_while_writing_removes_the_temporary_file(runner, tmp_path, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    target = tmp_path / "profil.yaml"
    result = runner.invoke(cli, ["new", "-o", str(target)], input=script(*SINGLE, SAVE, NO_DOCUMENTS))
    assert result.exit_code == 130
    assert files_in(tmp_path) == []


def test_abandon_writes_nothing(runner, tmp_path):
    target = tmp_path / "profil.yaml"
    result = runner.invoke(cli, ["new", "-o", str(target)], input=script(*SINGLE, ["3", "o"]))
    assert result.exit_code == 1
    assert "Abandon : aucun profil n'a été enregistré." in result.stderr
    assert files_in(tmp_path) == []


# --- saving -------------------------------------------------------------------------------


def test_default_path_and_no_overwrite_without_confirmation(runner, tmp_path, monkeypatch, no_generate):
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(cli, ["new"], input=script(*SINGLE, SAVE, NO_DOCUMENTS))
    assert first.exit_code == 0, first.output
    saved = tmp_path / "profiles" / "2027-pref81-ev.yaml"
    assert "Profil enregistré : profiles/2027-pref81-ev.yaml" in first.output
    original = saved.read_text(encoding="utf-8")

    refused = runner.invoke(cli, ["new"], input=script(*SINGLE, SAVE, ["n", ""], NO_DOCUMENTS))
    assert refused.exit_code == 0, refused.output
    assert "Le fichier profiles/2027-pref81-ev.yaml existe déjà. Le remplacer ? (o/N) : " in refused.output
    assert "Profil enregistré : profiles/2027-pref81-ev-2.yaml" in refused.output
    assert saved.read_text(encoding="utf-8") == original

    replaced = runner.invoke(
        cli, ["new", "--depuis", str(saved)], input=script(*SINGLE[:1], ["", "2028-EV", *[""] * 100])
    )
    assert replaced.exit_code == 0, replaced.output
    assert files_in(tmp_path / "profiles") == ["2027-pref81-ev-2.yaml", "2027-pref81-ev.yaml", "2028-ev.yaml"]


def test_replacing_an_existing_file_needs_yes(runner, tmp_path):
    target = tmp_path / "profil.yaml"
    target.write_text("ancien\n", encoding="utf-8")
    result = runner.invoke(cli, ["new", "-o", str(target)], input=script(*SINGLE, SAVE, ["o"], NO_DOCUMENTS))
    assert result.exit_code == 0, result.output
    assert load_profile(target).profile.market.reference == "2027-PREF81-EV"
    assert files_in(tmp_path) == ["profil.yaml"]


# --- --depuis: the answers of a profile as defaults ----------------------------------------


def defaults_only(runner, source: Path, target: Path):
    return runner.invoke(cli, ["new", "--depuis", str(source), "-o", str(target)], input="\n" * 400)


def test_round_trip_of_a_wizard_profile(runner, tmp_path, no_generate):
    first = tmp_path / "premier.yaml"
    result = runner.invoke(cli, ["new", "-o", str(first)], input=script(*FRAMEWORK, SAVE, NO_DOCUMENTS))
    assert result.exit_code == 0, result.output
    profile = load_profile(first).profile
    assert [lot.facilitator.name if lot.facilitator else None for lot in profile.lots] == [
        None,
        "Nadia Benali",
        "Nadia Benali",
    ]
    assert profile.lots[0].staff_taken_over_hours == 400
    assert profile.lots[2].insertion.mechanism.value == "reserve_siae"
    again = tmp_path / "second.yaml"
    rerun = defaults_only(runner, first, again)
    assert rerun.exit_code == 0, rerun.output
    assert load_profile(again).profile == profile
    assert again.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    check = runner.invoke(cli, ["check", str(again)])
    assert check.exit_code == 0, check.output


@pytest.mark.parametrize("name", example_names())
def test_round_trip_of_the_examples(runner, tmp_path, no_generate, name):
    target = tmp_path / name
    result = defaults_only(runner, EXAMPLES / name, target)
    assert_no_traceback(result)
    assert result.exit_code == 0, result.output
    assert load_profile(target).profile == load_profile(EXAMPLES / name).profile
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Profil de marché pour drafter")
    assert "# Marché : objet, procédure et durée." in text


def test_depuis_an_invalid_profile_is_refused(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nacheteur: {}\n", encoding="utf-8")
    result = runner.invoke(cli, ["new", "--depuis", str(bad), "-o", str(tmp_path / "x.yaml")], input="\n")
    assert result.exit_code == 2
    assert "champ obligatoire manquant" in result.stderr
    assert not (tmp_path / "x.yaml").exists()


# --- the offer to generate --------------------------------------------------------------------


def test_offer_to_generate_calls_the_generate_use_case(runner, tmp_path, monkeypatch):
    calls = []

    def generate(analysis, out_dir, **options):
        calls.append((analysis.profile.market.reference, out_dir, options))
        return GenerationResult(tmp_path / "output" / "2027-PREF81-EV", ())

    monkeypatch.setattr(cli_wizard, "generate", generate)
    target = tmp_path / "profil.yaml"
    result = runner.invoke(cli, ["new", "-o", str(target)], input=script(*SINGLE, SAVE, ["o", "o"]))
    assert result.exit_code == 0, result.output
    assert calls == [("2027-PREF81-EV", "output", {"revue": True, "force": False, "templates_dir": None})]
    assert f"0 pièce(s) écrite(s) dans {tmp_path / 'output' / '2027-PREF81-EV'}/" in result.output

    declined = runner.invoke(cli, ["new", "-o", str(tmp_path / "autre.yaml")], input=script(*SINGLE, SAVE, ["n"]))
    assert declined.exit_code == 0
    assert f"Pour les rédiger plus tard : drafter generate {tmp_path / 'autre.yaml'}" in declined.output
    assert len(calls) == 1


def test_summary_of_a_small_market_shows_the_indicative_hours(runner, tmp_path, no_generate):
    target = tmp_path / "mapa.yaml"
    result = defaults_only(runner, EXAMPLES / "mapa-petits-travaux.yaml", target)
    assert result.exit_code == 0, result.output
    assert "Dispositif : pas de clause sociale" in result.output
    assert "Heures calculées à titre indicatif : 44 h (≈ 0,3 mois de travail à temps plein)" in result.output
    assert (
        "  Solutions à envisager :\n    - Une clause d'insertion reste possible si l'acheteur le souhaite"
        in result.output
    )


def test_an_unwritable_place_asks_for_another_name(runner, tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "profil.yaml"  # its parent is a file: cannot be created
    other = tmp_path / "ailleurs.yaml"
    result = runner.invoke(cli, ["new", "-o", str(target)], input=script(*SINGLE, SAVE, [str(other)], NO_DOCUMENTS))
    assert result.exit_code == 0, result.output
    assert f"Erreur : impossible d'écrire {target}" in result.output
    assert f"Profil enregistré : {other}" in result.output
    assert load_profile(other).profile.market.reference == "2027-PREF81-EV"


def test_generate_after_saving_writes_the_documents(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["new", "-o", "profil.yaml"], input=script(*SINGLE, SAVE, ["o", "n"]))
    assert_no_traceback(result)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "output" / "2027-PREF81-EV"
    assert "pièce(s) écrite(s) dans output/2027-PREF81-EV/" in result.output
    assert (folder / "manifest.json").is_file()
    assert (folder / piece("note-de-calcul.docx")).is_file()
    before = sorted(p.name for p in folder.iterdir())

    kept = runner.invoke(cli, ["new", "-o", "autre.yaml"], input=script(*SINGLE, SAVE, ["o", "n", "n"]))
    assert kept.exit_code == 0, kept.output
    assert "Le dossier output/2027-PREF81-EV existe déjà. Remplacer les pièces qu'il contient ? (o/N) : " in kept.output
    assert "Pièces non rédigées. Pour les rédiger plus tard : drafter generate autre.yaml --force" in kept.output

    replaced = runner.invoke(cli, ["new", "-o", "troisieme.yaml"], input=script(*SINGLE, SAVE, ["o", "o", "o"]))
    assert replaced.exit_code == 0, replaced.output
    assert "pièce(s) écrite(s) dans output/2027-PREF81-EV/" in replaced.output
    assert sorted(p.name for p in folder.iterdir() if p.name != "relecture") == before
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == ["2027-PREF81-EV"]
