"""Validation of a lot's mechanism once chosen (SPEC §4 steps 2, 3, 5–7): the legal checks of each
mechanism, the obligation and its exceptions, the criterion, notices, suggested alternatives.

Functions take the lot's :class:`~drafter.engine.reasoner.LotReasoner` and add to what it found;
article numbers come from the rule tables, never from this code.
"""

from __future__ import annotations

from drafter.domain import fmt
from drafter.domain.decision import ExceptionUsed
from drafter.domain.profile import Mechanism, Nature
from drafter.engine.lot_mechanism import real_options, zero_volume
from drafter.engine.reasoner import Loc, LotReasoner

M = Mechanism


def check_insertion_market(r: LotReasoner) -> None:
    a = r.rules.article
    if r.profile.market.nature is not Nature.SERVICES:
        r.issue(
            ("marche", "nature"),
            f"un marché d'insertion (art. {a('marche_insertion')}) est un marché de "
            f"services : la nature « {r.profile.market.nature.value} » ne convient pas. Choisissez un autre "
            "dispositif ou corrigez la nature.",
        )
    if r.lot.support_activity is None or (r.lot.insertion_positions is None and r.lot.support_hours is None):
        r.warn(
            "marche_insertion.activite_support",
            "Marché d'insertion : décrivez l'activité support pour elle-même "
            "(« activite_support ») et fixez son volume (« postes_insertion » ou « heures_activite_support ») ; "
            "sans eux, le CCAP renvoie au cahier des clauses techniques particulières.",
        )
    if not r.lot.insertion_object:
        r.warn(
            "marche_insertion.objet",
            "Marché d'insertion : énoncez l'objet comme une prestation d'insertion et "
            "de qualification professionnelle (objet_insertion: true).",
        )
    r.step(
        "marche_insertion.procedure",
        "Marché d'insertion : procédure adaptée quelle que soit la valeur ; l'offre "
        "est appréciée sur l'encadrement technique, l'accompagnement socioprofessionnel et la formation des "
        "personnes.",
        r.rules.cite("marche_insertion_offres"),
    )
    social = r.rules.get("seuil_services_sociaux")
    if r.facts.value >= social.valeur:
        r.notice(f"Valeur ≥ {fmt.euros(social.valeur)} HT : avis de marché publié au JOUE (art. {a('avis_joue')}).")
        r.base(a("avis_joue"))
    else:
        r.notice(f"Publicité adaptée à la valeur du marché (procédure adaptée, art. {a('marche_insertion')}).")
    r.suggest(
        f"Le marché d'insertion peut être combiné avec une réservation aux SIAE (art. {a('reserve_siae')}) "
        f"ou, pour les seuls services sociaux et spécifiques listés, aux entreprises de l'économie sociale et "
        f"solidaire (art. {a('reserve_ess')}, durée de trois ans au plus)."
    )
    if r.facts.obligation:
        r.to_confirm(
            "marche_insertion.obligation_sociale",
            "Un marché d'insertion satisfait l'obligation de l'art. "
            f"{a('obligation_sociale')} : lecture non vérifiée sur Légifrance — à confirmer.",
            worded=True,
        )


def check_reservation(r: LotReasoner) -> None:
    a = r.rules.article
    share = r.rules.get("marche_reserve.part_minimum")
    workers = (
        "travailleurs handicapés"
        if r.settings.mechanism is M.RESERVED_DISABILITY
        else "travailleurs handicapés ou défavorisés"
    )
    r.step(
        "marche_reserve.conditions",
        f"Marché réservé : la structure attributaire emploie au moins "
        f"{fmt.percent(share.valeur)} de {workers}, et la réservation est mentionnée "
        "dans l'avis de marché.",
        r.rules.cite("marche_reserve"),
    )
    r.notice(
        f"L'avis de marché (ou, à défaut, les documents de la consultation) mentionne la réservation "
        f"(art. {a('marche_reserve')})."
    )
    suppliers, floor = r.settings.inclusive_suppliers, r.rules.get("structures_inclusives.minimum")
    if suppliers is not None and suppliers < floor.valeur:
        r.warn(
            "marche_reserve.sourcage",
            f"Seulement {suppliers} structure(s) inclusive(s) repérée(s) : la "
            "réservation risque d'être infructueuse ; complétez le sourçage (le marché de l'inclusion, TME).",
        )
    if r.facts.obligation:
        r.to_confirm(
            "marche_reserve.obligation_sociale",
            f"Un marché réservé satisfait l'obligation de l'art. "
            f"{a('obligation_sociale')} si cet article s'applique « sans préjudice des articles "
            f"{a('reserve_handicap')} à {a('reserve_dernier')} » : mention non vérifiée sur Légifrance — "
            "à confirmer.",
            worded=True,
        )


