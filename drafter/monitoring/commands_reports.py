"""``drafter suivi`` reports and administration: etat, bilan, bilan-annuel, export-national,
purger, serveur, utilisateur."""

from __future__ import annotations

import datetime as dt
import io

import click

from .cli_common import DATE, ready, today


@click.command("etat")
@click.argument("reference", required=False)
@click.option(
    "--date", "when", type=DATE, metavar="AAAA-MM-JJ", help="Date de la situation (par défaut : aujourd'hui)."
)
def etat_cmd(reference: str | None, when: dt.date | None) -> None:
    """Affiche, lot par lot, les heures exigées, réalisées et validées, le rythme, les retards,
    la pénalité encourue et qui doit agir.

    Exemple : drafter suivi etat 2027-SGCD11-TRX-01
    """
    ready()
    from .services import MonitoringError
    from .status_text import render, situation

    as_of = today(when)
    statuses = situation(reference, as_of)
    if reference and not statuses:
        raise MonitoringError(f"marché « {reference} » inconnu : importez-le d'abord (drafter suivi importer).")
    click.echo(render(statuses, as_of), nl=False)


@click.command("bilan")
@click.argument("reference")
@click.option("-o", "--sortie", metavar="FICHIER.docx", help="Document à écrire (par défaut : bilan-REFERENCE.docx).")
@click.option("--date", "when", type=DATE, metavar="AAAA-MM-JJ", help="Date du bilan (par défaut : aujourd'hui).")
def bilan_cmd(reference: str, sortie: str | None, when: dt.date | None) -> None:
    """Écrit le bilan de fin de marché (Word) : heures, personnes, contrats, sorties, pénalité proposée.

    Exemple : drafter suivi bilan 2027-SGCD11-TRX-01 -o bilan.docx
    """
    ready()
    from .final_report import write_report

    target = write_report(reference, sortie or f"bilan-{reference}.docx", today(when))
    click.echo(f"Bilan écrit : {target}")


@click.command("bilan-annuel")
@click.option("--annee", type=int, required=True, help="Année (mois déclarés de janvier à décembre).")
@click.option("--territoire", metavar="DÉPARTEMENT", help="Code du département d'exécution (ex. 31).")
@click.option("--acheteur", help="Nom (ou partie du nom) de l'acheteur.")
@click.option(
    "-o", "--sortie", metavar="NOM", help="Nom des fichiers .docx et .xlsx (par défaut : bilan-annuel-ANNÉE)."
)
def bilan_annuel_cmd(annee: int, territoire: str | None, acheteur: str | None, sortie: str | None) -> None:
    """Écrit les chiffres d'une année (Word + .xlsx avec graphiques) ; petites cases (< 5 personnes) masquées.

    Exemple : drafter suivi bilan-annuel --annee 2027 --territoire 31
    """
    ready()
    from .yearly import Perimeter, yearly
    from .yearly_output import write_yearly

    docx, xlsx = write_yearly(yearly(Perimeter(annee, territoire, acheteur)), sortie or f"bilan-annuel-{annee}")
    click.echo(f"Bilan annuel écrit : {docx} et {xlsx}")


@click.command("export-national")
@click.option("--annee", type=int, required=True, help="Année.")
@click.option("-o", "--sortie", metavar="FICHIER.json", help="Fichier à écrire (par défaut : la sortie standard).")
def export_national_cmd(annee: int, sortie: str | None) -> None:
    """Exporte les indicateurs nationaux agrégés (JSON) et la valeur DECP de chaque marché.

    Exemple : drafter suivi export-national --annee 2027 -o indicateurs-2027.json
    """
    ready()
    from pathlib import Path

    from .yearly import Perimeter, yearly
    from .yearly_output import national_json

    perimeter = Perimeter(annee)
    text = national_json(yearly(perimeter), perimeter)
    if sortie:
        Path(sortie).write_text(text, encoding="utf-8")
        click.echo(f"Indicateurs écrits : {sortie}")
    else:
        click.echo(text, nl=False)


@click.command("purger")
@click.option(
    "--avant",
    "before",
    type=DATE,
    required=True,
    metavar="AAAA-MM-JJ",
    help="Anonymise les participants des marchés terminés avant cette date.",
)
@click.option("--essai", is_flag=True, help="Compte seulement, sans rien modifier.")
def purger_cmd(before: dt.date, essai: bool) -> None:
    """Anonymise les participants des marchés terminés avant une date (durée de conservation).

    Exemple : drafter suivi purger --avant 2029-01-01 --essai
    """
    ready()
    from .purge import purge

    result = purge(before, essai)
    verb = "seraient anonymisés" if essai else "anonymisés"
    click.echo(
        f"{result.markets} marché(s) terminé(s) avant le {before:%d/%m/%Y} ; "
        f"{result.participants} participant(s) {verb}."
    )


@click.command("utilisateur")
@click.argument("identifiant")
@click.option("--facilitateur", help="Nom du facilitateur rattaché (il ne verra que les marchés de sa structure).")
@click.option("--administrateur", is_flag=True, help="Compte qui voit tout (superutilisateur).")
@click.password_option(
    "--mot-de-passe",
    prompt="Mot de passe",
    confirmation_prompt="Confirmez le mot de passe",
    help="Mot de passe (demandé s'il n'est pas donné).",
)
def utilisateur_cmd(identifiant: str, facilitateur: str | None, administrateur: bool, mot_de_passe: str) -> None:
    """Crée ou met à jour un compte de connexion à l'interface (drafter suivi serveur).

    Exemple : drafter suivi utilisateur jfabre --facilitateur "Julien Fabre"
    """
    ready()
    from .accounts import create_login
    from .services import MonitoringError

    if not facilitateur and not administrateur:
        raise MonitoringError("indiquez --facilitateur NOM ou --administrateur.")
    create_login(identifiant, mot_de_passe, facilitateur, superuser=administrateur)
    click.echo(f"Compte « {identifiant} » enregistré.")


@click.command("serveur")
@click.option("--port", type=int, default=8000, show_default=True, help="Port local.")
def serveur_cmd(port: int) -> None:
    """Lance l'interface d'administration en local (http://127.0.0.1:PORT/).

    Exemple : drafter suivi serveur --port 8000
    """
    ready()
    from django.core.management import call_command

    click.echo(f"Interface du suivi : http://127.0.0.1:{port}/ (Ctrl+C pour arrêter)")
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, insecure_serving=True, stdout=io.StringIO())


REPORT_COMMANDS = [etat_cmd, bilan_cmd, bilan_annuel_cmd, export_national_cmd, purger_cmd, utilisateur_cmd, serveur_cmd]
