"""One lot's decision (SPEC §4 steps 3–7): mechanism, validation, hours, penalty, assembly."""

from __future__ import annotations

from decimal import Decimal

from drafter.domain import fmt
from drafter.domain.decision import ExceptionUsed, Issue, LotDecision, Sizing
from drafter.domain.profile import Lot, Mechanism, Profile
from drafter.engine.facts import MarketFacts
from drafter.engine.lot_checks import check_framework_maximum, ignored_criterion, suggest, validate
from drafter.engine.lot_mechanism import decide_mechanism
from drafter.engine.reasoner import LotReasoner
from drafter.law.rules import Rules


def decide_lot(
    profile: Profile, lot: Lot, index: int, rules: Rules, facts: MarketFacts
) -> tuple[LotDecision, list[Issue]]:
    """The decision of one lot, and the issues (located errors) found on the way."""
    r = LotReasoner(profile, lot, index, rules, facts)
    r.check_sector()
    check_framework_maximum(r)
    mechanism = decide_mechanism(r)
    exception = validate(r, mechanism)
    suggest(r, mechanism)
    ignored_criterion(r, mechanism)
    if mechanism.needs_facilitator and (r.lot.facilitator or r.profile.facilitator) is None:
        r.warn(
            "facilitateur.manquant",
            "Aucun facilitateur désigné : indiquez ses coordonnées (rubrique "
            "« facilitateur ») pour que les candidats puissent le contacter.",
        )
    agreement_warnings(r, mechanism)
    sizing = r.sizing() if mechanism.has_condition else r.computed_sizing()
    hours = sizing.hours if (mechanism.has_condition and sizing is not None) else None
    penalty = penalty_per_hour(r, sizing) if hours is not None and sizing is not None else None
    return assemble(r, mechanism, sizing, hours, penalty, exception), r.found.issues


def agreement_warnings(r: LotReasoner, mechanism: Mechanism) -> None:
    facilitator = r.lot.facilitator or r.profile.facilitator
    terms = facilitator.agreement if facilitator is not None else None
    if terms is None or mechanism is Mechanism.NONE:
        return
    if terms.funding == "finance":
        r.warn(
            "convention.financee",
            "Convention de facilitation rémunérée : une prestation rendue à l'acheteur contre "
            "un prix peut constituer un marché public soumis à publicité et mise en concurrence ; une aide à un "
            "projet d'intérêt général porté par la structure relève plutôt de la subvention. Qualifiez le "
            "financement avant de signer.",
        )
    if terms.scope == "programme" and not terms.programme:
        r.warn(
            "convention.programme",
            "Convention sur un programme : précisez le programme ou l'année couverts "
            "(« convention.programme » du facilitateur).",
        )


def penalty_per_hour(r: LotReasoner, sizing: Sizing) -> Decimal:
    chosen = r.param(
        "penalty_per_hour",
        "penalite_par_heure",
        "penalite_par_heure",
        "Pénalité par heure d'insertion non réalisée",
        lambda v: (
            fmt.euros(v) + " HT" if v is not None else f"égale au coût horaire, soit {fmt.euros(sizing.hourly_cost)} HT"
        ),
    )
    return chosen if chosen is not None else sizing.hourly_cost


def assemble(
    r: LotReasoner,
    mechanism: Mechanism,
    sizing: Sizing | None,
    hours: int | None,
    penalty: Decimal | None,
    exception: ExceptionUsed | None,
) -> LotDecision:
    found, lot, settings = r.found, r.lot, r.settings
    framework = r.profile.market.form.is_framework
    bases = [*r.rules.bases(mechanism.value), *found.bases]
    if r.profile.market.defence_or_security:
        general = set(r.rules.bases("condition_execution"))
        bases = (
            [*r.rules.bases("defense"), *(b for b in bases if b not in general)]
            if any(b in general for b in bases)
            else bases
        )
    return LotDecision(
        numero=lot.number,
        intitule=lot.title,
        dispositif=mechanism,
        base_legale=tuple(dict.fromkeys(bases)),
        heures=hours,
        ratio_heures_10000_eur=sizing.ratio if (hours is not None and sizing is not None and framework) else None,
        part_main_oeuvre=sizing.labour_share if sizing else lot.labour_share,
        taux_insertion=sizing.rate if sizing else (settings.rate or r.rules.value("taux_insertion")),
        cout_horaire=sizing.hourly_cost if sizing else (settings.hourly_cost or r.rules.value("cout_horaire")),
        penalite_par_heure=penalty,
        ponderation_critere=r.weight,
        methode_accord_cadre=r.method if sizing is not None else None,
        secteur=lot.sector,
        montant_estime_ht=lot.estimate or Decimal(0),
        montant_minimum_ht=lot.minimum,
        montant_maximum_ht=lot.maximum,
        calcul=sizing,
        exception=exception,
        facilitateur=lot.facilitator or r.profile.facilitator,
        objet_insertion=lot.insertion_object,
        avertissements=tuple(dict.fromkeys(found.warnings)),
        a_confirmer=tuple(dict.fromkeys(found.confirm)),
        alternatives=tuple(dict.fromkeys(found.alternatives)),
        mentions_avis=tuple(dict.fromkeys(found.notices)),
        trace=tuple(found.steps),
        heures_formation_par_salarie=settings.training_hours if mechanism.is_training else None,
        activite_support=lot.support_activity,
        postes_insertion=lot.insertion_positions,
        heures_activite_support=lot.support_hours,
    )
