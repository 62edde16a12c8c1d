"""Load a market profile: YAML → validated :class:`Profile`, with located French errors.

All problems of a file are collected and raised together (SPEC §7):
``profil.yaml:14:5 — lots[1].montant_estime_ht : doit être un montant positif en euros HT
(valeur lue : « -5 »)``.
"""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from drafter.domain import fmt
from drafter.domain.profile import LOT_FIELD_ALIASES, MAX_LOTS, Profile
from drafter.errors import Problem, ProfileError, shown
from drafter.inputs.source import Located, PathKey, read_yaml


@dataclass(frozen=True)
class LoadedProfile:
    """A valid profile and the file it came from (to locate later decision errors)."""

    profile: Profile
    source: Located

    @property
    def path(self) -> str:
        return self.source.path


def load_profile(path: str | Path) -> LoadedProfile:
    """Read and validate a profile file, or raise ProfileError listing every problem."""
    return validate_profile(read_profile_yaml(path))


def read_profile_yaml(path: str | Path) -> Located:
    """A profile file's YAML with positions, not yet validated (ProfileError if unreadable)."""
    return read_yaml(path, max_items={"lots": (MAX_LOTS, TOO_MANY_LOTS)})


TOO_MANY_LOTS = (f"trop de lots ({{count}} ; maximum {MAX_LOTS}). Découpez l'accord-cadre en plusieurs "
                 "profils et utilisez : drafter bulk")


def validate_profile(source: Located) -> LoadedProfile:
    """Validate parsed YAML (see :func:`load_profile`)."""
    data = source.data
    problems: list[Problem] = []
    lots = data.get("lots")
    if isinstance(lots, list) and len(lots) > MAX_LOTS:
        raise ProfileError(source.problem(("lots",), TOO_MANY_LOTS.format(count=len(lots)), key=True))
    omitted = 0
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        if len(errors) > MAX_PROBLEMS:  # translate only what will be shown (100 000 unknown keys…)
            errors.sort(key=lambda err: _line_column(source.problem(tuple(err["loc"]), "")))
            errors, omitted = errors[:MAX_PROBLEMS], len(errors) - MAX_PROBLEMS
        problems.extend(translate(errors, source))
        profile = None
    problems.extend(_structure_problems(data, source))
    if problems:
        raise ProfileError(capped(_dedupe(problems), omitted=omitted))
    assert profile is not None
    return LoadedProfile(profile, source)


MAX_PROBLEMS = 50


def capped(problems: list[Problem], limit: int = MAX_PROBLEMS, omitted: int = 0) -> list[Problem]:
    """The first ``limit`` problems, then one line saying how many more were left out."""
    omitted += max(0, len(problems) - limit)
    if not omitted:
        return problems
    rest = fmt.number(omitted)
    return [*problems[:limit], Problem(f"… et {rest} autres problèmes non affichés : corrigez d'abord "
                                       "ceux-ci, puis relancez.", problems[0].file)]


def _line_column(problem: Problem) -> tuple[int, int]:
    return problem.line or 0, problem.column or 0


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return sorted(out, key=lambda p: (p.line or 0, p.column or 0))


def _structure_problems(data: dict, source: Located) -> list[Problem]:
    """Cross-field checks pydantic cannot locate well (single-lot shorthand, lot numbers, amounts)."""
    problems: list[Problem] = []
    found = data.get("marche")
    market: dict[str, Any] = found if isinstance(found, dict) else {}
    lots = data.get("lots")
    shorthand = [k for k in LOT_FIELD_ALIASES if k in market]
    if isinstance(lots, list):
        for key in shorthand:
            problems.append(source.problem(
                ("marche", key),
                "avec une rubrique « lots », ce champ se place dans chaque lot et non sous « marche ».",
                key=True,
            ))
        numbers: dict[int, int] = {}
        for index, lot in enumerate(lots):
            if not isinstance(lot, dict):
                continue
            number = lot.get("numero")
            same = lot_number_key(number)
            if same is not None and same in numbers:
                problems.append(source.problem(
                    ("lots", index, "numero"),
                    f"numéro de lot en double (déjà utilisé par le lot en position {numbers[same] + 1}) "
                    f"(valeur lue : « {shown(number)} »)",
                ))
            if same is not None:
                numbers.setdefault(same, index)
            if "montant_estime_ht" not in lot:
                problems.append(source.problem(
                    ("lots", index),
                    "champ obligatoire manquant : montant_estime_ht (Montant estimé HT du lot, en euros, "
                    "sur toute la durée, reconductions comprises)",
                ))
            problems.extend(amount_order_problems(lot, ("lots", index), source, market.get("forme")))
    elif lots is None and market:
        if "montant_estime_ht" not in market:
            problems.append(source.problem(
                ("marche",),
                "montant_estime_ht manquant : pour un marché à lot unique, indiquez sous « marche » "
                "le montant estimé HT sur toute la durée (ou décrivez les lots sous « lots »).",
            ))
        problems.extend(amount_order_problems(market, ("marche",), source, market.get("forme")))
    return problems


