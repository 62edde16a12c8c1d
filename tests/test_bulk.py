"""``drafter bulk``: inputs of every kind, independent failures, reports, summary, parallel runs."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from drafter.app import bulk, bulk_pool
from drafter.cli.main import cli
from drafter.documents.docx_text import docx_text
from drafter.errors import RenderError

from .conftest import EXAMPLES, ROOT, piece
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


def test_consolidated_summary_of_several_markets_totals_by_hand(runner: CliRunner, tmp_path: Path) -> None:
    """Three markets and a failed one, -j 2: the consolidated workbook read back with openpyxl.
    Green spaces: amount × 60 % labour × 5 % ÷ 30 € an hour; penalty 30 € per hour not done."""
    rows = [lot(1, "Nord", 480000), lot(2, "Sud", 250000),
            dict(lot(1, "Seul", 300000), **{"Référence du marché": "2027-AUTRE"}),
            dict(lot(1, "Casse", -5), **{"Référence du marché": "2027-CASSE"})]
    sheet = write_xlsx(tmp_path / "lots.xlsx", rows)
    out = tmp_path / "sortie"
    result = invoke(runner, str(sheet), str(EXAMPLES / SMALL[1]), "-o", str(out), "-j", "2")
    assert result.exit_code == 1, result.output
    book = openpyxl.load_workbook(out / "synthese.xlsx")
    assert book.sheetnames == ["Synthèse", "Totaux", "Points à confirmer", "Erreurs"]
    lots = summary_rows(out / "synthese.xlsx")
    head = lots[0]
    points = {r[0]: 0 for r in lots[1:]}
    for r in lots[1:]:
        points[r[0]] += r[head.index("Points à confirmer")] or 0
    totals = [[c.value for c in r] for r in book["Totaux"].iter_rows()]
    assert totals[0] == ["Marché", "Objet du marché", "Lots", "Lots avec clause", "Heures d'insertion",
                         "Montant estimé HT", "Montant maximum HT", "Pénalité encourue si aucune heure (HT)",
                         "Points à confirmer"]
    subject = "Entretien des espaces verts"
    computer = "Fourniture de postes de travail informatiques reconditionnés"
    assert totals[1:] == [
        ["2027-TEST-01", subject, 2, 2, 480 + 250, 730000, None, (480 + 250) * 30, points["2027-TEST-01"]],
        ["2027-AUTRE", subject, 1, 1, 300, 300000, None, 300 * 30, points["2027-AUTRE"]],
        ["2027-RECT-INFO-07", computer, 1, 0, None, 450000, None, None, points["2027-RECT-INFO-07"] or None],
        ["Ensemble", None, 4, 3, 1030, 1480000, None, 1030 * 30, sum(points.values())],
    ]
    assert all(points[m] > 0 for m in ("2027-TEST-01", "2027-AUTRE"))
    confirm = [[c.value for c in r] for r in book["Points à confirmer"].iter_rows(min_row=2)]
    assert sum(len(r[1].split(", ")) for r in confirm) == sum(points.values())
    assert {r[1] for r in confirm if r[0] == "2027-TEST-01"} == {"1, 2"}   # each point once, with its lots
    errors = summary_rows(out / "synthese.xlsx", "Erreurs")
    assert [r[0] for r in errors[1:]] == [f"{sheet} (marché « 2027-CASSE »)"]
    assert "2027-CASSE" in (out / "erreurs.txt").read_text(encoding="utf-8")


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


def all_files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_parallel_and_serial_runs_give_the_same_bytes(runner: CliRunner, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file, workbooks included, byte for byte; the framework agreement is split into
    document slices with -j 2 (SPLIT lowered), the small markets go whole to the workers."""
    monkeypatch.setattr(bulk, "SPLIT", 3)
    monkeypatch.setattr(bulk, "SLICE", 2)
    inputs = [str(EXAMPLES / "nettoyage-accord-cadre-occitanie.yaml"), str(EXAMPLES / SMALL[0]),
              str(write_xlsx(tmp_path / "lots.xlsx", [lot(1, "Nord", 480000), lot(2, "Sud", 250000)])),
              str(EXAMPLES / SMALL[1])]
    outputs = []
    for workers in ("1", "2", "2"):
        out = tmp_path / f"sortie-{len(outputs)}"
        result = invoke(runner, *inputs, "-o", str(out), "-j", workers)
        assert result.exit_code == 0, result.output
        outputs.append(all_files(out))
    assert len(outputs[0]) > 20 and "synthese.xlsx" in outputs[0]
    assert "2027-TEST-01/synthese.xlsx" in outputs[0]
    for other in outputs[1:]:
        assert sorted(other) == sorted(outputs[0])
        assert [name for name in outputs[0] if other[name] != outputs[0][name]] == []
    for name, data in outputs[0].items():  # reproducible: every zip entry at a fixed date, never "now"
        if name.endswith((".docx", ".xlsx")):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}, name
    assert [r[0] for r in summary_rows(tmp_path / "sortie-1" / "synthese.xlsx")[1:]][-4:] == [
        "2027-DDETS46-PEINT", "2027-TEST-01", "2027-TEST-01", "2027-RECT-INFO-07"]


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


