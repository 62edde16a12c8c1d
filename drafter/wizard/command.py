"""``drafter new``: the interactive wizard as a click command (saving and the offer to generate).

Exit codes: 0 profile saved · 1 abandoned by the buyer · 2 end of input before the end (or an
invalid ``--depuis`` profile, or an output that cannot be written) · 130 Ctrl-C. Nothing is
written before the buyer chooses « Enregistrer »; the file is written atomically.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

import click

from drafter.app.analyse import Analysis
from drafter.app.generate import DEFAULT_OUTPUT, generate, output_folder, written_lines
from drafter.app.settings import Settings
from drafter.errors import OutputError, os_reason
from drafter.inputs.directory import entries
from drafter.inputs.loading import load_profile
from drafter.inputs.profile_yaml import slugify, write_atomic
from drafter.wizard.flow import Abandoned, Wizard
from drafter.wizard.prompter import Prompter, text

EXIT_ABANDONED = 1
EXIT_EOF = 2
EXIT_INTERRUPTED = 130


def save(io: Prompter, yaml_text: str, requested: str | None, reference: str) -> Path:
    """Write the profile; an existing file is replaced only on confirmation, and a file that
    cannot be written (folder, permissions) leads to another name being asked, not to lost answers."""
    path = Path(requested) if requested else Path("profiles") / f"{slugify(reference)}.yaml"
    while True:
        overwrite = False
        if path.is_dir():
            io.error(f"{path} est un dossier : indiquez un nom de fichier.")
        elif path.exists() and not io.confirm(f"Le fichier {path} existe déjà. Le remplacer ?", False):
            pass
        else:
            overwrite = path.exists()
            try:
                write_atomic(path, yaml_text, overwrite=overwrite)
                return path
            except OutputError as exc:
                io.error(exc.render())
            except OSError as exc:
                io.error(f"impossible d'écrire {path} ({os_reason(exc)}).")
        stem = path.with_suffix("")
        proposal = next(p for n in range(2, 1000) if not (p := Path(f"{stem}-{n}.yaml")).exists())
        path = Path(io.ask("Nom du fichier où enregistrer le profil", text, current=str(proposal)))


def offer_generate(settings: Settings, io: Prompter, path: Path, analysis: Analysis) -> None:
    """Offer to write the documents now, through the generate use case (as ``drafter generate`` does)."""
    if not io.confirm("Rédiger les pièces du marché maintenant (drafter generate) ?", True):
        io.say(f"Pour les rédiger plus tard : drafter generate {path}")
        return
    revue = io.confirm("Ajouter les commentaires de relecture pour le juriste (fondements, calculs, points à "
                       "confirmer), dans une copie à part ?", False)
    folder = output_folder(DEFAULT_OUTPUT, analysis)
    force = False
    if folder.exists():
        if not io.confirm(f"Le dossier {folder} existe déjà. Remplacer les pièces qu'il contient ?", False):
            io.say(f"Pièces non rédigées. Pour les rédiger plus tard : drafter generate {path} --force"
                   + (" --revue" if revue else ""))
            return
        force = True
    start = time.perf_counter()
    result = generate(analysis, DEFAULT_OUTPUT, revue=revue, force=force, templates_dir=settings.modeles)
    for line in written_lines(result, several=len(analysis.decision.lots) > 1,
                              elapsed=time.perf_counter() - start):
        io.say(line)


@click.command("new", short_help="Assistant : crée un profil de marché par questions.")
@click.option("-o", "--sortie", "sortie", type=click.Path(dir_okay=False), metavar="FICHIER.yaml",
              help="Fichier du profil à écrire (par défaut : profiles/<référence>.yaml).")
@click.option("--depuis", "depuis", type=click.Path(dir_okay=False), metavar="PROFIL",
              help="Part d'un profil existant : ses réponses sont proposées par défaut.")
@click.option("--annuaire", "annuaire", type=click.Path(dir_okay=False, exists=True), envvar="DRAFTER_ANNUAIRE",
              metavar="FICHIER", help="Annuaire des facilitateurs (YAML ou .xlsx, celui de drafter suivi annuaire) : "
                                      "le facilitateur se choisit dans la liste (variable DRAFTER_ANNUAIRE).")
@click.pass_context
def new_cmd(ctx: click.Context, sortie: str | None, depuis: str | None, annuaire: str | None) -> None:
    """Assistant interactif : crée un profil de marché en répondant à des questions.

    Les questions suivent l'ordre du profil : acheteur, marché, facilitateur, lots,
    choix d'insertion. Chaque réponse est vérifiée comme le fait « drafter check » et
    redemandée si elle est invalide. Avant l'enregistrement, drafter montre la décision
    par lot (dispositif, base légale, heures) et permet de revenir sur une rubrique.

    Ctrl-C ou la fin de la saisie arrêtent l'assistant sans rien écrire.

    Codes de sortie : 0 profil enregistré · 1 abandon · 2 saisie interrompue (fin de
    l'entrée) ou profil de départ invalide · 130 interruption (Ctrl-C).

    Exemple : drafter new --depuis profiles/examples/mapa-petits-travaux.yaml -o profiles/peinture.yaml
    """
    settings = ctx.obj
    start = load_profile(depuis).profile if depuis else None
    directory = entries(annuaire) if annuaire else None
    if sys.stdin.isatty():
        with contextlib.suppress(ImportError):  # line editing in a real terminal
            import readline  # noqa: F401
    io = Prompter()
    saved: Path | None = None
    try:
        wizard = Wizard(io, settings.book(), settings.today(), start, directory=directory)
        yaml_text, analysis = wizard.run()
        saved = path = save(io, yaml_text, sortie, analysis.profile.market.reference)
        io.say(f"Profil enregistré : {path}")
        offer_generate(settings, io, path, analysis)
    except KeyboardInterrupt:
        click.echo("", err=True)
        click.echo(_stopped("Interrompu (Ctrl-C)", saved), err=True)
        ctx.exit(EXIT_INTERRUPTED)
    except EOFError:
        click.echo("", err=True)
        click.echo(_stopped("Fin de la saisie avant la dernière question", saved), err=True)
        ctx.exit(EXIT_EOF)
    except Abandoned:
        click.echo("Abandon : aucun profil n'a été enregistré.", err=True)
        ctx.exit(EXIT_ABANDONED)


def _stopped(what: str, saved: Path | None) -> str:
    if saved is None:
        return f"{what} : aucun profil n'a été enregistré."
    return f"{what} : le profil {saved} est enregistré, mais les pièces n'ont pas été rédigées."

