"""Dated rule tables: law and practice as data.

Tables live in ``drafter/rule_tables/*.yaml`` (OpenFisca-like: each rule has periods
``depuis`` → ``valeur`` with a ``source`` and an ``a_confirmer`` flag). ``load_rules()``
reads them; ``RuleBook.at(date)`` gives the values in force at a date; a ``--parametres``
file overrides any value for every date and is recorded as the value's source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import fmt
from .errors import Problem, ProfileError, RuleError
from .parsing import ParseError, parse_amount, parse_rate
from .source import read_yaml

TABLES_DIR = Path(__file__).parent / "rule_tables"
UNSOURCED = "valeur indicative non sourcée, à confirmer avec le facilitateur"


class Period(BaseModel):
    """One dated value of a rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    depuis: dt.date
    valeur: Any = None
    source: str | None = None
    a_confirmer: bool = False


class RuleSpec(BaseModel):
    """A rule: label, unit, legal reference, and its dated periods (sorted)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    libelle: str
    unite: str
    reference: str | None = None
    periodes: list[Period] = Field(min_length=1)


class Table(BaseModel):
    """One YAML file of rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    table: str
    version: str
    description: str
    regles: dict[str, RuleSpec]


@dataclass(frozen=True)
class RuleValue:
    """A rule's value in force at a date, with everything needed to cite it."""

    id: str
    libelle: str
    unite: str
    valeur: Any
    depuis: dt.date
    source: str | None
    a_confirmer: bool
    reference: str | None
    table: str
    local: bool = False

    @property
    def provenance(self) -> str:
        """French description of where the value comes from, with the [U] warning."""
        if self.source is None:
            return UNSOURCED
        if self.a_confirmer:
            return f"{self.source} — à confirmer"
        return self.source


@dataclass(frozen=True)
class Rules:
    """All rule values in force at one date (plus local overrides)."""

    date: dt.date
    values: dict[str, RuleValue]
    versions: dict[str, str]

    def get(self, rule_id: str) -> RuleValue:
        try:
            return self.values[rule_id]
        except KeyError:
            raise RuleError(
                f"aucune valeur de la règle « {rule_id} » n'est en vigueur au "
                f"{fmt.date_long(self.date)} : choisissez une autre date (--date) ou complétez "
                "la table de règles."
            ) from None

    def value(self, rule_id: str) -> Any:
        return self.get(rule_id).valeur

    def sectors(self) -> dict[str, RuleValue]:
        """Labour-share table: sector key → value."""
        prefix = "part_main_oeuvre."
        return {k[len(prefix):]: v for k, v in self.values.items() if k.startswith(prefix)}

    def exception_motives(self) -> dict[str, RuleValue]:
        prefix = "exception."
        return {k[len(prefix):]: v for k, v in self.values.items() if k.startswith(prefix)}


@dataclass(frozen=True)
class Override:
    valeur: Any
    source: str
    a_confirmer: bool


class RuleBook:
    """Every table, all periods; ``at(date)`` selects the values in force."""

    def __init__(self, tables: list[Table], overrides: dict[str, Override] | None = None,
                 overrides_label: str | None = None):
        self.tables = tables
        self.specs: dict[str, tuple[str, RuleSpec]] = {}
        for table in tables:
            for rule_id, spec in table.regles.items():
                self.specs[rule_id] = (table.table, spec)
        self.overrides = overrides or {}
        self.overrides_label = overrides_label

    def at(self, date: dt.date) -> Rules:
        values: dict[str, RuleValue] = {}
        for rule_id, (table, spec) in self.specs.items():
            current = None
            for period in sorted(spec.periodes, key=lambda p: p.depuis):
                if period.depuis <= date:
                    current = period
            if current is None or current.valeur is None and rule_id not in NULLABLE:
                continue
            value = RuleValue(rule_id, spec.libelle, spec.unite, _typed(spec.unite, current.valeur),
                              current.depuis, current.source, current.a_confirmer,
                              spec.reference, table)
            if rule_id in self.overrides:
                o = self.overrides[rule_id]
                value = replace(value, valeur=_typed(spec.unite, o.valeur), source=o.source,
                                a_confirmer=o.a_confirmer, local=True)
            values[rule_id] = value
        versions = {t.table: t.version for t in self.tables}
        if self.overrides_label:
            versions["parametres_locaux"] = self.overrides_label
        return Rules(date, values, versions)

    def with_overrides(self, overrides: dict[str, Override], label: str) -> RuleBook:
        return RuleBook(self.tables, overrides, label)


# Rules whose null value is meaningful (not "out of force"): penalty null = hourly cost.
NULLABLE = {"penalite_par_heure"}


def _typed(unit: str, value: Any) -> Any:
    if value is None:
        return None
    if unit in {"euros_ht", "taux", "heures", "pourcentage", "nombre"}:
        return Decimal(str(value))
    return value


@lru_cache(maxsize=1)
def load_rules() -> RuleBook:
    """Read the bundled tables (cached: they are package data)."""
    tables = []
    for path in sorted(TABLES_DIR.glob("*.yaml")):
        source = read_yaml(path, what="table de règles")
        try:
            tables.append(Table.model_validate(source.data))
        except ValidationError as exc:  # a packaging bug, not a user error
            raise RuntimeError(f"table de règles invalide {path}: {exc}") from exc
    return RuleBook(tables)


# --- local parameters (--parametres) -------------------------------------------------

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
    data = src.data
    problems: list[Problem] = []
    allowed = {"version", "source", "valeurs"}
    for key in data:
        if key not in allowed:
            problems.append(src.problem((key,), f"clé inconnue ; clés admises : {', '.join(sorted(allowed))}.", key=True))
    default_source = data.get("source")
    if not isinstance(default_source, str) or not default_source.strip():
        problems.append(src.problem(("source",), "indiquez la source de ces paramètres (texte non vide), "
                                    "elle sera citée dans les notes de calcul."))
        default_source = str(path)
    values = data.get("valeurs")
    if not isinstance(values, dict) or not values:
        problems.append(src.problem(("valeurs",), "la rubrique « valeurs » doit lister au moins un paramètre."))
        values = {}
    overrides: dict[str, Override] = {}
    for loc, raw in _flatten(values, ("valeurs",)):
        rule_id = ".".join(str(p) for p in loc[1:])
        if rule_id not in book.specs:
            problems.append(src.problem(loc, f"paramètre inconnu « {rule_id} ». Listez les paramètres "
                                        "existants avec : drafter regles", key=True))
            continue
        entry_source, a_confirmer = default_source, False
        if isinstance(raw, dict):
            entry_source = raw.get("source", default_source)
            a_confirmer = bool(raw.get("a_confirmer", False))
            raw = raw.get("valeur")
        unit = book.specs[rule_id][1].unite
        try:
            value = _check_unit(unit, raw)
        except ParseError as exc:
            problems.append(src.problem(loc, f"{exc} (valeur lue : « {raw} »)"))
            continue
        overrides[rule_id] = Override(value, f"Paramètres locaux — {entry_source}", a_confirmer)
    if problems:
        raise ProfileError(problems)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    return book.with_overrides(overrides, f"{Path(path).name} (sha256 {digest})")


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

