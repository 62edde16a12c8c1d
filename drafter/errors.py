"""User-facing errors.

Every error a buyer can cause is a :class:`DrafterError` carrying one or more
:class:`Problem` items written in French. The CLI turns them into messages and an
exit code in one place (``cli.main``); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One precise problem: where it is, what was read, what to do."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def render(self) -> str:
        """Format as ``fichier:ligne:colonne — champ : message``."""
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
        head = " — ".join(p for p in (where, self.field or "") if p)
        if not head:
            return self.message
        if self.field:
            return f"{head} : {self.message}"
        return f"{head} — {self.message}"


class DrafterError(Exception):
    """Base error for everything a user can cause; ``exit_code`` is 2 (bad input)."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        """All problems, one per line."""
        return "\n".join(p.render() for p in self.problems)


class ProfileError(DrafterError):
    """The market profile (or a parameters file) is invalid."""


class RuleError(DrafterError):
    """A rule table is missing a value in force at the requested date."""


class OutputError(DrafterError):
    """The output cannot be written where asked (existing folder, permissions)."""


class RenderError(DrafterError):
    """A document could not be generated (template error, conversion failure)."""

    exit_code = 1


def shown(value: object, limit: int = 80) -> str:
    """A value as read, for ``(valeur lue : « … »)``, shortened when long."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "vide"
    else:
        text = str(value)
    text = text.replace("\n", " ")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


# The system's messages are in English (« No space left on device »): a buyer reads French.
_REASONS = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EDQUOT: "quota de disque dépassé",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.EEXIST: "le chemin existe déjà",
    errno.EIO: "erreur d'entrée-sortie du disque",
    errno.EBUSY: "fichier ou périphérique occupé",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.ELOOP: "trop de liens symboliques imbriqués",
}


def os_reason(exc: OSError) -> str:
    """A French reason for a file-system error; an unknown one keeps the system's words, marked as such."""
    known = _REASONS.get(exc.errno or 0)
    if known is not None:
        return known
    if exc.strerror:
        return f"erreur du système : {exc.strerror}"
    return f"erreur du système : {exc}"
