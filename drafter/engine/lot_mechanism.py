"""Choice and validation of a lot's mechanism (SPEC §4 steps 2–3, 5–7).

Functions take the :class:`~drafter.lot_rules.LotReasoner` of the lot and add to its
trail, warnings, alternatives and issues.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drafter.domain import fmt
from drafter.domain.decision import ExceptionUsed, LotDecision, Step, ToConfirm
from drafter.domain.profile import Mechanism, Nature

if TYPE_CHECKING:
    from drafter.engine.lot_rules import LotReasoner

M = Mechanism
MECHANISM_FR = {
    M.CONDITION: "condition d'exécution sociale (clause d'insertion)",
    M.CONDITION_AND_CRITERION: "condition d'exécution sociale et critère d'attribution « insertion »",
    M.CRITERION: "critère d'attribution « insertion » seul",
    M.RESERVED_SIAE: "marché réservé aux structures d'insertion par l'activité économique (SIAE)",
    M.RESERVED_DISABILITY: "marché réservé aux entreprises adaptées et ESAT",
    M.RESERVED_BOTH: "marché réservé aux SIAE, entreprises adaptées et ESAT",
    M.INSERTION_MARKET: "marché d'insertion et de qualification professionnelle",
    M.NONE: "pas de clause sociale",
}
LEGAL_BASES = {
    M.CONDITION: ("L2112-2",),
    M.CONDITION_AND_CRITERION: ("L2112-2", "L2152-7", "R2152-7"),
    M.CRITERION: ("L2152-7", "R2152-7"),
    M.RESERVED_SIAE: ("L2113-13", "R2113-7"),
    M.RESERVED_DISABILITY: ("L2113-12", "R2113-7"),
    M.RESERVED_BOTH: ("L2113-12", "L2113-13", "L2113-14", "R2113-7"),
    M.INSERTION_MARKET: ("R2123-1 3°", "R2123-7"),
    M.NONE: (),
}
SATISFIES_OBLIGATION = {M.CONDITION, M.CONDITION_AND_CRITERION, M.RESERVED_SIAE,
                        M.RESERVED_DISABILITY, M.RESERVED_BOTH, M.INSERTION_MARKET}
REF_CHOICE = "Profil du marché (choix de l'acheteur)"
REF_L2112_2 = "CCP, art. L2112-2 (conditions d'exécution)"


def with_criterion(r: LotReasoner, mechanism: Mechanism) -> Mechanism:
    if mechanism is M.CONDITION and r.settings.criterion:
        r.steps.append(Step("dispositif.critere",
                            "Critère « insertion » demandé (critere: true) : il s'ajoute à la condition "
                            "d'exécution.", "CCP, art. L2152-7 et R2152-7"))
        return M.CONDITION_AND_CRITERION
    return mechanism


def decide_mechanism(r: LotReasoner) -> Mechanism:
    """Step 3: the explicit choice, validated, or the ``auto`` reasoning."""
    requested = r.settings.mechanism or M.AUTO
    if requested is not M.AUTO:
        r.steps.append(Step("dispositif.choix",
                            f"Dispositif choisi par l'acheteur : {MECHANISM_FR[requested]}.", REF_CHOICE))
        if r.lot.insertion_object and requested is not M.INSERTION_MARKET:
            r.warnings.append("Le lot est déclaré « objet_insertion: true » mais le dispositif choisi n'est "
                              "pas un marché d'insertion : vérifiez l'objet ou le dispositif.")
        return with_criterion(r, requested)
    if r.lot.insertion_object:
        r.steps.append(Step("dispositif.auto.objet_insertion",
                            "L'insertion et la qualification professionnelle sont l'objet même du marché : "
                            "marché d'insertion (services sociaux et autres services spécifiques).",
                            "CCP, art. R2123-1 3°"))
        return M.INSERTION_MARKET
    if r.facts.obligation and r.settings.exception is not None:
        r.steps.append(Step("dispositif.auto.exception",
                            "Une exception à la condition sociale obligatoire est demandée : aucun dispositif "
                            "n'est retenu, sous réserve du motif et de sa justification.",
                            "CCP, art. L2112-2-1 II (libellé à confirmer)"))
        return M.NONE
    sizing = r.sizing()
    minimum = r.rules.get("heures_minimum")
    if sizing is None:
        return with_criterion(r, M.CONDITION)
    if sizing.hours >= minimum.valeur:
        r.steps.append(Step("dispositif.auto.condition",
                            f"{fmt.number(sizing.hours)} h ≥ {fmt.smart(minimum.valeur)} h (volume minimum) : une condition "
                            "d'exécution sociale est retenue.", f"{REF_L2112_2} ; {minimum.provenance}"))
        return with_criterion(r, M.CONDITION)
    if r.facts.obligation:
        r.steps.append(Step("dispositif.auto.condition_obligatoire",
                            f"{fmt.number(sizing.hours)} h < {fmt.smart(minimum.valeur)} h, mais le marché est soumis à la "
                            "condition sociale obligatoire : une condition d'exécution est retenue malgré le "
                            "faible volume.", "CCP, art. L2112-2-1"))
        r.warnings.append(f"Volume faible ({fmt.number(sizing.hours)} h, moins de {fmt.smart(minimum.valeur)} h) : la clause est "
                          "retenue parce qu'elle est obligatoire ; envisagez les solutions proposées.")
        r.alternatives.append("Réserver ce lot à des SIAE, entreprises adaptées ou ESAT (art. L2113-12 à "
                              "L2113-14), ce qui satisfait aussi l'obligation.")
        r.alternatives.append("Augmenter le taux d'insertion, ou regrouper ce lot avec un lot voisin pour le calcul.")
        r.alternatives.append("Si la condition est sans lien suffisant avec l'objet ou rend l'exécution difficile, "
                              "recourir à une exception motivée (art. L2112-2-1 II, motifs à confirmer).")
        return with_criterion(r, M.CONDITION)
    r.steps.append(Step("dispositif.auto.aucun",
                        f"{fmt.number(sizing.hours)} h < {fmt.smart(minimum.valeur)} h (volume minimum) et aucune obligation : "
                        "une clause d'insertion serait peu opérante ; pas de clause sociale recommandée.",
                        f"Volume minimum — {minimum.provenance}"))
    r.alternatives.append("Une clause reste possible si l'acheteur le souhaite (dispositif: condition_execution) ; "
                          "elle serait de faible portée.")
    if r.settings.criterion:
        r.warnings.append("Le critère « insertion » demandé (critere: true) n'est pas retenu faute de clause ; "
                          "choisissez « dispositif: critere_attribution » pour un critère seul.")
    return M.NONE


def validate(r: LotReasoner, mechanism: Mechanism) -> ExceptionUsed | None:
    """Steps 2, 3, 5–7: legality checks, obligation, criterion, notices, alternatives."""
    facts, settings = r.facts, r.settings
    mech_loc = r.ins_loc("dispositif")
    if mechanism is M.INSERTION_MARKET:
        if r.profile.market.nature is not Nature.SERVICES:
            r.issue(("marche", "nature"), "un marché d'insertion (art. R2123-1 3°) est un marché de services : "
                    f"la nature « {r.profile.market.nature.value} » ne convient pas. Choisissez un autre "
                    "dispositif ou corrigez la nature.")
        if not r.lot.insertion_object:
            r.warnings.append("Marché d'insertion : énoncez l'objet comme une prestation d'insertion et de "
                              "qualification professionnelle (objet_insertion: true).")
        r.steps.append(Step("marche_insertion.procedure",
                            "Marché d'insertion : procédure adaptée quelle que soit la valeur ; l'offre est "
                            "appréciée sur l'encadrement technique, l'accompagnement socioprofessionnel et la "
                            "formation des personnes.", "CCP, art. R2123-1 3° et R2123-7"))
        social = r.rules.get("seuil_services_sociaux")
        if facts.value >= social.valeur:
            r.notices.append(f"Valeur ≥ {fmt.euros(social.valeur)} HT : avis de marché publié au JOUE "
                             "(art. R2131-15).")
            r.bases.append("R2131-15")
        else:
            r.notices.append("Publicité adaptée à la valeur du marché (procédure adaptée, art. R2123-1 3°).")
    if mechanism.is_reserved:
        share = r.rules.get("marche_reserve.part_minimum")
        r.steps.append(Step("marche_reserve.conditions",
                            f"Marché réservé : la structure attributaire emploie au moins "
                            f"{fmt.percent(share.valeur)} de travailleurs handicapés ou défavorisés, et la "
                            "réservation est mentionnée dans l'avis de marché.", "CCP, art. R2113-7"))
        r.notices.append("L'avis de marché (ou, à défaut, les documents de la consultation) mentionne la "
                         "réservation (art. R2113-7).")
        suppliers, floor = settings.inclusive_suppliers, r.rules.get("structures_inclusives.minimum")
        if suppliers is not None and suppliers < floor.valeur:
            r.warnings.append(f"Seulement {suppliers} structure(s) inclusive(s) repérée(s) : la réservation risque "
                              "d'être infructueuse ; complétez le sourçage (le marché de l'inclusion, TME).")
        if facts.obligation:
            r.confirm.append(ToConfirm("Un marché réservé satisfait l'obligation de l'art. L2112-2-1 si cet article "
                                       "s'applique « sans préjudice des articles L2113-12 à L2113-16 » : mention "
                                       "non vérifiée sur Légifrance.", "marche_reserve.obligation_sociale"))
    if mechanism.has_condition:
        r.notices.append("La condition d'exécution sociale est annoncée dans l'avis de marché ou les documents "
                         "de la consultation.")
        sizing = r.sizing()
        minimum = r.rules.value("heures_minimum")
        if sizing is not None and sizing.hours < minimum and mechanism is not M.NONE \
                and not any(w.startswith("Volume faible") for w in r.warnings):
            r.warnings.append(f"Volume faible ({fmt.number(sizing.hours)} h, moins de {fmt.smart(minimum)} h) : clause peu "
                              "opérante (repère PACT Propreté) ; vérifiez le calibrage avec le facilitateur.")
        if facts.obligation:
            r.bases.append("L2112-2-1")
    if mechanism.has_criterion:
        check_criterion(r)
    return check_exception(r, mechanism, mech_loc)


def check_criterion(r: LotReasoner) -> None:
    weight = r.param("criterion_weight", "ponderation_critere", "ponderation_critere",
                     "Pondération du critère « insertion »", lambda v: fmt.smart(v) + " % de la note")
    r.weight = weight
    alert = r.rules.get("ponderation_critere.alerte")
    if weight > alert.valeur:
        r.warnings.append(f"Pondération du critère « insertion » élevée ({fmt.smart(weight)} %, au-delà de "
                          f"{fmt.smart(alert.valeur)} %) : justifiez-la par l'objet du marché.")
    if r.profile.market.procedure.is_formalised:
        r.steps.append(Step("critere.ponderation_obligatoire",
                            "Procédure formalisée : les critères sont pondérés et la pondération est publiée.",
                            "CCP, art. R2152-12"))
    r.notices.append("Les critères d'attribution et leur pondération figurent dans l'avis ou le règlement de "
                     "la consultation (art. R2152-12).")
    if r.facts.env_criterion:
        r.warnings.append("Rappel : pour une consultation lancée à partir du 21 août 2026, un critère "
                          "environnemental est aussi obligatoire (art. R2152-7) ; drafter ne le rédige pas.")


def check_exception(r: LotReasoner, mechanism: Mechanism, mech_loc: tuple) -> ExceptionUsed | None:
    exc = r.settings.exception
    if not r.facts.obligation:
        if exc is not None:
            r.warnings.append("Exception à la condition sociale déclarée alors que le marché n'est pas soumis à "
                              "l'obligation de l'art. L2112-2-1 : elle est sans objet et n'est pas reprise.")
        return None
    if mechanism in SATISFIES_OBLIGATION:
        if exc is not None:
            r.warnings.append("Exception déclarée mais non utilisée : le dispositif retenu satisfait déjà "
                              "l'obligation de l'art. L2112-2-1.")
        return None
    what = "« aucun »" if mechanism is M.NONE else "« critère d'attribution » seul"
    if exc is None:
        r.issue(mech_loc, f"le marché est soumis à la condition sociale obligatoire (art. L2112-2-1) : le "
                f"dispositif {what} ne la satisfait pas. Choisissez une condition d'exécution, un marché "
                "réservé ou d'insertion, ou déclarez une exception (insertion.exception.motif et "
                "insertion.exception.justification).")
        return None
    exc_loc = r.ins_loc("exception")
    motives = r.rules.exception_motives()
    ok = True
    if exc.motive is None:
        r.issue(exc_loc, f"motif d'exception manquant ; motifs admis : {', '.join(motives)}.")
        ok = False
    if not (exc.justification or "").strip():
        r.issue((*exc_loc, "justification"), "justification manquante : rédigez les raisons de l'exception, "
                "qui seront conservées au dossier du marché (art. L2112-2-1).")
        ok = False
    if not ok:
        return None
    rv = motives[exc.motive.value]
    r.steps.append(Step(rv.id, f"Exception à la condition sociale obligatoire : {rv.valeur}. Justification "
                        f"conservée au dossier : « {exc.justification.strip()} »",
                        f"{rv.reference} — {rv.provenance}"))
    r.confirm.append(ToConfirm(f"Motif d'exception « {rv.libelle} » : {rv.provenance}.", rv.id))
    r.bases.append("L2112-2-1")
    return ExceptionUsed(exc.motive, rv.valeur, exc.justification.strip())


def suggest(r: LotReasoner, mechanism: Mechanism) -> None:
    suppliers = r.settings.inclusive_suppliers
    if suppliers is None or mechanism.is_reserved or mechanism is M.INSERTION_MARKET:
        return
    whole = r.rules.get("structures_inclusives.marche_reserve")
    lot = r.rules.get("structures_inclusives.lot_reserve")
    if suppliers >= whole.valeur:
        r.alternatives.append(f"{suppliers} structures inclusives repérées (≥ {fmt.smart(whole.valeur)}) : un marché "
                              "entièrement réservé (art. L2113-12 à L2113-14) mérite d'être envisagé.")
    elif suppliers >= lot.valeur:
        r.alternatives.append(f"{suppliers} structures inclusives repérées (≥ {fmt.smart(lot.valeur)}) : un lot "
                              "réservé (art. L2113-12 à L2113-14) mérite d'être envisagé.")


def ignored_criterion(r: LotReasoner, mechanism: Mechanism) -> None:
    """Say so when criterion settings cannot apply to the mechanism (nothing silently dropped)."""
    if mechanism.has_criterion:
        return
    if r.settings.criterion and mechanism is not M.NONE:
        r.warnings.append(f"« critere: true » ignoré : le dispositif retenu ({MECHANISM_FR[mechanism]}) ne comporte "
                          "pas de critère d'attribution « insertion ».")
    if r.settings.criterion_weight is not None:
        r.warnings.append("« ponderation_critere » ignorée : aucun critère d'attribution « insertion » n'est retenu "
                          "pour ce lot.")


def finish(r: LotReasoner, mechanism: Mechanism) -> LotDecision:
    """Validate, then assemble the lot's decision."""
    exception = validate(r, mechanism)
    suggest(r, mechanism)
    ignored_criterion(r, mechanism)
    needs_facilitator = mechanism.needs_facilitator
    facilitator = r.lot.facilitator or r.profile.facilitator
    if needs_facilitator and facilitator is None:
        r.warnings.append("Aucun facilitateur désigné : indiquez ses coordonnées (rubrique « facilitateur ») "
                          "pour que les candidats puissent le contacter.")
    sizing = r.sizing() if mechanism.has_condition else r.computed_sizing()
    hours = sizing.hours if (mechanism.has_condition and sizing is not None) else None
    penalty = None
    if hours is not None:
        chosen = r.param("penalty_per_hour", "penalite_par_heure", "penalite_par_heure",
                         "Pénalité par heure d'insertion non réalisée",
                         lambda v: fmt.euros(v, cents=False) + " HT" if v is not None
                         else f"égale au coût horaire, soit {fmt.euros(sizing.hourly_cost, cents=False)} HT")
        penalty = chosen if chosen is not None else sizing.hourly_cost
    framework = r.profile.market.form.is_framework
    r.bases[:0] = LEGAL_BASES[mechanism]
    return LotDecision(
        numero=r.lot.number, intitule=r.lot.title, dispositif=mechanism,
        base_legale=tuple(dict.fromkeys(r.bases)),
        heures=hours,
        ratio_heures_10000_eur=sizing.ratio if (hours is not None and framework) else None,
        part_main_oeuvre=sizing.labour_share if sizing else r.lot.labour_share,
        taux_insertion=sizing.rate if sizing else (r.settings.rate or r.rules.value("taux_insertion")),
        cout_horaire=sizing.hourly_cost if sizing else (r.settings.hourly_cost or r.rules.value("cout_horaire")),
        penalite_par_heure=penalty,
        ponderation_critere=r.weight,
        methode_accord_cadre=r.method if sizing is not None else None,
        secteur=r.lot.sector, montant_estime_ht=r.lot.estimate, montant_minimum_ht=r.lot.minimum,
        montant_maximum_ht=r.lot.maximum, calcul=sizing,
        exception=exception, facilitateur=facilitator, objet_insertion=r.lot.insertion_object,
        avertissements=tuple(dict.fromkeys(r.warnings)), a_confirmer=tuple(dict.fromkeys(r.confirm)),
        alternatives=tuple(dict.fromkeys(r.alternatives)), mentions_avis=tuple(dict.fromkeys(r.notices)),
        trace=tuple(r.steps),
    )
