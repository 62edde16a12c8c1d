"""The ``drafter`` command line (click). A thin adapter over the library.

Every user error is a :class:`~drafter.errors.DrafterError`, turned into a French
message and an exit code in one place (:class:`DrafterGroup`). The clock is read here
and nowhere below.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys

import click

from drafter.app.input_warnings import input_warnings
from drafter.app.settings import Settings
from drafter.cli import click_fr
from drafter.cli.error_mapping import invoke_mapped
from drafter.cli.options import CONTEXT, DATE
from drafter.domain import fmt
from drafter.domain.labels import NATURE_FR
from drafter.errors import DrafterError
from drafter.law.rules import RuleValue
from drafter.present.explain import decision_json, dumps, render_text
from drafter.version import __version__

click_fr.install()



# Commands defined in their own modules, imported only when used: `drafter check` must not
# pay for docxtpl, openpyxl and the worker pool at start-up.
LAZY_COMMANDS = {
    "generate": "drafter.cli.documents:generate_cmd",
    "templates": "drafter.cli.documents:templates_group",
    "bulk": "drafter.cli.bulk:bulk_cmd",
    "new": "drafter.wizard.command:new_cmd",          # front ends register here; they never import each other
    "inserer": "drafter.cli.insert:insert_cmd",
    "suivi": "drafter.monitoring.commands:suivi_group",
}


class DrafterGroup(click.Group):
    """Maps DrafterError to its French message and exit code; hides tracebacks unless --debug.

    Also loads the commands of :data:`LAZY_COMMANDS` on first use.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS and name not in self.commands:
            module, attribute = LAZY_COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        return invoke_mapped(ctx, lambda: super(DrafterGroup, self).invoke(ctx))




@click.group(name="drafter", cls=DrafterGroup, context_settings=CONTEXT,
             subcommand_metavar="COMMANDE [ARGUMENTS]...")
@click.option("--parametres", type=click.Path(dir_okay=False), metavar="FICHIER.yaml",
              help="Paramètres locaux qui remplacent les valeurs par défaut des règles "
                   "(parts de main-d'œuvre, coût horaire, taux, pénalités).")
@click.option("--modeles", type=click.Path(file_okay=False), metavar="DOSSIER",
              help="Modèles de documents qui remplacent les modèles fournis.")
@click.option("--debug", is_flag=True, help="Affiche le détail technique (traceback) des erreurs.")
@click.version_option(__version__, "--version", prog_name="drafter", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, parametres: str | None, modeles: str | None, debug: bool) -> None:
    """drafter — rédaction des clauses sociales des marchés publics.

    À partir d'un profil de marché (YAML), drafter choisit le dispositif juridique
    (condition d'exécution, critère, marché réservé, marché d'insertion ou exception),
    calcule les heures d'insertion et rédige les pièces (CCAP, RC, engagement,
    convention avec le facilitateur, note de calcul).

    Exemple : drafter explain profiles/examples/travaux-cite-administrative.yaml
    """
    ctx.obj = Settings(parametres, modeles, debug)


@cli.command("check")
@click.argument("profils", nargs=-1, required=True, metavar="PROFIL...")
@click.option("--date", "date", type=DATE, metavar="AAAA-MM-JJ",
              help="Date de référence des règles (par défaut : date de lancement du profil).")
@click.pass_obj
def check_cmd(settings: Settings, profils: tuple[str, ...], date: dt.date | None) -> None:
    """Vérifie des profils : format, valeurs et cohérence juridique.

    Affiche toutes les erreurs (fichier:ligne:colonne), puis, pour un profil valide, ce
    qu'il faut lire avant de rédiger, situé de même : « à noter » (ce que drafter a
    complété), « attention » (avertissements de la décision), « à confirmer » (valeurs
    non vérifiées que le profil peut préciser). Code de sortie 0 si tous les profils
    sont valides, 2 sinon.

    Exemple : drafter check profiles/examples/*.yaml
    """
    settings.book()
    failed = 0
    for path in profils:
        try:
            analysis = settings.analyse(path, date)
        except DrafterError as exc:
            failed += 1
            click.echo(exc.render(), err=True)
            continue
        d = analysis.decision
        count = len(d.lots)
        verdict = "condition sociale obligatoire" if d.obligation_sociale else "condition sociale non obligatoire"
        click.echo(f"{path} : profil valide ({count} lot{'s' if count > 1 else ''}, {verdict}).")
        for warning in input_warnings(analysis):
            click.echo(f"  {warning.render()}")
    if len(profils) > 1:
        click.echo(f"{len(profils) - failed} profil(s) valide(s), {failed} en erreur.")
    if failed:
        sys.exit(2)


