"""``drafter check`` says everything a buyer must read before generating, each at its field:
what drafter completed (« à noter »), every warning of the decision (« attention »), the unsourced
labour shares the profile can replace (« à confirmer »); a market-wide warning once; exit 0."""

from __future__ import annotations

import re
from pathlib import Path

from drafter.app.input_warnings import INSERTION_FIELDS, LOT_FIELDS, MARKET_FIELDS
from drafter.cli.main import cli

PROFILE = """\
version: 1
acheteur:
  nom: "Direction départementale de l'emploi, du travail et des solidarités du Lot"
  categorie: etat
  adresse: "304 rue Victor Hugo, 46000 Cahors"
  representant: "La directrice départementale"
marche:
  objet: "Réhabilitation de la maison de l'emploi"
  reference: "2027-DDETS46-REHAB"
  nature: travaux
  forme: marche_ordinaire
  procedure: MAPA
  date_lancement: 2027-06-01
  duree_mois: 12
  lieu_execution: "Cahors (46)"
  cpv: ["45442100"]
insertion:
  dispositif: auto
  methode_accord_cadre: ratio
  critere: true
  ponderation_critere: 30
lots:
  - numero: 1
    intitule: "Peinture"
    montant_estime_ht: 400000
    secteur: "Peinture, revêtements muraux"
  - numero: 2
    intitule: "Restauration du chantier"
    montant_estime_ht: 300000
    secteur: restauration_collective
    insertion:
      ponderation_critere: 25
  - numero: 3
    intitule: "Menuiseries"
    montant_estime_ht: 300000
    secteur: menuiseries
"""


def test_check_prints_every_input_warning_located(runner, tmp_path):
    path = tmp_path / "profil.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{path} : profil valide (3 lots, condition sociale non obligatoire).",
        f"  à noter : {path}:16:9 — marche.cpv[1] : code CPV « 45442100 » complété par son chiffre de contrôle : "
        "45442100-8.",
        f"  à noter : {path}:26:14 — lots[1].secteur : secteur « Peinture, revêtements muraux » lu comme "
        "« peinture_revetements_muraux ».",
        # market-wide settings: said once, at the market's insertion section
        f"  attention : {path}:19:25 — insertion.methode_accord_cadre : « methode_accord_cadre: ratio » ignorée : "
        "le marché n'est pas un accord-cadre.",
        f"  attention : {path}:21:24 — insertion.ponderation_critere : Pondération du critère « insertion » élevée "
        "(30 %, au-delà de 20 %) : justifiez-la par l'objet du marché.",
        f"  attention : {path} — facilitateur : Aucun facilitateur désigné : indiquez ses coordonnées (rubrique "
        "« facilitateur ») pour que les candidats puissent le contacter.",
        f"  attention : {path}:30:14 — lots[2].secteur : Secteur « restauration_collective » (Restauration "
        "collective) habituellement rattaché aux services, pour un marché de travaux : vérifiez le secteur ou la "
        "part de main-d'œuvre.",
        # the lot's own setting: at the lot
        f"  attention : {path}:32:28 — lots[2].insertion.ponderation_critere : Pondération du critère « insertion » "
        "élevée (25 %, au-delà de 20 %) : justifiez-la par l'objet du marché.",
        f"  à confirmer : {path}:36:14 — lots[3].secteur : part de main-d'œuvre de 35 % tirée de la table des "
        "secteurs — Menuiseries intérieures et extérieures : valeur indicative non sourcée, à confirmer avec le "
        "facilitateur. Si vous la connaissez, indiquez la part de main-d'œuvre du lot.",
    ]
    # a labour share given by the buyer: nothing to confirm; a facilitator: no warning about it
    given = PROFILE.replace("    secteur: menuiseries\n", "    secteur: menuiseries\n    part_main_oeuvre: 0.4\n")
    given = given.replace("insertion:\n  dispositif", "facilitateur:\n  nom: \"Jeanne Martin\"\n  structure: "
                          "\"Maison de l'emploi\"\n  adresse: \"Cahors\"\n  courriel: \"j.martin@mde46.fr\"\n"
                          "  telephone: \"05 65 00 00 00\"\ninsertion:\n  dispositif", 1)
    path.write_text(given, encoding="utf-8")
    again = runner.invoke(cli, ["check", str(path)])
    assert again.exit_code == 0, again.output
    assert "à confirmer" not in again.output and "facilitateur :" not in again.output
    assert again.output.count("  attention : ") == 4


def test_every_warning_code_of_the_engine_has_a_place():
    """A warning added to the engine must say where it points (else it would sit at the lot)."""
    engine = Path(__file__).parent.parent / "drafter" / "engine"
    codes = set()
    for source in engine.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        codes |= set(re.findall(r'warn\(\s*"([a-z_.]+)"', text))
        codes |= set(re.findall(r',\s*"([a-z_]+\.[a-z_.]+)"\)\)', text))   # warnings.append(Coded(texte, "code"))
    assert {"secteur.nature", "seuils.perimes", "heures.pact_personnel_repris_couvre_tout"} <= codes
    placed = {*LOT_FIELDS, *INSERTION_FIELDS, *MARKET_FIELDS, "convention.financee", "convention.programme"}
    assert codes - placed == set()


def test_generate_prints_the_same_located_lines_as_check(runner, tmp_path):
    path = tmp_path / "profil.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    checked = runner.invoke(cli, ["check", str(path)])
    generated = runner.invoke(cli, ["generate", str(path), "-o", str(tmp_path / "sortie")])
    assert generated.exit_code == 0, generated.output
    expected = [line.strip() for line in checked.output.splitlines()[1:]]
    assert generated.output.splitlines()[:len(expected)] == expected
    assert re.search(r"pièce\(s\) écrite\(s\) dans .* en \d+,\d s :", generated.output)
