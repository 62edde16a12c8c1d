"""Parsing of what a French buyer writes: amounts, rates, percentages, dates, choices, CPV codes.

Amounts: ``480000``, ``480 000``, ``480000.50``, ``480 000,50``, ``"480 000 €"``, ``« 1,2 M€ »``,
``« 480 k€ »``. Rates: ``0.05`` or ``"5 %"``. Dates: ``2027-03-15`` or ``15/03/2027``. Choices:
the code (``procedure_adaptee``) or the usual French name (« MAPA », « Appel d'offres ouvert »,
« Accord-cadre à bons de commande »). CPV: ``45000000-7``, or ``45000000`` completed with its
check digit. Errors are French sentences (``ParseError``) that the profile validator turns into
located messages.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009_]")


class ParseError(ValueError):
    """A French explanation of why a number could not be read."""


# Bounds of every number read: below 10^15 (a million billion euros) and at most 9 decimals, so that
# no later computation overflows Decimal's 28 digits or runs on a 4 300-digit number.
MAX_INTEGER_DIGITS = 15
MAX_DECIMALS = 9


def _to_decimal(raw: Any) -> Decimal | None:
    value = _read_decimal(raw)
    return None if value is None else _bounded(value)


def _bounded(value: Decimal) -> Decimal | None:
    if not value.is_finite():
        return None
    if value.is_zero():
        return value
    if value.adjusted() >= MAX_INTEGER_DIGITS:
        raise ParseError("nombre trop grand : au plus 15 chiffres avant la virgule")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        raise ParseError("trop de décimales : au plus 9 chiffres après la virgule")
    return value


def _read_decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    if isinstance(raw, str):
        if len(raw) > 100:
            raise ParseError("nombre trop long : au plus 15 chiffres avant la virgule et 9 après")
        text = _SPACES.sub("", raw)
        for suffix in ("HT", "ht", "euros", "euro", "EUR", "€"):
            text = text.removesuffix(suffix)
        unit = re.search(r"(millions?|M|k|K)$", text)
        factor = {"k": 1000, "K": 1000}.get(unit.group(1), 1_000_000) if unit else 1
        text = text[: unit.start()] if unit else text
        text = text.replace(",", ".")
        if not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
            return None
        try:
            return Decimal(text) * factor
        except InvalidOperation:
            return None
    return None


def parse_amount(raw: Any, *, allow_zero: bool = False) -> Decimal:
    """A positive euro amount (HT)."""
    value = _to_decimal(raw)
    if value is None:
        raise ParseError("doit être un montant en euros HT écrit en chiffres (ex. 480000 ou « 480 000 »)")
    if value < 0 or (value == 0 and not allow_zero):
        raise ParseError("doit être un montant positif en euros HT")
    return value


def parse_count(raw: Any) -> int:
    """A whole number ≥ 0."""
    value = _to_decimal(raw)
    if value is None or value != value.to_integral_value() or value < 0:
        raise ParseError("doit être un nombre entier positif ou nul")
    return int(value)


def parse_rate(raw: Any) -> Decimal:
    """A rate in ]0, 1]: ``0.05`` or ``"5 %"``."""
    if isinstance(raw, str) and raw.strip().endswith("%"):
        value = _to_decimal(raw.strip()[:-1])
        if value is None:
            raise ParseError("doit être un taux, écrit 0.05 ou « 5 % »")
        value = value / 100
    else:
        value = _to_decimal(raw)
        if value is None:
            raise ParseError("doit être un taux, écrit 0.05 ou « 5 % »")
        if value > 1:
            raise ParseError(f"doit être un taux entre 0 et 1 : écrivez {value / 100} ou « {raw} % »")
    if value <= 0 or value > 1:
        raise ParseError("doit être un taux strictement positif et au plus égal à 100 %")
    return value


def parse_percent(raw: Any) -> Decimal:
    """A weighting in percent of the mark: ``10`` or ``"10 %"``, from 1 to 100."""
    text = raw.strip()[:-1] if isinstance(raw, str) and raw.strip().endswith("%") else raw
    value = _to_decimal(text)
    if value is None:
        raise ParseError("doit être un pourcentage de la note, entre 1 et 100 (ex. 10 ou « 10 % »)")
    if isinstance(raw, Decimal | int) and not isinstance(raw, bool) and 0 < value < 1:
        raise ParseError(f"s'exprime en pourcentage de la note : écrivez {value * 100} et non {value}")
    if value < 1 or value > 100:
        raise ParseError("doit être compris entre 1 et 100 % de la note")
    return value


def parse_date(raw: Any) -> Any:
    """``15/03/2027`` (or ``15.03.2027``, ``15-03-2027``) → a date; anything else is left to the model."""
    if not isinstance(raw, str):
        return raw
    match = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", raw)
    if match is None:
        return raw
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(f"n'est pas une date du calendrier (valeur lue : « {raw.strip()} »)") from None


STOP_WORDS = {"d", "de", "du", "des", "l", "la", "le", "les", "a", "au", "aux", "et", "en", "n", "no", "o"}


def normalise(text: object) -> str:
    """Lower case, no accents, words separated by one space (œ → oe)."""
    raw = str(text).replace("œ", "oe").replace("Œ", "OE").replace("°", "o")
    folded = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.findall(r"[a-z0-9]+", folded))


def significant(text: str) -> frozenset[str]:
    """The words of a normalised text, without French stop words (for loose matching)."""
    return frozenset(w for w in text.split() if w not in STOP_WORDS)


def choice_key(text: str) -> str:
    """« Appel d'offres ouvert » → ``appel_d_offres_ouvert`` (no accents, lower case, ``_``)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", plain.casefold()).strip("_")


