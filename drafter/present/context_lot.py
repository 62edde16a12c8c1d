"""Template variables of one lot (pure): every figure already written in French.

Used by :mod:`drafter.context`; the variables are documented in :mod:`drafter.variables`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drafter.domain import fmt
from drafter.domain.decision import Coded, LotDecision, Sizing
from drafter.domain.profile import Facilitator, Form, FrameworkMethod, Mechanism
from drafter.law.rules import Rules
from drafter.present import review_notes
from drafter.present.legal_fr import cite, legal_basis
from drafter.present.marks import Revue

NB = fmt.NBSP
TEN_THOUSAND = f"10{NB}000{NB}€{NB}HT"
WORKERS = {
    Mechanism.RESERVED_SIAE: "travailleurs défavorisés",
    Mechanism.RESERVED_DISABILITY: "travailleurs handicapés",
    Mechanism.RESERVED_BOTH: "travailleurs handicapés ou défavorisés",
}
METHOD_FR = {
    FrameworkMethod.RATIO: "ratio d'heures par tranche de 10 000 € HT commandés",
    FrameworkMethod.MINIMUM: "heures sur le montant minimum, puis ratio au-delà",
    FrameworkMethod.ESTIMATE: "heures sur le montant estimé, ajustées aux commandes",
}


def euros(value: Decimal | None, ht: bool = False) -> str:
    if value is None:
        return ""
    return fmt.euros(value, sep=NB) + (f"{NB}HT" if ht else "")


def hours(value: int | Decimal) -> str:
    return fmt.hours(value, sep=NB)


def percent(value: Decimal | None) -> str:
    return "" if value is None else fmt.percent(value, sep=NB)


def confirm(item: Coded) -> str:
    """A point flagged by the decision, always worded « à confirmer » (added unless ``item.worded``)."""
    text = cite(item).rstrip().rstrip(".")
    return text + ("." if item.worded else " — à confirmer.")


def facilitator_vars(f: Facilitator | None) -> dict[str, str] | None:
    if f is None:
        return None
    return {
        "nom": f.name,
        "structure": f.organisation,
        "adresse": f.address,
        "courriel": f.email,
        "telephone": f.phone,
        "territoire": f.territory or "",
    }


def agreement_vars(f: Facilitator | None) -> dict[str, Any]:
    """The terms of the agreement with the facilitator's structure (default: this market, free of charge)."""
    terms = f.agreement if f is not None else None
    if terms is None:
        return {"programme": "", "finance": False, "montant": ""}
    funded = terms.funding == "finance"
    return {
        "programme": (terms.programme or "") if terms.scope == "programme" else "",
        "finance": funded,
        "montant": euros(terms.amount, True) if funded and terms.amount else "",
    }


def obligation(lot: LotDecision, form: Form) -> str:
    """The hours owed as the CCAP states them (fixed hours, or a ratio with its method)."""
    if lot.heures is None:
        return ""
    total = hours(lot.heures)
    ratio = lot.ratio_heures_10000_eur
    if ratio is None:
        return total
    c = lot.calcul
    if c is None:
        return total
    per = f"{fmt.smart(ratio, 1, NB)}{NB}heures par tranche de {TEN_THOUSAND}"
    if c.staff_deduction is not None:
        orders = "du montant cumulé des marchés subséquents" if form is Form.FRAMEWORK_SUBSEQUENT else "commandés"
        return (
            f"{per} {orders}, diminuées de {hours(c.staff_deduction)} au titre du personnel repris (total "
            f"indicatif sur le montant estimé de {euros(c.estimate, True)} : {total})"
        )
    if form is Form.FRAMEWORK_SUBSEQUENT:
        return (
            f"{per} du montant de chaque marché subséquent (total indicatif sur le montant estimé de "
            f"{euros(c.estimate, True)} : {total})"
        )
    if lot.methode_accord_cadre is FrameworkMethod.MINIMUM:
        return (
            f"{total} au titre du montant minimum de {euros(c.base_amount, True)}, puis {per} commandés "
            "au-delà de ce minimum"
        )
    if lot.methode_accord_cadre is FrameworkMethod.ESTIMATE:
        return (
            f"{total} sur le montant estimé de {euros(c.estimate, True)}, ajustées au prorata du montant "
            f"des commandes ({per} commandés)"
        )
    return f"{per} commandés (total indicatif sur le montant estimé de {euros(c.estimate, True)} : {total})"


