"""Issue 11, edited templates: resource payloads, self-references and broken files are refused by
``templates check`` and by ``generate --modeles`` with a French message (exit 2) naming the bound
that stopped them (no timing assert: a bound that failed would leave a test running for hours, and
CI would stop it)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from drafter.cli.main import cli
from drafter.documents import sandbox
from drafter.documents.templates_set import BUNDLED

from .conftest import EXAMPLES
from .test_cli_generate import edit_template

NOTE = "note-de-calcul.docx"


def check(runner, folder: Path):
    result = runner.invoke(cli, ["templates", "check", str(folder)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def edited(tmp_path: Path, payload: str) -> Path:
    folder = tmp_path / "modeles"
    folder.mkdir()
    edit_template(BUNDLED / NOTE, folder / NOTE, "{{ marche.reference }}", payload)
    return folder


REFUSED_OP = "opération refusée : elle construirait un texte ou une liste de plus de 1 000 000 éléments"


@pytest.mark.parametrize("payload, message", [
    ("{{ 'a'*10**9 }}", REFUSED_OP),
    ("{{ [0]*10**8 }}", REFUSED_OP),
    ("{{ 10**100000 }}", "opération refusée : nombre de plus de 1000 chiffres"),
    ("{% for s in ['a'*999999] %}{{ s + s }}{% endfor %}", REFUSED_OP),
])
def test_resource_payloads_are_refused_by_check_and_generate(runner, tmp_path, payload, message):
    folder = edited(tmp_path, payload)
    result = check(runner, folder)
    assert result.exit_code == 2
    assert result.output.startswith(f"{folder / NOTE} — {message} (texte autour : « ")
    out = tmp_path / "out"
    generated = runner.invoke(cli, ["--modeles", str(folder), "generate", str(EXAMPLES / "mapa-petits-travaux.yaml"),
                                    "-o", str(out)])
    assert generated.exit_code == 2
    assert message in generated.output
    assert not out.exists()


@pytest.mark.parametrize("payload, tag", [
    ("{% include 'x.xml' %}", "{% include %}"),
    ("{% import 'x.xml' as x %}", "{% import %}"),
    ("{% extends 'x.xml' %}", "{% extends %}"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "{% macro %}"),
    ("{% for x in lots recursive %}{{ loop(lots) }}{% endfor %}", "{% for … recursive %}"),
])
def test_self_contained_templates_only(runner, tmp_path, payload, tag):
    folder = edited(tmp_path, payload)
    result = check(runner, folder)
    assert result.exit_code == 2
    assert f"{folder / NOTE} — balise {tag} non admise : un modèle drafter est autonome et n'utilise que des " \
           "variables, des conditions et des boucles simples." in result.output


def test_long_loops_are_stopped_by_the_time_bound(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 1)
    folder = edited(tmp_path, "{% for i in 'x'*999999 %}{% for j in 'x'*999999 %}{% endfor %}{% endfor %}")
    result = check(runner, folder)
    assert result.exit_code == 2
    assert f"{folder / NOTE} — modèle refusé : le rendu du document dépasse 1 seconde (boucle trop longue ?)" in result.output


def test_output_size_bound(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_PART_CHARS", 100_000)  # the 5 000-lot note de calcul is 70 M
    folder = edited(tmp_path, "{% for i in 'x'*1000 %}{{ 'x' * 1000 }}{% endfor %}")
    result = check(runner, folder)
    assert result.exit_code == 2
    assert "modèle refusé : le document produit dépasserait 100 000 caractères" in result.output


def zip_with(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def broken_files(folder: Path) -> None:
    (folder / "ccap-article-insertion.docx").write_bytes(b"")
    (folder / "convention-facilitateur.docx").write_bytes(b"ceci n'est pas un zip")
    (folder / "engagement-insertion.docx").write_bytes((BUNDLED / "engagement-insertion.docx").read_bytes()[:3000])
    original = zipfile.ZipFile(BUNDLED / NOTE)
    members = {name: original.read(name) for name in original.namelist()}
    members["word/document.xml"] = b"<w:document><w:body>pas ferm"
    zip_with(folder / NOTE, members)
    (folder / "rc-article-insertion.docx").symlink_to(BUNDLED / "rc-article-insertion.docx")


def test_broken_template_files_are_reported_not_crashed(runner, tmp_path):
    folder = tmp_path / "modeles"
    folder.mkdir()
    broken_files(folder)
    result = check(runner, folder)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"{folder}/ccap-article-insertion.docx — fichier vide : ce n'est pas un document Word (.docx).",
        f"{folder}/convention-facilitateur.docx — ce n'est pas un document Word (.docx) (archive illisible, "
        "tronquée ou d'un autre format).",
        f"{folder}/engagement-insertion.docx — ce n'est pas un document Word (.docx) (archive illisible, tronquée "
        "ou d'un autre format).",
        f"{folder}/{NOTE} — fichier illisible comme document Word (.docx) : contenu XML invalide.",
        f"{folder}/rc-article-insertion.docx — lien symbolique : placez le fichier lui-même dans le dossier des "
        "modèles.",
    ]


def test_template_decompression_bomb(runner, tmp_path):
    folder = tmp_path / "modeles"
    folder.mkdir()
    original = zipfile.ZipFile(BUNDLED / NOTE)
    members = {name: original.read(name) for name in original.namelist()}
    members["word/media/bombe.bin"] = b"\0" * (130 * 1024 * 1024)
    zip_with(folder / NOTE, members)
    assert (folder / NOTE).stat().st_size < 1_000_000
    result = check(runner, folder)
    assert result.exit_code == 2
    assert result.output == (f"{folder}/{NOTE} — document Word (.docx) refusé : l'élément « word/media/bombe.bin » "
                             "occupe 130 Mo une fois décompressé (maximum 64 Mo).\n")
