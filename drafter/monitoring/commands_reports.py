"""``drafter suivi`` reports and administration: etat, bilan, bilan-annuel, export-national,
purger, serveur, utilisateur."""

from __future__ import annotations

import datetime as dt

import click

from .cli_common import DATE, ready, today


@click.command("etat")
@click.argument("reference", required=False)
@click.option("--date", "when", type=DATE, metavar="AAAA-MM-JJ", help="Date de la situation (par défaut : aujourd'hui).")
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


REPORT_COMMANDS = [etat_cmd, bilan_cmd]