def check_condition(r: LotReasoner, mechanism: Mechanism) -> None:
    r.notice("La condition d'exécution sociale est annoncée dans l'avis de marché ou les documents de la consultation.")
    sizing = r.sizing()
    minimum = r.rules.value("heures_minimum")
    if sizing is not None and sizing.hours <= 0:
        zero_volume(r, r.ins_loc("dispositif"))
    elif sizing is not None and sizing.hours < minimum and not r.has_warning("volume_faible.obligatoire"):
        r.warn(
            "volume_faible",
            f"Volume faible ({fmt.number(sizing.hours)} h, moins de {fmt.smart(minimum)} h) : "
            "clause peu opérante (repère de la branche propreté, PACT Propreté"
            + ("" if r.lot.sector == "nettoyage_proprete" else ", appliqué ici par analogie")
            + ") ; vérifiez le calibrage avec le facilitateur.",
        )
        if r.facts.obligation:
            for option in real_options(r):
                r.suggest(option[0].upper() + option[1:] + ".")
    if r.facts.obligation:
        r.base(*r.rules.bases("obligation"))


def check_training(r: LotReasoner) -> None:
    """The training condition (« plan de progrès »): hours of training per employee, no insertion hours."""
    r.notice(
        "La condition d'exécution sociale (formation et qualification du personnel) est annoncée dans l'avis "
        "de marché ou les documents de la consultation."
    )
    hours = r.settings.training_hours
    if hours is None or hours <= 0:
        r.issue(
            r.ins_loc("dispositif"),
            "la condition de formation exige un nombre d'heures de formation par "
            "salarié et par année d'exécution : ajoutez « heures_formation_par_salarie » (ex. 14) dans la "
            "rubrique « insertion » du marché ou du lot.",
        )
        return
    r.step(
        "formation.volume",
        f"Condition d'exécution sociale de formation : plan de progrès prévoyant au moins "
        f"{fmt.smart(hours)} h de formation par salarié affecté au marché et par année d'exécution (choix de "
        "l'acheteur).",
        r.rules.cite("formation"),
    )
    if r.facts.obligation:
        r.base(*r.rules.bases("obligation"))


def validate(r: LotReasoner, mechanism: Mechanism) -> ExceptionUsed | None:
    """Steps 2, 3, 5–7: legality checks, obligation, criterion, notices, alternatives."""
    mech_loc = r.ins_loc("dispositif")
    if mechanism is M.INSERTION_MARKET:
        check_insertion_market(r)
    if mechanism.is_reserved:
        check_reservation(r)
    if mechanism.has_condition:
        check_condition(r, mechanism)
    if mechanism.is_training:
        check_training(r)
    if mechanism.has_criterion:
        check_criterion(r)
    return check_exception(r, mechanism, mech_loc)


def check_criterion(r: LotReasoner) -> None:
    weight = r.param(
        "criterion_weight",
        "ponderation_critere",
        "ponderation_critere",
        "Pondération du critère « insertion »",
        lambda v: fmt.smart(v) + " % de la note",
    )
    r.weight = weight
    alert = r.rules.get("ponderation_critere.alerte")
    published = r.rules.article("ponderation_publiee")
    if weight > alert.valeur:
        r.warn(
            "critere.ponderation_elevee",
            f"Pondération du critère « insertion » élevée ({fmt.smart(weight)} %, "
            f"au-delà de {fmt.smart(alert.valeur)} %) : justifiez-la par l'objet du marché.",
        )
    if r.profile.market.procedure.is_formalised:
        r.step(
            "critere.ponderation_obligatoire",
            "Procédure formalisée : les critères sont pondérés et la pondération est publiée.",
            r.rules.cite("ponderation_publiee"),
        )
    r.notice(
        f"Les critères d'attribution et leur pondération figurent dans l'avis ou le règlement de la "
        f"consultation (art. {published})."
    )


def check_exception(r: LotReasoner, mechanism: Mechanism, mech_loc: Loc) -> ExceptionUsed | None:
    exc = r.settings.exception
    article = r.rules.article("obligation_sociale")
    if not r.facts.obligation:
        if exc is not None:
            r.warn(
                "exception.sans_objet",
                "Exception à la condition sociale déclarée alors que le marché n'est pas "
                f"soumis à l'obligation de l'art. {article} : elle est sans objet et n'est pas reprise.",
            )
        return None
    if mechanism.satisfies_obligation:
        if exc is not None:
            r.warn(
                "exception.inutile",
                "Exception déclarée mais non utilisée : le dispositif retenu satisfait déjà "
                f"l'obligation de l'art. {article}.",
            )
        return None
    what = "« aucun »" if mechanism is M.NONE else "« critère d'attribution » seul"
    if exc is None:
        r.issue(
            mech_loc,
            f"le marché est soumis à la condition sociale obligatoire (art. {article}) : le "
            f"dispositif {what} ne la satisfait pas. Choisissez une condition d'exécution, un marché "
            "réservé ou d'insertion, ou déclarez une exception (insertion.exception.motif et "
            "insertion.exception.justification).",
        )
        return None
    return used_exception(r, r.ins_loc("exception"))