def lot_number_key(value: Any) -> int | None:
    """The lot a ``numero`` designates: ``1``, ``"1"``, ``1.0``, ``"01"`` and ``" 1"`` are one lot."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        return int(value) if value == int(value) else None
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 9:
            return int(text)
        try:
            number = Decimal(text.replace(",", "."))
        except (InvalidOperation, ValueError):
            return None
        if number.is_finite() and -1e9 < number < 1e9 and number == number.to_integral_value():
            return int(number)
    return None


def amount_order_problems(fields: dict, loc: PathKey, source: Located, form: Any) -> list[Problem]:
    """Minimum ≤ estimate ≤ maximum, and no min/max outside framework agreements (shared with the wizard)."""
    problems = []
    if form == "marche_ordinaire":
        for key in ("montant_minimum_ht", "montant_maximum_ht"):
            if key in fields:
                problems.append(source.problem(
                    (*loc, key),
                    "un montant minimum ou maximum n'a de sens que pour un accord-cadre : retirez ce "
                    "champ ou changez « marche.forme ».",
                    key=True,
                ))
    try:
        estimate = _num(fields.get("montant_estime_ht"))
        minimum = _num(fields.get("montant_minimum_ht"))
        maximum = _num(fields.get("montant_maximum_ht"))
    except ValueError:
        return problems
    if minimum is not None and maximum is not None and minimum > maximum:
        problems.append(source.problem((*loc, "montant_minimum_ht"),
                        f"le montant minimum ({shown(fields['montant_minimum_ht'])}) dépasse le "
                        f"montant maximum ({shown(fields['montant_maximum_ht'])})."))
    if estimate is not None and maximum is not None and estimate > maximum:
        problems.append(source.problem((*loc, "montant_estime_ht"),
                        f"le montant estimé ({shown(fields['montant_estime_ht'])}) dépasse le "
                        f"montant maximum ({shown(fields['montant_maximum_ht'])})."))
    if estimate is not None and minimum is not None and estimate < minimum:
        problems.append(source.problem((*loc, "montant_estime_ht"),
                        f"le montant estimé ({shown(fields['montant_estime_ht'])}) est inférieur au "
                        f"montant minimum ({shown(fields['montant_minimum_ht'])})."))
    return problems


def _num(value: Any):
    from drafter.domain.parsing import ParseError, parse_amount

    if value is None:
        return None
    try:
        return parse_amount(value)
    except ParseError:
        raise ValueError from None


# --- pydantic errors → French -------------------------------------------------------

_SIMPLE = {
    "string_type": "doit être un texte (mettez la valeur entre guillemets)",
    "string_too_short": "ne doit pas être vide",
    "string_too_long": "texte trop long (5 000 caractères au plus)",
    "bool_type": "doit valoir true ou false",
    "bool_parsing": "doit valoir true ou false",
    "int_type": "doit être un nombre entier",
    "int_parsing": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier (sans décimales)",
    "date_type": "doit être une date au format AAAA-MM-JJ (ex. 2027-01-15)",
    "date_parsing": "doit être une date au format AAAA-MM-JJ (ex. 2027-01-15)",
    "date_from_datetime_parsing": "doit être une date au format AAAA-MM-JJ (ex. 2027-01-15)",
    "date_from_datetime_inexact": "doit être une date sans heure, au format AAAA-MM-JJ",
    "model_type": "doit être une rubrique de clés (« clé: valeur » sur les lignes suivantes, indentées)",
    "model_attributes_type": "doit être une rubrique de clés (« clé: valeur » sur les lignes suivantes, indentées)",
    "dict_type": "doit être une rubrique de clés",
    "list_type": "doit être une liste (lignes commençant par « - »)",
    "string_pattern_mismatch": "code CPV attendu au format NNNNNNNN-N (ex. 77310000-6)",
}


def translate(errors: ValidationError | list, source: Located) -> list[Problem]:
    """French, located problems for each pydantic error."""
    problems = []
    if isinstance(errors, ValidationError):
        errors = errors.errors()
    for err in errors:
        loc: PathKey = tuple(err["loc"])
        message, value, key = _message(err, loc)
        if value is not None and not isinstance(value, dict | list):
            message += f" (valeur lue : « {shown(value)} »)"
        problems.append(source.problem(loc, message, key=key))
    return problems


def _message(err: Any, loc: PathKey) -> tuple[str, Any, bool]:
    """The French message of one pydantic error, the value to show (None: none) and whether it is about the key."""
    kind = err["type"]
    if kind == "missing":
        desc = describe(loc)
        return "champ obligatoire manquant" + (f" : {desc}" if desc else ""), None, False
    if kind == "extra_forbidden":
        return _unknown_key(loc), None, True
    return _value_message(kind, err), err.get("input"), False


def _value_message(kind: str, err: Any) -> str:
    ctx = err.get("ctx") or {}
    if kind == "enum":
        return "valeur non admise ; valeurs possibles : " + ctx["expected"].replace("'", "").replace(" or ", ", ")
    if kind == "literal_error":
        return "seule la version 1 du format de profil existe : écrivez « version: 1 »"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"doit être au moins {ctx.get('ge', ctx.get('gt'))}"
    if kind in {"less_than_equal", "less_than"}:
        return f"doit être au plus {ctx.get('le', ctx.get('lt'))}"
    if kind == "too_short":
        return "doit contenir au moins un élément"
    if kind == "too_long":
        return f"contient trop d'éléments (au plus {ctx.get('max_length')})"
    if kind in _SIMPLE:
        return _SIMPLE[kind]
    if kind in {"montant", "taux", "pourcentage", "nombre", "heures"}:
        return str(err["msg"])
    return f"valeur invalide ({err['msg']})"  # keep unexpected kinds readable rather than hiding them


def _model_at(loc: PathKey) -> tuple[type[BaseModel] | None, str | None]:
    """The model owning the last key of ``loc``, and that key."""
    model: type[BaseModel] | None = Profile
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        field = _field_by_alias(model, part)
        model = _inner_model(field.annotation) if field else None
    last = loc[-1] if loc and isinstance(loc[-1], str) else None
    return model, last


def _field_by_alias(model: type[BaseModel], alias: str):
    for name, field in model.model_fields.items():
        if field.alias == alias or name == alias:
            return field
    return None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found:
            return found
    return None


def describe(loc: PathKey) -> str | None:
    """French description of the field at ``loc`` (for messages and the wizard)."""
    model, last = _model_at(loc)
    if model is None or last is None:
        return None
    field = _field_by_alias(model, last)
    return field.description if field else None


def _aliases(model: type[BaseModel]) -> list[str]:
    """Keys of a model, its own fields before inherited ones (readable lists)."""
    inherited = {n for base in model.__mro__[1:] if isinstance(base, type)
                 and issubclass(base, BaseModel) for n in getattr(base, "model_fields", {})}
    own = [f.alias for n, f in model.model_fields.items() if n not in inherited and f.alias]
    rest = [f.alias for n, f in model.model_fields.items() if n in inherited and f.alias]
    return own + rest


def _unknown_key(loc: PathKey) -> str:
    model, last = _model_at(loc)
    allowed = _aliases(model) if model else []
    message = "clé inconnue"
    close = difflib.get_close_matches(str(last), allowed, n=1, cutoff=0.6)
    if close:
        message += f" : vouliez-vous dire « {close[0]} » ?"
    if allowed:
        message += f" Clés admises ici : {', '.join(allowed)}."
    return message
