"""French for click's own messages (usage, help, parameter errors).

click marks its strings with :mod:`gettext`; we install a small French catalogue
into its modules so that every message a buyer sees is French.
"""

from __future__ import annotations

import gettext
import importlib

CATALOGUE = {
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Show this message and exit.": "Affiche cette aide et quitte.",
    "Show the version and exit.": "Affiche la version et quitte.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Aide : « {command} {option} ».",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing command.": "Commande manquante.",
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "No such command {name!r}.": "Commande inconnue : {name!r}.",
    "No such option {name!r}.": "Option inconnue : {name!r}.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Option {name!r} does not take a value.": "L'option {name!r} ne prend pas de valeur.",
    "Aborted!": "Interrompu.",
    "Error: invalid input": "Erreur : saisie invalide",
    "Repeat for confirmation": "Confirmez en répétant",
    "Error: The two entered values do not match.": "Erreur : les deux saisies diffèrent.",
    "default: {default}": "par défaut : {default}",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un nombre valide.",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} introuvable.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} illisible.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} non modifiable.",
    "file": "Fichier",
    "directory": "Dossier",
    "path": "Chemin",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir {filename!r} : {message}",
    "Do you want to continue?": "Voulez-vous continuer ?",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
}
PLURALS = {
    "Did you mean {possibility}?": (
        "Vouliez-vous dire {possibility} ?",
        "(Vouliez-vous dire l'une de : {possibilities} ?)",
    ),
    "{value!r} is not {choice}.": ("{value!r} n'est pas {choice}.", "{value!r} n'est pas l'une de : {choices}."),
    "{value!r} does not match the format {format}.": (
        "{value!r} ne respecte pas le format {format}.",
        "{value!r} ne respecte aucun des formats {formats}.",
    ),
    "Option {name!r} requires an argument.": (
        "L'option {name!r} attend une valeur.",
        "L'option {name!r} attend {nargs} valeurs.",
    ),
    "Got unexpected extra argument ({args})": ("Argument en trop ({args})", "Arguments en trop ({args})"),
    "Takes {nargs} values but 1 was given.": (
        "Attend {nargs} valeurs, 1 donnée.",
        "Attend {nargs} valeurs, {len} données.",
    ),
}


class _French(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return CATALOGUE.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        pair = PLURALS.get(singular)
        if pair is None:
            return singular if n == 1 else plural
        return pair[0] if n == 1 else pair[1]


def install() -> None:
    """Point click's ``_`` and ``ngettext`` at the French catalogue."""
    french = _French()
    for name in ("core", "formatting", "exceptions", "decorators", "types", "termui", "parser", "utils"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = french.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = french.ngettext  # type: ignore[attr-defined]