# The usual French names of each code (keys as :func:`choice_key` writes them).
CHOICES: dict[str, dict[str, str]] = {
    "categorie": {
        "etat": "etat",
        "l_etat": "etat",
        "service_de_l_etat": "etat",
        "etat_autorite_publique_centrale": "etat",
        "pouvoir_adjudicateur": "autre_pouvoir_adjudicateur",
        "collectivite": "autre_pouvoir_adjudicateur",
        "collectivite_territoriale": "autre_pouvoir_adjudicateur",
        "etablissement_public": "autre_pouvoir_adjudicateur",
        "operateur_de_reseau": "entite_adjudicatrice",
    },
    "nature": {
        "travaux": "travaux",
        "marche_de_travaux": "travaux",
        "services": "services",
        "service": "services",
        "prestations_de_services": "services",
        "marche_de_services": "services",
        "fournitures": "fournitures",
        "fourniture": "fournitures",
        "marche_de_fournitures": "fournitures",
    },
    "forme": {
        "ordinaire": "marche_ordinaire",
        "marche_simple": "marche_ordinaire",
        "marche_classique": "marche_ordinaire",
        "accord_cadre_a_bons_de_commande": "accord_cadre_bons_de_commande",
        "accord_cadre_execute_par_bons_de_commande": "accord_cadre_bons_de_commande",
        "bons_de_commande": "accord_cadre_bons_de_commande",
        "ac_bdc": "accord_cadre_bons_de_commande",
        "accord_cadre_a_marches_subsequents": "accord_cadre_marches_subsequents",
        "accord_cadre_donnant_lieu_a_la_conclusion_de_marches_subsequents": "accord_cadre_marches_subsequents",
        "marches_subsequents": "accord_cadre_marches_subsequents",
        "ac_ms": "accord_cadre_marches_subsequents",
    },
    "procedure": {
        "mapa": "procedure_adaptee",
        "pa": "procedure_adaptee",
        "marche_a_procedure_adaptee": "procedure_adaptee",
        "aoo": "appel_offres_ouvert",
        "ao": "appel_offres_ouvert",
        "appel_d_offres_ouvert": "appel_offres_ouvert",
        "appel_d_offres": "appel_offres_ouvert",
        "aor": "appel_offres_restreint",
        "appel_d_offres_restreint": "appel_offres_restreint",
        "procedure_avec_negociation": "procedure_negociee",
        "pan": "procedure_negociee",
        "procedure_negociee_sans_publicite": "procedure_negociee",
        "dc": "dialogue_competitif",
    },
}


def parse_choice(kind: str, raw: Any) -> Any:
    """The code for a usual French name of ``kind`` (``categorie``, ``nature``, ``forme``,
    ``procedure``); an unknown text is returned as is, for the model's own error message."""
    if not isinstance(raw, str):
        return raw
    key = choice_key(raw)
    codes = set(CHOICES[kind].values())
    if key in codes:
        return key
    return CHOICES[kind].get(key, raw)


_CPV_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7)


def cpv_check_digit(digits: str) -> int:
    """The check digit of the 8 digits of a CPV code (weights 3, 7, 1…, modulo 10)."""
    return sum(int(c) * w for c, w in zip(digits, _CPV_WEIGHTS, strict=True)) % 10


def parse_cpv(raw: Any) -> Any:
    """``45000000`` → ``45000000-7`` (completed); ``45000000-7`` kept; a wrong check digit is an error."""
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        return raw
    text = re.sub(r"\s", "", str(raw))
    match = re.fullmatch(r"(\d{8})(?:-?(\d))?", text)
    if match is None:
        return raw
    digits, check = match.groups()
    expected = cpv_check_digit(digits)
    if check is not None and int(check) != expected:
        raise ParseError(
            f"code CPV au chiffre de contrôle inexact : {digits}-{expected} attendu (valeur lue : « {raw} »)"
        )
    return f"{digits}-{expected}"
