"""Every way `drafter generate` can fail, and what is left on disk afterwards (SPEC §7: atomic
output, never overwritten without --force): nothing half-written, no hidden temporary folder, the
old folder intact byte for byte, an exact French message and the documented exit code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.app import generate as generate_module
from drafter.app.generate import generate
from drafter.cli.main import cli
from drafter.documents import output, pdf
from drafter.errors import OutputError, RenderError

from .conftest import EXAMPLES, ROOT
from .document_helpers import analysis_of
from .test_cli_generate import edit_template

MAPA = "mapa-petits-travaux.yaml"  # 1 lot, no clause: the note + manifest
NETTOYAGE = "nettoyage-accord-cadre-occitanie.yaml"  # 4 lots: 10 .docx, synthese.xlsx, manifest
NETTOYAGE_SLUG = "2027-PFRA-NET-03"
MAPA_SLUG = "2027-DDETS46-PEINT"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative name → bytes)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def old_folder(out: Path, slug: str) -> dict[str, bytes]:
    """An existing market folder, as a previous run (or the buyer) left it."""
    folder = out / slug
    folder.mkdir(parents=True)
    (folder / "note-de-calcul.docx").write_bytes(b"ancienne note")
    (folder / "relu-par-le-juriste.txt").write_text("à garder", encoding="utf-8")
    return snapshot(folder)


def entries(out: Path) -> list[str]:
    """Names in the output folder, hidden ones included (a leftover .tmp or .old would show)."""
    return sorted(p.name for p in out.iterdir())


# --- the Nth document failing mid-generation ---------------------------------------------------


@pytest.mark.parametrize("fail_at", [1, 3, 10])
def test_nth_document_failing_leaves_the_old_folder_and_no_temporary(tmp_path, monkeypatch, fail_at):
    out = tmp_path / "out"
    before = old_folder(out, NETTOYAGE_SLUG)
    real = generate_module.render_document
    calls = []

    def flaky(template, context, **kwargs):
        calls.append(template.name)
        if len(calls) == fail_at:
            raise RenderError(f"modèle « {template.name} » : panne simulée.")
        return real(template, context, **kwargs)

    monkeypatch.setattr(generate_module, "render_document", flaky)
    with pytest.raises(RenderError, match="panne simulée"):
        generate(analysis_of(NETTOYAGE), out, force=True)
    assert len(calls) == fail_at
    assert entries(out) == [NETTOYAGE_SLUG]
    assert snapshot(out / NETTOYAGE_SLUG) == before


def test_nth_document_failing_through_the_cli(runner, tmp_path, monkeypatch):
    out = tmp_path / "out"
    real = generate_module.render_document
    calls = []

    def flaky(template, context, **kwargs):
        calls.append(template.name)
        if len(calls) == 2:
            raise RenderError("modèle « ccap-article-insertion.docx » : panne simulée.")
        return real(template, context, **kwargs)

    monkeypatch.setattr(generate_module, "render_document", flaky)
    result = runner.invoke(cli, ["generate", str(EXAMPLES / NETTOYAGE), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output == "modèle « ccap-article-insertion.docx » : panne simulée.\n"
    assert not out.exists() or entries(out) == []


# --- a failure inside the folder writer, after some files are written ---------------------------


def failing_write_after(monkeypatch, count: int) -> list[str]:
    """Make the ``count``-th file written by the output writer fail like a full disk."""
    real = Path.write_bytes
    written: list[str] = []

    def write_bytes(self, data):
        if len(written) + 1 == count:
            raise OSError(28, "No space left on device", str(self))
        written.append(self.name)
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    return written


@pytest.mark.parametrize("force", [False, True])
def test_write_failing_after_some_files_leaves_nothing_behind(tmp_path, monkeypatch, force):
    out = tmp_path / "out"
    before = old_folder(out, NETTOYAGE_SLUG) if force else None
    analysis = analysis_of(NETTOYAGE)
    written = failing_write_after(monkeypatch, 5)
    with pytest.raises(OutputError) as info:
        generate(analysis, out, force=force)
    assert str(info.value) == f"impossible d'écrire dans « {out} » : plus de place sur le disque. Rien n'a été écrit."
    assert info.value.exit_code == 2
    assert len(written) == 4, "four files were written in the staging folder before the failure"
    if force:
        assert entries(out) == [NETTOYAGE_SLUG]
        assert snapshot(out / NETTOYAGE_SLUG) == before
    else:
        assert entries(out) == []


def test_write_folder_writes_exactly_the_files_given(tmp_path):
    target = tmp_path / "out" / "marche"
    files = {"a.docx": b"A", "b.xlsx": b"B" * 10, "manifest.json": b"{}"}
    output.write_folder(target, files)
    assert snapshot(target) == files
    assert entries(tmp_path / "out") == ["marche"]


def test_write_folder_refuses_an_existing_folder_without_force(tmp_path):
    target = tmp_path / "marche"
    target.mkdir()
    (target / "x.txt").write_text("garde", encoding="utf-8")
    with pytest.raises(OutputError) as info:
        output.write_folder(target, {"a.docx": b"A"})
    assert str(info.value) == (
        f"Le dossier « {target} » existe déjà : ajoutez --force pour le remplacer. Rien n'a été écrit."
    )
    assert info.value.exit_code == 2
    assert snapshot(target) == {"x.txt": b"garde"}
    assert entries(tmp_path) == ["marche"]


def test_write_folder_never_replaces_a_file_even_with_force(tmp_path):
    target = tmp_path / "marche"
    target.write_bytes(b"un fichier")
    for force in (False, True):
        with pytest.raises(OutputError) as info:
            output.write_folder(target, {"a.docx": b"A"}, force=force)
        assert str(info.value) == (
            f"Le chemin « {target} » existe déjà : ce n'est pas un dossier : choisissez "
            "un autre -o. Rien n'a été écrit."
        )
    assert target.read_bytes() == b"un fichier"
    assert entries(tmp_path) == ["marche"]


def test_force_replaces_the_whole_folder_and_leaves_no_old_copy(tmp_path):
    target = tmp_path / "marche"
    target.mkdir()
    (target / "ancien.txt").write_text("ancien", encoding="utf-8")
    output.write_folder(target, {"nouveau.docx": b"N"}, force=True)
    assert snapshot(target) == {"nouveau.docx": b"N"}
    assert entries(tmp_path) == ["marche"]


def test_staging_folder_is_hidden_beside_the_target(tmp_path):
    target = tmp_path / "sous" / "marche"
    work = output.staging_folder(target)
    assert work.parent == target.parent
    assert work.name.startswith(".marche.") and work.name.endswith(".tmp")
    assert work.is_dir() and not target.exists()


# --- the --force rename failing ------------------------------------------------------------------


def failing_rename(monkeypatch, fail_on: int) -> list[tuple[str, str]]:
    """Make the ``fail_on``-th rename fail (1: target → old, 2: staging → target)."""
    real = Path.rename
    renames: list[tuple[str, str]] = []

    def rename(self, target):
        renames.append((Path(self).name, Path(target).name))
        if len(renames) == fail_on:
            raise OSError(16, "Device or resource busy", str(self))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    return renames


@pytest.mark.parametrize("fail_on", [1, 2])
def test_force_rename_failing_keeps_the_old_folder(tmp_path, monkeypatch, fail_on):
    out = tmp_path / "out"
    before = old_folder(out, MAPA_SLUG)
    renames = failing_rename(monkeypatch, fail_on)
    with pytest.raises(OutputError) as info:
        generate(analysis_of(MAPA), out, force=True)
    assert str(info.value) == f"impossible d'écrire dans « {out} » : fichier ou périphérique occupé. Rien n'a été écrit."
    monkeypatch.undo()
    assert entries(out) == [MAPA_SLUG], "no .tmp nor .old folder is left"
    assert snapshot(out / MAPA_SLUG) == before
    assert renames[0][0] == MAPA_SLUG and renames[0][1].endswith(".old")
    if fail_on == 2:
        assert renames[1][0].endswith(".tmp") and renames[1][1] == MAPA_SLUG
        assert renames[2][0] == renames[0][1] and renames[2][1] == MAPA_SLUG, "the old folder is put back"
        assert len(renames) == 3


def test_move_into_place_uses_renames_only(tmp_path, monkeypatch):
    """Atomic replacement: the new folder appears by a rename, never by a copy of its files."""
    target = tmp_path / "marche"
    target.mkdir()
    (target / "ancien.txt").write_text("ancien", encoding="utf-8")
    work = tmp_path / ".marche.x.tmp"
    work.mkdir()
    (work / "nouveau.txt").write_text("nouveau", encoding="utf-8")
    monkeypatch.setattr(shutil, "copytree", lambda *a, **k: pytest.fail("copytree is not atomic"))
    monkeypatch.setattr(shutil, "copy2", lambda *a, **k: pytest.fail("copy2 is not atomic"))
    output.move_into_place(work, target)
    assert snapshot(target) == {"nouveau.txt": b"nouveau"}
    assert entries(tmp_path) == ["marche"]


# --- the output folder impossible to create ------------------------------------------------------


def test_output_folder_under_a_file(runner, tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_bytes(b"pas un dossier")
    out = blocker / "sous-dossier"
    result = runner.invoke(cli, ["generate", str(EXAMPLES / MAPA), "-o", str(out)])
    assert result.exit_code == 2
    assert result.output == (
        f"impossible d'écrire dans « {out} » : un élément du chemin n'est pas un dossier. Rien n'a été écrit.\n"
    )
    assert blocker.read_bytes() == b"pas un dossier"
    assert entries(tmp_path) == ["fichier"]


def test_output_folder_is_an_existing_file(runner, tmp_path):
    (tmp_path / MAPA_SLUG).write_bytes(b"x")
    result = runner.invoke(cli, ["generate", str(EXAMPLES / MAPA), "-o", str(tmp_path), "--force"])
    assert result.exit_code == 2
    assert result.output == (
        f"Le chemin « {tmp_path / MAPA_SLUG} » existe déjà : ce n'est pas un dossier : "
        "choisissez un autre -o. Rien n'a été écrit.\n"
    )


# --- a template error at render time -------------------------------------------------------------


def test_template_error_at_render_time_is_french_exit_1_nothing_written(tmp_path):
    """An edited template that fails while rendering one market (here given directly, as a template set
    that passed `templates check` would be): French message naming the template, exit 1, nothing written."""
    from drafter.documents.templates_set import template_paths

    folder = tmp_path / "modeles"
    folder.mkdir()
    edit_template(
        ROOT / "drafter" / "documents" / "templates" / "note-de-calcul.docx",
        folder / "note-de-calcul.docx",
        "{{ marche.reference }}",
        "{{ marche.reference }} {{ lots[99].heures }}",
    )
    templates = {**template_paths(None), "note-de-calcul": folder / "note-de-calcul.docx"}
    out = tmp_path / "out"
    with pytest.raises(RenderError) as info:
        generate(analysis_of(MAPA), out, templates=templates)
    assert info.value.exit_code == 1
    assert str(info.value).startswith(
        "modèle « note-de-calcul.docx » : list object has no element 99 (texte autour : "
        "« Représentant {{ acheteur.representant }} Référence {{ marche.reference }} "
        "{{ lots[99].heures }} Objet {{ marche.objet }}"
    )
    assert str(info.value).endswith(". Corrigez le modèle (drafter templates check) puis relancez.")
    assert not out.exists() or entries(out) == []


# --- LibreOffice failing, timing out, missing ----------------------------------------------------


def fake_soffice(tmp_path: Path, body: str) -> str:
    """A stand-in for soffice: a shell script (LibreOffice itself exits 0 even when it fails)."""
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def test_libreoffice_producing_nothing(runner, tmp_path, monkeypatch):
    command = fake_soffice(tmp_path, 'echo "Error: source file could not be loaded" >&2\nexit 0')
    monkeypatch.setattr(pdf, "soffice", lambda: command)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["generate", str(EXAMPLES / MAPA), "-o", str(out), "--pdf"])
    assert result.exit_code == 1
    assert result.output == (
        "--pdf : la conversion par LibreOffice a échoué pour 2027-DDETS46-PEINT_note-de-calcul.docx "
        "(Error: source file could not be loaded).\n"
    )
    assert not out.exists() or entries(out) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is needed to read the PDF back")
def test_libreoffice_producing_pdfs_without_text(tmp_path, monkeypatch):
    # writes "<name>.pdf" holding no readable text for every document given
    body = (
        'out=""\nfor a in "$@"; do case "$prev" in --outdir) out="$a";; esac; prev="$a"; done\n'
        'for a in "$@"; do case "$a" in *.docx) n=$(basename "$a" .docx); printf "%%PDF-1.4 rien" '
        '> "$out/$n.pdf";; esac; done\nexit 0'
    )
    command = fake_soffice(tmp_path, body)
    monkeypatch.setattr(pdf, "soffice", lambda: command)
    docs = []
    for name in ("a.docx", "b.docx"):
        (tmp_path / name).write_bytes(b"x")
        docs.append(tmp_path / name)
    outdir = tmp_path / "pdf"
    outdir.mkdir()
    with pytest.raises(RenderError) as info:
        pdf.convert(docs, outdir)
    assert str(info.value) == "--pdf : la conversion par LibreOffice a échoué pour a.docx, b.docx."
    assert info.value.exit_code == 1
    assert sorted(p.name for p in outdir.iterdir()) == ["a.pdf", "b.pdf"]


def test_libreoffice_timing_out(runner, tmp_path, monkeypatch):
    seen = {}

    def run(args, **kwargs):
        seen.update(kwargs)
        raise subprocess.TimeoutExpired(args, kwargs["timeout"])

    monkeypatch.setattr(pdf, "soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf.subprocess, "run", run)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["generate", str(EXAMPLES / MAPA), "-o", str(out), "--pdf"])
    assert result.exit_code == 1
    assert result.output == "--pdf : LibreOffice n'a pas terminé la conversion en 600 secondes.\n"
    assert seen["timeout"] == pdf.TIMEOUT_SECONDS == 600
    assert not out.exists() or entries(out) == []


def test_libreoffice_missing(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["generate", str(EXAMPLES / MAPA), "-o", str(out), "--pdf"])
    assert result.exit_code == 2
    assert result.output == (
        "--pdf : LibreOffice est introuvable (commande « soffice »). Installez-le (paquet "
        "libreoffice-writer) ou relancez sans --pdf. Aucun fichier n'a été écrit.\n"
    )
    assert not out.exists()


def test_libreoffice_is_called_once_with_a_private_profile(tmp_path, monkeypatch):
    calls = []

    def run(args, **kwargs):
        calls.append(args)
        outdir = Path(args[args.index("--outdir") + 1])
        for doc in args[args.index("--outdir") + 2 :]:
            (outdir / (Path(doc).stem + ".pdf")).write_bytes(b"%PDF")
        return subprocess.CompletedProcess(args, 0, b"", b"")

    monkeypatch.setattr(pdf, "soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "pdf_text", lambda path: "texte")
    monkeypatch.setattr(pdf.subprocess, "run", run)
    docs = [tmp_path / "a.docx", tmp_path / "b.docx"]
    result = pdf.convert(docs, tmp_path)
    assert result == [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    assert len(calls) == 1
    args = calls[0]
    assert args[:3] == ["/usr/bin/soffice", "--headless", "--norestore"]
    assert args[3].startswith("-env:UserInstallation=file:///") and "drafter-lo-" in args[3]
    assert args[4:9] == ["--infilter=MS Word 2007 XML", "--convert-to", "pdf", "--outdir", str(tmp_path)]
    assert args[9:] == [str(d) for d in docs]


# --- a real process: what a buyer sees in a terminal ---------------------------------------------


def run_drafter(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "drafter", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False)


def test_real_process_user_error_has_no_traceback(tmp_path):
    path = tmp_path / "absent.yaml"
    done = run_drafter("check", str(path))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"{path} — fichier introuvable. Vérifiez le chemin du profil.\n"


def test_real_process_decision_error_on_explain(tmp_path):
    source = (EXAMPLES / "fournitures-informatique-exception.yaml").read_text(encoding="utf-8")
    path = tmp_path / "profil.yaml"
    path.write_text(source.replace("    motif: solution_immediatement_disponible\n", ""), encoding="utf-8")
    done = run_drafter("explain", str(path))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{path}:")
    assert "motif d'exception manquant ; motifs admis : " in done.stderr


BOOM = (
    "import sys\n"
    "from drafter.app.settings import Settings\n"
    "def boom(self, path, date=None):\n"
    "    raise ZeroDivisionError('division par zéro simulée')\n"
    "Settings.analyse = boom\n"
    "from drafter.cli.main import main\n"
    "sys.argv[0] = 'drafter'\n"
    "main()\n"
)


def test_real_process_internal_error_is_one_french_sentence(tmp_path):
    done = run_drafter("explain", str(EXAMPLES / MAPA), code=BOOM)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "Erreur interne de drafter (ZeroDivisionError : division par zéro simulée). Relancez "
        "avec --debug pour le détail et signalez-la à l'équipe.\n"
    )


def test_real_process_internal_error_with_debug_shows_the_traceback(tmp_path):
    done = run_drafter("--debug", "explain", str(EXAMPLES / MAPA), code=BOOM)
    assert done.returncode == 1
    assert done.stderr.startswith("Traceback (most recent call last):")
    assert done.stderr.endswith("ZeroDivisionError: division par zéro simulée\n")
    assert "Erreur interne" not in done.stderr


def test_real_process_user_error_with_debug_shows_the_traceback(tmp_path):
    path = tmp_path / "absent.yaml"
    done = run_drafter("--debug", "explain", str(path))
    assert done.returncode == 1
    assert done.stderr.startswith("Traceback (most recent call last):")
    assert done.stderr.endswith(
        f"drafter.errors.ProfileError: {path} — fichier introuvable. Vérifiez le chemin du profil.\n"
    )


# --- the writer's details that keep it atomic ----------------------------------------------------


def test_old_folder_is_renamed_beside_the_target_then_removed(tmp_path, monkeypatch):
    target = tmp_path / "out" / "marche"
    target.mkdir(parents=True)
    (target / "ancien.txt").write_text("ancien", encoding="utf-8")
    real = Path.rename
    moves: list[tuple[Path, Path]] = []

    def rename(self, new):
        moves.append((Path(self), Path(new)))
        return real(self, new)

    monkeypatch.setattr(Path, "rename", rename)
    output.write_folder(target, {"nouveau.txt": b"N"}, force=True)
    (first_from, old), (work, second_to) = moves
    assert first_from == target and second_to == target
    assert old.parent == target.parent and work.parent == target.parent, "renames stay on one file system"
    assert old.name.startswith(".marche.") and old.name.endswith(".old")
    assert work.name.startswith(".marche.") and work.name.endswith(".tmp")
    assert not old.exists() and not work.exists()
    assert snapshot(target) == {"nouveau.txt": b"N"}


def test_output_folder_with_missing_parents_is_created(tmp_path):
    out = tmp_path / "a" / "b" / "c"
    result = generate(analysis_of(MAPA), out)
    assert result.folder == out / MAPA_SLUG
    assert sorted(p.name for p in result.folder.iterdir()) == [
        "2027-DDETS46-PEINT_note-de-calcul.docx",
        "manifest.json",
    ]
    assert entries(out) == [MAPA_SLUG]


def test_output_folder_under_a_file_exact_message(tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_bytes(b"x")
    with pytest.raises(OutputError) as info:
        output.write_folder(blocker / "sous" / "marche", {"a": b"A"})
    assert str(info.value) == (
        f"impossible d'écrire dans « {blocker / 'sous'} » : un élément du chemin n'est pas "
        "un dossier. Rien n'a été écrit."
    )
    assert info.value.exit_code == 2


def test_old_copy_that_cannot_be_removed_does_not_fail_the_run(tmp_path, monkeypatch):
    target = tmp_path / "marche"
    target.mkdir()
    (target / "ancien.txt").write_text("ancien", encoding="utf-8")

    def rmtree(path, ignore_errors=False, **kwargs):
        if not ignore_errors:
            raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    output.write_folder(target, {"nouveau.txt": b"N"}, force=True)
    assert snapshot(target) == {"nouveau.txt": b"N"}


def test_a_failed_cleanup_does_not_hide_the_original_error(tmp_path, monkeypatch):
    def rmtree(path, ignore_errors=False, **kwargs):
        if not ignore_errors:
            raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    failing_write_after(monkeypatch, 2)
    with pytest.raises(OutputError) as info:
        output.write_folder(tmp_path / "marche", {"a": b"A", "b": b"B", "c": b"C"})
    assert (
        str(info.value) == f"impossible d'écrire dans « {tmp_path} » : plus de place sur le disque. Rien n'a été écrit."
    )
