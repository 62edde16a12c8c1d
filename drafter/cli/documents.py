"""``drafter generate`` and ``drafter templates list | export | check`` (SPEC §2, §5)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

from drafter.app.generate import generate, written_lines
from drafter.app.input_warnings import input_warnings
from drafter.app.settings import Settings
from drafter.cli.options import DATE, Sortie
from drafter.documents.output import replace_file
from drafter.documents.templates_set import BUNDLED, TEMPLATES, check_folder, template_paths
from drafter.errors import DrafterError, OutputError
from drafter.present.variables_table import markdown

VARIABLES_FILE = "variables-des-modeles.md"


@click.command("generate")
@click.argument("profil", metavar="PROFIL")
@click.option(
    "-o",
    "--sortie",
    "--output",
    "dossier",
    cls=Sortie,
    default="output",
    show_default=True,
    type=click.Path(file_okay=False),
    metavar="DOSSIER",
    help="Dossier de sortie ; les pièces sont écrites dans DOSSIER/<référence du marché>/.",
)
@click.option(
    "--revue",
    is_flag=True,
    help="Ajoute des commentaires Word de relecture : fondement, calcul et sources, points à confirmer.",
)
@click.option(
    "--date",
    "date",
    type=DATE,
    metavar="AAAA-MM-JJ",
    help="Date de référence des règles (par défaut : date de lancement du profil).",
)
@click.option("--force", is_flag=True, help="Remplace le dossier du marché s'il existe déjà.")
@click.option("--pdf", is_flag=True, help="Convertit aussi les pièces en PDF avec LibreOffice (s'il est installé).")
@click.pass_obj
def generate_cmd(
    settings: Settings, profil: str, dossier: str, revue: bool, date: dt.date | None, force: bool, pdf: bool
) -> None:
    """Rédige les pièces du marché : note de calcul, articles du CCAP et du RC, engagements,
    conventions avec les facilitateurs, synthèse et manifeste.

    Code de sortie : 0 si tout est écrit ; 1 si la génération ou la conversion PDF échoue ;
    2 si le profil est invalide, si le dossier existe déjà (sans --force) ou si --pdf est
    demandé sans LibreOffice. En cas d'erreur, rien n'est écrit.

    Exemple : drafter generate profiles/examples/travaux-cite-administrative.yaml --revue
    """
    start = time.perf_counter()
    analysis = settings.analyse(profil, date)
    result = generate(analysis, dossier, revue=revue, force=force, pdf=pdf, templates_dir=settings.modeles)
    for warning in input_warnings(analysis):  # the same located lines as `check`
        click.echo(warning.render())
    for line in written_lines(result, several=len(analysis.decision.lots) > 1, elapsed=time.perf_counter() - start):
        click.echo(line)
    if revue:
        click.echo(
            "Les copies commentées (auteur « drafter ») sont dans relecture/ : Word › Révision › Commentaires. "
            "Les pièces à diffuser, sans commentaire, sont à côté du manifeste."
        )


@click.group("templates", subcommand_metavar="COMMANDE [ARGUMENTS]...")
def templates_group() -> None:
    """Modèles de documents Word : liste, export pour modification, vérification.

    Un juriste exporte les modèles, les modifie dans Word, les vérifie, puis génère avec
    drafter --modeles DOSSIER generate PROFIL.
    """


@templates_group.command("list")
@click.pass_obj
def list_cmd(settings: Settings) -> None:
    """Liste les modèles utilisés (fournis ou remplacés par --modeles)."""
    paths = template_paths(settings.modeles)
    for name, spec in TEMPLATES.items():
        origin = "fourni" if paths[name].parent == BUNDLED else f"modifié : {paths[name]}"
        click.echo(f"{spec.file} ({origin})")
        click.echo(f"    {spec.purpose}")
        click.echo(f"    Produit : {spec.when} → {spec.output}")


@templates_group.command("export")
@click.argument("dossier", type=click.Path(file_okay=False), metavar="DOSSIER")
@click.option("--force", is_flag=True, help="Remplace les fichiers qui existent déjà dans DOSSIER.")
def export_cmd(dossier: str, force: bool) -> None:
    """Copie les modèles fournis dans DOSSIER, avec la liste des variables, pour les modifier dans Word.

    Exemple : drafter templates export mes-modeles
    """
    folder = Path(dossier)
    names = [spec.file for spec in TEMPLATES.values()] + [VARIABLES_FILE]
    existing = [name for name in names if (folder / name).exists()]
    if existing and not force:
        raise OutputError(
            f"fichier(s) déjà présent(s) dans « {folder} » : {', '.join(existing)}. Ajoutez --force "
            "pour les remplacer. Rien n'a été écrit."
        )
    # each file replaced by a rename: a symbolic link in DOSSIER is replaced, never followed out of it
    for spec in TEMPLATES.values():
        replace_file(folder / spec.file, (BUNDLED / spec.file).read_bytes())
    replace_file(folder / VARIABLES_FILE, variables_doc().encode("utf-8"))
    click.echo(f"{len(TEMPLATES)} modèles et {VARIABLES_FILE} copiés dans {folder}/.")
    click.echo(
        f"Après modification : drafter templates check {folder}, puis drafter --modeles {folder} generate PROFIL"
    )


def variables_doc() -> str:
    lines = [
        "# Variables des modèles drafter",
        "",
        "Chaque modèle peut utiliser les variables ci-dessous (balises `{{ … }}`, `{%p if … %}`, "
        "`{%tr for … %}`). Vérifiez un jeu modifié avec `drafter templates check DOSSIER`.",
        "",
        "Le « er » de « 1er » (et « 1re », « 1ers », « 1res ») d'une valeur se met en exposant tout seul, "
        "dans la mise en forme du texte de la balise (gras, couleur, police…) : vous n'avez rien à écrire, "
        "`{{ marche.date_lancement }}` suffit.",
        "",
        "| modèle | rôle | produit |",
        "|---|---|---|",
    ]
    lines += [f"| `{s.file}` | {s.purpose} | {s.when} → `{s.output}` |" for s in TEMPLATES.values()]
    return "\n".join(lines) + "\n\n" + markdown()


@templates_group.command("check")
@click.argument("dossier", type=click.Path(exists=True, file_okay=False), metavar="DOSSIER")
def check_cmd(dossier: str) -> None:
    """Vérifie des modèles modifiés : chaque variable utilisée doit être fournie par drafter.

    Code de sortie 0 si tout est correct, 2 sinon (chaque problème est indiqué avec le
    modèle et le texte qui l'entoure).

    Exemple : drafter templates check mes-modeles
    """
    checked, ignored, findings = check_folder(Path(dossier))
    for name in ignored:
        click.echo(
            f"{name} : ignoré (ce n'est pas un modèle drafter ; noms attendus : "
            f"{', '.join(s.file for s in TEMPLATES.values())})."
        )
    if not checked:
        raise DrafterError(
            f"aucun modèle drafter dans « {dossier} » (noms attendus : "
            f"{', '.join(s.file for s in TEMPLATES.values())})."
        )
    if findings:
        raise DrafterError([f.problem(dossier) for f in findings])
    for name in checked:
        click.echo(f"{name} : correct.")
    missing = [s.file for s in TEMPLATES.values() if s.file not in checked]
    if missing:
        click.echo(f"Modèles fournis utilisés pour les autres pièces : {', '.join(missing)}.")