def used_exception(r: LotReasoner, exc_loc: Loc) -> ExceptionUsed | None:
    exc = r.settings.exception
    assert exc is not None
    motives = r.rules.exception_motives()
    ok = True
    if exc.motive is None:
        r.issue(exc_loc, f"motif d'exception manquant ; motifs admis : {', '.join(motives)}.")
        ok = False
    justification = (exc.justification or "").strip()
    if not justification:
        r.issue(
            (*exc_loc, "justification"),
            "justification manquante : rédigez les raisons de l'exception, "
            f"qui seront conservées au dossier du marché (art. {r.rules.article('obligation_sociale')}).",
        )
        ok = False
    if not ok or exc.motive is None:
        return None
    rv = motives[exc.motive.value]
    r.step(
        rv.id,
        f"Exception à la condition sociale obligatoire : {rv.valeur}. Justification conservée au "
        f"dossier : « {justification} »",
        f"{rv.reference} — {rv.provenance}",
    )
    r.to_confirm(rv.id, f"Motif d'exception « {rv.libelle} » : {rv.provenance}.", worded=rv.to_confirm)
    r.base(*r.rules.bases("obligation"))
    exception_alternatives(r, exc.motive.value)
    return ExceptionUsed(exc.motive, rv.valeur, justification)


def suggest(r: LotReasoner, mechanism: Mechanism) -> None:
    suppliers = r.settings.inclusive_suppliers
    if suppliers is None or mechanism.is_reserved or mechanism is M.INSERTION_MARKET:
        return
    a = r.rules.article
    articles = f"art. {a('reserve_handicap')} à {a('reserve_siae_handicap')}"
    whole = r.rules.get("structures_inclusives.marche_reserve")
    lot = r.rules.get("structures_inclusives.lot_reserve")
    if suppliers >= whole.valeur:
        r.suggest(
            f"{suppliers} structures inclusives repérées (≥ {fmt.smart(whole.valeur)}) : un marché "
            f"entièrement réservé ({articles}) mérite d'être envisagé."
        )
    elif suppliers >= lot.valeur:
        r.suggest(
            f"{suppliers} structures inclusives repérées (≥ {fmt.smart(lot.valeur)}) : un lot "
            f"réservé ({articles}) mérite d'être envisagé."
        )


def ignored_criterion(r: LotReasoner, mechanism: Mechanism) -> None:
    """Say so when criterion settings cannot apply to the mechanism (nothing silently dropped)."""
    if mechanism.has_criterion:
        return
    if r.settings.criterion and mechanism is not M.NONE:
        r.warn(
            "critere.ignore",
            f"« critere: true » ignoré : le dispositif retenu ({mechanism.label}) ne comporte "
            "pas de critère d'attribution « insertion ».",
        )
    if r.settings.criterion_weight is not None:
        r.warn(
            "critere.ponderation_ignoree",
            "« ponderation_critere » ignorée : aucun critère d'attribution « insertion » n'est retenu pour ce lot.",
        )


def exception_alternatives(r: LotReasoner, motive: str) -> None:
    """An exception is the last resort: show what would meet the obligation instead (point 10)."""
    a = r.rules.article
    if motive == "solution_immediatement_disponible":
        r.warn(
            "exception.motif_non_confirme",
            "Motif « solution immédiatement disponible » : il ne figure pas dans "
            f"le texte jumeau des concessions (art. {a('exception_analogie')}) et son libellé n'a pas été vérifié ; "
            "préférez, si les faits le permettent, le lien insuffisant avec l'objet ou la restriction de la "
            "concurrence, dont le libellé est confirmé par analogie.",
        )
    r.suggest(
        f"Avant de retenir l'exception : une part de la prestation à forte intensité de main-d'œuvre (par "
        f"exemple le reconditionnement de matériel informatique, la logistique, le conditionnement) est un "
        f"travail classique des entreprises adaptées, ESAT et SIAE ; elle peut faire l'objet d'un lot réservé "
        f"(art. {a('reserve_handicap')} à {a('reserve_siae_handicap')}) ou d'une clause d'insertion portant "
        "sur ce seul travail."
    )
    r.suggest(
        "Une condition d'exécution sociale de formation et de qualification du personnel (plan de progrès) "
        "peut aussi satisfaire l'obligation sans volume d'heures d'insertion."
    )


def check_framework_maximum(r: LotReasoner) -> None:
    """A framework agreement states a maximum (R2162-4, in force from the date of the rule table)."""
    if not r.profile.market.form.is_framework or r.lot.maximum is not None:
        return
    rule = r.rules.values.get("article.accord_cadre_maximum")
    if rule is None:
        return
    r.issue(
        (*r.loc, "montant_maximum_ht"),
        f"accord-cadre sans montant maximum : depuis le {fmt.date_long(rule.depuis)}, un accord-cadre fixe un "
        f"maximum en valeur ou en quantité (art. {rule.valeur} du code de la commande publique) ; ajoutez "
        "« montant_maximum_ht » à ce lot.",
    )
