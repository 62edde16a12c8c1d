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
from drafter.domain.decision import Coded, MarketDecision
from drafter.domain.labels import FORM_FR, NATURE_FR, PROCEDURE_FR
from drafter.domain.places import departements
from drafter.domain.profile import BuyerCategory, Form, FrameworkMethod, Nature, Procedure, Profile
from drafter.engine.analysis import Analysis
from drafter.law.rules import Rules
from drafter.present import review_notes
from drafter.present.context_lot import METHOD_FR, NB, euros, lot_vars
from drafter.present.context_lot import confirm as confirm_fr
from drafter.present.context_parts import (
    consolidated,
    conventions,
    facilitators,
    group,
    lots_list,
    lower_article,
    pieces,
    same,
    threshold_note,
)
from drafter.present.legal_fr import cite, in_application, legal_basis
from drafter.present.marks import Revue
from drafter.present.sources_fr import buyer_words
from drafter.present.typography import french
from drafter.version import __version__

TABLES_FR = {"calcul": "Paramètres de calcul des heures", "exceptions": "Motifs d'exception",
             "parts_main_oeuvre": "Parts de main-d'œuvre par secteur", "references": "Références juridiques",
             "reseau": "Réseau des facilitateurs (TME)",
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


def _clean(value: Any, memo: set[int], strings: dict[str, str]) -> Any:
    """Drop characters XML cannot hold (docxtpl would otherwise truncate the document silently)
    and put every string in a buyer's words (:func:`drafter.present.sources_fr.buyer_words`) with
    French typography (:func:`drafter.present.typography.french`). Equal strings become one object
    (``strings``): the same rule texts are cited for every lot of a 5 000-lot framework."""
    if isinstance(value, str):
        done = strings.get(value)
        if done is None:
            done = strings[value] = french(buyer_words(_XML_ILLEGAL.sub("", value)))
        return done
    if id(value) in memo:
        return value
    if isinstance(value, dict):
        memo.add(id(value))
        for k, v in value.items():
            value[k] = _clean(v, memo, strings)
    elif isinstance(value, list):
        memo.add(id(value))
        value[:] = [_clean(v, memo, strings) for v in value]
    return value


def build_context(analysis: Analysis, *, revue: bool = False) -> Context:
    """Every variable of every template for one analysed profile."""
    p, d, rules = analysis.profile, analysis.decision, analysis.rules
    single = p.is_single_lot
    nonce = hashlib.blake2s(p.model_dump_json().encode(), digest_size=4).hexdigest()
    rv = Revue(revue, nonce)
    lots = [lot_vars(lot, form=p.market.form, single=single, market_steps=len(d.trace), rules=rules, revue=rv)
            for lot in d.lots]
    pick = picked(lots)
    variables: dict[str, Any] = {
        "drafter": {"version": __version__},
        "acheteur": buyer_vars(p),
        "marche": market_vars(analysis, rv, lots, pick),
        "regles": rules_vars(d),
        "trace_marche": [{"numero": str(i), "regle": s.regle, "texte": cite(s.texte), "reference": cite(s.reference)}
                         for i, s in enumerate(d.trace, 1)],
        "lots": lots,
        **pick,
        "condition": condition_vars(analysis, rv, pick["lots_condition"]),
        **group_vars(analysis, rv, pick),
        "pieces": pieces(p.pieces.ccap_article, p.pieces.rc_article),
        "facilitateurs": facilitators(lots, single),
        "facilitateur_a_designer": group([x for x in lots if x["besoin_facilitateur"] and x["facilitateur"] is None],
                                         single),
        "points_a_confirmer": points_to_confirm(lots, rules, single, bool(pick["lots_avec_clause"])),
        "avertissements": consolidated(lots, "avertissements", single),
        "alternatives": consolidated(lots, "alternatives", single),
        "mentions_avis": consolidated(lots, "mentions_avis", single),
    }
    bases = {str(lot.numero): lot.base_legale for lot in d.lots}
    memo: set[int] = set()
    strings: dict[str, str] = {}
    _clean(variables, memo, strings)
    return Context(variables, rv.notes, {x["numero"]: x for x in lots},
                   [_clean(c, memo, strings) for c in conventions(lots, bases, single, rv)])


def picked(lots: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The lots grouped by what the documents say about them (``lots_condition``, ``lots_reserves``…)."""
    return {
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


def buyer_vars(p: Profile) -> dict[str, Any]:
    b = p.buyer
    state = b.category is BuyerCategory.ETAT
    return {
        "nom": b.name, "service": b.service or "", "adresse": b.address, "representant": b.signatory,
        "partie": f"L'État ({b.name})" if state else b.name, "etat": state,
        "represente_par": ("représenté par " if state else "représenté(e) par ") + lower_article(b.signatory),
        "contact_nom": b.contact.name if b.contact else "",
        "contact_courriel": (b.contact.email or "") if b.contact else "",
        "contact_telephone": (b.contact.phone or "") if b.contact else "",
    }


def market_vars(analysis: Analysis, rv: Revue, lots: list[dict[str, Any]],
                pick: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    p, d, rules = analysis.profile, analysis.decision, analysis.rules
    m = p.market
    report = rules.get("penalite_rapport")
    return {
        "objet": m.subject, "reference": m.reference, "nature": m.nature.value,
        "nature_libelle": NATURE_FR[m.nature], "travaux": m.nature is Nature.WORKS, "forme_libelle": FORM_FR[m.form],
        "accord_cadre": m.form.is_framework, "bons_de_commande": m.form is Form.FRAMEWORK_ORDERS,
        "marches_subsequents": m.form is Form.FRAMEWORK_SUBSEQUENT,
        "procedure_libelle": PROCEDURE_FR[m.procedure], "procedure_formalisee": m.procedure.is_formalised,
        "procedure_ouverte": m.procedure is Procedure.OPEN,
        "date_lancement": fmt.date_long(m.launch_date) if m.launch_date else "",
        "duree": f"{m.duration_months}{NB}mois", "lieu_execution": m.place,
        "cpv": ", ".join(m.cpv or []), "defense_ou_securite": m.defence_or_security,
        "lot_unique": p.is_single_lot, "nombre_lots": str(len(lots)),
        "valeur_estimee": euros(d.valeur_estimee_ht, True), "seuil_europeen": euros(d.seuil_europeen_ht, True),
        "seuil_precision": threshold_note(p, rules),
        "reseau_tme": in_tme_network(p, rules),
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
            "cdi": rv.mark(review_notes.note_cdi()) if pick["lots_condition"] else "",
        },
    }


def in_tme_network(p: Profile, rules: Rules) -> bool:
    """A State market executed where Toulouse Métropole Emploi animates the facilitators (the network's
    départements, or its region named in the place or the facilitator's territory)."""
    if p.buyer.category is not BuyerCategory.ETAT:
        return False
    texts = [p.market.place, p.facilitator.territory if p.facilitator else None]
    if set(departements(*texts)) & set(rules.value("reseau_tme.departements")):
        return True
    region = str(rules.value("reseau_tme.region")).casefold()
    return any(region in (text or "").casefold() for text in texts)


def rules_vars(d: MarketDecision) -> dict[str, Any]:
    return {
        "date": fmt.date_long(d.date_reference),
        "tables": [{"table": TABLES_FR.get(k, k), "version": v} for k, v in d.regles.items()
                   if k != "parametres_locaux"],
        "parametres_locaux": d.regles.get("parametres_locaux", ""),
    }


def condition_vars(analysis: Analysis, rv: Revue, cond: list[dict[str, Any]]) -> dict[str, Any]:
    """The execution condition as the CCAP states it for all its lots: basis, penalty, counting method."""
    p, d, rules = analysis.profile, analysis.decision, analysis.rules
    m = p.market
    general = "defense" if m.defence_or_security else "condition_execution"
    bases = [*rules.bases(general), *(rules.bases("obligation") if d.obligation_sociale else ())]
    methods = {x["methode"] for x in cond if x["ratio"]}
    return {
        **group(cond, p.is_single_lot), "base_legale": legal_basis(bases),
        "en_application": in_application(bases),
        "penalite_par_heure": same([x["penalite_par_heure"] for x in cond]) if cond else "",
        "a_ratio": any(x["ratio"] for x in cond),
        "methode_ratio": METHOD_FR[FrameworkMethod.RATIO] in methods,
        "methode_minimum": METHOD_FR[FrameworkMethod.MINIMUM] in methods,
        "methode_estime": METHOD_FR[FrameworkMethod.ESTIMATE] in methods,
        "revue_penalite": cond[0]["revue"]["penalite"] if cond else "",
        "revue_decompte": (rv.mark(review_notes.note_decompte(m.form is Form.FRAMEWORK_SUBSEQUENT))
                           if any(x["ratio"] for x in cond) else ""),
    }


def group_vars(analysis: Analysis, rv: Revue, pick: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Criterion, reservation, insertion market, training, PACT, any social clause, lots without one."""
    rules, single = analysis.rules, analysis.profile.is_single_lot
    crit, res, ins = pick["lots_critere"], pick["lots_reserves"], pick["lots_insertion"]
    with_clause = pick["lots_avec_clause"]
    social = [x for x in pick["lots_avec_clause"] if x["condition"] or x["formation"]]
    return {
        "critere": {**group(crit, single),
                    "ponderation": same([x["ponderation_critere"] for x in crit]) if crit else "",
                    "revue_echelle": rv.mark(review_notes.note_echelle()) if crit else ""},
        "reserve": {**group(res, single),
                    "part_minimum": fmt.percent(rules.value("marche_reserve.part_minimum"), sep=NB),
                    "travailleurs": same([x["travailleurs"] for x in res]) or "travailleurs handicapés ou défavorisés"
                    if res else "",
                    "siae": any(x["reserve_siae"] or x["reserve_siae_handicap"] for x in res),
                    "handicap": any(x["reserve_handicap"] or x["reserve_siae_handicap"] for x in res)},
        "insertion": {**group(ins, single),
                      "revue": rv.mark(review_notes.note_insertion_rc()) if ins else ""},
        "formation": group(pick["lots_formation"], single),
        "pact": {**group(pick["lots_pact"], single),
                 "coefficient": fmt.smart(rules.value("pact_proprete.coefficient"), sep=NB)},
        "condition_sociale": group(social, single),
        "clause": {**group(with_clause, single),
                   "base_commune": same([x["base_legale"] for x in with_clause]) if with_clause else ""},
        "sans_clause": group(pick["lots_sans_clause"], single),
    }


def points_to_confirm(lots: list[dict[str, Any]], rules: Rules, single: bool, with_clause: bool) -> list[str]:
    """Every lot's points to confirm, once each, plus the report penalty when a clause needs reports."""
    confirm = consolidated(lots, "a_confirmer", single)
    report = rules.get("penalite_rapport")
    if with_clause and report.to_confirm:
        source = report.provenance[:1].lower() + report.provenance[1:]
        confirm.append(confirm_fr(Coded(f"Pénalité pour rapport de suivi non remis ({euros(report.valeur, True)}) : "
                                        f"{source}", report.id, worded=True)))
    return confirm


__all__ = ["Context", "build_context", "lots_list"]