def test_a_failure_in_a_split_market_fails_that_market_only(runner: CliRunner, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The framework agreement is rendered by slices on both workers; one of its documents fails."""
    monkeypatch.setattr(bulk, "SPLIT", 3)
    monkeypatch.setattr(bulk, "SLICE", 2)
    real = bulk.render_document

    def flaky(template, context, **kw):
        if str(context.get("lot", {}).get("numero")) == "4" and context["marche"]["reference"] == "2027-PFRA-NET-03":
            raise RenderError("modèle « engagement-insertion.docx » : panne simulée.")
        return real(template, context, **kw)

    monkeypatch.setattr(bulk, "render_document", flaky)
    out = tmp_path / "sortie"
    result = invoke(runner, str(EXAMPLES / "nettoyage-accord-cadre-occitanie.yaml"), str(EXAMPLES / SMALL[0]),
                    "-o", str(out), "-j", "2")
    assert result.exit_code == 1
    assert folders(out) == ["2027-DDETS46-PEINT"]
    assert (out / "erreurs.txt").read_text(encoding="utf-8") == (
        "drafter bulk — 1 élément(s) en erreur\n\n"
        f"■ {EXAMPLES / 'nettoyage-accord-cadre-occitanie.yaml'}\n"
        "  modèle « engagement-insertion.docx » : panne simulée.\n\n")
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


def programme(folder: Path, count: int) -> Path:
    """``count`` copies of a small example, references ``2027-P-00``… (one market each)."""
    folder.mkdir()
    text = (EXAMPLES / SMALL[0]).read_text(encoding="utf-8")
    assert 'reference: "2027-DDETS46-PEINT"' in text
    for number in range(count):
        (folder / f"p{number:02d}.yaml").write_text(
            text.replace('"2027-DDETS46-PEINT"', f'"2027-P-{number:02d}"'), encoding="utf-8")
    return folder


class BrokenBeforeSubmissionEnds(ProcessPoolExecutor):
    """A pool whose third submission waits until a worker has died: the parent is still
    submitting when the pool breaks (the race of issue 13), every time."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitted = 0

    def submit(self, *args, **kwargs):
        self.submitted += 1
        if self.submitted == 3 and not getattr(BrokenBeforeSubmissionEnds, "done", False):
            BrokenBeforeSubmissionEnds.done = True
            for _ in range(3000):
                if self._broken:
                    break
                time.sleep(0.01)
            assert self._broken, "the first worker should have died"
        return super().submit(*args, **kwargs)


def test_a_worker_killed_outright_is_reported_not_hung(runner: CliRunner, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Six one-market jobs for two workers; the first market kills its worker (os._exit) while the
    parent is still submitting. Only that market fails; the others are drafted."""
    real = bulk.render_document

    def crash(template, context, **kw):
        if context["marche"]["reference"] == "2027-P-00":
            os._exit(3)
        return real(template, context, **kw)

    monkeypatch.setattr(bulk, "render_document", crash)
    monkeypatch.setattr(bulk_pool, "CHUNK", 1)
    monkeypatch.setattr(bulk_pool, "ProcessPoolExecutor", BrokenBeforeSubmissionEnds)
    monkeypatch.setattr(BrokenBeforeSubmissionEnds, "done", False, raising=False)
    out = tmp_path / "sortie"
    result = invoke(runner, str(programme(tmp_path / "profils", 6)), "-o", str(out), "-j", "2")
    assert BrokenBeforeSubmissionEnds.done
    assert result.exit_code == 1, result.output
    assert folders(out) == [f"2027-P-{n:02d}" for n in range(1, 6)]
    assert (out / "erreurs.txt").read_text(encoding="utf-8") == (
        "drafter bulk — 1 élément(s) en erreur\n\n"
        f"■ {tmp_path / 'profils' / 'p00.yaml'}\n  un processus de rédaction s'est arrêté brutalement "
        "(mémoire insuffisante ?) : relancez avec moins de processus (-j 1).\n\n")
    assert "5 marché(s) rédigé(s), 5 pièce(s), 1 en erreur" in result.output
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_every_worker_killed_fails_every_market_without_hanging(runner: CliRunner, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "render_document", lambda *a, **k: os._exit(3))
    out = tmp_path / "sortie"
    result = invoke(runner, str(programme(tmp_path / "profils", 3)), "-o", str(out), "-j", "2")
    assert result.exit_code == 1
    assert folders(out) == []
    assert "3 élément(s) en erreur" in (out / "erreurs.txt").read_text(encoding="utf-8")
    assert (out / "erreurs.txt").read_text(encoding="utf-8").count("arrêté brutalement") == 3


WORKERS_HANG = """
import sys, time
from drafter.app import bulk, bulk_pool
from drafter.cli.main import cli
bulk.render_document = lambda *a, **k: time.sleep(600)
cli.main(["bulk", *sys.argv[1:]], prog_name="drafter")
"""


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_workers_die_with_their_parent(tmp_path: Path) -> None:
    script = tmp_path / "hang.py"
    script.write_text(WORKERS_HANG, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script), str(programme(tmp_path / "profils", 4)),
                               "-o", str(tmp_path / "sortie"), "-j", "2"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(3000):
            workers = children(parent.pid)
            if len(workers) >= 2:
                break
            time.sleep(0.01)
        assert len(workers) >= 2
        parent.kill()
        parent.wait()
        for _ in range(3000):
            if not any(alive(pid) for pid in workers):
                break
            time.sleep(0.01)
        assert [pid for pid in workers if alive(pid)] == []
    finally:
        parent.kill()
        for pid in children(parent.pid):
            os.kill(pid, signal.SIGKILL)


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
