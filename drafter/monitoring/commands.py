"""``drafter suivi``: the click group (data entry here, reports in :mod:`.commands_reports`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import click

from .choices import Checkpoint, ContractorKind, DecisionKind, OutcomeCategory
from .cli_common import AMOUNT, DATE, MONTH, choice_help, now, ready, today
from .commands_reports import REPORT_COMMANDS


@click.group("suivi", subcommand_metavar="COMMANDE [ARGUMENTS]...")
def suivi_group() -> None:
    """Suivi de l'exécution des clauses sociales (base SQLite ou PostgreSQL).

    La base est le fichier ./suivi.sqlite3 (ou $DRAFTER_SUIVI_DB), ou la base PostgreSQL
    désignée par $DATABASE_URL ; elle est créée au premier usage.

    Exemple : drafter suivi importer output/2027-SGCD11-TRX-01 --profil profil.yaml
    """


@suivi_group.command("importer")
@click.argument("dossiers", nargs=-1, required=True, metavar="DOSSIER...")
@click.option(
    "--profil",
    "profils",
    multiple=True,
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    metavar="PROFIL.yaml",
    help="Profil qui a servi à générer le dossier (répétable).",
)
def importer_cmd(dossiers: tuple[str, ...], profils: tuple[str, ...]) -> None:
    """Importe des marchés depuis les dossiers générés par drafter generate.

    Lit manifest.json (heures, dispositif, version des règles) et le profil (acheteur,
    dates, pénalité, facilitateur). Réimporter met à jour, sans doublon.

    Exemple : drafter suivi importer output/2027-PFRA-NET-03 --profil profiles/examples/nettoyage-accord-cadre-occitanie.yaml
    """
    ready()
    from .drafted import profile_reference, read_generated
    from .importing import import_market
    from .services import MonitoringError

    by_reference = {profile_reference(p): p for p in profils}
    for folder in dossiers:
        manifest = Path(folder) / "manifest.json"
        reference = _manifest_reference(manifest)
        profile = by_reference.get(reference) or (profils[0] if len(profils) == 1 else None)
        if profile is None:
            raise MonitoringError(f"« {folder} » : aucun des profils donnés ne décrit le marché « {reference} ».")
        result = import_market(read_generated(folder, profile, today()))
        verb = "importé" if result.created else "mis à jour"
        click.echo(f"Marché {result.reference} {verb} ({result.lots} lot{'s' if result.lots > 1 else ''}).")


def _manifest_reference(path: Path) -> str:
    import json

    from .services import MonitoringError

    try:
        return json.loads(path.read_text(encoding="utf-8"))["marche"]["reference"]
    except (OSError, ValueError, KeyError):
        raise MonitoringError(
            f"« {path.parent} » : manifest.json absent ou illisible ; indiquez un dossier produit par drafter generate."
        ) from None


@suivi_group.command("annuaire")
@click.argument("fichier", type=click.Path(exists=True, dir_okay=False), metavar="FICHIER.yaml|.xlsx")
def annuaire_cmd(fichier: str) -> None:
    """Importe l'annuaire du réseau : structures, facilitateurs, départements couverts.

    Exemple : drafter suivi annuaire reseau.yaml
    """
    ready()
    from .directory import import_directory

    structures, facilitators = import_directory(fichier)
    click.echo(f"{structures} structure(s) et {facilitators} facilitateur(s) enregistrés.")


@suivi_group.command("attribuer")
@click.argument("reference")
@click.option("--lot", type=int, required=True, help="Numéro du lot.")
@click.option("--siret", required=True, help="SIRET du titulaire (14 chiffres).")
@click.option("--nom", required=True, help="Raison sociale du titulaire.")
@click.option(
    "--type",
    "kind",
    type=click.Choice([k.value for k in ContractorKind]),
    default="ordinaire",
    show_default=True,
    help=choice_help(ContractorKind),
)
@click.option("--notification", type=DATE, required=True, metavar="AAAA-MM-JJ", help="Date de notification.")
@click.option("--debut", type=DATE, metavar="AAAA-MM-JJ", help="Début d'exécution (par défaut : la notification).")
def attribuer_cmd(
    reference: str, lot: int, siret: str, nom: str, kind: str, notification: dt.date, debut: dt.date | None
) -> None:
    """Enregistre le titulaire d'un lot.

    Exemple : drafter suivi attribuer 2027-SGCD11-TRX-01 --lot 2 --siret 12345678900011 --nom "BTP Aude" --notification 2027-06-01
    """
    ready()
    from .records import record_award

    award = record_award(reference, lot, siret=siret, name=nom, kind=kind, notified=notification, start=debut)
    click.echo(
        f"Lot {lot} du marché {reference} attribué à {award.contractor_name} "
        f"(exécution du {award.lot.start_date:%d/%m/%Y} au {award.lot.end_date:%d/%m/%Y})."
    )


@suivi_group.command("commande")
@click.argument("reference")
@click.option("--lot", type=int, required=True, help="Numéro du lot.")
@click.option("--mois", type=MONTH, required=True, metavar="AAAA-MM", help="Mois de la commande ou de la facture.")
@click.option("--montant", type=AMOUNT, required=True, help="Montant HT commandé ou facturé (€).")
def commande_cmd(reference: str, lot: int, mois: dt.date, montant: Decimal) -> None:
    """Enregistre le montant commandé d'un mois (clauses au ratio : les heures exigées le suivent).

    Exemple : drafter suivi commande 2027-PFRA-NET-03 --lot 1 --mois 2027-07 --montant 50000
    """
    ready()
    from .records import record_order

    record_order(reference, lot, mois, montant)
    click.echo(f"Commande de {mois:%m/%Y} enregistrée pour le lot {lot}.")


@suivi_group.command("decision")
@click.argument("reference")
@click.option("--lot", type=int, required=True, help="Lot dont le volume change.")
@click.option(
    "--type", "kind", type=click.Choice([k.value for k in DecisionKind]), required=True, help=choice_help(DecisionKind)
)
@click.option("--heures", type=AMOUNT, required=True, help="Variation des heures exigées (négative pour une baisse).")
@click.option("--depuis-lot", "source", type=int, help="Mutualisation : lot d'où viennent les heures.")
@click.option("--date", "when", type=DATE, required=True, metavar="AAAA-MM-JJ", help="Date de la décision.")
@click.option("--auteur", required=True, help="Qui a décidé (acheteur).")
@click.option("--motif", default="", help="Motif de la décision.")
def decision_cmd(
    reference: str, lot: int, kind: str, heures: Decimal, source: int | None, when: dt.date, auteur: str, motif: str
) -> None:
    """Enregistre une décision de l'acheteur sur le volume d'heures (mutualisation, report, réduction).

    Exemple : drafter suivi decision 2027-SGCD11-TRX-01 --lot 2 --type mutualisation --heures 77 --depuis-lot 6 --date 2027-09-01 --auteur "SGCD 11"
    """
    ready()
    from .records import record_decision

    record_decision(
        reference, lot, kind=kind, hours=heures, decided_on=when, author=auteur, reason=motif, source_lot=source
    )
    click.echo(f"Décision enregistrée pour le lot {lot} du marché {reference}.")


@suivi_group.command("modele-declaration")
@click.option(
    "-o",
    "--sortie",
    default="declaration-mensuelle.xlsx",
    show_default=True,
    metavar="FICHIER.xlsx",
    help="Classeur à écrire.",
)
@click.option("--marche", "reference", help="Référence du marché (rappelée dans l'aide).")
def modele_cmd(sortie: str, reference: str | None) -> None:
    """Écrit le classeur de déclaration mensuelle que remplit le titulaire.

    Exemple : drafter suivi modele-declaration -o declaration.xlsx --marche 2027-SGCD11-TRX-01
    """
    ready()
    from .workbook import build_model

    markets: list[tuple[str, int]] = []
    if reference:
        from .models import Lot

        markets = list(Lot.objects.filter(market__reference=reference).values_list("market__reference", "number"))
    click.echo(f"Modèle écrit : {build_model(sortie, markets, on=today())}")


@suivi_group.command("declarer")
@click.argument(
    "fichiers", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False), metavar="FICHIER.xlsx..."
)
@click.option("--date", "when", type=DATE, metavar="AAAA-MM-JJ", help="Date du jour (par défaut : aujourd'hui).")
def declarer_cmd(fichiers: tuple[str, ...], when: dt.date | None) -> None:
    """Importe des déclarations mensuelles (tout ou rien ; un mois redéclaré remplace l'ancien).

    Code de sortie 2 et aucune ligne importée si une seule ligne est en erreur. Un mois
    redéclaré remplace, pour le lot, toutes ses lignes précédentes, qui sont à valider de nouveau.

    Exemple : drafter suivi declarer declaration-2027-05.xlsx
    """
    ready()
    from .declarations import declare

    for fichier in fichiers:
        result = declare(fichier, today=today(when), now=now(when))
        months = ", ".join(m.strftime("%m/%Y") for m in result.months)
        extra = f" ; {result.replaced} ligne(s) précédente(s) remplacée(s)" if result.replaced else ""
        click.echo(f"{fichier} : {result.rows} ligne(s) importée(s) pour {months}{extra}.")


@suivi_group.command("valider")
@click.argument("reference")
@click.option("--mois", type=MONTH, required=True, metavar="AAAA-MM", help="Mois à valider.")
@click.option("--par", "by", required=True, help="Facilitateur qui valide.")
@click.option(
    "--refus",
    "refusals",
    multiple=True,
    metavar="CODE=MOTIF",
    help="Refuse la ligne d'un participant, avec son motif (répétable).",
)
@click.option(
    "--date", "when", type=DATE, metavar="AAAA-MM-JJ", help="Date de la validation (par défaut : aujourd'hui)."
)
def valider_cmd(reference: str, mois: dt.date, by: str, refusals: tuple[str, ...], when: dt.date | None) -> None:
    """Valide les déclarations d'un mois, sauf celles refusées (avec leur motif).

    Exemple : drafter suivi valider 2027-SGCD11-TRX-01 --mois 2027-07 --par "Julien Fabre" --refus "P-07=contrat non transmis"
    """
    ready()
    from .declarations import validate
    from .services import MonitoringError

    parsed = {}
    for item in refusals:
        code, _, reason = item.partition("=")
        if not code.strip() or not reason.strip():
            raise MonitoringError(f"--refus attend CODE=MOTIF (valeur lue : « {item} »).")
        parsed[code.strip()] = reason.strip()
    validated, refused = validate(reference, mois, by=by, now=now(when), refusals=parsed)
    click.echo(f"{mois:%m/%Y} : {validated} ligne(s) validée(s), {refused} refusée(s).")


@suivi_group.command("situation")
@click.argument("code")
@click.option("--moment", type=click.Choice([c.value for c in Checkpoint]), required=True, help=choice_help(Checkpoint))
@click.option(
    "--categorie",
    type=click.Choice([c.value for c in OutcomeCategory]),
    required=True,
    help=choice_help(OutcomeCategory),
)
@click.option("--date", "when", type=DATE, required=True, metavar="AAAA-MM-JJ", help="Date du constat.")
@click.option("--structure", help="Structure détentrice du code (si le code existe dans plusieurs).")
def situation_cmd(code: str, moment: str, categorie: str, when: dt.date, structure: str | None) -> None:
    """Enregistre la situation d'un participant à la sortie ou six mois après.

    Exemple : drafter suivi situation P-01 --moment sortie --categorie emploi_durable --date 2028-01-15
    """
    ready()
    from .records import record_outcome

    record_outcome(structure, code, moment, categorie, when)
    click.echo(f"Situation de {code} enregistrée.")


for _command in REPORT_COMMANDS:
    suivi_group.add_command(_command)
