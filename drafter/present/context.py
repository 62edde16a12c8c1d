"""The template context (pure): analysis → every string the documents display.

Templates only display: amounts (``1 234 567,50 €``), dates (``1er mars 2027``), hours
(``8,3 heures``), months of full-time work and legal bases as sentences are all written
here, with no-break spaces for Word. Variable names are French because lawyers edit the
templates; :mod:`drafter.variables` documents each one and ``drafter templates check``
validates edited templates against it.

``--revue`` markers: with ``revue=True`` the context carries, in ``*.revue.*`` variables,
short markers that :mod:`drafter.review` replaces after rendering by Word comments (the
texts are in :attr:`Context.notes`). Without it those variables are empty strings.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from drafter.domain import fmt
from drafter.domain.decision import Coded
from drafter.domain.labels import FORM_FR, NATURE_FR, PROCEDURE_FR
from drafter.domain.naming import safe_name, unique
from drafter.domain.profile import BuyerCategory, Form, FrameworkMethod, Nature, Procedure, Profile
from drafter.engine.analysis import Analysis
from drafter.engine.facts import regime, threshold_rule_id
from drafter.law.rules import Rules
from drafter.present import review_notes
from drafter.present.context_lot import METHOD_FR, NB, euros, lot_vars
from drafter.present.context_lot import confirm as confirm_fr
from drafter.present.legal_fr import cite, in_application, its_articles, join_fr, legal_basis
from drafter.present.marks import Revue
from drafter.present.sources_fr import buyer_words
from drafter.present.typography import french
from drafter.version import __version__

TABLES_FR = {"calcul": "Paramètres de calcul des heures", "exceptions": "Motifs d'exception",
             "parts_main_oeuvre": "Parts de main-d'œuvre par secteur", "references": "Références juridiques",
             "seuils": "Seuils européens"}
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Context:
    """Variables common to every document, plus the per-document ones."""

    variables: dict[str, Any]
    notes: dict[str, str] = field(default_factory=dict)
    lots: dict[str, dict[str, Any]] = field(default_factory=dict)       # numero → lot variables
    conventions: list[dict[str, Any]] = field(default_factory=list)     # one per facilitator structure

    def for_document(self, **extra: Any) -> dict[str, Any]:
        """The variables of one document: the common ones plus ``lot`` or ``convention``."""
        return {**self.variables, **extra}


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
    return {"lots_liste": listed, "champ": ("au " if one else "aux ") + listed, "les_lots": ("le " if one else "les ") + listed}


def lower_article(text: str) -> str:
    """« Le préfet de l'Aude » → « le préfet de l'Aude », to follow « représenté par »."""
    for article in ("Le ", "La ", "Les ", "L'", "L’"):
        if text.startswith(article):
            return article.lower() + text[len(article):]
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


def conventions(lots: list[dict[str, Any]], bases: dict[str, tuple[str, ...]], single: bool,
                rv: Revue | None = None) -> list[dict[str, Any]]:
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
        out.append({"structure": first["structure"], "adresse": first["adresse"], "fichier": slug, **terms,
                    "reseau_tme": "toulouse métropole emploi" in first["structure"].casefold(),
                    **convention_marks(rv, terms["finance"]),
                    "articles": its_articles(codes),
                    "facilitateurs": facilitators(members, single), "lots": members, **group(members, single)})
    return out


def threshold_note(p: Profile, rules: Rules) -> str:
    """What the threshold line of the note adds: the regime, and « à confirmer » for an unverified value."""
    kind = regime(p)
    rule = rules.get(threshold_rule_id(p.market.nature, p.buyer.category, kind))
    what = {"insertion": "seuil des services sociaux et autres services spécifiques",
            "defense": "seuil des marchés de défense ou de sécurité, sans incidence sur les dispositions sociales",
            }.get(kind, "")
    flag = "valeur à confirmer" if rule.to_confirm else ""
    text = " ; ".join(x for x in (what, flag) if x)
    return f" ({text})" if text else ""


def convention_marks(rv: Revue | None, funded: bool) -> dict[str, str]:
    """Review comments of the agreement: discretion, personal data, funding."""
    if rv is None:
        return {"revue_discretion": "", "revue_donnees": "", "revue_financement": ""}
    return {"revue_discretion": rv.mark(review_notes.note_discretion()),
            "revue_donnees": rv.mark(review_notes.note_donnees()),
            "revue_financement": rv.mark(review_notes.note_financement(funded))}


def consolidated(lots: list[dict[str, Any]], key: str, single: bool) -> list[str]:
    """Items of every lot, once each, with the lots concerned (multi-lot markets)."""
    seen: dict[str, list[dict[str, Any]]] = {}
    for lot in lots:
        for item in lot[key]:
            seen.setdefault(item, []).append(lot)
    if single:
        return list(seen)
    return [f"{item.rstrip('.')} ({group(members, False)['lots_liste']})." for item, members in seen.items()]


NUMBERING_BASE = 1000   # templates: numbering instance 1000 + N starts the article at N (tools/build_templates.py)


def pieces(ccap: int | None, rc: int | None) -> dict[str, str]:
    """The article numbers the CCAP and RC pieces take, and the Word numbering instance that shows
    them (``"0"``: unnumbered headings)."""
    return {"article_ccap": str(ccap or ""), "article_rc": str(rc or ""),
            "numerotation_ccap": str(NUMBERING_BASE + ccap if ccap else 0),
            "numerotation_rc": str(NUMBERING_BASE + rc if rc else 0)}


def _clean(value: Any, memo: set[int]) -> Any:
    """Drop characters XML cannot hold (docxtpl would otherwise truncate the document silently)
    and put every string in a buyer's words (:func:`drafter.present.sources_fr.buyer_words`) with
    French typography (:func:`drafter.present.typography.french`)."""
    if isinstance(value, str):
        return french(buyer_words(_XML_ILLEGAL.sub("", value)))
    if id(value) in memo:
        return value
    if isinstance(value, dict):
        memo.add(id(value))
        for k, v in value.items():
            value[k] = _clean(v, memo)
    elif isinstance(value, list):
        memo.add(id(value))
        value[:] = [_clean(v, memo) for v in value]
    return value


def build_context(analysis: Analysis, *, revue: bool = False) -> Context:
    """Every variable of every template for one analysed profile."""
    p, d, rules = analysis.profile, analysis.decision, analysis.rules
    m, b = p.market, p.buyer
    single = p.is_single_lot
    state = b.category is BuyerCategory.ETAT
    nonce = hashlib.blake2s(p.model_dump_json().encode(), digest_size=4).hexdigest()
    rv = Revue(revue, nonce)
    steps = len(d.trace)
    lots = [lot_vars(lot, form=m.form, single=single, market_steps=steps, rules=rules, revue=rv)
            for lot in d.lots]
    pick = {
        "lots_condition": [x for x in lots if x["condition"]],
        "lots_formation": [x for x in lots if x["formation"]],
        "lots_pact": [x for x in lots if x["condition"] and x["personnel_repris"]],
        "lots_critere": [x for x in lots if x["critere"]],
        "lots_reserves": [x for x in lots if x["reserve"]],
        "lots_insertion": [x for x in lots if x["marche_insertion"]],
        "lots_sans_clause": [x for x in lots if x["sans_clause"]],
        "lots_avec_clause": [x for x in lots if not x["sans_clause"]],
        "lots_suivis": [x for x in lots if x["besoin_facilitateur"]],
    }
    cond, crit, res = pick["lots_condition"], pick["lots_critere"], pick["lots_reserves"]
    report = rules.get("penalite_rapport")
    share = rules.get("marche_reserve.part_minimum")
    general = "defense" if m.defence_or_security else "condition_execution"
    condition_bases = [*rules.bases(general), *(rules.bases("obligation") if d.obligation_sociale else ())]
    methods = {x["methode"] for x in cond if x["ratio"]}
    social = [x for x in lots if x["condition"] or x["formation"]]
    missing = [x for x in lots if x["besoin_facilitateur"] and x["facilitateur"] is None]
    confirm = consolidated(lots, "a_confirmer", single)
    if pick["lots_avec_clause"] and (report.to_confirm):
        source = report.provenance[:1].lower() + report.provenance[1:]
        confirm.append(confirm_fr(Coded(f"Pénalité pour rapport de suivi non remis ({euros(report.valeur, True)}) : "
                                           f"{source}", report.id, worded=True)))
    variables: dict[str, Any] = {
        "drafter": {"version": __version__},
        "acheteur": {
            "nom": b.name, "service": b.service or "", "adresse": b.address, "representant": b.signatory,
            "partie": f"L'État ({b.name})" if state else b.name, "etat": state,
            "represente_par": ("représenté par " if state else "représenté(e) par ") + lower_article(b.signatory),
            "contact_nom": b.contact.name if b.contact else "",
            "contact_courriel": (b.contact.email or "") if b.contact else "",
            "contact_telephone": (b.contact.phone or "") if b.contact else "",
        },
        "marche": {
            "objet": m.subject, "reference": m.reference, "nature": m.nature.value,
            "nature_libelle": NATURE_FR[m.nature], "travaux": m.nature is Nature.WORKS, "forme_libelle": FORM_FR[m.form],
            "accord_cadre": m.form.is_framework, "bons_de_commande": m.form is Form.FRAMEWORK_ORDERS,
            "marches_subsequents": m.form is Form.FRAMEWORK_SUBSEQUENT,
            "procedure_libelle": PROCEDURE_FR[m.procedure], "procedure_formalisee": m.procedure.is_formalised,
            "procedure_ouverte": m.procedure is Procedure.OPEN,
            "date_lancement": fmt.date_long(m.launch_date) if m.launch_date else "",
            "duree": f"{m.duration_months}{NB}mois", "lieu_execution": m.place,
            "cpv": ", ".join(m.cpv or []), "defense_ou_securite": m.defence_or_security,
            "lot_unique": single, "nombre_lots": str(len(lots)),
            "valeur_estimee": euros(d.valeur_estimee_ht, True), "seuil_europeen": euros(d.seuil_europeen_ht, True),
            "seuil_precision": threshold_note(p, rules),
            "obligation_sociale": d.obligation_sociale,
            "critere_environnemental_obligatoire": d.critere_environnemental_obligatoire,
            "date_reference": fmt.date_long(d.date_reference),
            "penalite_rapport": euros(report.valeur, True),
            "revue": {
                "obligation": rv.mark(review_notes.note_obligation(d, rules)),
                "penalite_rapport": rv.mark(review_notes.note_rule(report, "Pénalité pour rapport non remis")),
                "ccag": rv.mark(review_notes.note_ccag(m.nature, rules)),
                "publication": rv.mark(review_notes.note_publication()),
                "rgpd": rv.mark(review_notes.note_rgpd()),
                "cdi": rv.mark(review_notes.note_cdi()) if cond else "",
            },
        },
        "regles": {
            "date": fmt.date_long(d.date_reference),
            "tables": [{"table": TABLES_FR.get(k, k), "version": v} for k, v in d.regles.items()
                       if k != "parametres_locaux"],
            "parametres_locaux": d.regles.get("parametres_locaux", ""),
        },
        "trace_marche": [{"numero": str(i), "regle": s.regle, "texte": cite(s.texte), "reference": cite(s.reference)}
                         for i, s in enumerate(d.trace, 1)],
        "lots": lots,
        **pick,
        "condition": {
            **group(cond, single), "base_legale": legal_basis(condition_bases),
            "en_application": in_application(condition_bases),
            "penalite_par_heure": same([x["penalite_par_heure"] for x in cond]) if cond else "",
            "a_ratio": any(x["ratio"] for x in cond),
            "methode_ratio": METHOD_FR[FrameworkMethod.RATIO] in methods,
            "methode_minimum": METHOD_FR[FrameworkMethod.MINIMUM] in methods,
            "methode_estime": METHOD_FR[FrameworkMethod.ESTIMATE] in methods,
            "revue_penalite": cond[0]["revue"]["penalite"] if cond else "",
            "revue_decompte": (rv.mark(review_notes.note_decompte(m.form is Form.FRAMEWORK_SUBSEQUENT))
                               if any(x["ratio"] for x in cond) else ""),
        },
        "critere": {**group(crit, single),
                    "ponderation": same([x["ponderation_critere"] for x in crit]) if crit else "",
                    "revue_echelle": rv.mark(review_notes.note_echelle()) if crit else ""},
        "reserve": {**group(res, single), "part_minimum": fmt.percent(share.valeur, sep=NB),
                    "travailleurs": same([x["travailleurs"] for x in res]) or "travailleurs handicapés ou défavorisés"
                    if res else "",
                    "siae": any(x["reserve_siae"] or x["reserve_siae_handicap"] for x in res),
                    "handicap": any(x["reserve_handicap"] or x["reserve_siae_handicap"] for x in res)},
        "insertion": {**group(pick["lots_insertion"], single),
                      "revue": rv.mark(review_notes.note_insertion_rc()) if pick["lots_insertion"] else ""},
        "formation": group(pick["lots_formation"], single),
        "pact": {**group(pick["lots_pact"], single),
                 "coefficient": fmt.smart(rules.value("pact_proprete.coefficient"), sep=NB)},
        "condition_sociale": group(social, single),
        "clause": {**group(pick["lots_avec_clause"], single),
                   "base_commune": same([x["base_legale"] for x in pick["lots_avec_clause"]])
                   if pick["lots_avec_clause"] else ""},
        "pieces": pieces(p.pieces.ccap_article, p.pieces.rc_article),
        "sans_clause": group(pick["lots_sans_clause"], single),
        "facilitateurs": facilitators(lots, single),
        "facilitateur_a_designer": group(missing, single),
        "points_a_confirmer": confirm,
        "avertissements": consolidated(lots, "avertissements", single),
        "alternatives": consolidated(lots, "alternatives", single),
        "mentions_avis": consolidated(lots, "mentions_avis", single),
    }
    bases = {str(lot.numero): lot.base_legale for lot in d.lots}
    memo: set[int] = set()
    _clean(variables, memo)
    return Context(variables, rv.notes, {x["numero"]: x for x in lots},
                   [_clean(c, memo) for c in conventions(lots, bases, single, rv)])


__all__ = ["Context", "build_context", "lots_list"]
