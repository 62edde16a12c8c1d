"""Columns of the bulk spreadsheet (one row per lot) and their tolerant French headers.

Each column maps to a key of the YAML profile (SPEC §3); its help text is the French
``description`` of the pydantic field, so the spreadsheet, the wizard and error messages
say the same thing. Headers are matched after normalisation (case, accents, spaces,
underscores, punctuation, units): « Montant estimé HT », « montant_estime_ht » and
« MONTANT ESTIME HT (€) » are the same column.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from drafter.domain import schema
from drafter.domain.parsing import normalise, significant
from drafter.domain.profile import (
    Buyer,
    Contact,
    ExceptionChoice,
    Facilitator,
    InsertionSettings,
    Lot,
    Market,
)

# Where a column's value goes: the market (identical on all its rows), the lot (its row),
# or "shared" groups that go to the market when all rows agree and to each lot otherwise.
MARKET, LOT, FACILITATOR, INSERTION, EXCEPTION = "marche", "lot", "facilitateur", "insertion", "exception"


@dataclass(frozen=True)
class Column:
    """One spreadsheet column."""

    key: str  # profile path, dotted: "acheteur.nom", "lot.montant_estime_ht"
    label: str  # the French header written in the model spreadsheet
    level: str  # MARKET, LOT, FACILITATOR, INSERTION or EXCEPTION
    kind: str  # text, amount, rate, percent, int, bool, date, choice, sector, list
    model: type[BaseModel]
    required: bool = False  # the column itself must be present
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    example: object = None

    @property
    def field(self) -> str:
        return self.key.rsplit(".", 1)[1]

    @property
    def path(self) -> tuple[str, ...]:
        """Path inside the market dict (``lot.*`` keys are relative to a lot)."""
        return tuple(self.key.split("."))[1:] if self.key.startswith("lot.") else tuple(self.key.split("."))

    @property
    def description(self) -> str:
        for info in self.model.model_fields.values():
            if info.alias == self.field:
                return info.description or self.label
        raise KeyError(self.key)  # pragma: no cover - guarded by tests


def _c(key: str, label: str, level: str, model: type[BaseModel], *, kind: str | None = None, **kw: Any) -> Column:
    """A column of ``model``'s field: its kind and choices are read from the model (``kind`` only
    for what the model cannot say, e.g. a sector key checked against the rule tables)."""
    field = key.rsplit(".", 1)[1]
    return Column(
        key, label, level, kind or schema.kind_of(model, field), model, choices=schema.choices(model, field), **kw
    )


COLUMNS: tuple[Column, ...] = (
    _c(
        "marche.reference",
        "Référence du marché",
        MARKET,
        Market,
        required=True,
        aliases=("reference", "reference marche"),
        example="2027-PREF31-004",
    ),
    _c(
        "marche.objet",
        "Objet du marché",
        MARKET,
        Market,
        required=True,
        aliases=("objet",),
        example="Entretien des espaces verts des sites de l'État",
    ),
    _c("marche.nature", "Nature", MARKET, Market, required=True, aliases=("nature du marche",), example="services"),
    _c(
        "marche.forme", "Forme", MARKET, Market, required=True, aliases=("forme du marche",), example="marche_ordinaire"
    ),
    _c(
        "marche.procedure",
        "Procédure",
        MARKET,
        Market,
        required=True,
        aliases=("procedure de passation",),
        example="appel_offres_ouvert",
    ),
    _c(
        "marche.date_lancement",
        "Date de lancement",
        MARKET,
        Market,
        aliases=("date lancement consultation",),
        example="2027-01-15",
    ),
    _c(
        "marche.duree_mois", "Durée en mois", MARKET, Market, required=True, aliases=("duree mois", "duree"), example=48
    ),
    _c(
        "marche.lieu_execution",
        "Lieu d'exécution",
        MARKET,
        Market,
        required=True,
        aliases=("lieu execution",),
        example="Haute-Garonne (31)",
    ),
    _c("marche.cpv", "Codes CPV", MARKET, Market, aliases=("cpv",), example="77310000-6"),
    _c(
        "marche.defense_ou_securite",
        "Défense ou sécurité",
        MARKET,
        Market,
        aliases=("defense securite",),
        example="non",
    ),
    _c(
        "acheteur.nom",
        "Acheteur",
        MARKET,
        Buyer,
        required=True,
        aliases=("acheteur nom", "nom acheteur"),
        example="Préfecture de la Haute-Garonne",
    ),
    _c(
        "acheteur.categorie",
        "Catégorie d'acheteur",
        MARKET,
        Buyer,
        required=True,
        aliases=("acheteur categorie", "categorie"),
        example="etat",
    ),
    _c(
        "acheteur.service",
        "Service acheteur",
        MARKET,
        Buyer,
        aliases=("acheteur service",),
        example="Service départemental des achats",
    ),
    _c(
        "acheteur.adresse",
        "Adresse de l'acheteur",
        MARKET,
        Buyer,
        required=True,
        aliases=("acheteur adresse",),
        example="1 place Saint-Étienne, 31038 Toulouse Cedex 9",
    ),
    _c(
        "acheteur.representant",
        "Représentant de l'acheteur",
        MARKET,
        Buyer,
        required=True,
        aliases=("acheteur representant", "representant"),
        example="Le préfet de la Haute-Garonne",
    ),
    _c("acheteur.contact.nom", "Contact acheteur nom", MARKET, Contact),
    _c("acheteur.contact.courriel", "Contact acheteur courriel", MARKET, Contact),
    _c("acheteur.contact.telephone", "Contact acheteur téléphone", MARKET, Contact),
    _c("lot.numero", "N° de lot", LOT, Lot, aliases=("numero", "numero lot", "lot numero", "lot"), example=1),
    _c("lot.intitule", "Intitulé du lot", LOT, Lot, aliases=("intitule", "lot intitule"), example="Secteur nord"),
    _c("lot.montant_estime_ht", "Montant estimé HT", LOT, Lot, required=True, example=480000),
    _c("lot.montant_minimum_ht", "Montant minimum HT", LOT, Lot),
    _c("lot.montant_maximum_ht", "Montant maximum HT", LOT, Lot),
    _c("lot.secteur", "Secteur", LOT, Lot, kind="sector", aliases=("secteur activite",), example="espaces_verts"),
    _c("lot.part_main_oeuvre", "Part de main-d'œuvre", LOT, Lot, aliases=("part main oeuvre", "part de main d oeuvre")),
    _c(
        "lot.objet_insertion",
        "Objet insertion",
        LOT,
        Lot,
        aliases=("marche d insertion", "insertion objet du marche"),
        example="non",
    ),
    _c(
        "lot.heures_mensuelles_personnel_repris",
        "Heures mensuelles du personnel repris",
        LOT,
        Lot,
        aliases=("personnel repris",),
    ),
    _c("lot.activite_support", "Activité support", LOT, Lot, aliases=("activite support",)),
    _c("lot.postes_insertion", "Postes d'insertion", LOT, Lot, aliases=("postes insertion",)),
    _c("lot.heures_activite_support", "Heures sur l'activité support", LOT, Lot, aliases=("heures activite support",)),
    _c(
        "facilitateur.nom",
        "Facilitateur nom",
        FACILITATOR,
        Facilitator,
        aliases=("facilitateur", "facilitatrice nom"),
        example="Sophie Laurent",
    ),
    _c(
        "facilitateur.structure",
        "Facilitateur structure",
        FACILITATOR,
        Facilitator,
        aliases=("structure facilitateur",),
        example="Toulouse Métropole Emploi",
    ),
    _c(
        "facilitateur.adresse",
        "Facilitateur adresse",
        FACILITATOR,
        Facilitator,
        example="1 place Saint-Sernin, 31000 Toulouse",
    ),
    _c(
        "facilitateur.courriel",
        "Facilitateur courriel",
        FACILITATOR,
        Facilitator,
        example="clauses.sociales@tme.exemple.fr",
    ),
    _c("facilitateur.telephone", "Facilitateur téléphone", FACILITATOR, Facilitator, example="05 61 00 00 00"),
    _c("facilitateur.territoire", "Facilitateur territoire", FACILITATOR, Facilitator, example="Haute-Garonne"),
    _c(
        "insertion.dispositif",
        "Dispositif",
        INSERTION,
        InsertionSettings,
        aliases=("dispositif juridique",),
        example="auto",
    ),
    _c("insertion.taux_insertion", "Taux d'insertion", INSERTION, InsertionSettings, aliases=("taux",), example="5 %"),
    _c("insertion.cout_horaire", "Coût horaire", INSERTION, InsertionSettings, example=30),
    _c(
        "insertion.critere",
        "Critère d'attribution insertion",
        INSERTION,
        InsertionSettings,
        aliases=("critere", "critere insertion"),
        example="non",
    ),
    _c(
        "insertion.ponderation_critere",
        "Pondération du critère",
        INSERTION,
        InsertionSettings,
        aliases=("ponderation critere", "ponderation"),
    ),
    _c("insertion.penalite_par_heure", "Pénalité par heure", INSERTION, InsertionSettings, aliases=("penalite",)),
    _c(
        "insertion.heures_formation_par_salarie",
        "Heures de formation par salarié",
        INSERTION,
        InsertionSettings,
        aliases=("heures formation par salarie", "heures formation"),
    ),
    _c("insertion.methode_accord_cadre", "Méthode accord-cadre", INSERTION, InsertionSettings, aliases=("methode",)),
    _c(
        "insertion.structures_inclusives_disponibles",
        "Structures inclusives disponibles",
        INSERTION,
        InsertionSettings,
        aliases=("structures inclusives",),
    ),
    _c("insertion.exception.motif", "Motif d'exception", EXCEPTION, ExceptionChoice, aliases=("exception motif",)),
    _c(
        "insertion.exception.justification",
        "Justification de l'exception",
        EXCEPTION,
        ExceptionChoice,
        aliases=("exception justification",),
    ),
)

BY_KEY = {c.key: c for c in COLUMNS}
BOOL_TRUE = {"oui", "o", "vrai", "true", "x", "1", "yes"}
BOOL_FALSE = {"non", "n", "faux", "false", "0", "no"}
_UNITS = {"eur", "euro", "euros", "en"}


def header_key(text: object) -> str:
    """A header reduced for comparison: normalised, trailing units (« en euros ») dropped."""
    words = normalise(text).split()
    while len(words) > 1 and words[-1] in _UNITS:
        words.pop()
    return " ".join(words)


_FIELD_COUNT: dict[str, int] = {}
for _column in COLUMNS:
    _FIELD_COUNT[_column.field] = _FIELD_COUNT.get(_column.field, 0) + 1


def names(column: Column) -> set[str]:
    """Every normalised header accepted for a column: label, YAML key or path, aliases."""
    found = {header_key(column.label), header_key(column.key)}
    if column.key.startswith("lot."):
        found.add(header_key("lots." + column.field))
    if _FIELD_COUNT[column.field] == 1:
        found.add(header_key(column.field))
    return found | {header_key(a) for a in column.aliases}


def loose_key(text: object) -> str:
    """An enumerated value reduced for tolerant comparison (« Marché ordinaire » = marche_ordinaire)."""
    return _loose_key(str(text)) if isinstance(text, str) else " ".join(sorted(significant(normalise(text))))


@functools.lru_cache(maxsize=4096)
def _loose_key(text: str) -> str:
    return " ".join(sorted(significant(normalise(text))))


def convert(column: Column, value: Any, sectors: tuple[str, ...]) -> Any:
    """A cell value in the form the profile models read (raw when it cannot be read: they say why)."""
    if isinstance(value, str):
        value = value.strip()
    if column.kind in {"choice", "sector"}:
        return _choice(value, sectors if column.kind == "sector" else column.choices)
    reader = _READERS.get(column.kind)
    if reader is not None:
        return reader(value)
    if column.kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = normalise(value)
    if word in BOOL_TRUE:
        return True
    if word in BOOL_FALSE:
        return False
    raise ValueError("doit valoir « oui » ou « non »")


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            with contextlib.suppress(ValueError):
                return dt.datetime.strptime(value, pattern).date()
    return value


def _choice(value: Any, options: tuple[str, ...]) -> str:
    wanted = loose_key(value)
    return next((o for o in options if loose_key(o) == wanted), str(value))


def _list(value: Any) -> list[str]:
    return [v for v in str(value).replace(",", ";").replace(" ", ";").split(";") if v]


_READERS: dict[str, Callable[[Any], Any]] = {"text": _text, "bool": _bool, "date": _date, "list": _list}


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
