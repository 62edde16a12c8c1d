"""``drafter generate`` and ``drafter templates`` through the CLI: exact French messages, exit
codes, nothing written on error, the manifest of SPEC §6, edited templates."""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from drafter.cli.main import cli
from drafter.documents.docx_text import docx_text
from drafter.documents.templates_set import BUNDLED

from .conftest import EXAMPLES, piece


def invoke(runner, *args):
    result = runner.invoke(cli, [str(a) for a in args])
    assert result.exception is None or type(result.exception) is SystemExit, result.exception
    assert "Erreur interne" not in result.output
    return result


def test_generate_writes_the_documents_and_the_manifest(runner, tmp_path):
    result = invoke(runner, "generate", EXAMPLES / "nettoyage-accord-cadre-occitanie.yaml", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "2027-PFRA-NET-03"
    assert f"11 pièce(s) écrite(s) dans {folder}/" in result.output
    assert "  2027-PFRA-NET-03_convention-facilitateur-toulouse-metropole-emploi.docx (lots n° 1 et 4)" in result.output
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest) == {"drafter_version", "date_reference", "regles", "marche", "lots", "documents"}
    assert manifest["marche"] == {"reference": "2027-PFRA-NET-03", "valeur_estimee_ht": 6880000,
                                  "seuil_europeen_ht": 140000, "obligation_sociale": True}
    assert [lot["heures"] for lot in manifest["lots"]] == [5376, 3584, 1176, 269]
    assert set(manifest["lots"][0]) == {"numero", "intitule", "dispositif", "base_legale", "heures",
                                        "ratio_heures_10000_eur", "part_main_oeuvre", "taux_insertion",
                                        "cout_horaire", "avertissements", "trace"}
    documents = {d["fichier"]: d for d in manifest["documents"]}
    assert documents["2027-PFRA-NET-03_convention-facilitateur-plie-de-nimes.docx"] == {
        "type": "convention_facilitateur", "fichier": "2027-PFRA-NET-03_convention-facilitateur-plie-de-nimes.docx",
        "lots": [3],
        "format": "docx", "copie": "propre"}
    assert documents["2027-PFRA-NET-03_engagement-insertion-lot-2.docx"]["lots"] == [2]
    assert documents["synthese.xlsx"]["type"] == "synthese"
    assert sorted(p.name for p in folder.iterdir()) == sorted([*documents, "manifest.json"])
    explain = json.loads(invoke(runner, "explain", EXAMPLES / "nettoyage-accord-cadre-occitanie.yaml",
                                "--json").output)
    assert {k: v for k, v in manifest.items() if k != "documents"} == explain


def test_synthese_has_one_row_per_lot(runner, tmp_path):
    invoke(runner, "generate", EXAMPLES / "travaux-cite-administrative.yaml", "-o", tmp_path)
    sheet = load_workbook(tmp_path / "2027-SGCD11-TRX-01" / "synthese.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Marché", "Objet du marché", "Lot", "Intitulé du lot", "Dispositif", "Heures d'insertion")
    assert [r[5] for r in rows[1:]] == [533, 1792, 805, 880, 490, 77]
    head = rows[0]
    assert rows[6][head.index("Facilitateur")] == "Julien Fabre"
    assert "Volume faible" in rows[6][head.index("Avertissements")]
    assert rows[1][head.index("Points à confirmer")] == 1


def test_single_lot_market_has_no_synthese(runner, tmp_path):
    invoke(runner, "generate", EXAMPLES / "espaces-verts-reserve-siae.yaml", "-o", tmp_path)
    assert sorted(p.name for p in (tmp_path / "2027-DDT81-EV-02").iterdir()) == [
        "2027-DDT81-EV-02_ccap-article-insertion.docx",
        "2027-DDT81-EV-02_convention-facilitateur-maison-de-l-emploi-du-tarn.docx",
        "2027-DDT81-EV-02_engagement-insertion.docx", "2027-DDT81-EV-02_note-de-calcul.docx",
        "2027-DDT81-EV-02_rc-article-insertion.docx", "manifest.json"]


def test_existing_folder_is_refused_without_force(runner, tmp_path):
    profile = EXAMPLES / "mapa-petits-travaux.yaml"
    assert invoke(runner, "generate", profile, "-o", tmp_path).exit_code == 0
    marker = tmp_path / "2027-DDETS46-PEINT" / "a-garder.txt"
    marker.write_text("x")
    result = invoke(runner, "generate", profile, "-o", tmp_path)
    assert result.exit_code == 2
    assert result.output == (f"Le dossier « {tmp_path / '2027-DDETS46-PEINT'} » existe déjà : ajoutez --force "
                             "pour le remplacer. Rien n'a été écrit.\n")
    assert marker.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2027-DDETS46-PEINT"]


