"""Local parameters (``--parametres``): a buyer's or TME's own values over the bundled rule tables,
validated like a profile (located French errors) and cited as « Paramètres locaux — <source> »."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from drafter.domain.parsing import ParseError, parse_amount, parse_rate
from drafter.errors import Problem, ProfileError
from drafter.inputs.source import Source, read_yaml
from drafter.law.rules import Override, RuleBook, load_rules


def load_parameters(path: str | Path, book: RuleBook | None = None) -> RuleBook:
    """Apply a local parameters file (e.g. TME's own table) on top of the bundled rules.

    Format::

        version: 1
        source: "Table locale TME, 2027"      # cited for every value below
        valeurs:
          cout_horaire: 28
          part_main_oeuvre:
            espaces_verts: {valeur: 0.62, source: "Relevé TME 2026"}
    """
    book = book or load_rules()
    src = read_yaml(path, what="fichier de paramètres")
    problems: list[Problem] = []
    default_source, values = _header(src, path, problems)
    overrides: dict[str, Override] = {}
    for loc, raw in _flatten(values, ("valeurs",)):
        override = _override(src, book, loc, raw, default_source, problems)
        if override is not None:
            overrides[".".join(str(p) for p in loc[1:])] = override
    if problems:
        raise ProfileError(problems)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    return book.with_overrides(overrides, f"{Path(path).name} (sha256 {digest})")


def _header(src: Source, path: str | Path, problems: list[Problem]) -> tuple[str, dict]:
    """The file's own keys: the source cited for every value, and the values."""
    data = src.data
    allowed = {"version", "source", "valeurs"}
    for key in data:
        if key not in allowed:
            problems.append(
                src.problem((key,), f"clé inconnue ; clés admises : {', '.join(sorted(allowed))}.", key=True)
            )
    default_source = data.get("source")
    if not isinstance(default_source, str) or not default_source.strip():
        problems.append(src.problem(
            ("source",),
            "indiquez la source de ces paramètres (texte non vide), elle sera citée dans les notes de calcul.",
        ))
        default_source = str(path)
    values = data.get("valeurs")
    if not isinstance(values, dict) or not values:
        problems.append(src.problem(("valeurs",), "la rubrique « valeurs » doit lister au moins un paramètre."))
        values = {}
    return default_source, values


def _override(src: Source, book: RuleBook, loc: tuple, raw: Any, default_source: str,
              problems: list[Problem]) -> Override | None:
    """One local value, checked against its rule's unit (None, with a problem, when it cannot be used)."""
    rule_id = ".".join(str(p) for p in loc[1:])
    if rule_id not in book.specs:
        problems.append(src.problem(
            loc, f"paramètre inconnu « {rule_id} ». Listez les paramètres existants avec : drafter regles", key=True
        ))
        return None
    entry_source, a_confirmer = default_source, False
    if isinstance(raw, dict):
        entry_source = raw.get("source", default_source)
        a_confirmer = bool(raw.get("a_confirmer", False))
        raw = raw.get("valeur")
    try:
        value = _check_unit(book.specs[rule_id][1].unite, raw)
    except ParseError as exc:
        problems.append(src.problem(loc, f"{exc} (valeur lue : « {raw} »)"))
        return None
    return Override(value, f"Paramètres locaux — {entry_source}", a_confirmer)


def _flatten(values: dict, loc: tuple) -> list[tuple[tuple, Any]]:
    out = []
    for key, value in values.items():
        here = (*loc, key)
        if isinstance(value, dict) and "valeur" not in value:
            out.extend(_flatten(value, here))
        else:
            out.append((here, value))
    return out


def _check_unit(unit: str, raw: Any) -> Any:
    if unit == "taux":
        return parse_rate(raw)
    if unit in {"euros_ht", "heures", "nombre", "pourcentage"}:
        return parse_amount(raw, allow_zero=unit == "nombre")
    if unit == "date":
        if not isinstance(raw, dt.date):
            raise ParseError("doit être une date au format AAAA-MM-JJ")
        return raw
    if not isinstance(raw, str) or not raw.strip():
        raise ParseError("doit être un texte non vide")
    return raw
