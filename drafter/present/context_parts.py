"""Pieces of the template context shared by its builders: how a group of lots is named, the
facilitators and their agreements, consolidated lists, article numbering, the threshold note."""

from __future__ import annotations

from typing import Any

from drafter.domain.naming import safe_name, unique
from drafter.domain.profile import Profile
from drafter.engine.facts import regime, threshold_rule_id
from drafter.law.rules import Rules
from drafter.present import review_notes
from drafter.present.context_lot import NB
from drafter.present.legal_fr import its_articles, join_fr
from drafter.present.marks import Revue


def lots_list(numbers: list[str], sep: str = NB) -> str:
    """``["1", "2", "3", "5"]`` → ``"lots n° 1 à 3 et 5"``; runs of three or more become ranges
    (``sep``: the space after « n° », no-break in documents)."""
    values = [int(n) for n in numbers]
    parts: list[str] = []
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{values[i]} à {values[j]}")
            i = j + 1
        else:
            parts.append(str(values[i]))
            i += 1
    word = "lot" if len(values) == 1 else "lots"
    return f"{word} n°{sep}{join_fr(parts)}"


def group(lots: list[dict[str, Any]], single: bool) -> dict[str, str]:
    """How the documents name a group of lots: ``lots_liste`` (« lots n° 1 et 2 »), ``champ``
    (« aux lots n° 1 et 2 ») and ``les_lots`` (« les lots n° 1 et 2 »); « le marché » for a single lot."""
    if not lots:
        return {"lots_liste": "", "champ": "", "les_lots": ""}
    if single:
        return {"lots_liste": "marché", "champ": "au marché", "les_lots": "le marché"}
    listed = lots_list([lot["numero"] for lot in lots])
    one = len(lots) == 1
    return {
        "lots_liste": listed,
        "champ": ("au " if one else "aux ") + listed,
        "les_lots": ("le " if one else "les ") + listed,
    }


def lower_article(text: str) -> str:
    """« Le préfet de l'Aude » → « le préfet de l'Aude », to follow « représenté par »."""
    for article in ("Le ", "La ", "Les ", "L'", "L’"):
        if text.startswith(article):
            return article.lower() + text[len(article) :]
    return text


def same(values: list[str]) -> str:
    """The common value of a group, or ``""`` when the lots differ."""
    distinct = set(values)
    return values[0] if len(distinct) == 1 else ""


def facilitators(lots: list[dict[str, Any]], single: bool) -> list[dict[str, Any]]:
    """One row per facilitator (same person and structure), with the lots they follow."""
    rows: dict[tuple, dict[str, Any]] = {}
    members: dict[tuple, list[dict[str, Any]]] = {}
    for lot in lots:
        f = lot["facilitateur"]
        if f is None or not lot["avec_facilitateur"]:
            continue
        key = tuple(f.values())
        rows.setdefault(key, dict(f))
        members.setdefault(key, []).append(lot)
    return [{**row, **group(members[key], single)} for key, row in rows.items()]


def conventions(
    lots: list[dict[str, Any]], bases: dict[str, tuple[str, ...]], single: bool, rv: Revue | None = None
) -> list[dict[str, Any]]:
    """One agreement per facilitator structure, listing its lots and its facilitators."""
    by_structure: dict[str, list[dict[str, Any]]] = {}
    for lot in lots:
        if lot["facilitateur"] is not None and lot["avec_facilitateur"]:
            by_structure.setdefault(lot["facilitateur"]["structure"].casefold(), []).append(lot)
    taken: set[str] = set()
    out = []
    for members in by_structure.values():
        first = members[0]["facilitateur"]
        slug = unique(safe_name(first["structure"], fallback="structure", limit=60, lower=True), taken)
        codes = [code for lot in members for code in bases[lot["numero"]]]
        terms = members[0]["convention_facilitateur"]
        out.append(
            {
                "structure": first["structure"],
                "adresse": first["adresse"],
                "fichier": slug,
                **terms,
                "reseau_tme": "toulouse métropole emploi" in first["structure"].casefold(),
                **convention_marks(rv, terms["finance"]),
                "articles": its_articles(codes),
                "facilitateurs": facilitators(members, single),
                "lots": members,
                **group(members, single),
            }
        )
    return out


def threshold_note(p: Profile, rules: Rules) -> str:
    """What the threshold line of the note adds: the regime, and « à confirmer » for an unverified value."""
    kind = regime(p)
    rule = rules.get(threshold_rule_id(p.market.nature, p.buyer.category, kind))
    what = {
        "insertion": "seuil des services sociaux et autres services spécifiques",
        "defense": "seuil des marchés de défense ou de sécurité, sans incidence sur les dispositions sociales",
    }.get(kind, "")
    flag = "valeur à confirmer" if rule.to_confirm else ""
    text = " ; ".join(x for x in (what, flag) if x)
    return f" ({text})" if text else ""


def convention_marks(rv: Revue | None, funded: bool) -> dict[str, str]:
    """Review comments of the agreement: discretion, personal data, funding."""
    if rv is None:
        return {"revue_discretion": "", "revue_donnees": "", "revue_financement": ""}
    return {
        "revue_discretion": rv.mark(review_notes.note_discretion()),
        "revue_donnees": rv.mark(review_notes.note_donnees()),
        "revue_financement": rv.mark(review_notes.note_financement(funded)),
    }


def consolidated(lots: list[dict[str, Any]], key: str, single: bool) -> list[str]:
    """Items of every lot, once each, with the lots concerned (multi-lot markets)."""
    seen: dict[str, list[dict[str, Any]]] = {}
    for lot in lots:
        for item in lot[key]:
            seen.setdefault(item, []).append(lot)
    if single:
        return list(seen)
    return [f"{item.rstrip('.')} ({group(members, False)['lots_liste']})." for item, members in seen.items()]


NUMBERING_BASE = 1000  # templates: numbering instance 1000 + N starts the article at N (tools/build_templates.py)


def pieces(ccap: int | None, rc: int | None) -> dict[str, str]:
    """The article numbers the CCAP and RC pieces take, and the Word numbering instance that shows
    them (``"0"``: unnumbered headings)."""
    return {
        "article_ccap": str(ccap or ""),
        "article_rc": str(rc or ""),
        "numerotation_ccap": str(NUMBERING_BASE + ccap if ccap else 0),
        "numerotation_rc": str(NUMBERING_BASE + rc if rc else 0),
    }
