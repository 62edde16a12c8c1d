"""Write a market profile as readable, commented YAML (the form of ``profiles/examples``).

``profile_to_yaml(profile)`` writes the keys a profile sets, in the order of the examples
and of SPEC §3, with French comments explaining each section; reading the text back with
:func:`drafter.loading.load_profile` gives the same profile. ``write_atomic`` puts it on
disk through a temporary file and a rename, so an interrupted save leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import textwrap
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from drafter.domain import schema
from drafter.domain.naming import safe_name
from drafter.domain.profile import (
    LOT_FIELD_ALIASES,
    Buyer,
    Contact,
    ExceptionChoice,
    Facilitator,
    InsertionSettings,
    Lot,
    Market,
    Pieces,
    Profile,
)
from drafter.errors import OutputError

LOT_KEYS = LOT_FIELD_ALIASES
# The key order of a profile file and the comment after each value: read from the models.
MODELS: dict[str, type[BaseModel]] = {
    "profile": Profile, "acheteur": Buyer, "contact": Contact, "marche": Market, "facilitateur": Facilitator,
    "insertion": InsertionSettings, "exception": ExceptionChoice, "lot": Lot, "pieces": Pieces,
}
ORDER = {section: schema.aliases(model) for section, model in MODELS.items()}
INLINE = {alias: note for model in MODELS.values() for alias in schema.aliases(model)
          if (note := schema.note(model, alias)) is not None}


HEADER = (
    "Profil de marché pour drafter : clause sociale d'insertion.",
    "Vérifier : drafter check FICHIER · décision : drafter explain FICHIER",
    "Rédiger les pièces : drafter generate FICHIER · modifier par questions : drafter new --depuis FICHIER",
    "Les clés sont en français ; une clé inconnue est une erreur. Tables de règles : drafter regles.",
)
SECTION_COMMENTS = {
    "acheteur": ("Acheteur public : qui achète et qui signe les pièces du marché.",),
    "marche": ("Marché : objet, procédure et durée. La date de lancement fixe les règles appliquées",
               "(seuils, taux, parts de main-d'œuvre)."),
    "facilitateur": ("Facilitateur de la clause : accompagne l'acheteur et les entreprises ;",
                     "c'est le facilitateur de chaque lot, sauf si un lot en désigne un autre."),
    "insertion": ("Choix d'insertion de tous les lots (un lot peut les remplacer). Un choix absent prend",
                  "la valeur par défaut des tables de règles à la date de lancement (drafter regles)."),
    "lots": ("Lots : montant HT sur toute la durée, secteur d'activité (part de main-d'œuvre),",
             "facilitateur ou choix d'insertion propres au lot s'ils diffèrent de ceux du marché."),
    "pieces": ("Numéros des articles de votre CCAP et de votre RC qui reçoivent les dispositions sociales.",),
}
WIDTH = 100
_KEY = re.compile(r"[a-z][a-z0-9_]*")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
SHORTHAND_COMMENT = "# Lot unique : montant et secteur d'activité (part de main-d'œuvre)."


def scalar(value: Any) -> str:
    """A YAML scalar: texts in double quotes (JSON escaping), exact decimals, ISO dates."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"unexpected value in a profile: {value!r}")


class _Writer:
    def __init__(self, sector_labels: Mapping[str, str]):
        self.lines: list[str] = []
        self.sector_labels = sector_labels
        self.noted: set[str] = set()

    def comment(self, texts: tuple[str, ...], indent: str = "") -> None:
        self.lines.extend(f"{indent}# {t}" for t in texts)

    def mapping(self, data: dict, order: tuple[str, ...], indent: str,
                first_prefix: str | None = None) -> None:
        keys = [k for k in order if k in data] + [k for k in data if k not in order]
        shorthand = order is ORDER["marche"]
        for position, key in enumerate(keys):
            if shorthand and key in LOT_KEYS:
                self.lines.append(f"{indent}{SHORTHAND_COMMENT}")
                shorthand = False
            prefix = first_prefix if (position == 0 and first_prefix is not None) else indent
            self.entry(key, data[key], prefix, indent)

    def entry(self, key: str, value: Any, prefix: str, indent: str) -> None:
        inner = indent + "  "
        if isinstance(value, dict):
            self.lines.append(f"{prefix}{key}:")
            self.mapping(value, ORDER.get(key, ()), inner)
        elif isinstance(value, list) and key == "cpv":
            items = ", ".join(scalar(v) for v in value)
            self.lines.append(f"{prefix}{key}: [{items}]  # {INLINE['cpv']}")
        elif isinstance(value, list):
            self.lines.append(f"{prefix}{key}:")
            for lot in value:
                self.mapping(lot, ORDER["lot"], inner + "  ", first_prefix=inner + "- ")
        else:
            note = INLINE.get(key) if key not in self.noted else None
            self.noted.add(key)
            if key == "secteur" and value in self.sector_labels:
                note = self.sector_labels[value]
            shown = value if key == "secteur" and _KEY.fullmatch(value) and value not in _RESERVED \
                else scalar(value)
            line = f"{prefix}{key}: {shown}"
            if note and len(line) + len(note) + 4 > WIDTH:
                # a long list of values goes above the key, wrapped
                self.lines.extend(textwrap.wrap(f"{key} : {note}", WIDTH - len(indent) - 2,
                                                initial_indent=f"{indent}# ",
                                                subsequent_indent=f"{indent}#   "))
                note = None
            self.lines.append(line + (f"  # {note}" if note else ""))


def _pruned(value: Any) -> Any:
    """Without empty sections (an empty ``contact:`` would read as null)."""
    if isinstance(value, Mapping):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if not (isinstance(v, Mapping) and not v)}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def profile_to_yaml(profile: Profile | Mapping[str, Any], *,
                    sector_labels: Mapping[str, str] | None = None) -> str:
    """The profile as commented YAML (only the keys it sets, in the examples' order).

    ``profile`` is a model or a dict in the shape of the file (French keys, typed values,
    as the wizard drafts it); ``sector_labels`` adds each sector's label as a comment.
    """
    data = profile.model_dump(by_alias=True, exclude_unset=True) if isinstance(profile, Profile) else _pruned(profile)
    writer = _Writer(sector_labels or {})
    writer.comment(HEADER)
    for key in ORDER["profile"]:
        if key not in data:
            continue
        value = data[key]
        if key == "version":
            writer.lines.append(f"version: {scalar(value)}")
            continue
        writer.lines.append("")
        writer.comment(SECTION_COMMENTS[key])
        writer.entry(key, value, "", "")
    return "\n".join(writer.lines) + "\n"


def slugify(text: str, limit: int = 80) -> str:
    """A safe file name stem for a profile (lower case; the rules of :mod:`drafter.naming`)."""
    return safe_name(text, fallback="profil", limit=limit, lower=True)


def write_atomic(path: Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder, then rename.

    Without ``overwrite`` an existing file is never replaced (OutputError). On any error
    or interruption the temporary file is removed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not overwrite and path.exists():
        raise OutputError(f"{path} existe déjà : il n'a pas été remplacé.")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the file appeared meanwhile: never clobber
            except FileExistsError:
                raise OutputError(f"{path} existe déjà : il n'a pas été remplacé.") from None
            except OSError:
                os.replace(tmp, path)  # file systems without hard links
            else:
                os.unlink(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
