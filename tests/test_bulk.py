"""``drafter bulk``: inputs of every kind, independent failures, reports, summary, parallel runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from drafter.app import bulk
from drafter.cli.main import cli
from drafter.documents.docx_text import docx_text
from drafter.errors import RenderError

from .conftest import EXAMPLES, piece
from .sheet_helpers import lot, write_csv, write_xlsx

SMALL = ["mapa-petits-travaux.yaml", "fournitures-informatique-exception.yaml"]
SUMMARY_HEAD = ["Marché", "Objet du marché", "Lot", "Intitulé du lot", "Dispositif", "Heures d'insertion"]


def invoke(runner: CliRunner, *args: str):
    result = runner.invoke(cli, ["bulk", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def small_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "profils"
    folder.mkdir()
    for name in SMALL:
        shutil.copy(EXAMPLES / name, folder / name)
    return folder


def summary_rows(path: Path, sheet: str = "Synthèse") -> list[list]:
    book = openpyxl.load_workbook(path)
    return [[c.value for c in row] for row in book[sheet].iter_rows()]


def folders(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.is_dir())


def test_folder_glob_xlsx_and_csv_inputs(runner: CliRunner, tmp_path: Path) -> None:
    folder = small_folder(tmp_path)
    sheet = write_xlsx(tmp_path / "lots.xlsx", [lot(1, "Nord", 480000), lot(2, "Sud", 250000)])
    csv = write_csv(tmp_path / "lots.csv", [dict(lot(None, None, 38000), **{"Référence du marché": "2027-CSV"})])
    shutil.copy(EXAMPLES / "espaces-verts-reserve-siae.yaml", tmp_path / "ev.yaml")
    out = tmp_path / "sortie"
    result = invoke(runner, str(folder), str(tmp_path / "e*.yaml"), str(sheet), str(csv), "-o", str(out), "-j", "2")
    assert result.exit_code == 0, result.output
    assert folders(out) == ["2027-CSV", "2027-DDETS46-PEINT", "2027-DDT81-EV-02", "2027-RECT-INFO-07",
                            "2027-TEST-01"]
    assert "5 marché(s) rédigé(s)" in result.output and "0 en erreur" in result.output
    assert not (out / "erreurs.txt").exists()
    manifest = json.loads((out / "2027-TEST-01" / "manifest.json").read_text(encoding="utf-8"))
    assert [(lt["numero"], lt["dispositif"], lt["heures"]) for lt in manifest["lots"]] == [
        (1, "condition_execution", 480), (2, "condition_execution", 250)]
    assert sorted(d["fichier"] for d in manifest["documents"]) == sorted(
        p.name for p in (out / "2027-TEST-01").iterdir() if p.name != "manifest.json")
    assert "Secteur nord" not in docx_text(out / "2027-TEST-01" / piece("engagement-insertion-lot-1.docx"))
    assert "480" in docx_text(out / "2027-TEST-01" / piece("engagement-insertion-lot-1.docx"))
    rows = summary_rows(out / "synthese.xlsx")
    assert rows[0][:6] == SUMMARY_HEAD
    none = "Pas de clause sociale"
    assert [r[:6] for r in rows[1:]] == [
        ["2027-RECT-INFO-07", "Fourniture de postes de travail informatiques reconditionnés", 1,
         "Fourniture de postes de travail informatiques reconditionnés", none, None],
        ["2027-DDETS46-PEINT", "Remise en peinture des bureaux du rez-de-chaussée", 1,
         "Remise en peinture des bureaux du rez-de-chaussée", none, None],
        ["2027-DDT81-EV-02", rows[3][1], 1, rows[3][3], rows[3][4], None],
        ["2027-TEST-01", "Entretien des espaces verts", 1, "Nord", rows[4][4], 480],
        ["2027-TEST-01", "Entretien des espaces verts", 2, "Sud", rows[5][4], 250],
        ["2027-CSV", "Entretien des espaces verts", 1, "Entretien des espaces verts", rows[6][4], rows[6][5]],
    ]
    assert rows[3][4].startswith("Marché réservé") and rows[4][4].startswith("Condition d'exécution")
    assert summary_rows(out / "synthese.xlsx", "Erreurs") == [
        ["Élément", "Fichier", "Ligne", "Colonne ou champ", "Message"]]


def test_bad_row_among_good_ones(runner: CliRunner, tmp_path: Path) -> None:
    rows = [lot(1, "Nord", 480000), lot(2, "Sud", -5),
            dict(lot(1, "Seul", 90000), **{"Référence du marché": "2027-AUTRE"})]
    sheet = write_xlsx(tmp_path / "lots.xlsx", rows, rename={"Montant estimé HT": "MONTANT ESTIME HT (€)"})
    out = tmp_path / "sortie"
    result = invoke(runner, str(sheet), str(EXAMPLES / SMALL[0]), "-o", str(out), "-j", "2")
    assert result.exit_code == 1
    assert folders(out) == ["2027-AUTRE", "2027-DDETS46-PEINT"]
    message = (f"{sheet}:ligne 3, colonne « MONTANT ESTIME HT (€) » — doit être un montant positif en euros HT "
               "(valeur lue : « -5 »)")
    assert (out / "erreurs.txt").read_text(encoding="utf-8") == (
        "drafter bulk — 1 élément(s) en erreur\n\n"
        f"■ {sheet} (marché « 2027-TEST-01 »)\n  {message}\n\n")
    assert f"✗ {sheet} (marché « 2027-TEST-01 »)\n  {message}" in result.output
    assert summary_rows(out / "synthese.xlsx", "Erreurs")[1:] == [
        [f"{sheet} (marché « 2027-TEST-01 »)", str(sheet), 3, "MONTANT ESTIME HT (€)",
         "doit être un montant positif en euros HT (valeur lue : « -5 »)"]]
    assert [r[0] for r in summary_rows(out / "synthese.xlsx")[1:]] == ["2027-AUTRE", "2027-DDETS46-PEINT"]


def test_bad_profile_reported_with_its_line_and_others_generated(runner: CliRunner, tmp_path: Path) -> None:
    folder = small_folder(tmp_path)
    bad = folder / "zz-casse.yaml"
    bad.write_text((EXAMPLES / SMALL[0]).read_text(encoding="utf-8").replace("montant_estime_ht: 38000",
                                                                             "montant_estime_ht: -5"),
                   encoding="utf-8")
    out = tmp_path / "sortie"
    result = invoke(runner, str(folder), "-o", str(out), "-j", "1")
    assert result.exit_code == 1
    assert folders(out) == ["2027-DDETS46-PEINT", "2027-RECT-INFO-07"]
    report = (out / "erreurs.txt").read_text(encoding="utf-8")
    assert f"■ {bad}\n  {bad}:17:22 — marche.montant_estime_ht : doit être un montant positif en euros HT" in report


def test_parallel_and_serial_runs_give_the_same_documents(runner: CliRunner, tmp_path: Path) -> None:
    inputs = [str(EXAMPLES / "nettoyage-accord-cadre-occitanie.yaml"), str(EXAMPLES / SMALL[0]),
              str(write_xlsx(tmp_path / "lots.xlsx", [lot(1, "Nord", 480000), lot(2, "Sud", 250000)]))]
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"sortie-{workers}"
        assert invoke(runner, *inputs, "-o", str(out), "-j", workers).exit_code == 0
        outputs.append(out)
    one, two = ({str(p.relative_to(o)): p for p in o.rglob("*") if p.is_file()} for o in outputs)
    assert sorted(one) == sorted(two) and len(one) > 20
    for name, path in one.items():
        if name.endswith(".xlsx"):
            assert summary_rows(path, openpyxl.load_workbook(path).sheetnames[0]) == summary_rows(
                two[name], openpyxl.load_workbook(two[name]).sheetnames[0])
        else:
            assert path.read_bytes() == two[name].read_bytes(), name  # fast path: fixed zip dates


def test_review_comments_in_bulk(runner: CliRunner, tmp_path: Path) -> None:
    from .document_helpers import comments_by_paragraph

    out = tmp_path / "sortie"
    sheet = write_xlsx(tmp_path / "lots.xlsx", [lot(1, "Nord", 480000), lot(2, "Sud", 250000)])
    assert invoke(runner, str(sheet), "-o", str(out), "-j", "2", "--revue").exit_code == 0
    comments = comments_by_paragraph(out / "2027-TEST-01" / "relecture" / piece("engagement-insertion-lot-2.docx"))
    assert comments and {author for author, _, _ in comments} == {"drafter"}
    assert "⟦" not in docx_text(out / "2027-TEST-01" / piece("ccap-article-insertion.docx"))


def test_a_render_failure_fails_its_market_only(runner: CliRunner, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    real = bulk.render_document

    def flaky(template, context, **kw):
        if context["marche"]["reference"] == "2027-RECT-INFO-07":
            raise RenderError("modèle « note-de-calcul.docx » : panne simulée.")
        return real(template, context, **kw)

    monkeypatch.setattr(bulk, "render_document", flaky)
    out = tmp_path / "sortie"
    result = invoke(runner, str(small_folder(tmp_path)), "-o", str(out), "-j", "2")
    assert result.exit_code == 1
    assert folders(out) == ["2027-DDETS46-PEINT"]
    assert "modèle « note-de-calcul.docx » : panne simulée." in (out / "erreurs.txt").read_text(encoding="utf-8")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_existing_folder_needs_force_and_duplicate_references_are_refused(runner: CliRunner,
                                                                          tmp_path: Path) -> None:
    out = tmp_path / "sortie"
    profile = str(EXAMPLES / SMALL[0])
    assert invoke(runner, profile, "-o", str(out)).exit_code == 0
    again = invoke(runner, profile, "-o", str(out))
    assert again.exit_code == 1
    assert f"Le dossier « {out / '2027-DDETS46-PEINT'} » existe déjà : ajoutez --force" in again.output
    assert invoke(runner, profile, "-o", str(out), "--force").exit_code == 0
    copy = tmp_path / "copie.yaml"
    shutil.copy(profile, copy)
    twice = invoke(runner, profile, str(copy), "-o", str(tmp_path / "autre"))
    assert twice.exit_code == 1
    assert (f"même dossier de sortie « {tmp_path / 'autre' / '2027-DDETS46-PEINT'} » que {profile} (même "
            "référence de marché)") in twice.output


def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    none = invoke(runner)
    assert none.exit_code == 2 and "donnez au moins une entrée" in none.output
    missing = invoke(runner, str(tmp_path / "absent.yaml"), str(tmp_path / "*.yaml"), "-o", str(tmp_path / "o"))
    assert missing.exit_code == 2
    assert f"{tmp_path / 'absent.yaml'} — fichier ou dossier introuvable. Vérifiez le chemin." in missing.output
    assert "aucune entrée à traiter : rien n'a été écrit." in missing.output
    assert not (tmp_path / "o").exists()


def test_model_spreadsheet_filled_in_round_trips(runner: CliRunner, tmp_path: Path) -> None:
    model = tmp_path / "modele.xlsx"
    result = invoke(runner, "--modele-tableur", str(model))
    assert result.exit_code == 0 and model.exists()
    assert invoke(runner, "--modele-tableur", str(model)).exit_code == 2
    book = openpyxl.load_workbook(model)
    sheet = book["Lots"]
    column = {c.value: c.column for c in sheet[1]}
    example = [c.value for c in sheet[2]]
    sheet.append(example)
    sheet.cell(3, column["N° de lot"]).value = 2
    sheet.cell(3, column["Intitulé du lot"]).value = "Secteur sud"
    sheet.cell(3, column["Montant estimé HT"]).value = 300000
    sheet.cell(3, column["Dispositif"]).value = "reserve_siae"
    filled = tmp_path / "rempli.xlsx"
    book.save(filled)
    out = tmp_path / "sortie"
    result = invoke(runner, str(filled), "-o", str(out))
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "2027-PREF31-004" / "manifest.json").read_text(encoding="utf-8"))
    assert [(lt["numero"], lt["intitule"], lt["dispositif"]) for lt in manifest["lots"]] == [
        (1, "Secteur nord", "condition_execution"), (2, "Secteur sud", "reserve_siae")]
    assert (out / "2027-PREF31-004" / piece("engagement-insertion-lot-1.docx")).exists()


def test_a_worker_killed_outright_is_reported_not_hung(runner: CliRunner, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def crash(template, context, **kw):
        os._exit(3)

    monkeypatch.setattr(bulk, "render_document", crash)
    out = tmp_path / "sortie"
    result = invoke(runner, str(small_folder(tmp_path)), "-o", str(out), "-j", "2")
    assert result.exit_code == 1
    assert folders(out) == []
    assert "un processus de rédaction s'est arrêté brutalement (mémoire insuffisante ?)" in (
        out / "erreurs.txt").read_text(encoding="utf-8")


def edited_template(folder: Path, old: str, new: str) -> Path:
    """A copy of the bundled commitment form with one text replaced (as a lawyer would in Word)."""
    import zipfile

    from drafter.documents.templates_set import BUNDLED

    folder.mkdir(exist_ok=True)
    source = zipfile.ZipFile(BUNDLED / "engagement-insertion.docx")
    target = folder / "engagement-insertion.docx"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(old.encode(), new.encode())
            out.writestr(info, data)
    return folder


def test_edited_templates_are_used_and_a_bad_set_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    sheet = str(write_xlsx(tmp_path / "lots.xlsx", [lot(1, "Nord", 480000), lot(2, "Sud", 250000)]))
    good = edited_template(tmp_path / "modeles", "Engagement d'insertion du candidat", "Engagement modifié")
    out = tmp_path / "sortie"
    result = runner.invoke(cli, ["--modeles", str(good), "bulk", sheet, "-o", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "Engagement modifié" in docx_text(out / "2027-TEST-01" / piece("engagement-insertion-lot-2.docx"))
    bad = edited_template(tmp_path / "casses", "{{ lot.designation }}", "{{ lot.inconnue }}")
    broken = runner.invoke(cli, ["--modeles", str(bad), "bulk", sheet, "-o", str(tmp_path / "rien")])
    assert broken.exit_code == 2
    assert "lot.inconnue" in broken.output
    assert not (tmp_path / "rien").exists()