def calculation(c: Sizing | None, indicative: bool, fte_hours: Decimal) -> dict[str, Any] | None:
    """The formula with its numbers, the PACT weighting, the ratio and the full-time equivalent."""
    if c is None:
        return None
    pact = ""
    base = f"{euros(c.base_amount)} × {percent(c.labour_share)} × {percent(c.rate)} ÷ {euros(c.hourly_cost)}"
    ratio = ""
    if c.ratio is not None:
        ratio = (
            f"10{NB}000{NB}€ × {percent(c.labour_share)} × {percent(c.rate)} ÷ {euros(c.hourly_cost)}"
            f" = {fmt.smart(c.ratio, 1, NB)}{NB}heures par tranche de {TEN_THOUSAND} commandés "
            "(arrondi au dixième)."
        )
    if c.pact_weight is not None:
        coef = fmt.smart(c.pact_coefficient or 0, 2, NB)
        pact = (
            f"Méthode PACT Propreté pour {fmt.smart(c.staff_hours or 0, 2, NB)}{NB}heures mensuelles de "
            f"personnel repris : P = 1 − (S × C) ÷ (A ÷ N) = {fmt.smart(c.pact_weight, 4, NB)}, avec C = {coef}, "
            "coefficient fixé par la branche de la propreté (la part de main-d'œuvre et le coût horaire ne "
            "servent pas à ce calcul)."
        )
        base = (
            f"P × A ÷ C × T = {fmt.smart(c.pact_weight, 4, NB)} × {euros(c.base_amount)} ÷ {coef} × {percent(c.rate)}"
        )
        if c.ratio is not None:
            ratio = (
                f"10{NB}000{NB}€ ÷ {coef} × {percent(c.rate)} = {fmt.smart(c.ratio, 1, NB)}{NB}heures par "
                f"tranche de {TEN_THOUSAND} commandés, diminuées de {hours(c.staff_deduction or 0)} au titre du "
                "personnel repris (S × N × T)."
            )
    return {
        "pact": c.pact_weight is not None,
        "indicatif": indicative,
        "base_libelle": c.base_label,
        "base_montant": euros(c.base_amount, True),
        "formule": f"{base} = {fmt.smart(c.raw_hours, 2, NB)}{NB}heures, soit {hours(c.hours)} après arrondi "
        "à l'heure la plus proche",
        "ponderation_pact": pact,
        "ratio": ratio,
        "equivalent_temps_plein": f"{hours(c.hours)} ÷ {fmt.smart(fte_hours, 2, NB)}{NB}heures par mois = "
        f"{fmt.months(c.fte_months, NB)} de travail à temps plein",
    }


def volume(lot: LotDecision, form: Form) -> str:
    """What the lot demands, for tables listing every lot with a clause."""
    if lot.heures is not None:
        return obligation(lot, form)
    m = lot.dispositif
    if m.is_reserved:
        return "Sans objet (marché réservé)"
    if m is Mechanism.INSERTION_MARKET:
        if lot.postes_insertion:
            return f"{lot.postes_insertion} postes en parcours d'insertion sur l'activité support (marché d'insertion)"
        if lot.heures_activite_support:
            return f"{hours(lot.heures_activite_support)} de travail sur l'activité support (marché d'insertion)"
        return "Fixé par le cahier des charges et l'offre (marché d'insertion)"
    if m is Mechanism.CRITERION:
        return "Selon les engagements du mémoire social (critère d'attribution)"
    if m.is_training and lot.heures_formation_par_salarie is not None:
        return (
            f"Plan de progrès : au moins {hours(lot.heures_formation_par_salarie)} de formation par salarié "
            "affecté au marché et par année d'exécution"
        )
    return "Sans objet"


def lot_vars(
    lot: LotDecision, *, form: Form, single: bool, market_steps: int, rules: Rules, revue: Revue
) -> dict[str, Any]:
    """Every variable of one lot (see ``LOT`` in :mod:`drafter.present.variables`)."""
    m = lot.dispositif
    exception = None
    if lot.exception is not None:
        exception = {"texte": cite(lot.exception.wording), "justification": lot.exception.justification}
    return {
        "numero": str(lot.numero),
        "intitule": lot.intitule,
        "designation": "Lot unique" if single else f"Lot n°{NB}{lot.numero} – {lot.intitule}",
        "sujet": "Le marché" if single else f"Le lot n°{NB}{lot.numero} ({lot.intitule})",
        **mechanism_vars(lot),
        **figure_vars(lot, form, rules),
        "facilitateur": facilitator_vars(lot.facilitateur),
        "convention_facilitateur": agreement_vars(lot.facilitateur),
        "exception": exception,
        "avertissements": [cite(w) for w in lot.avertissements],
        "a_confirmer": [confirm(item) for item in lot.a_confirmer],
        "alternatives": [cite(a) for a in lot.alternatives],
        "mentions_avis": [cite(n) for n in lot.mentions_avis],
        "trace": [
            {"numero": str(i), "regle": s.regle, "texte": cite(s.texte), "reference": cite(s.reference)}
            for i, s in enumerate(lot.trace[market_steps:], 1)
        ],
        "revue": {
            "dispositif": revue.mark(review_notes.note_dispositif(lot, rules)),
            "heures": revue.mark(review_notes.note_heures(lot, rules)) if lot.calcul is not None else "",
            "penalite": revue.mark(review_notes.note_penalite(lot, rules))
            if lot.penalite_par_heure is not None
            else "",
            "critere": revue.mark(review_notes.note_critere(lot, rules)) if m.has_criterion else "",
            "reserve": revue.mark(review_notes.note_reserve(lot, rules)) if m.is_reserved else "",
        },
    }


