"""Choice of a lot's mechanism (SPEC §4 step 3): the buyer's choice, or the ``auto`` reasoning on the
volume of hours, with the real options when that volume is too small (validation: ``lot_checks``).

Functions take the :class:`~drafter.engine.reasoner.LotReasoner` of the lot and add to what it
found (trail, warnings, alternatives, issues). Article numbers come from the rule tables
(``rules.article(...)``), never from this code.
"""

from __future__ import annotations

from drafter.domain import fmt
from drafter.domain.profile import Mechanism
from drafter.engine.reasoner import Loc, LotReasoner

M = Mechanism


def with_criterion(r: LotReasoner, mechanism: Mechanism) -> Mechanism:
    if mechanism is M.CONDITION and r.settings.criterion:
        r.step(
            "dispositif.critere",
            "Critère « insertion » demandé dans le profil : il s'ajoute à la condition d'exécution.",
            r.rules.cite("critere"),
        )
        return M.CONDITION_AND_CRITERION
    return mechanism


def decide_mechanism(r: LotReasoner) -> Mechanism:
    """Step 3: the explicit choice, validated, or the ``auto`` reasoning."""
    requested = r.settings.mechanism or M.AUTO
    if requested is not M.AUTO:
        r.step(
            "dispositif.choix", f"Dispositif choisi par l'acheteur : {requested.label}.", r.rules.cite("choix_acheteur")
        )
        if r.lot.insertion_object and requested is not M.INSERTION_MARKET:
            r.warn(
                "dispositif.objet_insertion_sans_marche_insertion",
                "Le lot est déclaré « objet_insertion: true » mais le dispositif choisi n'est "
                "pas un marché d'insertion : vérifiez l'objet ou le dispositif.",
            )
        return with_criterion(r, requested)
    if r.lot.insertion_object:
        r.step(
            "dispositif.auto.objet_insertion",
            "L'insertion et la qualification professionnelle sont l'objet même du marché : "
            "marché d'insertion (services sociaux et autres services spécifiques).",
            r.rules.cite("marche_insertion"),
        )
        return M.INSERTION_MARKET
    if r.facts.obligation and r.settings.exception is not None:
        r.step(
            "dispositif.auto.exception",
            "Une exception à la condition sociale obligatoire est demandée : aucun dispositif "
            "n'est retenu, sous réserve du motif et de sa justification.",
            r.rules.cite("exception"),
        )
        return M.NONE
    return by_volume(r)


def by_volume(r: LotReasoner) -> Mechanism:
    """``auto`` without insertion object nor exception: a condition when the hours are worth it."""
    sizing = r.sizing()
    minimum = r.rules.get("heures_minimum")
    if sizing is None:
        return with_criterion(r, M.CONDITION)
    hours, floor = fmt.number(sizing.hours), fmt.smart(minimum.valeur)
    if sizing.hours <= 0 and r.facts.obligation:
        return with_criterion(r, M.CONDITION)  # refused with the real options by check_condition
    if sizing.hours >= minimum.valeur:
        r.step(
            "dispositif.auto.condition",
            f"{hours} h ≥ {floor} h (volume minimum) : une condition d'exécution sociale est retenue.",
            f"{r.rules.cite('condition_execution')} ; {minimum.provenance}",
        )
        return with_criterion(r, M.CONDITION)
    if r.facts.obligation:
        low_volume_under_obligation(r, hours, floor)
        return with_criterion(r, M.CONDITION)
    r.step(
        "dispositif.auto.aucun",
        f"{hours} h < {floor} h (volume minimum) et aucune obligation : "
        "une clause d'insertion serait peu opérante ; pas de clause sociale recommandée.",
        f"Volume minimum — {minimum.provenance}",
    )
    if sizing.hours > 0:
        r.suggest(
            "Une clause d'insertion reste possible si l'acheteur le souhaite (choisir le dispositif "
            "« condition d'exécution » dans le profil) ; elle serait de faible portée."
        )
    if r.settings.criterion:
        r.warn(
            "critere.non_retenu_sans_clause",
            "Le critère « insertion » demandé dans le profil n'est pas retenu faute de clause ; "
            "choisissez le dispositif « critère d'attribution » seul.",
        )
    return M.NONE


def real_options(r: LotReasoner, *, keys: bool = False) -> list[str]:
    """The honest ways out when a volume of insertion hours is too small or nil (SPEC §4 step 3);
    ``keys``: name the profile keys (error messages for whoever edits the profile, not the note)."""
    a = r.rules.article
    how = ", dispositif « condition_formation » avec « heures_formation_par_salarie »" if keys else ""
    options = [
        (
            "une condition d'exécution sociale qui n'est pas un volume d'heures d'insertion : la formation et la "
            f"qualification du personnel affecté au marché (plan de progrès avec un nombre d'heures de formation par "
            f"salarié{how})"
        ),
        (
            "une insertion portant sur les remplacements et le renouvellement du personnel (embauches en cours "
            "d'exécution proposées en priorité à des personnes éligibles, avec le facilitateur)"
        ),
        (
            f"la réservation du lot à des SIAE, entreprises adaptées ou ESAT (art. {a('reserve_handicap')} à "
            f"{a('reserve_siae_handicap')}), sous réserve de confirmer qu'un marché réservé satisfait l'obligation "
            f"de l'art. {a('obligation_sociale')}"
        ),
    ]
    if r.facts.obligation:
        options.append(f"une exception motivée (art. {a('exception')}, libellé des motifs à confirmer)")
    else:
        options.append(
            "aucune clause sociale"
            + (" (dispositif « aucun »)" if keys else "")
            + ", le marché n'étant pas soumis à l'obligation"
        )
    return options


def zero_volume(r: LotReasoner, loc: Loc) -> None:
    """No clause without a real calibrated volume: refuse with the real options."""
    options = real_options(r, keys=True)
    r.issue(
        loc,
        "aucune heure d'insertion ne peut être exigée pour ce lot (volume calculé : 0 heure, par exemple "
        "parce que le personnel repris couvre tout le potentiel) : une clause sans volume réel serait "
        "inopérante. Choisissez plutôt : " + " ; ".join(f"{i}) {o}" for i, o in enumerate(options, 1)) + ".",
    )


def low_volume_under_obligation(r: LotReasoner, hours: str, floor: str) -> None:
    r.step(
        "dispositif.auto.condition_obligatoire",
        f"{hours} h < {floor} h, mais le marché est soumis à la condition sociale obligatoire : une condition "
        "d'exécution est retenue malgré le faible volume.",
        r.rules.cite("obligation_sociale"),
    )
    r.warn(
        "volume_faible.obligatoire",
        f"Volume faible ({hours} h, moins de {floor} h) : la clause est "
        "retenue parce qu'elle est obligatoire ; envisagez les solutions proposées.",
    )
    for option in real_options(r):
        r.suggest(option[0].upper() + option[1:] + ".")
    r.suggest("Augmenter le taux d'insertion, ou regrouper ce lot avec un lot voisin pour le calcul.")