@cli.command("explain")
@click.argument("profil", metavar="PROFIL")
@click.option("--json", "as_json", is_flag=True, help="Affiche le document de décision en JSON.")
@click.option("--date", "date", type=DATE, metavar="AAAA-MM-JJ",
              help="Date de référence des règles (par défaut : date de lancement du profil).")
@click.pass_obj
def explain_cmd(settings: Settings, profil: str, as_json: bool, date: dt.date | None) -> None:
    """Explique la décision pour chaque lot : dispositif, heures, raisonnement.

    Exemple : drafter explain profiles/examples/nettoyage-accord-cadre-occitanie.yaml --json
    """
    analysis = settings.analyse(profil, date)
    if as_json:
        click.echo(dumps(decision_json(analysis.decision, analysis.profile)), nl=False)
    else:
        click.echo(render_text(analysis), nl=False)


@cli.command("regles")
@click.option("--date", "date", type=DATE, metavar="AAAA-MM-JJ",
              help="Date à laquelle lire les règles (par défaut : aujourd'hui).")
@click.pass_obj
def regles_cmd(settings: Settings, date: dt.date | None) -> None:
    """Affiche les règles en vigueur à une date, avec leurs sources.

    Les valeurs non vérifiées sont marquées « [à confirmer] ».

    Exemple : drafter regles --date 2027-01-15
    """
    when = date or settings.today()
    rules = settings.book().at(when)
    click.echo(f"Règles en vigueur au {fmt.date_long(when)}")
    by_table: dict[str, list[RuleValue]] = {}
    for value in rules.values.values():
        by_table.setdefault(value.table, []).append(value)
    for table in settings.book().tables:
        values = by_table.get(table.table, [])
        click.echo(f"\n{table.description} (table « {table.table} », version {table.version})")
        for v in values:
            flag = " [à confirmer]" if v.to_confirm else ""
            local = " [paramètre local]" if v.local else ""
            click.echo(f"  {v.id} = {show_value(v)}{flag}{local}")
            click.echo(f"      {v.libelle} — en vigueur depuis le {fmt.date_long(v.depuis)}")
            if v.reference:
                click.echo(f"      Référence : {v.reference}")
            if v.natures:
                click.echo(f"      Marchés de : {', '.join(NATURE_FR[n] for n in v.natures)}")
            click.echo(f"      Source : {v.provenance}")
    if "parametres_locaux" in rules.versions:
        click.echo(f"\nParamètres locaux appliqués : {rules.versions['parametres_locaux']}")


def show_value(v: RuleValue) -> str:
    if v.valeur is None:
        return "(égale au coût horaire retenu)" if v.id == "penalite_par_heure" else "—"
    if v.unite == "euros_ht":
        return fmt.euros(v.valeur) + " HT"
    if v.unite == "taux":
        return fmt.percent(v.valeur)
    if v.unite == "heures":
        return fmt.smart(v.valeur) + " h"
    if v.unite == "pourcentage":
        return fmt.smart(v.valeur) + " %"
    if v.unite == "date":
        return fmt.date_long(v.valeur)
    if v.unite == "nombre":
        return fmt.smart(v.valeur)
    if isinstance(v.valeur, list | tuple):
        return ", ".join(str(item) for item in v.valeur) or "—"
    return f"« {v.valeur} »"


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="drafter")



if __name__ == "__main__":  # pragma: no cover
    main()

__all__ = ["cli", "main", "Settings"]