def mechanism_vars(lot: LotDecision) -> dict[str, Any]:
    """The lot's mechanism: its label, what it implies, its legal basis."""
    m = lot.dispositif
    return {
        "dispositif": m.value,
        "dispositif_libelle": m.label[0].upper() + m.label[1:],
        "condition": m.has_condition,
        "critere": m.has_criterion,
        "critere_seul": m is Mechanism.CRITERION,
        "reserve": m.is_reserved,
        "reserve_siae": m is Mechanism.RESERVED_SIAE,
        "reserve_handicap": m is Mechanism.RESERVED_DISABILITY,
        "reserve_siae_handicap": m is Mechanism.RESERVED_BOTH,
        "marche_insertion": m is Mechanism.INSERTION_MARKET,
        "sans_clause": m is Mechanism.NONE,
        "besoin_facilitateur": m.needs_facilitator,
        "avec_facilitateur": m.needs_facilitator or (lot.facilitateur is not None and m.is_reserved),
        "formation": m.is_training,
        "travailleurs": WORKERS.get(m, ""),
        "base_legale": legal_basis(lot.base_legale) or "sans objet (pas de clause sociale)",
    }


def figure_vars(lot: LotDecision, form: Form, rules: Rules) -> dict[str, Any]:
    """The lot's figures, written in French: amounts, shares, hours, ratio, calculation."""
    c = lot.calcul
    has_hours = lot.heures is not None
    sector = rules.sectors().get(lot.secteur) if lot.secteur else None
    return {
        "heures_formation": hours(lot.heures_formation_par_salarie) if lot.heures_formation_par_salarie else "",
        "personnel_repris": (
            f"{fmt.smart(c.staff_hours or 0, 2, NB)}{NB}heures par mois"
            if c is not None and c.pact_weight is not None
            else ""
        ),
        "deduction_personnel_repris": hours(c.staff_deduction) if c is not None and c.staff_deduction else "",
        "activite_support": lot.activite_support or "",
        "postes_insertion": str(lot.postes_insertion) if lot.postes_insertion else "",
        "heures_activite_support": hours(lot.heures_activite_support) if lot.heures_activite_support else "",
        "heures": hours(lot.heures) if lot.heures is not None else "",
        "obligation": obligation(lot, form),
        "volume": volume(lot, form),
        "ratio": (
            f"{fmt.smart(lot.ratio_heures_10000_eur, 1, NB)}{NB}heures par tranche de {TEN_THOUSAND} commandés"
            if lot.ratio_heures_10000_eur is not None
            else ""
        ),
        "methode": (
            METHOD_FR.get(lot.methode_accord_cadre, "")
            if lot.ratio_heures_10000_eur is not None and lot.methode_accord_cadre is not None
            else ""
        ),
        "equivalent_temps_plein": fmt.months(c.fte_months, NB) if (c and has_hours) else "",
        "montant_estime": euros(lot.montant_estime_ht, True),
        "montant_minimum": euros(lot.montant_minimum_ht, True),
        "montant_maximum": euros(lot.montant_maximum_ht, True),
        "secteur": sector.libelle if sector else "",
        "part_main_oeuvre": percent(lot.part_main_oeuvre),
        "taux_insertion": percent(lot.taux_insertion),
        "cout_horaire": euros(lot.cout_horaire, True),
        "penalite_par_heure": euros(lot.penalite_par_heure, True),
        "ponderation_critere": (
            fmt.smart(lot.ponderation_critere, 2, NB) + f"{NB}%" if lot.ponderation_critere is not None else ""
        ),
        "calcul": calculation(c, indicative=not has_hours, fte_hours=rules.value("heures_mensuelles_temps_plein")),
    }
