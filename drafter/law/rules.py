"""Dated rule tables: law and practice as data.

Tables live in ``drafter/rule_tables/*.yaml`` (OpenFisca-like: each rule has periods
``depuis`` → ``valeur`` with a ``source`` and an ``a_confirmer`` flag). ``load_rules()``
reads them; ``RuleBook.at(date)`` gives the values in force at a date; a ``--parametres``
file overrides any value for every date and is recorded as the value's source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from drafter.domain import fmt
from drafter.domain.values import Nature
from drafter.errors import RuleError

TABLES_DIR = Path(__file__).parent / "tables"
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
    href: str | None = None          # Légifrance link, when known
    natures: tuple[Nature, ...] | None = Field(default=None, min_length=1)  # sectors: usual market natures
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
    href: str | None = None
    natures: tuple[Nature, ...] | None = None

    def fits(self, nature: Nature | str | None) -> bool:
        """Whether this (sector) rule belongs to a market of ``nature`` (no nature given or declared: yes)."""
        return nature is None or self.natures is None or Nature(nature) in self.natures

    @property
    def to_confirm(self) -> bool:
        """Unverified ([U]) or unsourced: every use must say « à confirmer »."""
        return self.a_confirmer or self.source is None

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
    _by_prefix: dict[str, dict[str, RuleValue]] = field(default_factory=dict, init=False, repr=False, compare=False)

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

    def article(self, key: str) -> str:
        """The compact number of a cited article (``article.<key>``), e.g. ``L2112-2-1``."""
        return str(self.value(f"article.{key}"))

    def cite(self, key: str) -> str:
        """The reference text of a citation: an article's ``reference``, or a practice reference."""
        rule = self.values.get(f"article.{key}")
        if rule is not None:
            return rule.reference or rule.valeur
        return str(self.value(f"reference.{key}"))

    def bases(self, key: str) -> tuple[str, ...]:
        """The legal bases (compact article numbers) of ``base_legale.<key>`` (a mechanism or « obligation »)."""
        return tuple(self.value(f"base_legale.{key}"))

    def sectors(self, nature: Nature | str | None = None) -> dict[str, RuleValue]:
        """Labour-share table: sector key → value; only the sectors of a market ``nature`` when given."""
        family = self._family("part_main_oeuvre.")
        if nature is None:
            return family
        return {key: rv for key, rv in family.items() if rv.fits(nature)}

    def exception_motives(self) -> dict[str, RuleValue]:
        return self._family("exception.")

    def _family(self, prefix: str) -> dict[str, RuleValue]:
        """The rules whose id starts with ``prefix``, keyed by the rest of the id (computed once)."""
        family = self._by_prefix.get(prefix)
        if family is None:
            family = {k[len(prefix):]: v for k, v in self.values.items() if k.startswith(prefix)}
            self._by_prefix[prefix] = family
        return family


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
        self._at: dict[dt.date, Rules] = {}

    def at(self, date: dt.date) -> Rules:
        """The rules in force at ``date``, computed once per date (bulk: one market after another,
        ≈ 1 ms each; a year of markets has at most 366 launch dates). ``Rules`` is read-only."""
        rules = self._at.get(date)
        if rules is None:
            if len(self._at) >= _AT_CACHE:
                self._at.clear()
            rules = self._at[date] = self._in_force(date)
        return rules

    def _in_force(self, date: dt.date) -> Rules:
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
                              spec.reference, table, href=spec.href, natures=spec.natures)
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


_AT_CACHE = 2048  # dates kept by RuleBook.at

# Rules whose null value is meaningful (not "out of force"): penalty null = hourly cost.
NULLABLE = {"penalite_par_heure"}


def _typed(unit: str, value: Any) -> Any:
    if value is None:
        return None
    if unit in {"euros_ht", "taux", "heures", "pourcentage", "nombre"}:
        return Decimal(str(value))
    if unit == "articles":
        return tuple(value)
    return value


@lru_cache(maxsize=1)
def load_rules() -> RuleBook:
    """Read the bundled tables (cached: they are package data)."""
    tables = []
    for path in sorted(TABLES_DIR.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        try:
            tables.append(Table.model_validate(data))
        except ValidationError as exc:  # a packaging bug, not a user error
            raise RuntimeError(f"table de règles invalide {path}: {exc}") from exc
    return RuleBook(tables)
