"""Bad input through the CLI: exact French message, exit code 2, no traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from drafter.cli.main import cli
from drafter.errors import ProfileError

from .conftest import EXAMPLES


def invoke(runner, *args):
    result = runner.invoke(cli, list(args))
    assert result.exception is None or type(result.exception) is SystemExit, result.exception
    assert result.exit_code in (0, 2), (result.exit_code, result.output)
    assert "Erreur interne" not in result.output
    return result


def write(tmp_path: Path, name: str, content: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def example_with(tmp_path: Path, name: str, text_from: str, text_to: str) -> str:
    source = (EXAMPLES / name).read_text(encoding="utf-8")
    assert text_from in source
    return write(tmp_path, "profil.yaml", source.replace(text_from, text_to))


def test_missing_file(runner, tmp_path):
    path = str(tmp_path / "absent.yaml")
    result = invoke(runner, "check", path)
    assert result.exit_code == 2
    assert result.output == f"{path} — fichier introuvable. Vérifiez le chemin du profil.\n"


def test_empty_file(runner, tmp_path):
    path = write(tmp_path, "vide.yaml", "# un commentaire seul\n\n")
    result = invoke(runner, "check", path)
    assert result.exit_code == 2
    assert result.output == f"{path} — le fichier est vide : aucun profil à lire.\n"


def test_non_utf8(runner, tmp_path):
    path = write(tmp_path, "latin1.yaml", b"version: 1\nacheteur:\n  nom: \"\xe9t\xe9\"\n")
    result = invoke(runner, "check", path)
    assert result.exit_code == 2
    assert result.output == (
        f"{path}:3:9 — le fichier n'est pas encodé en UTF-8 (octet 0xe9 illisible). Enregistrez-le en "
        "UTF-8 (dans votre éditeur : « Enregistrer sous… », encodage UTF-8).\n")


def test_file_over_5_mb(runner, tmp_path):
    path = write(tmp_path, "gros.yaml", "# " + "x" * (5 * 1024 * 1024 + 10))
    result = invoke(runner, "check", path)
    assert result.exit_code == 2
    assert result.output == (f"{path} — fichier trop volumineux (5,0 Mo ; maximum 5 Mo). Découpez-le en "
                             "plusieurs profils.\n")


def test_alias_bomb(runner, tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdef", "bcdefg", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path, "bombe.yaml", "\n".join(lines) + "\n")
    result = invoke(runner, "check", path)
    assert result.exit_code == 2
    assert result.output == (
        f"{path}:7:4 — structure YAML trop volumineuse une fois les alias (&ancre / *alias) développés "
        "(plus de 1 000 000 éléments) : fichier refusé.\n")


def test_more_than_5000_lots(runner, tmp_path):
    data = yaml.safe_load((EXAMPLES / "travaux-cite-administrative.yaml").read_text(encoding="utf-8"))
    data["lots"] = [{"numero": i + 1, "intitule": "Lot", "montant_estime_ht": 1000, "part_main_oeuvre": 0.5}
                    for i in range(5001)]
    path = tmp_path / "enorme.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = invoke(runner, "check", str(path))
    assert result.exit_code == 2
    assert result.output.startswith(f"{path}:")
    assert result.output.endswith(" — lots : trop de lots (5001 ; maximum 5000). Découpez l'accord-cadre en "
                                  "plusieurs profils et utilisez : drafter bulk\n")


@pytest.mark.parametrize("content, line_col, message", [
    ('version: 1\nacheteur:\n  nom: "x\n  categorie: etat\n', "5:1",
     "fin de fichier inattendue (guillemet ou crochet non fermé ?)"),
    ("version: 1\nacheteur:\n\tnom: x\n", "3:1",
     "caractère interdit à cet endroit (une tabulation ? utilisez des espaces)"),
    ("objet: Marché: travaux\n", "1:14",
     "deux-points inattendu (une valeur contenant « : » doit être entre guillemets, ou une clé est mal indentée)"),
])
def test_yaml_syntax_errors(runner, tmp_path, content, line_col, message):
    path = write(tmp_path, "syntaxe.yaml", content)
    result = invoke(runner, "check", path)
    assert result.exit_code == 2
    assert result.output == (f"{path}:{line_col} — syntaxe YAML invalide : {message}. Vérifiez l'indentation "
                             "(espaces, pas de tabulations), les deux-points et les guillemets.\n")


def test_duplicate_key(runner, tmp_path):
    path = write(tmp_path, "double.yaml", "version: 1\nversion: 1\n")
    result = invoke(runner, "check", path)
    assert result.exit_code == 2
    assert result.output == (f"{path}:2:1 — clé « version » en double (déjà définie ligne 1) : gardez une "
                             "seule définition.\n")


def test_every_value_error_at_once(runner, tmp_path):
    source = (EXAMPLES / "travaux-cite-administrative.yaml").read_text(encoding="utf-8")
    source = (source.replace("categorie: etat", "categorie: etatt")
              .replace("montant_estime_ht: 640000", "montant_estime_ht: -5")
              .replace("part_main_oeuvre: 0.25", "part_main_oeuvre: 25")
              .replace("  duree_mois: 22", "  duree_moi: 22"))
    path = write(tmp_path, "profil.yaml", source)
    result = invoke(runner, "check", path)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines == [
        f"{path}:5:14 — acheteur.categorie : valeur non admise ; valeurs possibles : etat, "
        "autre_pouvoir_adjudicateur, entite_adjudicatrice (valeur lue : « etatt »)",
        f"{path}:14:3 — marche.duree_mois : champ obligatoire manquant : Durée totale en mois, reconductions "
        "comprises",
        f"{path}:20:3 — marche.duree_moi : clé inconnue : vouliez-vous dire « duree_mois » ? Clés admises ici : "
        "objet, reference, nature, forme, procedure, date_lancement, duree_mois, lieu_execution, cpv, "
        "defense_ou_securite, montant_estime_ht, montant_minimum_ht, montant_maximum_ht, secteur, "
        "part_main_oeuvre, objet_insertion, heures_mensuelles_personnel_repris, activite_support, postes_insertion, "
        "heures_activite_support.",
        f"{path}:39:24 — lots[1].montant_estime_ht : doit être un montant positif en euros HT (valeur lue : « -5 »)",
        f"{path}:60:23 — lots[6].part_main_oeuvre : doit être un taux entre 0 et 1 : écrivez 0.25 ou « 25 % » "
        "(valeur lue : « 25 »)",
    ]


def test_amount_forms_accepted(runner, tmp_path):
    path = example_with(tmp_path, "mapa-petits-travaux.yaml", "montant_estime_ht: 38000",
                        'montant_estime_ht: "38 000,00 €"')
    result = invoke(runner, "check", path)
    assert result.exit_code == 0, result.output
    assert result.output == f"{path} : profil valide (1 lot, condition sociale non obligatoire).\n"


def test_amount_as_text_rejected(runner, tmp_path):
    path = example_with(tmp_path, "mapa-petits-travaux.yaml", "montant_estime_ht: 38000",
                        "montant_estime_ht: trente-huit mille")
    result = invoke(runner, "check", path)
    assert result.exit_code == 2
    assert result.output == (f"{path}:17:22 — marche.montant_estime_ht : doit être un montant en euros HT écrit "
                             "en chiffres (ex. 480000 ou « 480 000 ») (valeur lue : « trente-huit mille »)\n")


def test_decision_error_missing_justification(runner, tmp_path):
    path = example_with(tmp_path, "fournitures-informatique-exception.yaml",
                        '    justification: "Achat sur catalogue de matériels standard livrés en une fois ; aucune '
                        'prestation d\'exécution ne mobilise de main-d\'œuvre sur site pendant la durée du marché."\n',
                        "")
    result = invoke(runner, "check", path)
    assert result.exit_code == 2
    assert result.output == (
        f"{path}:22:5 — insertion.exception.justification : justification manquante : rédigez les raisons de "
        "l'exception, qui seront conservées au dossier du marché (art. L2112-2-1).\n")


def test_check_all_examples(runner):
    paths = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))
    result = invoke(runner, "check", *paths)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "6 profil(s) valide(s), 0 en erreur."


def test_check_reports_every_file(runner, tmp_path):
    bad = write(tmp_path, "vide.yaml", "")
    good = str(EXAMPLES / "mapa-petits-travaux.yaml")
    result = invoke(runner, "check", bad, good)
    assert result.exit_code == 2
    assert f"{bad} — le fichier est vide : aucun profil à lire." in result.output
    assert f"{good} : profil valide" in result.output
    assert result.output.splitlines()[-1] == "1 profil(s) valide(s), 1 en erreur."


def test_invalid_date_option_is_french(runner):
    result = invoke(runner, "explain", str(EXAMPLES / "mapa-petits-travaux.yaml"), "--date", "2027-13-01")
    assert result.exit_code == 2
    assert result.output.endswith("Erreur : Valeur invalide pour '--date' : date attendue au format AAAA-MM-JJ, "
                                  "par exemple 2027-01-15 (valeur lue : « 2027-13-01 »)\n")


def test_date_before_rule_tables(runner):
    result = invoke(runner, "explain", str(EXAMPLES / "mapa-petits-travaux.yaml"), "--date", "2021-06-01")
    assert result.exit_code == 2
    assert result.output == ("aucune valeur de la règle « seuil_europeen.travaux » n'est en vigueur au 1er juin 2021 : "
                             "choisissez une autre date (--date) ou complétez la table de règles.\n")


def test_help_is_french(runner):
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    assert result.output.startswith("Utilisation : drafter [OPTIONS] COMMANDE [ARGUMENTS]...")
    assert "Affiche cette aide et quitte." in result.output
    assert "Commandes" in result.output
    result = invoke(runner, "check")
    assert result.exit_code == 2
    assert "Erreur : Argument manquant 'PROFIL...'." in result.output


def test_unknown_command_is_french(runner):
    result = invoke(runner, "chek")
    assert result.exit_code == 2
    assert "Erreur : Commande inconnue : 'chek'." in result.output


def test_debug_lets_the_user_error_propagate(runner, tmp_path):
    """`explain` does not catch the error itself: with --debug the ProfileError reaches the caller
    (click prints its traceback in a terminal), without it the French message and exit 2."""
    path = str(tmp_path / "absent.yaml")
    result = runner.invoke(cli, ["--debug", "explain", path])
    assert type(result.exception) is ProfileError
    assert str(result.exception) == f"{path} — fichier introuvable. Vérifiez le chemin du profil."
    assert result.exit_code == 1
    assert result.output == ""
    plain = runner.invoke(cli, ["explain", path])
    assert type(plain.exception) is SystemExit
    assert plain.exit_code == 2
    assert plain.output == f"{path} — fichier introuvable. Vérifiez le chemin du profil.\n"


def test_lot_without_estimate(runner, tmp_path):
    path = example_with(tmp_path, "travaux-cite-administrative.yaml", "    montant_estime_ht: 420000\n", "")
    result = invoke(runner, "check", path)
    assert result.exit_code == 2
    assert result.output == (f"{path}:53:5 — lots[5] : champ obligatoire manquant : montant_estime_ht (Montant "
                             "estimé HT du lot, en euros, sur toute la durée, reconductions comprises)\n")