def test_force_replaces_the_folder(runner, tmp_path):
    profile = EXAMPLES / "mapa-petits-travaux.yaml"
    invoke(runner, "generate", profile, "-o", tmp_path)
    stale = tmp_path / "2027-DDETS46-PEINT" / "ancien.docx"
    stale.write_text("x")
    result = invoke(runner, "generate", profile, "-o", tmp_path, "--force")
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert sorted(p.name for p in (tmp_path / "2027-DDETS46-PEINT").iterdir()) == [
        "2027-DDETS46-PEINT_note-de-calcul.docx", "manifest.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2027-DDETS46-PEINT"]  # no temporary left


def test_invalid_profile_writes_nothing(runner, tmp_path):
    source = (EXAMPLES / "fournitures-informatique-exception.yaml").read_text(encoding="utf-8")
    profile = tmp_path / "profil.yaml"
    profile.write_text(source.replace('    justification: "Achat', '    justification_: "Achat'), encoding="utf-8")
    out = tmp_path / "sortie"
    result = invoke(runner, "generate", profile, "-o", out)
    assert result.exit_code == 2
    assert "justification" in result.output
    assert not out.exists()


def test_date_option_and_review_flag(runner, tmp_path):
    result = invoke(runner, "generate", EXAMPLES / "travaux-cite-administrative.yaml", "-o", tmp_path,
                    "--date", "2026-06-01", "--revue")
    assert result.exit_code == 0, result.output
    assert "Les copies commentées (auteur « drafter ») sont dans relecture/" in result.output
    note = docx_text(tmp_path / "2027-SGCD11-TRX-01" / piece("note-de-calcul.docx"))
    assert "version en vigueur au 1er juin 2026" in note
    assert "n'est pas soumis à l'obligation de l'article L. 2112-2-1" in note  # before 22 August 2026


def test_pdf_without_libreoffice_is_a_clear_usage_error(runner, tmp_path, monkeypatch):
    monkeypatch.setattr("drafter.documents.pdf.soffice", lambda: None)
    out = tmp_path / "sortie"
    result = invoke(runner, "generate", EXAMPLES / "mapa-petits-travaux.yaml", "-o", out, "--pdf")
    assert result.exit_code == 2
    assert result.output == ("--pdf : LibreOffice est introuvable (commande « soffice »). Installez-le (paquet "
                             "libreoffice-writer) ou relancez sans --pdf. Aucun fichier n'a été écrit.\n")
    assert not out.exists()


# --- templates ----------------------------------------------------------------------------

def test_templates_list(runner):
    result = invoke(runner, "templates", "list")
    assert result.exit_code == 0
    for name in ("note-de-calcul.docx (fourni)", "ccap-article-insertion.docx (fourni)",
                 "convention-facilitateur.docx (fourni)", "engagement-insertion-lot-N.docx"):
        assert name in result.output


def test_templates_export_then_check(runner, tmp_path):
    folder = tmp_path / "modeles"
    result = invoke(runner, "templates", "export", folder)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [p.name for p in BUNDLED.glob("*.docx")] + ["variables-des-modeles.md"])
    guide = (folder / "variables-des-modeles.md").read_text(encoding="utf-8")
    assert "`lots[].heures`" in guide
    assert ("se met en exposant tout seul, dans la mise en forme du texte de la balise (gras, couleur, police…) : "
            "vous n'avez rien à écrire, `{{ marche.date_lancement }}` suffit.") in guide
    assert "|exposants" not in guide
    again = invoke(runner, "templates", "export", folder)
    assert again.exit_code == 2 and "Ajoutez --force" in again.output
    checked = invoke(runner, "templates", "check", folder)
    assert checked.exit_code == 0, checked.output
    assert "ccap-article-insertion.docx : correct." in checked.output


def edit_template(source: Path, target: Path, old: str, new: str) -> None:
    """Edit one paragraph of a template the way a lawyer would in Word (text of its runs)."""
    doc = Document(str(source))
    paragraphs = list(doc.paragraphs) + [p for t in doc.tables for row in t.rows for c in row.cells
                                         for p in c.paragraphs]
    paragraph = next(p for p in paragraphs if old in p.text)
    text = paragraph.text.replace(old, new)
    for run in paragraph.runs[1:]:
        run._r.getparent().remove(run._r)
    paragraph.runs[0].text = text
    doc.save(str(target))


