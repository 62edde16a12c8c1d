"""Issue 11 reproducers on profile input: each gives a located French error, exit 2, with bounded work
(the YAML events read are counted: no timing assert)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.cli.main import cli
from drafter.inputs import source

from .conftest import EXAMPLES

WORKS = "travaux-cite-administrative.yaml"


@pytest.fixture(autouse=True)
def events(monkeypatch) -> list[int]:
    """YAML events read while checking a file (a hostile file must be refused at its limit)."""
    count = [0]
    read = source._Loader.get_event

    def counted(loader):
        count[0] += 1
        return read(loader)

    monkeypatch.setattr(source._Loader, "get_event", counted)
    return count


def check(runner, path: Path):
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def write(tmp_path: Path, content: str | bytes, name: str = "profil.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def example_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (EXAMPLES / WORKS).read_text(encoding="utf-8")
    assert old in text
    return write(tmp_path, text.replace(old, new, 1))


@pytest.mark.parametrize("content, where, message", [
    ("a: &b [*b]\n", "1:4", "alias (*nom) qui se contient lui-même : une ancre (&nom) ne peut pas être utilisée "
                            "à l'intérieur de sa propre valeur."),
    ("a: &b {k: *b}\n", "1:4", "alias (*nom) qui se contient lui-même : une ancre (&nom) ne peut pas être "
                               "utilisée à l'intérieur de sa propre valeur."),
    ("version: 1\x01\n", "1:11", "caractère de contrôle interdit (U+0001) : retirez-le (il provient souvent "
                                 "d'un copier-coller)."),
    ('version: 1\nx: "a\x00b"\n', "2:6", "caractère de contrôle interdit (U+0000) : retirez-le (il provient "
                                          "souvent d'un copier-coller)."),
    ('version: 1\nx: "a\\x01b"\n', "2:4", "caractère interdit (U+0001) dans cette valeur : il ne peut pas "
                                           "figurer dans un document Word ou un tableur ; retirez-le."),
    ('version: 1\nx: "\\uFFFE"\n', "2:4", "caractère interdit (U+FFFE) dans cette valeur : il ne peut pas "
                                           "figurer dans un document Word ou un tableur ; retirez-le."),
    ("version: !!python/object:os.system 1\n", "1:10",
     "étiquette YAML « !!python/object:os.system » non admise : seuls les textes, nombres, dates, listes "
     "et rubriques sont admis."),
    ("version: 1\nx: !!binary aGVsbG8=\n", "2:4",
     "étiquette YAML « !!binary » non admise : seuls les textes, nombres, dates, listes et rubriques sont admis."),
    ('version: 1\nx: "\\uZZZZ"\n', "2:7",
     "syntaxe YAML invalide : séquence \\x, \\u ou \\U invalide dans un texte entre guillemets (pour une barre "
     "oblique inverse, écrivez \\\\)."),
    ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "1:67",
     "structure YAML trop profondément imbriquée (plus de 64 niveaux) : fichier refusé."),
    ("".join(" " * i + "k:\n" for i in range(3000)), "65:65",
     "structure YAML trop profondément imbriquée (plus de 64 niveaux) : fichier refusé."),
])
def test_hostile_yaml_is_refused_located(runner, tmp_path, content, where, message):
    path = write(tmp_path, content)
    result = check(runner, path)
    assert result.exit_code == 2
    assert result.output == f"{path}:{where} — {message}\n"


def test_hostile_yaml_as_parameters_file(runner, tmp_path):
    params = write(tmp_path, "a: &b [*b]\n", "parametres.yaml")
    result = runner.invoke(cli, ["--parametres", str(params), "check", str(EXAMPLES / WORKS)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{params}:1:4 — alias (*nom) qui se contient lui-même")


@pytest.mark.parametrize("written", ['"1"', "1.0", '"01"', '" 1"'])
def test_lot_number_written_as_text_or_decimal_is_the_same_lot(runner, tmp_path, written):
    path = example_with(tmp_path, "numero: 2\n", f"numero: {written}\n")
    result = check(runner, path)
    assert result.exit_code == 2
    shown = written.strip('"')
    assert result.output == (f"{path}:41:13 — lots[2].numero : numéro de lot en double (déjà utilisé par le lot "
                             f"en position 1) (valeur lue : « {shown} »)\n")


@pytest.mark.parametrize("written", ["{}", "[]"])
def test_lot_number_as_mapping_or_list(runner, tmp_path, written):
    path = example_with(tmp_path, "numero: 2\n", f"numero: {written}\n")
    result = check(runner, path)
    assert result.exit_code == 2
    assert result.output == f"{path}:41:13 — lots[2].numero : doit être un nombre entier\n"


@pytest.mark.parametrize("written, message", [
    ("9" * 4300, "nombre trop grand : au plus 15 chiffres avant la virgule"),
    ("9" * 5000, "nombre trop grand : au plus 15 chiffres avant la virgule"),
    ("1.0e+30", "nombre trop grand : au plus 15 chiffres avant la virgule"),
    ("1.0e+400", "nombre trop grand : au plus 15 chiffres avant la virgule"),
    ('"1e400"', "doit être un montant en euros HT écrit en chiffres (ex. 480000 ou « 480 000 »)"),
])
def test_huge_amounts_are_refused_located(runner, tmp_path, written, message):
    path = example_with(tmp_path, "montant_estime_ht: 640000", f"montant_estime_ht: {written}")
    result = check(runner, path)
    assert result.exit_code == 2
    assert result.output.startswith(f"{path}:39:24 — lots[1].montant_estime_ht : {message} (valeur lue : « ")


def test_tiny_rate_is_refused(runner, tmp_path):
    path = example_with(tmp_path, "taux_insertion: 0.05", "taux_insertion: 1.0e-400")
    result = check(runner, path)
    assert result.exit_code == 2
    assert result.output == (f"{path}:33:19 — insertion.taux_insertion : trop de décimales : au plus 9 chiffres "
                             "après la virgule (valeur lue : « 1.0E-400 »)\n")


def test_launch_date_without_rules_is_located(runner, tmp_path):
    path = example_with(tmp_path, "date_lancement: 2027-02-01", "date_lancement: 0001-01-01")
    result = check(runner, path)
    assert result.exit_code == 2
    assert result.output == (f"{path}:19:19 — marche.date_lancement : aucune règle n'est en vigueur à cette "
                             "date : vérifiez la date de lancement (valeur lue : « 0001-01-01 »)\n")


def test_100000_unknown_keys_print_50_problems(runner, tmp_path):
    text = (EXAMPLES / WORKS).read_text(encoding="utf-8")
    path = write(tmp_path, text + "".join(f"k{i}: 1\n" for i in range(100_000)))
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 51
    first = len(text.splitlines()) + 1
    assert lines[0].startswith(f"{path}:{first}:1 — k0 : clé inconnue")
    assert lines[-1] == (f"{path} — … et 99 950 autres problèmes non affichés : corrigez d'abord ceux-ci, "
                         "puis relancez.")


def test_too_many_yaml_nodes(runner, tmp_path, events):
    path = write(tmp_path, "a:\n" + "".join(f"  k{i}: 1\n" for i in range(300_000)))
    result = check(runner, path)
    assert result.exit_code == 2
    assert events[0] == source.MAX_EVENTS + 1   # read once, stopped at the limit: no tree is built
    assert result.output.endswith("— trop d'éléments dans le fichier (plus de 250 000 clés et valeurs) : "
                                  "fichier refusé.\n")


def test_self_containing_alias_in_a_bulk_folder_fails_alone(runner, tmp_path):
    folder = tmp_path / "profils"
    folder.mkdir()
    (folder / "boucle.yaml").write_text("a: &b [*b]\n", encoding="utf-8")
    (folder / "mapa.yaml").write_bytes((EXAMPLES / "mapa-petits-travaux.yaml").read_bytes())
    out = tmp_path / "sortie"
    result = runner.invoke(cli, ["bulk", str(folder), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1, result.output  # bulk: « code de sortie 1 si un marché a échoué »
    assert (out / "2027-DDETS46-PEINT" / "manifest.json").is_file()
    assert (f"{folder / 'boucle.yaml'}:1:4 — alias (*nom) qui se contient lui-même"
            in (out / "erreurs.txt").read_text(encoding="utf-8"))
