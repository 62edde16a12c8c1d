"""``drafter inserer``: the generated CCAP or RC article into the buyer's own Word file."""

from __future__ import annotations

from pathlib import Path

import click

from drafter.documents.insert import InsertError, default_output, insert
from drafter.documents.output import follow_umask_file
from drafter.errors import os_reason


@click.command("inserer")
@click.argument("document", metavar="DOCUMENT.docx", type=click.Path(dir_okay=False))
@click.argument("dossier", metavar="DOSSIER", type=click.Path(file_okay=False))
@click.option("--apres", "after", metavar="TITRE",
              help="Insère à la fin de la partie dont le titre contient TITRE (au lieu de la ligne "
                   "« [clauses sociales] »).")
@click.option("--piece", "kind", type=click.Choice(["ccap", "rc"]),
              help="La pièce à insérer (par défaut : d'après le titre du document, CCAP ou RC).")
@click.option("-o", "--sortie", "output", type=click.Path(dir_okay=False), metavar="SORTIE.docx",
              help="Fichier écrit (par défaut : DOCUMENT-clauses-sociales.docx à côté du document).")
@click.option("--force", is_flag=True, help="Remplace le fichier de sortie s'il existe déjà.")
def insert_cmd(document: str, dossier: str, after: str | None, kind: str | None, output: str | None,
               force: bool) -> None:
    """Insère l'article du CCAP (ou du RC) rédigé par drafter dans votre propre document Word.

    DOCUMENT.docx est votre CCAP (ou RC) ; DOSSIER est le dossier du marché écrit par
    drafter generate. L'article est inséré à la place d'une ligne « [clauses sociales] »
    de votre document, ou à la fin de la partie nommée par --apres, avec vos styles et
    votre numérotation des titres. Votre document n'est pas modifié : un nouveau fichier
    est écrit à côté. Relancé sur ce nouveau fichier, inserer remplace l'article inséré
    la première fois, sans le dupliquer.

    Exemple : drafter inserer MON-CCAP.docx output/2027-SGCD11-TRX-01 --apres "Pénalités"
    """
    source = Path(document)
    target = Path(output) if output else default_output(source)
    if target.exists() and not force and target.resolve() != source.resolve():
        raise InsertError(f"Le fichier « {target} » existe déjà : ajoutez --force pour le remplacer. "
                          "Rien n'a été écrit.")
    if target.resolve() == source.resolve() and not force:
        raise InsertError(f"« {target} » est le document d'origine : choisissez une autre sortie (-o) ou "
                          "ajoutez --force pour le remplacer. Rien n'a été écrit.")
    data, used = insert(source, Path(dossier), kind=kind, after=after)
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        temporary.write_bytes(data)
        follow_umask_file(temporary)
        temporary.replace(target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InsertError(f"impossible d'écrire « {target} » : {os_reason(exc)}. Rien n'a été écrit.") from None
    click.echo(f"{'Article du CCAP' if used == 'ccap' else 'Article du RC'} inséré : {target}")
