"""``drafter bulk`` (SPEC §2): many profiles and spreadsheets, parallel, one summary, one error report."""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import tempfile
import time
from itertools import chain
from pathlib import Path

import click

from drafter.app.bulk import REPORT, SUMMARY, Outcome, run
from drafter.app.bulk_inputs import expand, tasks
from drafter.app.settings import Settings
from drafter.cli.options import DATE, Sortie
from drafter.documents.output import replace_file
from drafter.domain import fmt
from drafter.errors import DrafterError, OutputError, Problem
from drafter.inputs.sheet_model import write_model


def default_workers() -> int:
    """The processes this machine gives us (CPU affinity when known)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@click.command("bulk")
@click.argument("entrees", nargs=-1, metavar="ENTREES...")
@click.option("-o", "--sortie", "--output", "dossier", cls=Sortie, default="output", show_default=True,
              type=click.Path(file_okay=False),
              metavar="DOSSIER", help="Dossier de sortie : un sous-dossier par marché, plus synthese.xlsx et "
                                      "erreurs.txt.")
@click.option("-j", "--processus", "workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Nombre de processus en parallèle (par défaut : nombre de cœurs).")
@click.option("--revue", is_flag=True, help="Ajoute les commentaires Word de relecture à chaque pièce.")
@click.option("--date", "date", type=DATE, metavar="AAAA-MM-JJ",
              help="Date de référence des règles (par défaut : date de lancement de chaque marché).")
@click.option("--force", is_flag=True, help="Remplace les dossiers de marché qui existent déjà.")
@click.option("--modele-tableur", "model", type=click.Path(dir_okay=False), metavar="FICHIER.xlsx",
              help="Écrit un tableur vide à remplir (en-têtes, listes déroulantes, feuille « Aide »), puis s'arrête.")
@click.pass_obj
def bulk_cmd(settings: Settings, entrees: tuple[str, ...], dossier: str, workers: int | None, revue: bool,
             date: dt.datetime | dt.date | None, force: bool, model: str | None) -> None:
    """Rédige les pièces de nombreux marchés : profils YAML (fichiers, dossiers, motifs *.yaml)
    et tableurs .xlsx / .csv (une ligne par lot, lignes regroupées par référence du marché).

    Chaque marché est traité indépendamment : une erreur est signalée (fichier, ligne,
    colonne) sans empêcher les autres. Écrit DOSSIER/synthese.xlsx (un lot par ligne,
    feuille « Erreurs ») et DOSSIER/erreurs.txt. Code de sortie 1 si un marché a échoué.

    \b
    Exemples :
      drafter bulk profils/ lots.xlsx -o sortie -j 4
      drafter bulk --modele-tableur modele.xlsx
    """
    when = date.date() if isinstance(date, dt.datetime) else date
    if model:
        if entrees:
            raise click.UsageError("--modele-tableur écrit un modèle vide : ne donnez pas d'ENTREES en même temps.")
        write_model_file(Path(model), settings, when or settings.today(), force)
        return
    if not entrees:
        raise click.UsageError("donnez au moins une entrée : profil .yaml, dossier, motif (*.yaml) ou "
                               "tableur .xlsx / .csv (modèle : drafter bulk --modele-tableur modele.xlsx).")
    files, bad = expand(entrees)
    if not files:
        raise DrafterError([*[p for task in bad for p in task.problems],
                            Problem("aucune entrée à traiter : rien n'a été écrit.")])
    start = time.perf_counter()
    book = settings.book()
    sectors = tuple(book.at(when or settings.today()).sectors())
    err = sys.stderr
    with tempfile.TemporaryFile("w+", encoding="utf-8") as lines:
        def written(outcome: Outcome) -> None:  # spooled: printed once the progress bar is gone
            lines.write(f"{outcome.task.label} → {outcome.folder}/ ({outcome.documents} pièce(s))\n")
            lines.writelines(f"  {warning.render()}\n" for warning in outcome.warnings)

        with click.progressbar(length=len(bad) + len(files), label="Rédaction des marchés", file=err,
                               show_pos=True) as bar:
            result = run(chain(bad, tasks(files, sectors=sectors)), dossier, book=book, today=settings.today(),
                         date=when, workers=workers or default_workers(), revue=revue, force=force,
                         templates_dir=settings.modeles, progress=bar.update, on_market=written)
        lines.seek(0)
        for line in lines:
            click.echo(line, nl=False)
    for item in result.failed:
        click.echo(f"✗ {item.label}", err=True)
        for problem in item.problems:
            click.echo(f"  {problem.render()}", err=True)
    elapsed = time.perf_counter() - start
    click.echo(f"{result.markets} marché(s) rédigé(s), {result.documents} pièce(s), "
               f"{len(result.failed)} en erreur, en {fmt.seconds(elapsed)} s. Synthèse : {Path(dossier) / SUMMARY}"
               + (f" ; erreurs : {Path(dossier) / REPORT}" if result.report else ""))
    if result.failed:
        raise SystemExit(1)


def write_model_file(path: Path, settings: Settings, when: dt.date, force: bool) -> None:
    if path.suffix.lower() != ".xlsx":
        raise click.UsageError(f"le modèle de tableur doit être un fichier .xlsx (reçu : « {path.name} »).")
    if path.exists() and not force:
        raise OutputError(f"« {path} » existe déjà : ajoutez --force pour le remplacer. Rien n'a été écrit.")
    buffer = io.BytesIO()
    write_model(buffer, settings.book().at(when))
    replace_file(path, buffer.getvalue())  # a symbolic link at ``path`` is replaced, never followed
    click.echo(f"Modèle de tableur écrit : {path} (feuille « Lots » à remplir, feuille « Aide » pour chaque colonne).")
    click.echo(f"Une fois rempli : drafter bulk {path} -o sortie")