def test_templates_check_reports_unknown_variables(runner, tmp_path):
    folder = tmp_path / "modeles"
    folder.mkdir()
    edit_template(BUNDLED / "engagement-insertion.docx", folder / "engagement-insertion.docx",
                  "{{ lot.obligation }}", "{{ lot.heurez }} pour {{ marche.acheteur_inconnu }}")
    edit_template(BUNDLED / "note-de-calcul.docx", folder / "note-de-calcul.docx",
                  "{{ marche.reference }}", "{{ reference_du_marche }}")
    edit_template(BUNDLED / "convention-facilitateur.docx", folder / "convention-facilitateur.docx",
                  "{{ f.nom }}", "{{ f.nomm }}")
    (folder / "autre.docx").write_bytes((BUNDLED / "rc-article-insertion.docx").read_bytes())
    result = invoke(runner, "templates", "check", folder)
    assert result.exit_code == 2
    assert "autre.docx : ignoré (ce n'est pas un modèle drafter" in result.output
    assert (f"{folder / 'engagement-insertion.docx'} — variable inconnue « lot.heurez », dans le texte « "
            "{{ lot.heurez }} pour {{ marche.acheteur_inconnu }}{{ lot.revue.heures }} »") in result.output
    assert "variable inconnue « marche.acheteur_inconnu »" in result.output
    assert f"{folder / 'note-de-calcul.docx'} — variable inconnue « reference_du_marche »" in result.output
    assert f"{folder / 'convention-facilitateur.docx'} — variable inconnue « f.nomm »" in result.output
    generated = invoke(runner, "--modeles", folder, "generate", EXAMPLES / "mapa-petits-travaux.yaml",
                       "-o", tmp_path / "out")
    assert generated.exit_code == 2 and "reference_du_marche" in generated.output
    assert not (tmp_path / "out").exists()


def test_templates_check_reports_broken_tags(runner, tmp_path):
    folder = tmp_path / "modeles"
    folder.mkdir()
    edit_template(BUNDLED / "rc-article-insertion.docx", folder / "rc-article-insertion.docx",
                  "{%p if facilitateurs %}", "{%p if facilitateurs")
    result = invoke(runner, "templates", "check", folder)
    assert result.exit_code == 2
    assert "rc-article-insertion.docx — balise incorrecte" in result.output


def test_generate_with_edited_templates(runner, tmp_path):
    folder = tmp_path / "modeles"
    folder.mkdir()
    edit_template(BUNDLED / "note-de-calcul.docx", folder / "note-de-calcul.docx",
                  "Document interne de l'acheteur", "Note relue par le service juridique de TME. Document interne")
    listed = invoke(runner, "--modeles", folder, "templates", "list")
    assert f"note-de-calcul.docx (modifié : {folder / 'note-de-calcul.docx'})" in listed.output
    result = invoke(runner, "--modeles", folder, "generate", EXAMPLES / "marche-insertion-berges.yaml",
                    "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "2027-DREAL-INS-01"
    assert "Note relue par le service juridique de TME." in docx_text(out / piece("note-de-calcul.docx"))
    assert docx_text(out / piece("ccap-article-insertion.docx")).startswith("Dispositions sociales\n")


def test_check_on_an_empty_folder(runner, tmp_path):
    result = invoke(runner, "templates", "check", tmp_path)
    assert result.exit_code == 2
    assert result.output.startswith(f"aucun modèle drafter dans « {tmp_path} »")



def test_only_the_note_says_why(runner, tmp_path):
    result = invoke(runner, "generate", EXAMPLES / "mapa-petits-travaux.yaml", "--sortie", tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == [
        ("Aucune clause sociale n'est retenue : seule la note de calcul est écrite (ni article de CCAP ou de RC, "
         "ni engagement, ni convention). Motif :"),
        ("  44 h < 150 h (volume minimum) et aucune obligation : une clause d'insertion serait peu opérante ; "
         "pas de clause sociale recommandée.")]


def test_output_option_has_one_name_and_a_hidden_alias(runner, tmp_path):
    for command in ("generate", "bulk"):
        helptext = invoke(runner, command, "--help").output
        assert "-o, --sortie DOSSIER" in helptext and "--output" not in helptext
    old = invoke(runner, "generate", EXAMPLES / "mapa-petits-travaux.yaml", "--output", tmp_path)
    assert old.exit_code == 0 and (tmp_path / "2027-DDETS46-PEINT").is_dir()
